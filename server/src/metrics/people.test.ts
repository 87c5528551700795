// Person-level figures over real HTTP: the breakdown of a store by its people and the person
// filter. On fixtures/tiny every figure is worked out by hand from the CSV files (in the comments);
// on the generated sample every person's figure is checked against plain SQL over the fact tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNASSIGNED_STAFF } from '../contract/vocabulary.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { startServer, startTinyServer, TEST_PASSWORD, type TestServer } from '../test/http.ts';
import { addUser } from '../auth/users.ts';
import { sampleWarehouse } from '../test/shared.ts';
import { DEMO_PASSWORD } from '../auth/demo-users.ts';

const Q1 = 'from=2025-01-01&to=2025-03-31';

describe('on fixtures/tiny', () => {
  let warehouse: Warehouse;
  let server: TestServer;
  let tokens: Record<string, string>;

  beforeAll(async () => {
    ({ warehouse, server, tokens } = await startTinyServer([
      { username: 'chen.zong', role: 'group', nodes: ['G'] },
      { username: 'zhang.wei', role: 'store', nodes: ['S1'] },
      { username: 'wang.fang', role: 'staff', nodes: [], staff: 'E-101' },
    ]));
  });
  afterAll(async () => {
    await server.close();
    await warehouse.close();
  });

  const get = (path: string, user = 'chen.zong') => server.get(path, tokens[user]);
  const byStaff = async (metric: string, node = 'S1', user = 'chen.zong') => {
    const res = await get(`/api/breakdown?by=staff&node=${node}&metric=${metric}&${Q1}`, user);
    expect(res.status).toBe(200);
    return res.body;
  };

  it("lists the store's people of the metric's role, with the unassigned facts last", async () => {
    const body = await byStaff('vehicle_revenue');
    // S1's sales consultants at work in Q1: 王芳 E-101 (SO-0001 275 000) and 李娜 E-102 (left
    // 2025-02-28, sold nothing). SO-0004 names E-109, whom staff.csv does not hold: unassigned.
    // 赵强 E-103 (service advisor) and 张伟 E-104 (store manager) sold nothing: not listed.
    expect(body.rows).toEqual([
      { id: 'E-101', name: '王芳', role: 'sales_consultant', value: 275000 },
      { id: 'E-102', name: '李娜', role: 'sales_consultant', value: 0 },
      { id: UNASSIGNED_STAFF, name: '未匹配', role: null, value: 160000 },
    ]);
    expect(body.total).toBe(435000); // 275 000 + 160 000, the store's vehicle revenue
  });

  it('funnel ratios per person are Σ/Σ of their own leads', async () => {
    const body = await byStaff('lead_to_order_rate');
    // L-001 (E-101) ordered SO-0001; L-002 (E-102) no order.
    expect(body.rows).toEqual([
      { id: 'E-101', name: '王芳', role: 'sales_consultant', value: 1 },
      { id: 'E-102', name: '李娜', role: 'sales_consultant', value: 0 },
    ]);
  });

  it("lists nobody for a comparison period's figures alone", async () => {
    // March: 李娜 E-102 left on 2025-02-28; her lead L-002 (February) is the previous period's.
    const res = await get(
      '/api/breakdown?by=staff&node=S1&metric=leads&from=2025-03-01&to=2025-03-31&compare=prev',
    );
    expect(res.body.rows.map((r: { id: string }) => r.id)).toEqual(['E-101']);
    expect(res.body.rows[0].prev.value).toBe(1); // L-001, 2025-02-01
  });

  it('after-sales metrics go by service advisor', async () => {
    const body = await byStaff('revenue_per_ro');
    // RO-0001 and RO-0002, both by 赵强 E-103, closed in March: (1 500 + 1 200 + 2 000 + 3 000) / 2.
    expect(body.rows).toEqual([{ id: 'E-103', name: '赵强', role: 'service_advisor', value: 3850 }]);
  });

  it('a person as a filter on /api/kpi and /api/timeseries', async () => {
    const kpi = await get(`/api/kpi?metrics=new_units,vehicle_revenue,leads&node=G&staff=E-101&${Q1}`);
    expect(kpi.status).toBe(200);
    expect(kpi.body.staff).toEqual({ id: 'E-101', name: '王芳', role: 'sales_consultant' });
    expect(kpi.body.metrics.new_units.value).toBe(1); // SO-0001
    expect(kpi.body.metrics.vehicle_revenue.value).toBe(275000);
    expect(kpi.body.metrics.leads.value).toBe(1); // L-001

    const series = await get(
      `/api/timeseries?metric=leads&node=S1&staff=E-102&grain=month&from=2025-01-01&to=2025-03-31`,
    );
    expect(series.status).toBe(200);
    // L-002, created 2025-02-03; 李娜 left on 2025-02-28: March is no data for her, not 0.
    expect(series.body.points.map((p: { value: number }) => p.value)).toEqual([0, 1, null]);
    const march = await get(`/api/kpi?metrics=leads&node=S1&staff=E-102&from=2025-03-01&to=2025-03-31`);
    expect(march.body.metrics.leads).toMatchObject({ value: null, reason: 'no_data' });
  });

  it('refuses what a person cannot be cut by, with the offending parameter', async () => {
    const cases: [string, string, string][] = [
      [`/api/breakdown?by=staff&node=R1&metric=new_units&${Q1}`, 'node', 'invalid_parameter'],
      [`/api/breakdown?by=staff&node=S1&metric=net_profit&${Q1}`, 'by', 'unsupported_breakdown'],
      [
        `/api/kpi?metrics=new_units,net_profit&node=S1&staff=E-101&${Q1}`,
        'staff',
        'unsupported_staff_filter',
      ],
      [`/api/kpi?metrics=new_units&node=S1&staff=E-999&${Q1}`, 'staff', 'unknown_staff'],
      [`/api/kpi?metrics=new_units&node=S2&staff=E-101&${Q1}`, 'staff', 'staff_not_under_node'],
    ];
    for (const [path, param, code] of cases) {
      const res = await get(path);
      expect({ path, status: res.status, param: res.body.error?.param, code: res.body.error?.code }).toEqual({
        path,
        status: 400,
        param,
        code,
      });
    }
  });

  it("a store manager reads their store's people, and nobody of another store", async () => {
    expect((await byStaff('new_units', 'S1', 'zhang.wei')).rows.map((r: { id: string }) => r.id)).toEqual([
      'E-101',
      'E-102',
      UNASSIGNED_STAFF,
    ]);
    expect((await get(`/api/breakdown?by=staff&node=S2&metric=new_units&${Q1}`, 'zhang.wei')).status).toBe(
      403,
    );
    // 孙丽 E-201 works at S2: answered as unknown, as an id that does not exist is.
    const other = await get(`/api/kpi?metrics=new_units&node=S1&staff=E-201&${Q1}`, 'zhang.wei');
    expect([other.status, other.body.error.code]).toEqual([400, 'unknown_staff']);
  });

  it('a staff user bound to nobody (a row edited by hand) is refused at sign-in, never let through as a store', async () => {
    await addUser(warehouse.knex, {
      username: 'nobody.here',
      password: TEST_PASSWORD,
      role: 'store',
      nodes: ['S1'],
    });
    await warehouse.knex('app.users').where({ username: 'nobody.here' }).update({ role: 'staff' });
    const res = await server.send('POST', '/api/auth/login', undefined, {
      username: 'nobody.here',
      password: TEST_PASSWORD,
    });
    expect([res.status, res.body.error?.code]).toEqual([403, 'staff_unbound']);
  });

  it("a person's rank among the people of their role at their store; a staff user sees their own place only", async () => {
    // S1's sales consultants at work in Q1: 王芳 E-101 one new car, 李娜 E-102 none.
    const path = `/api/rank?metric=new_units&node=S1&staff=E-101&${Q1}`;
    const manager = await get(path, 'zhang.wei');
    expect(manager.body).toMatchObject({
      staff: { id: 'E-101', name: '王芳', role: 'sales_consultant' },
      value: 1,
      rank: 1,
      of: 2,
      percentile: 100,
      peer_group: { level: 'store', role: 'sales_consultant' },
      peers: [
        { id: 'E-101', name: '王芳', value: 1 },
        { id: 'E-102', name: '李娜', value: 0 },
      ],
    });
    const own = await get(path, 'wang.fang');
    expect(own.body).toMatchObject({ value: 1, rank: 1, of: 2, gap: { median: null, top_quartile: null } });
    expect(own.body.peers).toBeUndefined();
    expect(JSON.stringify(own.body)).not.toMatch(/E-102|李娜/);
    // Her colleague's place is a colleague's figure.
    const other = await get(`/api/rank?metric=new_units&node=S1&staff=E-102&${Q1}`, 'wang.fang');
    expect([other.status, other.body.error.code]).toEqual([403, 'staff_out_of_scope']);
  });
});

