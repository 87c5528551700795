// KPI endpoints over real HTTP on fixtures/tiny. Every expected figure is worked out by hand
// from the tiny CSV files (the working is in the comments), not taken from the code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../db/warehouse.ts';
import { startTinyServer, TEST_PASSWORD, type TestServer } from '../test/http.ts';

let warehouse: Warehouse;
let server: TestServer;
let tokens: Record<string, string>;
const Q1 = 'from=2025-01-01&to=2025-03-31';

beforeAll(async () => {
  ({ warehouse, server, tokens } = await startTinyServer([
    { username: 'chen.zong', role: 'group', nodes: ['G'] },
    { username: 'li.hua', role: 'division', nodes: ['D1'] },
    { username: 'zhang.wei', role: 'store', nodes: ['S1'] },
    { username: 'qian.cw', role: 'finance', nodes: ['G'] },
  ]));
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

const get = (path: string, user = 'chen.zong') => server.get(path, tokens[user]);
const kpi = async (metrics: string, query: string, user = 'chen.zong') => {
  const res = await get(`/api/kpi?metrics=${metrics}&${query}`, user);
  expect(res.status).toBe(200);
  return res.body.metrics;
};

describe('GET /api/kpi computes each kind of metric as the dictionary defines it', () => {
  it('sums: counts and amounts', async () => {
    const m = await kpi(
      'new_units,used_units,vehicle_revenue,aftersales_revenue,net_profit,operating_cash_flow',
      `node=G&${Q1}`,
    );
    expect(m.new_units).toEqual({ value: 3, unit: 'units' }); // SO-0001, SO-0002, SO-0003
    expect(m.used_units.value).toBe(1); // SO-0004
    expect(m.vehicle_revenue.value).toBe(1585000); // 275 000 + 950 000 + 200 000 + 160 000
    expect(m.aftersales_revenue.value).toBe(8300); // labour of closed ROs 1 500 + 2 000, parts lines 400 + 800 + 3 000 + 600
    expect(m.net_profit.value).toBe(3000); // revenue 957 700 + rebates 30 000 − cogs 904 700 − salaries 80 000
    expect(m.operating_cash_flow.value).toBe(-1000); // 280 000 − 281 000
  });

  it('ratios: Σ numerator / Σ denominator', async () => {
    const m = await kpi(
      'new_gross_per_unit,finance_penetration,discount_rate,visit_rate,revenue_per_ro,fi_income_per_unit',
      `node=G&${Q1}`,
    );
    expect(m.new_gross_per_unit.value).toBe(20000); // (−5 000 + 50 000 + 15 000) / 3
    expect(m.finance_penetration.value).toBeCloseTo(2 / 3, 9);
    expect(m.discount_rate.value).toBeCloseTo(184600 / 1609600, 9); // Σ discount / Σ (price + discount), new
    expect(m.visit_rate.value).toBe(0.8); // 4 of 5 leads visited
    expect(m.revenue_per_ro.value).toBe(3850); // (1 500 + 1 200 + 2 000 + 3 000) / 2 closed ROs
    expect(m.fi_income_per_unit.value).toBe(4250); // (6 000 + 3 000 + 5 000 + 3 000) / 4 sales
  });

  it('balances at the period end and ratios of balances', async () => {
    const m = await kpi(
      'new_stock_units,stock_value,aged_stock_share_90,debt_to_asset,overdue_receivables_share,current_ratio',
      `node=G&${Q1}`,
    );
    expect(m.new_stock_units.value).toBe(1); // only LBV…002 is still in stock on 31 March
    expect(m.stock_value.value).toBe(431000); // 281 000 (new) + 150 000 (used)
    expect(m.aged_stock_share_90.value).toBe(0); // 58 and 29 days in stock
    expect(m.debt_to_asset.value).toBeCloseTo(4000000 / 5798200, 9);
    expect(m.overdue_receivables_share.value).toBeCloseTo(30000 / 33600, 9); // AR-0003 overdue of AR-0002 + AR-0003 open
    expect(m.current_ratio.value).toBeCloseTo(1798200 / 1200000, 9);
  });

  it('averages over month ends and period scaling (DPO, parts turns, inventory coefficient)', async () => {
    const m = await kpi('dpo,dso,parts_turnover,inventory_coefficient,new_days_supply', `node=G&${Q1}`);
    // open payables at Jan, Feb, Mar month ends: 0, 281 000, 5 000; cogs 904 700; 90 days
    expect(m.dpo.value).toBeCloseTo(((0 + 281000 + 5000) / 3 / 904700) * 90, 9);
    expect(m.dso.value).toBe(0);
    // parts cost 250 + 550 + 2 400 + 360 over 90 days, annualised, over the month-end stock average:
    // only March has a snapshot (19 000), and months without one are not counted as empty stock
    expect(m.parts_turnover.value).toBeCloseTo((3560 * 365) / 90 / 19000, 9);
    expect(m.inventory_coefficient.value).toBe(1); // 1 in stock / (3 sold / 3 months)
    expect(m.new_days_supply.value).toBe(30); // 1 in stock / (1 sold in the last 30 days / 30)
  });

  it('derived: the cash conversion cycle is DIO + DSO − DPO, each worked out by hand', async () => {
    const m = await kpi('cash_conversion_cycle,dio,dso,dpo', `node=G&${Q1}`);
    // Q1 has 90 days; cost of sales (GL cogs accounts) 1 500 + 3 200 (S1) + 900 000 (S2) = 904 700.
    // The balance sheet has one month end, 31 March (S1 only), and averages over month ends count
    // the month ends that have a snapshot:
    // DIO: (vehicle_inventory 281 000 + parts_inventory 17 200) / 1 = 298 200; 298 200 / 904 700 × 90 ≈ 29.665 days
    const dio = (298200 / 904700) * 90;
    // DSO: receivables on that balance sheet 0; 0 / revenue 957 700 × 90 = 0
    const dso = 0;
    // DPO: open payables at the month ends — 31 Jan 0 (AP-0001 is dated 1 Feb), 28 Feb 281 000
    // (AP-0001, settled 1 Mar), 31 Mar 5 000 (AP-0002; AP-0001 settled in full) — (0 + 281 000 + 5 000) / 3
    // = 95 333.33; 95 333.33 / 904 700 × 90 ≈ 9.484 days
    const dpo = ((0 + 281000 + 5000) / 3 / 904700) * 90;
    expect(m.dio.value).toBeCloseTo(dio, 9);
    expect(m.dso.value).toBe(dso);
    expect(m.dpo.value).toBeCloseTo(dpo, 9);
    // CCC = 29.665 + 0 − 9.484 = (298 200 − 95 333.33) × 90 / 904 700 = 18 258 000 / 904 700 ≈ 20.181 days
    expect(m.cash_conversion_cycle.value).toBeCloseTo(18258000 / 904700, 9);
    expect(m.cash_conversion_cycle.value).toBeCloseTo(dio + dso - dpo, 9);
  });

  it('null, not 0 or NaN, when a ratio has no denominator', async () => {
    const m = await kpi('new_gross_per_unit,return_rate', `node=G&from=2024-01-01&to=2024-12-31`);
    expect(m.new_gross_per_unit.value).toBeNull();
    expect(m.return_rate.value).toBeNull();
  });

  it('comparisons: previous period, last year, budget', async () => {
    const m = await kpi(
      'new_units,finance_penetration',
      `node=G&from=2025-03-01&to=2025-03-31&compare=prev,yoy,budget`,
    );
    // March: SO-0002 and SO-0003; February: SO-0001. Budget March: S1 2 + S2 1.
    // Last year's March lies before the extract (2025-01-01 … 2025-03-31): no data, not 0.
    expect(m.new_units).toEqual({
      value: 2,
      unit: 'units',
      prev: { value: 1, delta: 1, change: 1, from: '2025-02-01', to: '2025-02-28' },
      yoy: {
        value: null,
        delta: null,
        change: null,
        reason: 'no_data',
        from: '2024-03-01',
        to: '2024-03-31',
      },
      budget: { target: 3, variance: -1, attainment: expect.closeTo(2 / 3, 9) },
    });
    // A percentage changes by points, never by a percentage of itself: 1 of 2 financed in March, 1 of 1 in February.
    expect(m.finance_penetration.prev).toMatchObject({
      value: 1,
      delta: -0.5,
      change: null,
      reason: 'percentage_points',
    });
    expect(m.finance_penetration.budget.target).toBe(0.5); // S1's March target
    // Half a month of budget for half a month: 3 × 15 / 31.
    const half = await kpi('new_units', `node=G&from=2025-03-01&to=2025-03-15&compare=budget`);
    expect(half.new_units.budget.target).toBeCloseTo((3 * 15) / 31, 9);
  });

  it('OEM rebates: income by the month earned, receivable until received, and new-car gross including them', async () => {
    // oem_rebates.csv: S2, March, 16 000 (volume, open) + 9 000 (target, open) + 5 000 (special, 4 000 received 28 March).
    const m = await kpi(
      'rebate_income,rebate_receivable,rebate_days_outstanding,new_gross_incl_rebate_per_unit,new_gross_incl_rebate',
      `node=G&from=2025-03-01&to=2025-03-31`,
    );
    expect(m.rebate_income.value).toBe(30000);
    expect(m.rebate_receivable.value).toBe(26000); // 16 000 + 9 000 + (5 000 − 4 000)
    expect(m.rebate_days_outstanding.value).toBeCloseTo((26000 / 30000) * 31, 9);
    expect(m.new_gross_incl_rebate.value).toBe(95000); // March new gross S2 50 000 + S3 15 000, plus 30 000
    expect(m.new_gross_incl_rebate_per_unit.value).toBe(47500); // over SO-0002 and SO-0003
    // On 27 March nothing had been received yet; the February balance holds no March rebate.
    const before = await kpi('rebate_receivable', `node=G&from=2025-03-01&to=2025-03-27`);
    expect(before.rebate_receivable.value).toBe(30000);
    const february = await kpi('rebate_receivable,rebate_income', `node=G&from=2025-02-01&to=2025-02-28`);
    expect(february.rebate_receivable.value).toBe(0);
    expect(february.rebate_income.value).toBe(0);
  });

  it('monthly GL figures count a part month pro rata by days', async () => {
    // March GL revenue: S1 3 500 + 4 200, S2 950 000 = 957 700; 1–15 March is 15 of 31 days.
    const half = await kpi('revenue', `node=G&from=2025-03-01&to=2025-03-15`);
    expect(half.revenue.value).toBeCloseTo((957700 * 15) / 31, 6);
    const month = await kpi('revenue', `node=G&from=2025-03-01&to=2025-03-31`);
    expect(month.revenue.value).toBe(957700);
  });

  it('a product filter restricts product-aware metrics', async () => {
    const m = await kpi('new_units,vehicle_revenue', `node=G&${Q1}&product=brand:宝马`);
    expect(m.new_units.value).toBe(2);
    expect(m.vehicle_revenue.value).toBe(1385000); // 275 000 + 950 000 + 160 000 (the used 3系)
    const imported = await kpi('new_units', `node=G&${Q1}&product=origin:imported`);
    expect(imported.new_units.value).toBe(1); // the X7
  });
});

describe('driver-tree metrics (beyond the dictionary) agree with plain SQL on the warehouse', () => {
  const DRIVER_TREE = [
    'used_gross_profit',
    'used_gross_per_unit',
    'service_gross_profit',
    'parts_gross_profit',
    'fi_income',
  ];
  const [FROM, TO] = ['2025-01-01', '2025-03-31']; // Q1
  /** fixtures/tiny/org.csv: the stores under each node asked for. */
  const STORES: Record<string, string[]> = { G: ['S1', 'S2', 'S3'], S1: ['S1'] };

  /** The five figures for some stores, straight from the fact tables, without the metric compiler. */
  async function oracle(stores: string[]) {
    const one = async (sql: string) => (await warehouse.knex.raw(sql, [FROM, TO, stores])).rows[0];
    const sales = await one(`
      SELECT coalesce(sum(price - cost) FILTER (WHERE sale_type = 'used'), 0) AS used_gp,
             count(*) FILTER (WHERE sale_type = 'used') AS used_n,
             coalesce(sum(finance_income + insurance_income), 0) AS fi
      FROM fact_vehicle_sales WHERE sale_date BETWEEN ?::DATE AND ?::DATE AND list_contains(?::VARCHAR[], store_id)`);
    const service = await one(`
      SELECT coalesce(sum(labour_revenue - labour_cost), 0) AS gp
      FROM fact_service_orders WHERE close_date BETWEEN ?::DATE AND ?::DATE AND list_contains(?::VARCHAR[], store_id)`);
    const parts = await one(`
      SELECT coalesce(sum(revenue - cost), 0) AS gp
      FROM fact_parts_sales WHERE sale_date BETWEEN ?::DATE AND ?::DATE AND list_contains(?::VARCHAR[], store_id)`);
    return {
      used_gross_profit: Number(sales.used_gp),
      used_gross_per_unit: Number(sales.used_n) === 0 ? null : Number(sales.used_gp) / Number(sales.used_n),
      service_gross_profit: Number(service.gp),
      parts_gross_profit: Number(parts.gp),
      fi_income: Number(sales.fi),
    };
  }

  it('the oracle itself sees the tiny rows (worked by hand)', async () => {
    expect(await oracle(STORES.G!)).toEqual({
      used_gross_profit: 10000, // SO-0004: 160 000 − 150 000
      used_gross_per_unit: 10000, // one used sale
      service_gross_profit: 2000, // closed ROs: RO-0001 1 500 − 600, RO-0002 2 000 − 900 (RO-0003 is open)
      parts_gross_profit: 1240, // PL-0001…4: 150 + 250 + 600 + 240
      fi_income: 17000, // 6 000 + 3 000, 5 000, 3 000
    });
    expect(await oracle(STORES.S1!)).toEqual({
      used_gross_profit: 10000,
      used_gross_per_unit: 10000,
      service_gross_profit: 2000,
      parts_gross_profit: 1000,
      fi_income: 9000,
    });
  });

  it.each(Object.keys(STORES))(
    'at %s each figure matches the SQL, and service + parts = after-sales gross profit',
    async (node) => {
      const m = await kpi(
        [...DRIVER_TREE, 'aftersales_gross_profit'].join(','),
        `node=${node}&from=${FROM}&to=${TO}`,
      );
      const expected = await oracle(STORES[node]!);
      for (const id of DRIVER_TREE) {
        const want = expected[id as keyof typeof expected];
        if (want === null) expect(m[id].value, id).toBeNull();
        else expect(m[id].value, id).toBeCloseTo(want, 6);
      }
      expect(m.used_gross_profit.unit).toBe('yuan');
      expect(m.used_gross_per_unit.unit).toBe('yuan_per_unit');
      expect(m.service_gross_profit.value + m.parts_gross_profit.value).toBeCloseTo(
        m.aftersales_gross_profit.value,
        6,
      );
    },
  );
});

describe('drilling down keeps the figures consistent', () => {
  it('additive children sum exactly to the parent', async () => {
    const res = await get(`/api/breakdown?metric=vehicle_revenue&node=G&by=children&${Q1}`);
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      { id: 'D1', name: '豪华品牌事业部', store_type: null, value: 1385000 },
      { id: 'D2', name: '自主品牌事业部', store_type: null, value: 200000 },
    ]);
    expect(res.body.total).toBe(1585000);
  });

  it('gives each child its comparisons in one request: previous period, last year and budget', async () => {
    // March new units: D1 SO-0002 (S2), D2 SO-0003 (S3); February: D1 SO-0001 (S1), D2 none.
    // Budget March: S1 2 + S2 1 for D1; none for D2.
    const res = await get(
      `/api/breakdown?metric=new_units&node=G&by=children&from=2025-03-01&to=2025-03-31&compare=prev,yoy,budget`,
    );
    const [d1, d2] = res.body.rows;
    expect(d1).toMatchObject({
      id: 'D1',
      value: 1,
      prev: { value: 1, delta: 0, change: 0 },
      yoy: { value: null, reason: 'no_data' },
      budget: { target: 3, variance: -2, attainment: expect.closeTo(1 / 3, 9) },
    });
    expect(d2).toMatchObject({
      id: 'D2',
      value: 1,
      prev: { value: 0, delta: 1, change: null, reason: 'base_not_positive' },
      budget: { target: null, reason: 'no_target' },
    });
  });

  it('a ratio parent is the ratio of the children’s sums, not the mean of their ratios', async () => {
    const res = await get(`/api/breakdown?metric=new_gross_per_unit&node=G&by=children&${Q1}`);
    expect(res.body.rows).toEqual([
      { id: 'D1', name: '豪华品牌事业部', store_type: null, value: 22500 }, // (−5 000 + 50 000) / 2
      { id: 'D2', name: '自主品牌事业部', store_type: null, value: 15000 },
    ]);
    expect(res.body.total).toBe(20000); // not (22 500 + 15 000) / 2
  });

  it('lists every child, with null where there is nothing to divide by', async () => {
    const res = await get(
      `/api/breakdown?metric=new_gross_per_unit&node=R1&by=children&from=2025-02-01&to=2025-02-28`,
    );
    expect(res.body.rows).toEqual([
      { id: 'S1', name: '杭州华晟宝马4S店', store_type: '4s', value: -5000 },
      { id: 'S2', name: '上海华晟宝马4S店', store_type: '4s', value: null },
    ]);
  });

  it('a store has no children; its total is its own figure', async () => {
    const res = await get(`/api/breakdown?metric=vehicle_revenue&node=S1&by=children&${Q1}`);
    expect(res.body).toMatchObject({ rows: [], total: 435000 }); // 275 000 + 160 000
  });

  it("breaks down by the stores' provinces (the wall's map), ratios from the provinces' sums", async () => {
    // S1 is in 浙江, S2 in 上海, S3 in 广东 (fixtures/tiny/org.csv); figures as in the tests above.
    const revenue = await get(`/api/breakdown?metric=vehicle_revenue&node=G&by=province&${Q1}`);
    expect(revenue.body.rows).toEqual([
      { id: '上海', name: '上海', value: 950000 },
      { id: '浙江', name: '浙江', value: 435000 },
      { id: '广东', name: '广东', value: 200000 },
    ]);
    expect(revenue.body.total).toBe(1585000);
    const perUnit = await get(`/api/breakdown?metric=new_gross_per_unit&node=D1&by=province&${Q1}&sort=asc`);
    expect(perUnit.body.rows).toEqual([
      { id: '浙江', name: '浙江', value: -5000 },
      { id: '上海', name: '上海', value: 50000 },
    ]);
    expect(perUnit.body.total).toBe(22500);
  });

  it('breaks down by product level, sorted', async () => {
    const res = await get(`/api/breakdown?metric=new_units&node=G&by=brand&${Q1}&sort=asc`);
    expect(res.body.rows).toEqual([
      { id: '比亚迪', name: '比亚迪', value: 1 },
      { id: '宝马', name: '宝马', value: 2 },
    ]);
    const models = await get(`/api/breakdown?metric=new_units&node=G&by=model&${Q1}&limit=1`);
    expect(models.body.rows).toEqual([{ id: 'BMW-3-325LI', name: '3系 325Li M运动套装', value: 1 }]);
  });

  it('time series by month, with last year', async () => {
    const res = await get(`/api/timeseries?metric=new_units&node=G&grain=month&${Q1}&compare=yoy`);
    // 2024 lies before the extract: a gap, not zeros.
    expect(res.body.points.map((p: any) => [p.period, p.value, p.yoy])).toEqual([
      ['2025-01', 0, null],
      ['2025-02', 1, null],
      ['2025-03', 2, null],
    ]);
    const before = await get(
      `/api/timeseries?metric=new_units&node=G&grain=month&from=2024-11-01&to=2025-02-28`,
    );
    expect(before.body.points.map((p: any) => [p.period, p.value])).toEqual([
      ['2024-11', null],
      ['2024-12', null],
      ['2025-01', 0],
      ['2025-02', 1],
    ]);
    const weeks = await get(
      `/api/timeseries?metric=new_units&node=G&grain=week&from=2025-02-24&to=2025-03-09`,
    );
    // ISO weeks: 24 Feb–2 Mar (SO-0003 on 1 Mar), 3–9 Mar (SO-0002 on 5 Mar).
    expect(weeks.body.points.map((p: any) => [p.period, p.from, p.to, p.value])).toEqual([
      ['2025-W09', '2025-02-24', '2025-03-02', 1],
      ['2025-W10', '2025-03-03', '2025-03-09', 1],
    ]);
  });

  it('time series with each bucket’s budget target (budget.csv: March only, S1 2 + S2 1 new cars, S1 50% financed)', async () => {
    const months = await get(`/api/timeseries?metric=new_units&node=G&grain=month&${Q1}&compare=budget`);
    expect(months.body.points.map((p: any) => [p.period, p.target])).toEqual([
      ['2025-01', null],
      ['2025-02', null],
      ['2025-03', 3],
    ]);
    // A week within March has March's target pro rata by days (7 of 31); one that begins in
    // February, which has no budget, has none (its March days alone would inflate attainment).
    const weeks = await get(
      `/api/timeseries?metric=new_units&node=G&grain=week&from=2025-02-24&to=2025-03-09&compare=budget`,
    );
    const targets = weeks.body.points.map((p: any) => p.target);
    expect(targets[0]).toBeNull();
    expect(targets[1]).toBeCloseTo((3 * 7) / 31, 9);
    // A ratio's target is set, not summed; a store's own series has only its own target.
    const rate = await get(
      `/api/timeseries?metric=finance_penetration&node=S2&grain=month&${Q1}&compare=budget`,
    );
    expect(rate.body.points.map((p: any) => p.target)).toEqual([null, null, null]);
    const s1 = await get(
      `/api/timeseries?metric=finance_penetration&node=S1&grain=month&${Q1}&compare=budget`,
    );
    expect(s1.body.points.map((p: any) => p.target)).toEqual([null, null, 0.5]);
  });

  it('several metrics month by month in one request (sparklines), each as its own time series gives it', async () => {
    const res = await get(`/api/series?metrics=new_units,new_gross_per_unit,vehicle_revenue&node=G&${Q1}`);
    expect(res.status).toBe(200);
    expect(res.body.series.new_units.map((p: any) => [p.period, p.value])).toEqual([
      ['2025-01', 0],
      ['2025-02', 1],
      ['2025-03', 2],
    ]);
    // No new car in January; S1's −5 000 in February; S2's 50 000 and S3's 15 000 in March.
    expect(res.body.series.new_gross_per_unit.map((p: any) => p.value)).toEqual([null, -5000, 32500]);
    for (const metric of ['new_gross_per_unit', 'vehicle_revenue']) {
      const one = await get(`/api/timeseries?metric=${metric}&node=G&grain=month&${Q1}`);
      expect(res.body.series[metric]).toEqual(one.body.points);
    }
    expect(
      (await get(`/api/series?metrics=new_units&node=G&from=2022-01-01&to=2025-03-31`)).body.error.param,
    ).toBe('from');
    expect((await get(`/api/series?metrics=new_units&node=S2&${Q1}`, 'zhang.wei')).status).toBe(403);
  });
});

