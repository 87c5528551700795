// Child process of etl/bench.ts: one load and the roll-up built after it (etl/pipeline.ts), then
// the load's result, per-file timings, the roll-up's time and peak RSS as JSON.
import { openWarehouse } from '../server/src/db/warehouse.ts';
import { ETL_MEMORY_LIMIT } from './settings.ts';
import { buildRollup } from '../server/src/metrics/rollup.ts';
import { loadExtract } from './load.ts';

const [source, db] = process.argv.slice(2) as [string, string];
const warehouse = await openWarehouse(db, { memoryLimit: ETL_MEMORY_LIMIT, poolMax: 1 });
const result = await loadExtract(warehouse, source);
const rollup = result.status === 'loaded' ? await buildRollup(warehouse.knex) : null;
const { rows } = await warehouse.knex.raw(
  'SELECT file, rows_read AS read, duration_ms AS ms FROM etl.run_files WHERE run_id = ?',
  [result.run_id],
);
await warehouse.close();
const files = Object.fromEntries(
  (rows as { file: string; read: number; ms: number }[]).map((r) => [r.file, r]),
);
console.log(
  JSON.stringify({
    ...result,
    rejects: result.rejects.length,
    files,
    rollup: rollup && { ms: rollup.ms, rows: rollup.rows },
    max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
