// npm start: serves the cockpit on PORT (3000). On a fresh machine the warehouse does not exist
// yet (or holds no loaded extract), so the demo group's extract is generated and loaded first (about 40 stores × 36 months).
import { dirname, join, resolve } from 'node:path';
import { generateExtract } from '../../fixtures/generate.ts';
import { loadExtract } from '../../etl/load.ts';
import { DEFAULT_DB_PATH } from '../../etl/settings.ts';
import { createApp } from './app.ts';
import { createDemoUsers, DEMO_PASSWORD } from './auth/demo-users.ts';
import { openWarehouse, WarehouseOpenError } from './db/warehouse.ts';
import { currentDataVersion } from './etl-runs/service.ts';

const dbPath = resolve(process.env.DB_PATH || DEFAULT_DB_PATH);
const port = Number(process.env.PORT ?? 3000);

async function main(): Promise<void> {
  const warehouse = await openWarehouse(dbPath).catch((err) => {
    console.error(err instanceof WarehouseOpenError ? err.message : err);
    process.exit(1);
  });
  // Keyed on a completed load, not on the file: a first start cut short simply starts over.
  if ((await currentDataVersion(warehouse.knex)).run_id === null) await loadDemo(warehouse, join(dirname(dbPath), 'demo-extract'));

  const { app } = await createApp(warehouse);
  const server = app.listen(port, () => {
    console.log(`cockpit listening on http://localhost:${port} (warehouse ${dbPath})`);
  });
  const stop = () => server.close(() => void warehouse.close().then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function loadDemo(warehouse: Awaited<ReturnType<typeof openWarehouse>>, extractDir: string): Promise<void> {
  console.log(`no warehouse at ${dbPath}: generating the demo group's extract in ${extractDir} …`);
  const generated = await generateExtract({ out: extractDir });
  console.log(`generated in ${(generated.durationMs / 1000).toFixed(1)}s; loading …`);
  const result = await loadExtract(warehouse, extractDir);
  if (result.status !== 'loaded') {
    console.error(`demo load refused: ${result.message}`);
    process.exit(1);
  }
  const rows = Object.values(result.files).reduce((n, f) => n + f.loaded, 0);
  console.log(`loaded ${rows} rows in ${(result.duration_ms / 1000).toFixed(1)}s`);
  const store = generated.plants.find((p) => p.kind === 'negative_ocf')?.node_id;
  const users = await createDemoUsers(warehouse.knex, store ?? (await warehouse.knex('dim_org').where({ level: 'store' }).first('node_id')).node_id);
  console.log(`demo users (password "${DEMO_PASSWORD}"): ${users.map((u) => `${u.username} (${u.role})`).join(', ')}`);
}

await main();
