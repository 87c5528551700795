// Child process of etl/bench.ts: one load, then its result, per-file timings and peak RSS as JSON.
import { openWarehouse } from '../server/src/db/warehouse.ts';
import { ETL_MEMORY_LIMIT } from './settings.ts';
import { loadExtract } from './load.ts';

const [source, db] = process.argv.slice(2) as [string, string];
const warehouse = await openWarehouse(db, { memoryLimit: ETL_MEMORY_LIMIT, poolMax: 1 });
const result = await loadExtract(warehouse, source);
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
    max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
