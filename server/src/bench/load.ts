// npm run bench:load -- [--users 200] [--seconds 60] [--think 3000-10000]
// 200 simulated users for 60 s against the demo group (40 stores × 36 months), over real HTTP on
// loopback, the server in its own process as `npm start` runs it. Users of every role (and wall
// screens with kiosk tokens) open overviews (KPIs with comparisons, sparklines, the trend, the
// units below, open alerts) or show wall pages (polling every 5 s), drill into units, read time series and work on tasks (reading, commenting),
// mostly for the latest month (the views' default; 30% of actions pick another month of the last
// year), with a think time between actions (a person reads a view before the next click). Prints p50/p95/p99 per
// kind of request and overall, errors, throughput and the server's peak RSS.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_PASSWORD } from '../auth/demo-users.ts';
import { createKiosk } from '../auth/kiosks.ts';
import { openWarehouse } from '../db/warehouse.ts';
import { ensureDemo } from '../demo.ts';
import { freePort, runScript } from '../test/process.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    think: { type: 'string', default: '3000-10000' },
  },
});
const USERS = Number(values.users);
const SECONDS = Number(values.seconds);
const [THINK_MIN, THINK_MAX] = values.think.split('-').map(Number) as [number, number];
const ROOT = resolve('data/bench-load');
const DB = join(ROOT, 'warehouse.duckdb');

const OVERVIEW = [
  'new_units',
  'new_gross_per_unit',
  'used_units',
  'aftersales_revenue',
  'finance_penetration',
  'net_profit',
  'inventory_coefficient',
  'aged_stock_share_90',
  'operating_cash_flow',
  'overdue_receivables_share',
];
const SERIES = [
  'new_units',
  'vehicle_revenue',
  'aftersales_revenue',
  'repair_orders',
  'finance_penetration',
  'inventory_coefficient',
  'dso',
  'net_profit',
];
/** Roles in the mix, with how many of the users each has (wall screens are kiosk tokens). */
const ROLE_WEIGHTS: [string, number][] = [
  ['store', 40],
  ['region', 20],
  ['division', 12],
  ['group', 8],
  ['finance', 10],
  ['special', 5],
  ['kiosk', 5],
];

interface Sample {
  kind: string;
  ms: number;
  status: number;
}
const samples: Sample[] = [];
const errors = new Map<string, number>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const quantile = (xs: number[], q: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]! : NaN;

