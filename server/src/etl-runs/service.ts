// Data version: which extract the warehouse holds and when it was loaded. Clients and caches
// key on it; it changes only when a load commits.
import type { Knex } from 'knex';

export interface DataVersion {
  run_id: number | null;
  extract_id: string | null;
  kind: string | null;
  period_to: string | null;
  loaded_at: string | null;
}

export async function currentDataVersion(knex: Knex): Promise<DataVersion> {
  const row = await knex('etl.runs')
    .where({ status: 'loaded' })
    .orderBy('run_id', 'desc')
    .first('run_id', 'extract_id', 'kind', 'period_to', { loaded_at: 'finished_at' });
  return row ?? { run_id: null, extract_id: null, kind: null, period_to: null, loaded_at: null };
}
