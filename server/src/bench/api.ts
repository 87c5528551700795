// npm run bench:api -- [--stores N] [--months M] [--samples K]
// Latency of the API at benchmark scale (default 400 stores × 36 months): a 10-metric group
// overview, a breakdown, a time series, an explanation, a cash-flow bridge and the commentary, cold (a query not seen before: new period or metric)
// and warm (answered from the response cache); throughput of warm requests from 50 concurrent
// clients; and the API's cold latency over the same SQL run directly on DuckDB in the same run.
// Server and clients share this process (and its 2 cores), over real HTTP on loopback.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadExtract } from '../../../etl/load.ts';
import { generateExtract } from '../../../fixtures/generate.ts';
import { addUser, findUser } from '../auth/users.ts';
import { runQuery } from '../db/knex-duckdb.ts';
import { openWarehouse } from '../db/warehouse.ts';
import { createLogger } from '../logger.ts';
import { buildRollupIfStale } from '../metrics/rollup.ts';
import { startServer } from '../test/http.ts';

const { values } = parseArgs({
  options: {
    stores: { type: 'string', default: '400' },
    months: { type: 'string', default: '36' },
    samples: { type: 'string', default: '24' },
  },
});
const stores = Number(values.stores);
const months = Number(values.months);
const samples = Number(values.samples);
const root = resolve('data/bench');
const dbPath = join(root, `api-${stores}x${months}.duckdb`);
const extractDir = join(root, `extract-${stores}x${months}-seed1`);

