// The demo group: generated and loaded into an empty warehouse on first start, with one demo user
// per role. Used by `npm start` and by the UI benchmark.
import { generateExtract } from '../../fixtures/generate.ts';
import { chineseNameOf } from '../../fixtures/names.ts';
import { loadAndEvaluate } from '../../etl/pipeline.ts';
import { createDemoUsers, DEMO_PASSWORD } from './auth/demo-users.ts';
import { createKiosk } from './auth/kiosks.ts';
import { config } from './config.ts';
import type { Warehouse } from './db/warehouse.ts';
import { currentDataVersion } from './etl-runs/service.ts';
import { logger } from './logger.ts';

/** Loads the demo group unless the warehouse already holds a loaded extract. Throws if the load is refused. */
export async function ensureDemo(warehouse: Warehouse, extractDir: string): Promise<void> {
  // Keyed on a completed load, not on the file: a first start cut short simply starts over.
  if ((await currentDataVersion(warehouse.knex)).run_id !== null) return;
  logger.info(`the warehouse holds no data: generating the demo group's extract in ${extractDir} …`);
  const generated = await generateExtract({ out: extractDir });
  logger.info(
    { duration_ms: generated.durationMs },
    `demo extract generated in ${(generated.durationMs / 1000).toFixed(1)}s; loading …`,
  );
  // The load and the risk evaluation log their own figures (etl/pipeline.ts).
  const { load: result } = await loadAndEvaluate(warehouse, extractDir);
  if (result.status !== 'loaded') throw new Error(`demo load refused: ${result.message}`);
  const store = generated.plants.find((p) => p.kind === 'negative_ocf')?.node_id;
  const users = await createDemoUsers(
    warehouse.knex,
    store ?? (await warehouse.knex('dim_org').where({ level: 'store' }).first('node_id')).node_id,
    chineseNameOf,
  );
  logger.info(
    `demo users (password "${DEMO_PASSWORD}"): ${users.map((u) => `${u.username} (${u.role})`).join(', ')}`,
  );
  // A wall screen for the whole group; its token is shown this once (make more with npm run users -- kiosk).
  const group = (await warehouse.knex('dim_org').where({ level: 'group' }).first('node_id'))
    .node_id as string;
  const { token } = await createKiosk(warehouse.knex, { name: 'demo-wall', nodes: [group] });
  logger.info(
    `demo wall screen (kiosk token, shown once): http://localhost:${config.port}/wall?kiosk=${token}`,
  );
}