async function main(): Promise<void> {
  // The demo group in its own warehouse (npm start's may be held by a running server).
  const setup = await openWarehouse(DB);
  await ensureDemo(setup, join(ROOT, 'demo-extract'));
  const people = (await setup.knex('app.users').select('username', 'role', 'nodes')) as {
    username: string;
    role: string;
    nodes: string[];
  }[];
  await setup.knex('app.kiosks').where({ name: 'bench-wall' }).del();
  const kiosk = (await createKiosk(setup.knex, { name: 'bench-wall', nodes: ['G'] })).token;
  const version = (
    await setup.knex.raw(`SELECT max(period_to)::VARCHAR AS d FROM etl.runs WHERE status = 'loaded'`)
  ).rows[0].d as string;
  await setup.close();

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const run = runScript('server/src/main.ts', [], {
    env: { DB_PATH: DB, PORT: String(port) },
    nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean),
  });
  const server = run.child;
  await new Promise<void>((ready, fail) => {
    server.stdout.on('data', () => run.output.out.includes('cockpit listening') && ready());
    void run.exited.then((e) => fail(new Error(`server exited ${e.code}: ${e.err}`)));
  });
  const rss = { peak: 0, status: () => readFileSync(`/proc/${server.pid}/status`, 'utf8') };
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(rss.status())?.[1] ?? 0);
  const rssAtStart = kb('VmRSS');
  const sampler = setInterval(() => (rss.peak = Math.max(rss.peak, kb('VmRSS'))), 100);

  // One sign-in per demo user; every simulated user of a role shares its token, as tabs would.
  const tokens = new Map<string, { token: string; nodes: string[] }>();
  for (const p of people) {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: p.username, password: DEMO_PASSWORD }),
    });
    tokens.set(p.role, { token: ((await res.json()) as { token: string }).token, nodes: p.nodes });
  }
  tokens.set('kiosk', { token: kiosk, nodes: ['G'] });

  const months = Array.from({ length: 12 }, (_, i) => {
    const d = new Date(`${version.slice(0, 7)}-01T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() - i);
    const from = d.toISOString().slice(0, 10);
    d.setUTCMonth(d.getUTCMonth() + 1, 0);
    return { from, to: d.toISOString().slice(0, 10) };
  });
  const yearOf = (p: { to: string }) => {
    const d = new Date(`${p.to.slice(0, 7)}-01T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() - 11);
    return { from: d.toISOString().slice(0, 10), to: p.to };
  };

  const deadline = Date.now() + SECONDS * 1000;
  async function request(
    kind: string,
    token: string,
    path: string,
    init: RequestInit = {},
  ): Promise<unknown> {
    const t0 = performance.now();
    let status = 0;
    let body: unknown = null;
    try {
      const res = await fetch(base + path, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
      status = res.status;
      body = status === 204 ? null : await res.json();
    } catch (err) {
      errors.set(
        `${kind}: ${(err as Error).message}`,
        (errors.get(`${kind}: ${(err as Error).message}`) ?? 0) + 1,
      );
    }
    samples.push({ kind, ms: performance.now() - t0, status });
    if (status >= 400 || status === 0)
      errors.set(`${kind} ${status}`, (errors.get(`${kind} ${status}`) ?? 0) + 1);
    return body;
  }

  async function user(role: string): Promise<void> {
    const { token, nodes } = tokens.get(role)!;
    const org = (
      (await request('org', token, '/api/org')) as {
        nodes: { node_id: string; in_scope: boolean; level: string }[];
      }
    ).nodes.filter((n) => n.in_scope);
    const metrics = new Set(
      ((await request('metrics', token, '/api/metrics')) as { metrics: { id: string }[] }).metrics.map(
        (m) => m.id,
      ),
    );
    const mine = (ids: string[]) => ids.filter((id) => metrics.has(id));
    await sleep(Math.random() * THINK_MAX);
    while (Date.now() < deadline) {
      const node = Math.random() < 0.6 ? nodes[0]! : pick(org).node_id;
      const period = Math.random() < 0.7 ? months[0]! : pick(months);
      const q = `from=${period.from}&to=${period.to}`;
      const roll = Math.random();
      if (role === 'kiosk') {
        // A wall page: tiles, the map by province, the units below, the trend, the ticker; and the
        // version and session polls a wall makes every 5 s while the page shows.
        const year = yearOf(months[0]!);
        const latest = `from=${months[0]!.from}&to=${months[0]!.to}`;
        await Promise.all([
          request(
            'wall.kpi',
            token,
            `/api/kpi?node=${node}&metrics=new_units,new_gross_profit,aftersales_revenue,finance_penetration,used_units,net_profit&${latest}&compare=prev,yoy,budget`,
          ),
          request('wall.map', token, `/api/breakdown?node=${node}&metric=new_units&by=province&${latest}`),
          request(
            'wall.ranking',
            token,
            `/api/breakdown?node=${node}&metric=new_units&by=children&${latest}`,
          ),
          request(
            'wall.trend',
            token,
            `/api/timeseries?node=${node}&metric=new_units&grain=month&from=${year.from}&to=${year.to}&compare=yoy`,
          ),
          request('wall.alerts', token, `/api/alerts?node=${node}&limit=1000`),
        ]);
        for (let i = 0; i < 4 && Date.now() < deadline; i++) {
          await sleep(5000);
          await Promise.all([
            request('wall.version', token, '/api/version'),
            request('wall.me', token, '/api/me'),
          ]);
        }
        continue;
      }
      if (roll < 0.4) {
        // An overview: KPI cards with comparisons and sparklines, the trend, the units below, alerts.
        const year = yearOf(period);
        const cards = mine(OVERVIEW);
        await Promise.all([
          request(
            'overview.kpi',
            token,
            `/api/kpi?node=${node}&metrics=${cards.join(',')}&${q}&compare=prev,yoy,budget`,
          ),
          request(
            'overview.series',
            token,
            `/api/series?node=${node}&metrics=${cards.join(',')}&from=${year.from}&to=${year.to}`,
          ),
          request(
            'overview.trend',
            token,
            `/api/timeseries?node=${node}&metric=${cards[0]}&grain=month&from=${year.from}&to=${year.to}&compare=yoy`,
          ),
          org.find((n) => n.node_id === node)?.level === 'store'
            ? request('overview.rank', token, `/api/rank?node=${node}&metric=${cards[0]}&${q}`)
            : request(
                'overview.breakdown',
                token,
                `/api/breakdown?node=${node}&metric=${cards[0]}&by=children&${q}`,
              ),
          request('overview.alerts', token, `/api/alerts?node=${node}&limit=1000`),
        ]);
      } else if (roll < 0.65) {
        const metric = pick(mine(SERIES));
        await Promise.all([
          request('drill.breakdown', token, `/api/breakdown?node=${node}&metric=${metric}&by=children&${q}`),
          request('drill.kpi', token, `/api/kpi?node=${node}&metrics=${metric}&${q}&compare=prev,yoy,budget`),
        ]);
      } else if (roll < 0.85) {
        const metric = pick(mine(SERIES));
        const daily = Math.random() < 0.5;
        const range = daily ? period : yearOf(period);
        await request(
          daily ? 'timeseries.day' : 'timeseries.month',
          token,
          `/api/timeseries?node=${node}&metric=${metric}&grain=${daily ? 'day' : 'month'}&from=${range.from}&to=${range.to}&compare=yoy`,
        );
      } else {
        const tasks = ((await request('tasks.list', token, '/api/tasks?assignee=me')) ?? { tasks: [] }) as {
          tasks: { id: number }[];
        };
        const board = ((await request('tasks.board', token, `/api/tasks?node=${nodes[0]}`)) ?? {
          tasks: [],
        }) as { tasks: { id: number }[] };
        const task = pick(
          [...tasks.tasks, ...board.tasks].length ? [...tasks.tasks, ...board.tasks] : [null],
        );
        if (task) {
          await request('tasks.one', token, `/api/tasks/${task.id}`);
          if (role !== 'special' && Math.random() < 0.3) {
            await request('tasks.comment', token, `/api/tasks/${task.id}/comments`, {
              method: 'POST',
              body: JSON.stringify({ text: '负载测试：已跟进' }),
            });
          }
        }
      }
      await sleep(THINK_MIN + Math.random() * (THINK_MAX - THINK_MIN));
    }
  }

  const total = ROLE_WEIGHTS.reduce((n, [, w]) => n + w, 0);
  const roles = Array.from({ length: USERS }, (_, i) => {
    let at = ((i + 0.5) / USERS) * total;
    for (const [role, w] of ROLE_WEIGHTS) if ((at -= w) < 0) return role;
    return 'store';
  });
  console.log(
    `${USERS} users (${ROLE_WEIGHTS.map(([r]) => `${r} ${roles.filter((x) => x === r).length}`).join(', ')}), ${SECONDS} s, think ${THINK_MIN}–${THINK_MAX} ms, server PID ${server.pid} on :${port}`,
  );
  const started = Date.now();
  await Promise.all(roles.map((r) => user(r)));
  const elapsed = (Date.now() - started) / 1000;
  clearInterval(sampler);
  const hwm = kb('VmHWM');
  server.kill('SIGTERM');

  const kinds = [...new Set(samples.map((s) => s.kind))].sort();
  const row = (label: string, ms: number[]) =>
    `${label.padEnd(20)} ${String(ms.length).padStart(7)} ${quantile(ms, 0.5).toFixed(1).padStart(8)} ${quantile(ms, 0.95).toFixed(1).padStart(8)} ${quantile(ms, 0.99).toFixed(1).padStart(8)} ${Math.max(
      ...ms,
    )
      .toFixed(1)
      .padStart(8)}`;
  console.log(
    `\n${'request'.padEnd(20)} ${'count'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`,
  );
  for (const kind of kinds)
    console.log(
      row(
        kind,
        samples.filter((s) => s.kind === kind).map((s) => s.ms),
      ),
    );
  const all = samples.map((s) => s.ms);
  console.log(row('all', all));
  const errorCount = [...errors.values()].reduce((n, c) => n + c, 0);
  console.log(
    `\n${samples.length} requests in ${elapsed.toFixed(1)} s (${(samples.length / elapsed).toFixed(0)} requests/s); errors: ${errorCount}${errorCount ? ` (${[...errors].map(([k, n]) => `${k} ×${n}`).join(', ')})` : ''}`,
  );
  console.log(
    `server RSS: ${(rssAtStart / 1024).toFixed(0)} MiB at start, peak ${(Math.max(rss.peak, hwm) / 1024).toFixed(0)} MiB`,
  );
  console.log(
    JSON.stringify({
      users: USERS,
      seconds: SECONDS,
      requests: samples.length,
      rps: Math.round(samples.length / elapsed),
      errors: errorCount,
      p50: quantile(all, 0.5),
      p95: quantile(all, 0.95),
      p99: quantile(all, 0.99),
      peak_rss_mib: Math.round(Math.max(rss.peak, hwm) / 1024),
    }),
  );
}

await main();