const OVERVIEW = [
  'new_units',
  'vehicle_revenue',
  'new_gross_per_unit',
  'finance_penetration',
  'aftersales_revenue',
  'revenue_per_ro',
  'inventory_coefficient',
  'aged_stock_share_90',
  'net_profit',
  'dso',
];

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  if (!existsSync(dbPath)) {
    if (!existsSync(join(extractDir, 'manifest.json'))) {
      console.log(`generating ${stores} × ${months} extract …`);
      await generateExtract({ out: extractDir, stores, months });
    }
    console.log('loading …');
    const w = await openWarehouse(dbPath, { memoryLimit: '1GB' });
    const result = await loadExtract(w, extractDir);
    if (result.status !== 'loaded') throw new Error(result.message);
    await w.close();
  }
  const warehouse = await openWarehouse(dbPath, { poolMax: 8 });
  // As after every load (etl/pipeline.ts): whole-month requests read the store × month roll-up.
  await buildRollupIfStale(warehouse.knex);
  if (!(await findUser(warehouse.knex, 'bench.group'))) {
    await addUser(warehouse.knex, {
      username: 'bench.group',
      role: 'group',
      nodes: ['G'],
      password: 'bench-password',
    });
  }
  const rows = (await warehouse.knex('fact_vehicle_sales').count({ n: '*' }).first())!.n;
  const manifest = JSON.parse(readFileSync(join(extractDir, 'manifest.json'), 'utf8'));
  const end = manifest.period_to as string;
  // As the product serves: answers not checked against the contract (a test's job), warnings only logged.
  const server = await startServer(warehouse, {
    checkResponses: false,
    logger: createLogger({ level: 'warn', json: true, destination: process.stderr }),
  });
  const token = await server.login('bench.group', 'bench-password');

  // The SQL each request runs, captured so it can be replayed straight on DuckDB.
  let captured: { sql: string; bindings: unknown[] }[] = [];
  warehouse.knex.on('query', (q: { sql: string; bindings: unknown[] }) =>
    captured.push({ sql: q.sql, bindings: q.bindings }),
  );

  const sampleMonths = monthsBefore(end, samples);
  const timed = async (path: string) => {
    const t0 = performance.now();
    const res = await fetch(server.base + path, { headers: { authorization: `Bearer ${token}` } });
    await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return performance.now() - t0;
  };
  /** Replays the captured statements as the compiler runs them (concurrently, one connection each). */
  const direct = async () => {
    // The data queries: measures and budget targets (not the login, scope and name look-ups).
    const statements = captured.filter((c) =>
      /^with "(periods|period_months)"|from "fact_budget"/.test(c.sql),
    );
    const conns = await Promise.all(statements.map(() => warehouse.connect()));
    const t0 = performance.now();
    await Promise.all(statements.map((s, i) => runQuery(conns[i]!, s.sql, s.bindings)));
    const ms = performance.now() - t0;
    for (const c of conns) c.closeSync();
    return ms;
  };

  const scenarios = {
    'overview (10 metrics, prev/yoy/budget)': (m: Month) =>
      `/api/kpi?metrics=${OVERVIEW.join(',')}&node=G&from=${m.from}&to=${m.to}&compare=prev,yoy,budget`,
    'breakdown (children)': (m: Month) =>
      `/api/breakdown?metric=vehicle_revenue&node=G&by=children&from=${m.from}&to=${m.to}`,
    'timeseries (36 months, yoy)': (m: Month) =>
      `/api/timeseries?metric=new_gross_per_unit&node=G&grain=month&from=${shiftYears(m.from, -3)}&to=${m.to}&compare=yoy`,
    'explain (new gross per unit, yoy)': (m: Month) =>
      `/api/explain?metric=new_gross_per_unit&node=G&from=${m.from}&to=${m.to}&compare=yoy`,
    'bridge (operating cash flow, yoy)': (m: Month) =>
      `/api/bridge?kind=operating_cash_flow&node=G&from=${m.from}&to=${m.to}&compare=yoy`,
    'commentary (group, month)': (m: Month) => `/api/commentary?node=G&from=${m.from}&to=${m.to}`,
  };
  const lines = [
    `warehouse: ${stores} stores × ${monthsCount(manifest)} months, ${Number(rows).toLocaleString('en')} vehicle sales; data to ${end}`,
    '',
  ];
  lines.push(
    `${'request'.padEnd(40)} ${'cold p50'.padStart(10)} ${'cold p95'.padStart(10)} ${'warm p50'.padStart(10)} ${'warm p95'.padStart(10)} ${'SQL p50'.padStart(10)} ${'API/SQL'.padStart(8)}`,
  );
  for (const [name, url] of Object.entries(scenarios)) {
    const cold: number[] = [];
    const sql: number[] = [];
    for (const m of sampleMonths) {
      captured = [];
      cold.push(await timed(url(m)));
      sql.push(await direct());
    }
    const warm: number[] = [];
    for (let i = 0; i < 200; i++) warm.push(await timed(url(sampleMonths[i % sampleMonths.length]!)));
    lines.push(
      `${name.padEnd(40)} ${fmt(quantile(cold, 0.5)).padStart(10)} ${fmt(quantile(cold, 0.95)).padStart(10)} ${fmt(quantile(warm, 0.5)).padStart(10)} ${fmt(quantile(warm, 0.95)).padStart(10)} ${fmt(quantile(sql, 0.5)).padStart(10)} ${(quantile(cold, 0.5) / quantile(sql, 0.5)).toFixed(2).padStart(8)}`,
    );
  }

  // Throughput: 50 clients, each sending the next warm request as soon as the last returns.
  const urls = Object.values(scenarios).flatMap((u) => sampleMonths.map(u));
  let done = 0;
  const stopAt = performance.now() + 10_000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, async (_, c) => {
      for (let i = c; performance.now() < stopAt; i++) {
        await timed(urls[i % urls.length]!);
        done++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  lines.push(
    '',
    `throughput, 50 concurrent clients, warm: ${Math.round(done / seconds)} requests/s (${done} in ${seconds.toFixed(1)} s)`,
  );
  lines.push(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
  console.log(lines.join('\n'));
  await server.close();
  await warehouse.close();
}

interface Month {
  from: string;
  to: string;
}

function monthsBefore(end: string, count: number): Month[] {
  const [y, m] = end.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const first = new Date(Date.UTC(y, m - 1 - i, 1));
    const last = new Date(Date.UTC(y, m - i, 0));
    return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
  });
}
const shiftYears = (date: string, years: number) => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
const monthsCount = (manifest: { period_from: string; period_to: string }) =>
  (Number(manifest.period_to.slice(0, 4)) - Number(manifest.period_from.slice(0, 4))) * 12 +
  Number(manifest.period_to.slice(5, 7)) -
  Number(manifest.period_from.slice(5, 7)) +
  1;

await main();
