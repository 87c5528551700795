// The tracking reports over real HTTP on fixtures/tiny (January – March 2025). Figures by hand from
// tiny's files: new cars sold — S1 one on 15 February, S3 one on 1 March, S2 one on 5 March;
// budget.csv: March new cars S1 2, S2 1. Alert and task counts against plain SQL on app state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../db/warehouse.ts';
import { startTinyServer, type TestServer } from '../test/http.ts';

let warehouse: Warehouse;
let server: TestServer;
let tokens: Record<string, string>;
/** Rows of a plain SQL query. */
const sql = async <T>(text: string) => (await warehouse.knex.raw(text)).rows as T[];

const get = (path: string, user: string) => server.get(path, tokens[user]);
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

beforeAll(async () => {
  ({ warehouse, server, tokens } = await startTinyServer([
    { username: 'chen.zong', role: 'group', nodes: ['G'] },
    { username: 'wang.qiang', role: 'region', nodes: ['R1'] },
    { username: 'zhang.wei', role: 'store', nodes: ['S1'] },
    { username: 'wang.fang', role: 'staff', nodes: [], staff: 'E-101' },
    { username: 'te.shu', role: 'special', nodes: ['R1'], domains: ['sales'] },
  ]));
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

describe('GET /api/reports/monthly', () => {
  it("defaults to the data's last whole month and holds the group's figures against budget and last year", async () => {
    const res = await get('/api/reports/monthly?node=G', 'chen.zong');
    expect(res.status).toBe(200);
    const r = res.body;
    expect([r.from, r.to, r.data_to]).toEqual(['2025-03-01', '2025-03-31', '2025-03-31']);
    const units = r.figures.values.new_units;
    expect(units.value).toBe(2);
    expect(units.budget.target).toBe(3);
    expect(units.budget.attainment).toBeCloseTo(2 / 3, 10);
    // March 2024 lies outside the data: no data, not 0.
    expect(units.yoy.value).toBeNull();
    expect(r.commentary.map((s: { metric: string }) => s.metric)).toContain('new_units');
    expect(ids(r.units.rows)).toEqual(['D1', 'D2']);
    expect(
      r.units.rows.map((u: { values: { new_units: { value: number } } }) => u.values.new_units.value),
    ).toEqual([1, 1]);
  });

  it('counts open alerts and tasks as plain SQL does', async () => {
    const r = (await get('/api/reports/monthly?node=G&period=2025-03', 'chen.zong')).body;
    const levels = await sql<{ level: string; n: number }>(
      `SELECT level, count(*)::INTEGER AS n FROM app.alerts WHERE status = 'open' GROUP BY level`,
    );
    const byLevel = Object.fromEntries(levels.map((l) => [l.level, l.n]));
    expect(r.risks.open.critical).toBe(byLevel.critical ?? 0);
    expect(r.risks.open.warning).toBe(byLevel.warning ?? 0);
    const [problems] = await sql<{ n: number }>(
      `SELECT count(DISTINCT (node_id, metric_id))::INTEGER AS n FROM app.alerts WHERE status = 'open'`,
    );
    expect(r.risks.open.problems).toBe(problems!.n);
    expect(r.risks.top.length).toBe(Math.min(10, problems!.n));
    const tasks = await sql<{ status: string; n: number }>(
      `SELECT status, count(*)::INTEGER AS n FROM app.tasks GROUP BY status`,
    );
    for (const t of tasks) expect(r.tasks.by_status[t.status]).toBe(t.n);
    const [overdue] = await sql<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM app.tasks WHERE status <> 'closed' AND due_at < now()::TIMESTAMP`,
    );
    expect(r.tasks.overdue_count).toBe(overdue!.n);
  });

  it("gives a region manager their region's stores only", async () => {
    const r = (await get('/api/reports/monthly?node=R1', 'wang.qiang')).body;
    expect(r.figures.values.new_units.value).toBe(1);
    expect(ids(r.units.rows)).toEqual(['S2', 'S1']);
    expect(JSON.stringify(r)).not.toContain('S3');
    expect((await get('/api/reports/monthly?node=G', 'wang.qiang')).status).toBe(403);
  });

  it("gives a store manager their store's rank among its peers instead of units below", async () => {
    const r = (await get('/api/reports/monthly?node=S1', 'zhang.wei')).body;
    expect(r.units).toBeUndefined();
    const units = r.peers.find((p: { metric: string }) => p.metric === 'new_units');
    // S1 sold nothing in March; S2 (4S, like S1) sold one: S1 is second of two.
    expect([units.value, units.rank, units.of]).toEqual([0, 2, 2]);
    expect(units.peers).toBeUndefined();
    const refused = await get('/api/reports/monthly?node=R1', 'zhang.wei');
    expect([refused.status, refused.body.error.param]).toEqual([403, 'node']);
  });
});

describe('GET /api/reports/monthly: domains', () => {
  it('builds net profit and cash flow from their parts for who reads finance, and leaves them out for who does not', async () => {
    const group = (await get('/api/reports/monthly?node=G', 'chen.zong')).body;
    const net = group.bridges.find((b: { kind: string }) => b.kind === 'net_profit');
    // The parts add up to the month's net profit, the key figure's own value.
    const sum = net.steps.reduce((a: number, st: { value: number }) => a + st.value, net.start ?? 0);
    expect(sum).toBeCloseTo(net.end, 6);
    expect(net.end).toBeCloseTo(group.figures.values.net_profit.value, 6);
    const sales = (await get('/api/reports/monthly?node=R1', 'te.shu')).body;
    expect(sales.bridges).toEqual([]);
    expect(Object.keys(sales.catalog).sort()).toEqual([
      'new_gross_incl_rebate_per_unit',
      'new_gross_profit',
      'new_units',
      'used_units',
    ]);
  });
});

describe('GET /api/reports/weekly and daily', () => {
  it('reads the 7 days to the day asked for against the 7 days before', async () => {
    const r = (await get('/api/reports/weekly?node=G&period=2025-03-07', 'chen.zong')).body;
    expect([r.from, r.to]).toEqual(['2025-03-01', '2025-03-07']);
    const units = r.figures.values.new_units;
    expect(units.value).toBe(2);
    // 22 – 28 February sold nothing: a change on a zero base is not shown.
    expect([units.prev.value, units.prev.delta, units.prev.change]).toEqual([0, 2, null]);
  });

  it('reads the day and its month to date', async () => {
    const r = (await get('/api/reports/daily?node=G&period=2025-03-05', 'chen.zong')).body;
    expect([r.day.from, r.day.to, r.day.values.new_units.value]).toEqual(['2025-03-05', '2025-03-05', 1]);
    expect([r.figures.from, r.figures.to, r.figures.values.new_units.value]).toEqual([
      '2025-03-01',
      '2025-03-05',
      2,
    ]);
    // Net profit is a month's figure: read for the month to date, not the day.
    expect(r.day.metrics).not.toContain('net_profit');
    expect(r.figures.metrics).toContain('net_profit');
  });
});

describe('GET /api/reports/risk', () => {
  it("runs to today in Shanghai by default: alerts and tasks are today's, not the data's", async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const r = (await get('/api/reports/risk?node=G', 'chen.zong')).body;
    expect([r.to, r.data_to]).toEqual([today, '2025-03-31']);
  });

  it('counts alerts closed in the 30 days to the day as plain SQL does', async () => {
    // One alert closed on 20 March 2025 (inside the window) and one on 1 February (outside it).
    const open = (await warehouse
      .knex('app.alerts')
      .where({ status: 'open' })
      .orderBy('alert_id')
      .pluck('alert_id')) as number[];
    expect(open.length).toBeGreaterThanOrEqual(2);
    await warehouse
      .knex('app.alerts')
      .whereIn('alert_id', [open[0]!])
      .update({ status: 'closed', closed_at: '2025-03-20 10:00:00' });
    await warehouse
      .knex('app.alerts')
      .whereIn('alert_id', [open[1]!])
      .update({ status: 'closed', closed_at: '2025-02-01 10:00:00' });
    const r = (await get('/api/reports/risk?node=G&period=2025-03-31', 'chen.zong')).body;
    expect([r.from, r.to]).toEqual(['2025-03-02', '2025-03-31']);
    const [inWindow] = await sql<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM app.alerts WHERE status = 'closed' AND closed_at >= DATE '2025-03-02' AND closed_at < DATE '2025-04-01'`,
    );
    expect(r.recoveries.count).toBe(inWindow!.n);
    expect(r.recoveries.rows.map((a: { id: number }) => a.id)).toContain(open[0]);
    expect(r.recoveries.rows.map((a: { id: number }) => a.id)).not.toContain(open[1]);
  });
});

describe('refusals', () => {
  it.each([
    ['/api/reports/monthly?node=G&period=2025-13', 400, 'period'],
    ['/api/reports/monthly?node=G&period=2025-03-01', 400, 'period'],
    ['/api/reports/daily?node=G&period=2025-02-30', 400, 'period'],
    ['/api/reports/weekly', 400, 'node'],
    ['/api/reports/daily?node=NOPE', 400, 'node'],
  ])('%s → %i on %s', async (path, status, param) => {
    const res = await get(path, 'chen.zong');
    expect([res.status, res.body.error.param]).toEqual([status, param]);
  });

  it('answers 404 for a kind it does not know, and 403 to a staff user', async () => {
    expect((await get('/api/reports/yearly?node=G', 'chen.zong')).status).toBe(404);
    expect((await get('/api/reports/daily?node=S1', 'wang.fang')).status).toBe(403);
  });
});
