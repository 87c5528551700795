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
import { HttpError } from './errors.ts';
import type { User } from './auth/users.ts';
import { DataVersionState } from './scope/data-version-state.ts';
import { Scope } from './scope/scope.ts';
import { allocateTargets } from './targets/service.ts';

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
  await seedPeopleTargets(
    warehouse,
    users.find((u) => u.role === 'group')!,
    users.find((u) => u.role === 'region')!.nodes[0]!,
  );
  // A wall screen for the whole group; its token is shown this once (make more with npm run users -- kiosk).
  const group = (await warehouse.knex('dim_org').where({ level: 'group' }).first('node_id'))
    .node_id as string;
  const { token } = await createKiosk(warehouse.knex, { name: 'demo-wall', nodes: [group] });
  logger.info(
    `demo wall screen (kiosk token, shown once): http://localhost:${config.port}/wall?kiosk=${token}`,
  );
}

/** Person-level metrics whose store targets the demo splits among the people, each store's last month. */
const PEOPLE_TARGETS = ['new_units', 'new_gross_profit', 'finance_penetration', 'repair_orders'];

/**
 * The demo's scorecards and people pages need people's targets: the group splits the target of
 * each store of the demo region for the last month of data among its people, by their share of
 * the three months before (the rates as they are), as a manager would with the targets page.
 * (Every store would add some 15 s to the first start; the other regions are the targets page's.)
 */
async function seedPeopleTargets(warehouse: Warehouse, group: User, region: string): Promise<void> {
  const started = Date.now();
  const { knex } = warehouse;
  const scope = new Scope(knex, group, new DataVersionState(knex, () => currentDataVersion(knex)));
  const { period_to: to } = await currentDataVersion(knex);
  const month = String(to).slice(0, 7);
  const stores = (await knex('dim_org')
    .where({ level: 'store', parent_id: region })
    .orderBy('node_id')
    .pluck('node_id')) as string[];
  let set = 0;
  for (const store of stores)
    for (const metric of PEOPLE_TARGETS) {
      // A store without that target (a used-car centre has no repair orders) is left as it is.
      const grid = await allocateTargets(knex, scope, {
        node: store,
        metric,
        month,
        method: 'share',
        months: 3,
        cells: [],
      }).catch((err: unknown) => {
        if (err instanceof HttpError && err.status === 400) return null;
        throw err;
      });
      if (grid) set += grid.rows.length;
    }
  logger.info(
    { month, targets: set, duration_ms: Date.now() - started },
    `demo: people's targets for ${month} split from their stores'`,
  );
}
