// npm run bench:reports -- [--copies N] — report delivery on the demo group (40 stores × 36 months,
// the UI benchmark's warehouse in data/bench-ui/): the time to make one recipient's copy (the
// report's data, its workbook and its PDF printed by the report page in Chromium) and mail it to a
// local SMTP server, and what a run does to the dashboard meanwhile: the latency of uncached
// interactive requests (a breakdown of the units below, the response cache emptied before each)
// with no run, and during a run of N copies (default 6: the group, a division, a region and a
// store manager, finance, and the group again).
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { DEMO_PASSWORD } from '../auth/demo-users.ts';
import { config } from '../config.ts';
import { openWarehouse } from '../db/warehouse.ts';
import { ensureDemo } from '../demo.ts';
import { createLogger } from '../logger.ts';
import { buildRollupIfStale } from '../metrics/rollup.ts';
import { startServer } from '../test/http.ts';
import { buildClient } from '../../../client/e2e/server.ts';

const { values } = parseArgs({ options: { copies: { type: 'string', default: '6' } } });
const copies = Number(values.copies);

let mails = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  onData(stream, _session, done) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      mails++;
      done();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const smtpPort = (smtp.server.address() as AddressInfo).port;

const warehouse = await openWarehouse('data/bench-ui/warehouse.duckdb');
await ensureDemo(warehouse, 'data/bench-ui/demo-extract');
await buildRollupIfStale(warehouse.knex);
const clientDir = await buildClient();
const server = await startServer(warehouse, {
  clientDir,
  checkResponses: false,
  config: { ...config, smtpUrl: `smtp://127.0.0.1:${smtpPort}` },
  logger: createLogger({ level: 'warn', json: true, destination: process.stderr }),
});
const knex = warehouse.knex;
const users = (await knex('app.users')
  .whereNot('role', 'staff')
  .whereNot('role', 'special')
  .orderBy('role')) as {
  username: string;
  role: string;
}[];
for (const u of users)
  await knex('app.users')
    .where({ username: u.username })
    .update({ email: `${u.username}@example.com` });
const group = users.find((u) => u.role === 'group')!.username;
const token = await server.login(group, DEMO_PASSWORD);
const recipients = [...users.map((u) => ({ user: u.username })), { user: group }].slice(0, copies);
// A user is listed once: more copies are more users, or the same subscription run again.
const distinct = [...new Map(recipients.map((r) => [r.user, r])).values()];
const made = await server.send('POST', '/api/subscriptions', token, {
  kind: 'monthly',
  node: 'G',
  recipients: distinct,
  channels: [{ type: 'email' }],
  schedule: '0 8 1 * *',
});
if (made.status !== 201) throw new Error(JSON.stringify(made.body));

const nodes = (await knex('dim_org').whereNot('level', 'store').pluck('node_id')) as string[];
const metrics = ['new_units', 'aftersales_revenue', 'net_profit', 'finance_penetration', 'used_units'];
let k = 0;
/** One uncached interactive request: its latency in ms. */
async function interactive(): Promise<number> {
  server.app.cache.invalidate();
  const node = nodes[k % nodes.length]!;
  const metric = metrics[k++ % metrics.length]!;
  const start = performance.now();
  const res = await server.get(
    `/api/breakdown?node=${node}&metric=${metric}&from=2026-10-01&to=2026-10-31&by=children&compare=budget`,
    token,
  );
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return performance.now() - start;
}
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;

// Warm-up: the first copy launches Chromium; the first requests fill DuckDB's caches.
for (let i = 0; i < 20; i++) await interactive();
const idle: number[] = [];
for (let i = 0; i < 60; i++) idle.push(await interactive());

const runs = Math.ceil(copies / distinct.length);
const started = performance.now();
const during: number[] = [];
let done = false;
const working = (async () => {
  for (let r = 0; r < runs; r++) {
    const run = await server.send('POST', `/api/subscriptions/${made.body.id}/run`, token);
    if (run.status !== 202) throw new Error(JSON.stringify(run.body));
    await server.app.delivery.idle();
  }
  done = true;
})();
while (!done) during.push(await interactive());
await working;
const seconds = (performance.now() - started) / 1000;
const failed = (await knex('app.deliveries').whereNot('status', 'sent').count('* as n').first()) as {
  n: number;
};

console.log(
  `report copies: ${mails} mailed (monthly review of the group's nodes as each recipient sees them, PDF + workbook), ` +
    `${seconds.toFixed(1)} s in all, ${(seconds / mails).toFixed(1)} s a copy; not sent: ${Number(failed.n)}`,
);
console.log(
  `uncached breakdown requests: idle p50 ${ms(pct(idle, 0.5))} p95 ${ms(pct(idle, 0.95))} (${idle.length}); ` +
    `during the run p50 ${ms(pct(during, 0.5))} p95 ${ms(pct(during, 0.95))} (${during.length})`,
);
await server.close();
await warehouse.close();
await new Promise<void>((resolve) => smtp.close(() => resolve()));
process.exit(0);