describe('scope', () => {
  it('a store manager sees their store and is refused others, naming the node', async () => {
    expect((await get(`/api/kpi?metrics=new_units&node=S1&${Q1}`, 'zhang.wei')).status).toBe(200);
    for (const node of ['S2', 'R1', 'G']) {
      const res = await get(`/api/kpi?metrics=new_units&node=${node}&${Q1}`, 'zhang.wei');
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'node_out_of_scope', param: 'node' });
      expect(res.body.error.message).toContain(node);
    }
  });

  it('a finance user is refused metrics outside their domains', async () => {
    const res = await get(`/api/kpi?metrics=dso,new_units&node=G&${Q1}`, 'qian.cw');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'metric_out_of_scope', param: 'metrics' });
    expect(res.body.error.message).toContain('new_units');
    const catalog = await get('/api/metrics', 'qian.cw');
    expect(new Set(catalog.body.metrics.map((m: any) => m.domain))).toEqual(
      new Set(['finance', 'inventory']),
    );
  });

  it('the org tree shows the granted subtree, and ancestors by name only', async () => {
    const res = await get('/api/org', 'li.hua');
    expect(res.body.nodes.map((n: any) => [n.node_id, n.in_scope])).toEqual([
      ['G', false],
      ['D1', true],
      ['R1', true],
      ['S1', true],
      ['S2', true],
    ]);
    expect(res.body.nodes[0]).toEqual({
      node_id: 'G',
      parent_id: null,
      level: 'group',
      name: '华晟汽车集团',
      name_en: 'Huasheng Auto Group',
      store_type: null,
      province: null,
      city: null,
      in_scope: false,
    });
  });

  it('a store manager gets their rank among stores of the same type, and the gaps, not the peers’ figures', async () => {
    // Q1 vehicle revenue: S2 950 000, S1 435 000 (both 4S); S3 200 000 is a city showroom, not a peer.
    // Two BMW stores are too few for a brand group, so the peers are the 4S stores.
    const res = await get(`/api/rank?metric=vehicle_revenue&node=S1&${Q1}`, 'zhang.wei');
    expect(res.body).toEqual({
      metric: 'vehicle_revenue',
      level: 'store',
      value: 435000,
      rank: 2,
      of: 2,
      percentile: 0,
      peer_group: { level: 'store', store_type: '4s', brand: null },
      // Of two, the median and one's own value would give the other's figure: no gaps.
      gap: { median: null, top_quartile: null },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/S2|S3|950000|200000/);
  });

  it('receivables ageing: open amounts by counterparty type and days past due, the largest overdue documents', async () => {
    // 31 March: AR-0002 (insurer, 3 600) due 27 April, not yet due; AR-0003 (OEM, 30 000) due
    // 15 March, 16 days past due; AR-0001 was settled in February.
    const res = await get('/api/receivables/ageing?node=G&date=2025-03-31');
    expect(res.status).toBe(200);
    expect(res.body.by_type).toEqual([
      {
        counterparty_type: 'insurer',
        open: 3600,
        overdue: 0,
        not_due: 3600,
        d0_30: 0,
        d31_60: 0,
        d61_90: 0,
        d90_plus: 0,
      },
      {
        counterparty_type: 'oem',
        open: 30000,
        overdue: 30000,
        not_due: 0,
        d0_30: 30000,
        d31_60: 0,
        d61_90: 0,
        d90_plus: 0,
      },
    ]);
    expect(res.body.total).toMatchObject({ open: 33600, overdue: 30000, d0_30: 30000 });
    expect(res.body.largest).toEqual([
      expect.objectContaining({ doc_no: 'AR-0003', store_id: 'S2', open_amount: 30000, days_overdue: 16 }),
    ]);
    // Before the extract began (1 January 2025) the balance is unknown, not 0.
    const before = await get('/api/receivables/ageing?node=G&date=2024-12-31');
    expect(before.body).toMatchObject({ reason: 'no_data', total: null, by_type: [] });
    expect((await get('/api/receivables/ageing?node=S2&date=2025-03-31', 'zhang.wei')).status).toBe(403);
  });

  it('OEM rebates not yet received, by brand and age from the expected date', async () => {
    // 31 March: RB-0001 16 000 expected 15 May, RB-0002 9 000 expected 30 June, RB-0003 5 000 of which
    // 4 000 received on 28 March, the rest expected 31 March: 26 000 open, none past its date.
    const res = await get('/api/rebates/ageing?node=G&date=2025-03-31');
    expect(res.body.by_brand).toEqual([
      { brand: '宝马', open: 26000, overdue: 0, not_due: 26000, d0_30: 0, d31_60: 0, d61_90: 0, d90_plus: 0 },
    ]);
    expect(res.body.largest).toEqual([]);
    expect((await get('/api/rebates/ageing?node=G&date=2025-04-30')).body.reason).toBe('no_data');
  });

  it('a user who may see every peer gets their names and figures; a showroom ranks among showrooms', async () => {
    const res = await get(`/api/rank?metric=vehicle_revenue&node=S1&${Q1}`);
    expect(res.body.peers).toEqual([
      { id: 'S2', name: '上海华晟宝马4S店', value: 950000 },
      { id: 'S1', name: '杭州华晟宝马4S店', value: 435000 },
    ]);
    // median (435 000 + 950 000) / 2 = 692 500; top quartile 435 000 + 0.75 × 515 000 = 821 250
    expect(res.body.gap).toEqual({ median: -257500, top_quartile: -386250 });
    const showroom = await get(`/api/rank?metric=vehicle_revenue&node=S3&${Q1}`);
    expect(showroom.body).toMatchObject({
      rank: 1,
      of: 1,
      percentile: 100,
      peer_group: { store_type: 'non4s' },
      gap: { median: 0, top_quartile: 0 },
    });
  });

  it('no token, a bad token or a forged one: 401', async () => {
    expect((await server.get(`/api/kpi?metrics=new_units&node=G&${Q1}`)).status).toBe(401);
    expect((await server.get(`/api/kpi?metrics=new_units&node=G&${Q1}`, 'not.a.token')).status).toBe(401);
    const [h, p] = tokens['zhang.wei']!.split('.');
    const forged = Buffer.from(
      JSON.parse(Buffer.from(p!, 'base64url').toString()) &&
        JSON.stringify({ sub: 'chen.zong', iat: 1, exp: 4102444800 }),
    ).toString('base64url');
    expect(
      (await server.get(`/api/org`, `${h}.${forged}.${tokens['zhang.wei']!.split('.')[2]}`)).status,
    ).toBe(401);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${forged}.`;
    expect((await server.get(`/api/org`, none)).status).toBe(401);
  });
});

describe('bad parameters: 400 naming the parameter', () => {
  const cases: [string, string][] = [
    [`/api/kpi?metrics=nope&node=G&${Q1}`, 'metrics'],
    [`/api/kpi?metrics=new_units&node=NOPE&${Q1}`, 'node'],
    [`/api/kpi?metrics=new_units&node=G&from=2025-02-30&to=2025-03-31`, 'from'],
    [`/api/kpi?metrics=new_units&node=G&from=2025-03-31&to=2025-01-01`, 'to'],
    [`/api/kpi?metrics=new_units&node=G&from=20250101&to=2025-03-31`, 'from'],
    [`/api/kpi?metrics=new_units&node=G&${Q1}&compare=mom`, 'compare'],
    [`/api/kpi?metrics=new_units&node=G&${Q1}&product=color:red`, 'product'],
    [`/api/kpi?metrics=dso&node=G&${Q1}&product=brand:宝马`, 'product'],
    [`/api/kpi?metrics=${Array(21).fill('new_units').join(',')}&node=G&${Q1}`, 'metrics'],
    [`/api/kpi?metrics=new_units&node=G&node=S1&${Q1}`, 'node'],
    [`/api/kpi?metrics=new_units&node=G&${Q1}&debug=1`, 'debug'],
    [`/api/breakdown?metric=dso&node=G&by=brand&${Q1}`, 'by'],
    [`/api/breakdown?metric=new_units&node=G&by=colour&${Q1}`, 'by'],
    [`/api/breakdown?metric=new_units&node=G&by=children&${Q1}&limit=0`, 'limit'],
    [`/api/timeseries?metric=new_units&node=G&grain=day&from=2015-01-01&to=2025-01-01`, 'grain'],
    [`/api/timeseries?metric=new_units&node=G&grain=hour&${Q1}`, 'grain'],
    [`/api/rank?metric=new_units&node=G&from=2025-01-01`, 'to'],
  ];
  it.each(cases)('%s → 400 on %s', async (path, param) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe(param);
    expect(typeof res.body.error.message).toBe('string');
  });

  it('values are bound, never spliced into SQL', async () => {
    const res = await get(`/api/kpi?metrics=new_units&node=${encodeURIComponent("G' OR '1'='1")}&${Q1}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('unknown_node');
    const product = await get(
      `/api/kpi?metrics=new_units&node=G&${Q1}&product=${encodeURIComponent("brand:x' OR 1=1 --")}`,
    );
    expect(product.status).toBe(200);
    expect(product.body.metrics.new_units.value).toBe(0);
  });
});

