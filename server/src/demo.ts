// The demo group: generated and loaded into an empty warehouse on first start, with one demo user
// per role. Used by `npm start` and by the UI benchmark.
import { generateExtract } from '../../fixtures/generate.ts';
import { loadAndEvaluate } from '../../etl/pipeline.ts';
import { createDemoUsers, DEMO_PASSWORD } from './auth/demo-users.ts';
import { createKiosk } from './auth/kiosks.ts';
import { config } from './config.ts';
import type { Warehouse } from './db/warehouse.ts';
import { currentDataVersion } from './etl-runs/service.ts';

/** Loads the demo group unless the warehouse already holds a loaded extract. Throws if the load is refused. */
export async function ensureDemo(
  warehouse: Warehouse,
  extractDir: string,
  log: (line: string) => void = console.log,
): Promise<void> {
  // Keyed on a completed load, not on the file: a first start cut short simply starts over.
  if ((await currentDataVersion(warehouse.knex)).run_id !== null) return;
  log(`the warehouse holds no data: generating the demo group's extract in ${extractDir} …`);
  const generated = await generateExtract({ out: extractDir });
  log(`generated in ${(generated.durationMs / 1000).toFixed(1)}s; loading …`);
  const { load: result, risk, risk_error: riskError } = await loadAndEvaluate(warehouse, extractDir);
  if (result.status !== 'loaded') throw new Error(`demo load refused: ${result.message}`);
  const rows = Object.values(result.files).reduce((n, f) => n + f.loaded, 0);
  log(`loaded ${rows} rows in ${(result.duration_ms / 1000).toFixed(1)}s`);
  log(
    risk
      ? `risk rules judged ${risk.month}: ${risk.raised} alerts raised in ${(risk.duration_ms / 1000).toFixed(1)}s`
      : `risk evaluation failed: ${riskError}`,
  );
  const store = generated.plants.find((p) => p.kind === 'negative_ocf')?.node_id;
  const users = await createDemoUsers(
    warehouse.knex,
    store ?? (await warehouse.knex('dim_org').where({ level: 'store' }).first('node_id')).node_id,
  );
  log(
    `demo users (password "${DEMO_PASSWORD}"): ${users.map((u) => `${u.username} (${u.role})`).join(', ')}`,
  );
  // A wall screen for the whole group; its token is shown this once (make more with npm run users -- kiosk).
  const group = (await warehouse.knex('dim_org').where({ level: 'group' }).first('node_id'))
    .node_id as string;
  const { token } = await createKiosk(warehouse.knex, { name: 'demo-wall', nodes: [group] });
  log(`demo wall screen (kiosk token, shown once): http://localhost:${config.port}/wall?kiosk=${token}`);
}
