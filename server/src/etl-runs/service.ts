// Data version: which extract the warehouse holds and when it was loaded. Clients and caches
// key on it; it changes only when a load commits.
import type { Knex } from 'knex';

export interface DataVersion {
  run_id: number | null;
  extract_id: string | null;
  kind: string | null;
  period_to: string | null;
  loaded_at: string | null;
  /** First day of data: the start of the latest full extract (a full load replaces everything before). */
  data_from: string | null;
}

export async function currentDataVersion(knex: Knex): Promise<DataVersion> {
  const row = await knex('etl.runs')
    .where({ status: 'loaded' })
    .orderBy('run_id', 'desc')
    .first('run_id', 'extract_id', 'kind', 'period_to', { loaded_at: 'finished_at' });
  if (!row)
    return { run_id: null, extract_id: null, kind: null, period_to: null, loaded_at: null, data_from: null };
  const full = await knex('etl.runs')
    .where({ status: 'loaded', kind: 'full' })
    .orderBy('run_id', 'desc')
    .first('period_from');
  return { ...row, data_from: full?.period_from ?? null };
}
