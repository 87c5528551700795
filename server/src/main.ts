// npm start: serves the cockpit on PORT (3000). On a fresh machine the warehouse does not exist
// yet (or holds no loaded extract), so the demo group's extract is generated and loaded first (about 40 stores × 36 months).
import { dirname, join, resolve } from 'node:path';
import { startAdminSocket } from './admin/server.ts';
import { createApp } from './app.ts';
import { config } from './config.ts';
import { openWarehouse, WarehouseOpenError } from './db/warehouse.ts';
import { ensureDemo } from './demo.ts';
import { logger } from './logger.ts';
import { buildRollupIfStale } from './metrics/rollup.ts';
import { evaluateIfStale } from './risk/evaluate.ts';
import { escalateOverdue } from './risk/tasks.ts';

const dbPath = resolve(config.dbPath);
const port = config.port;
const ESCALATION_EVERY_MS = 10 * 60_000;
/**
 * DuckDB connections the API may use at once. npm run bench:load (200 users, 2 cores) gave p99
 * 1.1–1.3 s with 4 (small queries wait behind big ones), 0.6–0.7 s with 8, 1.1 s with 16.
 */
const API_CONNECTIONS = 8;

/** A start that cannot go on: one plain line on stderr, whatever LOG_LEVEL says, and exit 1. */
function stop(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const warehouse = await openWarehouse(dbPath, { poolMax: API_CONNECTIONS }).catch((err) =>
    stop(err instanceof WarehouseOpenError ? err.message : String(err)),
  );
  await ensureDemo(warehouse, join(dirname(dbPath), 'demo-extract')).catch((err: Error) => stop(err.message));

  // A failed evaluation must not keep the cockpit down: it runs again at the next load or start.
  // A successful one logs its figures (risk/evaluate.ts).
  await evaluateIfStale(warehouse.knex).catch((err: Error) =>
    logger.error({ err }, `risk evaluation failed: ${err.message.split('\n')[0]}`),
  );

  const cockpit = await createApp(warehouse);
  const server = cockpit.app.listen(port, () => {
    logger.info({ port, warehouse: dbPath }, `cockpit listening on http://localhost:${port}`);
    cockpit.listening(`http://127.0.0.1:${port}`);
    // Report subscriptions: their schedules, and the runs a stop left unfinished.
    void cockpit.delivery
      .start()
      .catch((err: Error) => logger.error({ err }, `report scheduler not started: ${err.message}`));
  });
  // A warehouse loaded before the roll-up existed, or whose build failed, gets one in the
  // background; answers come from the facts meanwhile.
  void buildRollupIfStale(warehouse.knex).catch((err: Error) =>
    logger.error({ err }, `rollup build failed: ${err.message.split('\n')[0]}`),
  );
  // The landing figures' and the parts page's forecasts, computed off the request path.
  void cockpit.forecasts
    .warm()
    .catch((err: Error) => logger.error({ err }, `forecast warm-up failed: ${err.message.split('\n')[0]}`));
  // The rolling budget draft of the last month closed, if finance has none yet.
  void cockpit
    .rollForward()
    .catch((err: Error) =>
      logger.error({ err }, `budget roll-forward failed: ${err.message.split('\n')[0]}`),
    );
  // While the server holds the warehouse, `npm run etl` and `npm run users` go through this socket.
  const admin = await startAdminSocket(warehouse, cockpit).catch((err: Error) => {
    logger.warn({ err }, `admin socket not started: ${err.message}`);
    return null;
  });
  // Tasks fall overdue with the clock, not only with loads.
  const escalation = setInterval(
    () =>
      void escalateOverdue(warehouse.knex, new Date()).catch((err: Error) =>
        logger.error({ err }, `escalation failed: ${err.message}`),
      ),
    ESCALATION_EVERY_MS,
  );
  const closed = (s: { close(done: () => void): unknown } | null) =>
    new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()));
  const shutDown = () => {
    logger.info('stopping: waiting for requests in flight');
    clearInterval(escalation);
    // Closing waits for requests in flight, so a load running through the admin socket finishes
    // (and its caller hears how it went) before the warehouse closes.
    // The report sender first: a copy being printed needs the server; it is left to resume.
    void cockpit.delivery
      .stop()
      .then(() => Promise.all([closed(admin), closed(server)]))
      .then(() => warehouse.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', shutDown);
  process.on('SIGTERM', shutDown);
}

await main();