describe('on the generated sample, against plain SQL', () => {
  let warehouse: Warehouse;
  let server: TestServer;
  let token: string;
  const period = { from: '2026-08-01', to: '2026-10-31' };

  beforeAll(async () => {
    // The browser tests' sample warehouse (loaded once per run), with its demo users.
    warehouse = await sampleWarehouse();
    server = await startServer(warehouse);
    token = await server.login('du.min', DEMO_PASSWORD);
  });
  afterAll(async () => {
    await server.close();
    await warehouse.close();
  });

  /** Σ of an expression per person at a store, as the facts name them; unknown or no id → unassigned. */
  async function sqlByPerson(table: string, column: string, date: string, expr: string, store: string) {
    const rows = (
      await warehouse.knex.raw(
        `SELECT CASE WHEN s.staff_id IS NULL THEN '${UNASSIGNED_STAFF}' ELSE f.${column} END AS id, ${expr} AS v
           FROM ${table} f LEFT JOIN dim_staff s ON s.staff_id = f.${column}
          WHERE f.store_id = ? AND f.${date} BETWEEN ? AND ?
          GROUP BY ALL`,
        [store, period.from, period.to],
      )
    ).rows as { id: string; v: number }[];
    return new Map(rows.map((r) => [r.id, Number(r.v)]));
  }

  const cases = [
    {
      metric: 'new_units',
      table: 'fact_vehicle_sales',
      column: 'salesperson',
      date: 'sale_date',
      expr: `count(*) FILTER (WHERE sale_type = 'new')`,
    },
    {
      metric: 'new_gross_profit',
      table: 'fact_vehicle_sales',
      column: 'salesperson',
      date: 'sale_date',
      expr: `sum(price - cost) FILTER (WHERE sale_type = 'new')`,
    },
    {
      metric: 'fi_income',
      table: 'fact_vehicle_sales',
      column: 'salesperson',
      date: 'sale_date',
      expr: 'sum(finance_income + insurance_income)',
    },
    { metric: 'leads', table: 'fact_leads', column: 'consultant_id', date: 'created_date', expr: 'count(*)' },
    {
      metric: 'repair_orders',
      table: 'fact_service_orders',
      column: 'advisor_id',
      date: 'close_date',
      expr: 'count(*)',
    },
  ];

  it("every person's figure equals plain SQL, and the people add up to the store", async () => {
    const stores = (await warehouse.knex('dim_org').where({ level: 'store' }).pluck('node_id')) as string[];
    let people = 0;
    for (const store of stores) {
      for (const c of cases) {
        const q = `node=${store}&from=${period.from}&to=${period.to}`;
        const res = await server.get(`/api/breakdown?by=staff&metric=${c.metric}&${q}`, token);
        expect(res.status).toBe(200);
        const expected = await sqlByPerson(c.table, c.column, c.date, c.expr, store);
        const got = new Map<string, number>(
          (res.body.rows as { id: string; value: number }[])
            .filter((r) => r.value !== 0)
            .map((r) => [r.id, r.value]),
        );
        const nonZero = new Map(
          [...expected].filter(([, v]) => v !== 0).map(([id, v]) => [id, Math.round(v * 100) / 100]),
        );
        expect({ store, metric: c.metric, rows: got }).toEqual({ store, metric: c.metric, rows: nonZero });
        // The store's own figure, asked without a person, is the sum of the rows.
        const kpi = await server.get(`/api/kpi?metrics=${c.metric}&${q}`, token);
        const sum = [...got.values()].reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(kpi.body.metrics[c.metric].value, 2);
        expect(res.body.total).toBeCloseTo(kpi.body.metrics[c.metric].value, 2);
        people += got.size;
      }
    }
    expect(people).toBeGreaterThan(40); // the check compared real people, not empty lists
  });

  it('a ratio per person is Σ numerator / Σ denominator of their own sales', async () => {
    const store = 'S0001';
    const [gross, units] = await Promise.all([
      sqlByPerson(
        'fact_vehicle_sales',
        'salesperson',
        'sale_date',
        `sum(price - cost) FILTER (WHERE sale_type = 'new')`,
        store,
      ),
      sqlByPerson(
        'fact_vehicle_sales',
        'salesperson',
        'sale_date',
        `count(*) FILTER (WHERE sale_type = 'new')`,
        store,
      ),
    ]);
    const res = await server.get(
      `/api/breakdown?by=staff&metric=new_gross_per_unit&node=${store}&from=${period.from}&to=${period.to}`,
      token,
    );
    const checked = (res.body.rows as { id: string; value: number | null }[]).filter((r) => units.get(r.id));
    expect(checked.length).toBeGreaterThan(3);
    for (const row of checked) expect(row.value).toBeCloseTo(gross.get(row.id)! / units.get(row.id)!, 2);
  });
});