describe('login', () => {
  it('gives a token and the user’s grants; wrong password → 401', async () => {
    const res = await fetch(`${server.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'li.hua', password: TEST_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user).toEqual({
      username: 'li.hua',
      role: 'division',
      nodes: ['D1'],
      domains: ['sales', 'fi', 'funnel', 'aftersales', 'inventory', 'finance'],
    });
    const bad = await fetch(`${server.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'li.hua', password: 'wrong' }),
    });
    expect(bad.status).toBe(401);
  });

  it('gives with the token what every page needs first: the answers of /version, /metrics and /org', async () => {
    const res = await fetch(`${server.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'qian.cw', password: TEST_PASSWORD }),
    });
    const { context } = await res.json();
    const [version, metrics, org] = await Promise.all(
      ['/api/version', '/api/metrics', '/api/org'].map(async (path) => (await get(path, 'qian.cw')).body),
    );
    expect(context).toEqual({ version, metrics, org });
    // The finance user's own view: the finance role's domains, the whole group's tree.
    expect(new Set(context.metrics.metrics.map((m: any) => m.domain))).toEqual(
      new Set(['inventory', 'finance']),
    );
    expect(context.org.nodes.map((n: any) => n.node_id)).toContain('S3');
    expect(context.version.period_to).toBe('2025-03-31');
  });
});
