// Every metric of the catalog, as GET /api/kpi answers it over real HTTP, against plain SQL on the
// warehouse tables written here from the KPI dictionary (docs/metrics.md, /work/shared/METRICS.md):
// no compiler, measure or catalog code computes an expected figure. The data is a generated group
// (3 stores × 38 months to 2026-10-31, the window 2023-09-01 … 2026-10-31), long enough for the
// return rate (36 months before the period end) and the obsolete-parts share (365 days before the
// snapshot); every period asked for lies inside it, so no metric is cut off for lack of coverage.
//
// The store × month roll-up answers whole months; a section below shows it gives what the fact
// tables give, measure by measure, for every grouping and kind of period.
//
// The last test states, by hand, where every metric's value is checked against an independent
// figure (here, or by hand on fixtures/tiny in api.test.ts): a metric added to the catalog without
// such a check fails it.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExtract } from '../../../etl/load.ts';
import { freshWarehouse, tempDir } from '../../../etl/test/helpers.ts';
import { generateExtract } from '../../../fixtures/generate.ts';
import { addUser } from '../auth/users.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { currentDataVersion } from '../etl-runs/service.ts';
import { startServer, TEST_PASSWORD, type TestServer } from '../test/http.ts';
import { METRICS } from './catalog.ts';
import { isRolledUp, queryMeasures, type Grouping, type MeasureRequest } from './compiler.ts';
import { MEASURES, type MeasureId } from './measures.ts';
import { bucketsOf, monthsEndingIn, type Bucket } from './periods.ts';
import { buildRollup, rollupOf } from './rollup.ts';

let warehouse: Warehouse;
let server: TestServer;
let token: string;

beforeAll(async () => {
  const dir = tempDir('metric-values-');
  const generated = await generateExtract({ out: dir, stores: 3, months: 38, end: '2026-10-31' });
  expect([generated.manifest.period_from, generated.manifest.period_to]).toEqual([
    '2023-09-01',
    '2026-10-31',
  ]);
  warehouse = await freshWarehouse();
  // The load and the roll-up (the risk evaluation after them plays no part in the figures): the
  // whole-month periods below are answered from the roll-up, the others from the facts.
  expect((await loadExtract(warehouse, dir)).status).toBe('loaded');
  expect((await buildRollup(warehouse.knex))?.info).toEqual({ from: '2023-09-01', to: '2026-10-01' });
  await addUser(warehouse.knex, {
    username: 'group.head',
    role: 'group',
    nodes: ['G'],
    password: TEST_PASSWORD,
  });
  server = await startServer(warehouse);
  token = await server.login('group.head', TEST_PASSWORD);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await warehouse?.close();
});

// ---- plain SQL, from the dictionary ----

type Row = Record<string, number | null>;
const sqlRow = async (text: string, bindings: (string | string[])[]): Promise<Row> => {
  const row = (await warehouse.knex.raw(text, bindings)).rows[0] as Record<string, unknown>;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : Number(v)]));
};
/** Σ over no rows is NULL in SQL; as an amount it is 0. */
const z = (v: number | null | undefined) => v ?? 0;
const div = (numerator: number | null | undefined, denominator: number | null | undefined) =>
  !denominator ? null : z(numerator) / denominator;

/** The stores under a node, by walking dim_org's parent links (not the ETL's org_closure). */
async function storesUnder(node: string): Promise<string[]> {
  const rows = (
    await warehouse.knex.raw(
      `
    WITH RECURSIVE below(node_id) AS (
      SELECT node_id FROM dim_org WHERE node_id = ?
      UNION ALL SELECT o.node_id FROM dim_org o JOIN below b ON o.parent_id = b.node_id)
    SELECT o.node_id FROM below JOIN dim_org o USING (node_id) WHERE o.level = 'store' ORDER BY 1`,
      [node],
    )
  ).rows as { node_id: string }[];
  return rows.map((r) => r.node_id);
}

// Calendar arithmetic in plain JS on ISO dates (UTC), independent of periods.ts.
const dayMs = 86_400_000;
const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const isoOf = (d: Date) => d.toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) =>
  Math.round((toDate(to).getTime() - toDate(from).getTime()) / dayMs) + 1;
const lastDayOfMonth = (y: number, m0: number) => new Date(Date.UTC(y, m0 + 1, 0));
/** Every month end d with from ≤ d ≤ to. */
function monthEndsWithin(from: string, to: string): string[] {
  const out: string[] = [];
  const f = toDate(from);
  for (let y = f.getUTCFullYear(), m = f.getUTCMonth(); ; m++) {
    const end = isoOf(lastDayOfMonth(y, m));
    if (end > to) return out;
    if (end >= from) out.push(end);
  }
}
/** The last month end on or before the date: where monthly snapshots are read "at period end". */
function monthEndOnOrBefore(date: string): string {
  const d = toDate(date);
  const end = lastDayOfMonth(d.getUTCFullYear(), d.getUTCMonth());
  return isoOf(end) === date ? date : isoOf(lastDayOfMonth(d.getUTCFullYear(), d.getUTCMonth() - 1));
}
/** Months in a period: whole calendar months when it runs from a 1st to a month end, else days / (365.25 / 12). */
function monthsOf(from: string, to: string): number {
  if (from.endsWith('-01') && monthEndOnOrBefore(to) === to) {
    const [fy, fm] = from.split('-').map(Number);
    const [ty, tm] = to.split('-').map(Number);
    return (ty! - fy!) * 12 + (tm! - fm!) + 1;
  }
  return daysBetween(from, to) / (365.25 / 12);
}

/** Every catalog metric's value for the stores over [from, to], from the fact tables. */
async function expectedValues(
  stores: string[],
  from: string,
  to: string,
): Promise<Record<string, number | null>> {
  const days = daysBetween(from, to);
  const monthEnds = monthEndsWithin(from, to);
  const snapshot = monthEndOnOrBefore(to);
  const inPeriod = [from, to, stores];
  const IN_STORES = 'list_contains(?::VARCHAR[], store_id)';

  // Vehicle sales by sale_date.
  const s = await sqlRow(
    `
    SELECT count(*) FILTER (WHERE sale_type = 'new') AS new_n,
           count(*) FILTER (WHERE sale_type = 'used') AS used_n,
           count(*) AS all_n,
           sum(price)::DOUBLE AS price,
           sum(price - cost) FILTER (WHERE sale_type = 'new')::DOUBLE AS new_gp,
           sum(price - cost) FILTER (WHERE sale_type = 'used')::DOUBLE AS used_gp,
           sum(accessory_revenue) FILTER (WHERE sale_type = 'new')::DOUBLE AS new_accessories,
           count(*) FILTER (WHERE sale_type = 'new' AND trade_in) AS new_trade_ins,
           sum(discount) FILTER (WHERE sale_type = 'new')::DOUBLE AS new_discount,
           sum(price + discount) FILTER (WHERE sale_type = 'new')::DOUBLE AS new_list,
           count(*) FILTER (WHERE sale_type = 'new' AND financed) AS new_financed,
           count(*) FILTER (WHERE sale_type = 'new' AND insurance_income > 0) AS new_insured,
           sum(finance_income + insurance_income)::DOUBLE AS fi
    FROM fact_vehicle_sales WHERE sale_date BETWEEN ?::DATE AND ?::DATE AND ${IN_STORES}`,
    inPeriod,
  );
  // New sales in the 30 days to the period end (days to − 29 … to).
  const last30 = await sqlRow(
    `
    SELECT count(*) AS n FROM fact_vehicle_sales
    WHERE sale_type = 'new' AND sale_date > ?::DATE - 30 AND sale_date <= ?::DATE AND ${IN_STORES}`,
    [to, to, stores],
  );

  // Leads by created_date.
  const l = await sqlRow(
    `
    SELECT count(*) AS n,
           count(*) FILTER (WHERE visited_date IS NOT NULL) AS visited,
           count(*) FILTER (WHERE visited_date IS NOT NULL AND order_no IS NOT NULL) AS visited_ordered,
           count(*) FILTER (WHERE order_no IS NOT NULL) AS ordered,
           count(*) FILTER (WHERE test_drive) AS test_drives
    FROM fact_leads WHERE created_date BETWEEN ?::DATE AND ?::DATE AND ${IN_STORES}`,
    inPeriod,
  );

  // Repair orders by close_date; parts lines (RO and counter) by sale_date.
  const ro = await sqlRow(
    `
    SELECT count(*) AS n,
           sum(labour_revenue)::DOUBLE AS labour_revenue,
           sum(labour_revenue - labour_cost)::DOUBLE AS labour_gp,
           sum(labour_hours)::DOUBLE AS hours,
           sum(labour_revenue + parts_revenue)::DOUBLE AS revenue,
           sum(labour_revenue + parts_revenue) FILTER (WHERE pay_type = 'customer')::DOUBLE AS customer_revenue
    FROM fact_service_orders WHERE close_date BETWEEN ?::DATE AND ?::DATE AND ${IN_STORES}`,
    inPeriod,
  );
  const parts = await sqlRow(
    `
    SELECT sum(revenue)::DOUBLE AS revenue, sum(cost)::DOUBLE AS cost, sum(revenue - cost)::DOUBLE AS gp
    FROM fact_parts_sales WHERE sale_date BETWEEN ?::DATE AND ?::DATE AND ${IN_STORES}`,
    inPeriod,
  );

  // Monthly facts (GL, cash flow) spread evenly over their month's days; the period's days are summed.
  const daysTable = `(SELECT unnest(generate_series(?::TIMESTAMP, ?::TIMESTAMP, INTERVAL 1 DAY))::DATE AS day)`;
  const gl = await sqlRow(
    `
    SELECT sum(g.amount::DOUBLE / dayofmonth(last_day(g.period))) FILTER (WHERE a.kind = 'revenue') AS revenue,
           sum(g.amount::DOUBLE / dayofmonth(last_day(g.period))) FILTER (WHERE a.kind = 'cogs') AS cogs,
           sum(g.amount::DOUBLE / dayofmonth(last_day(g.period))) FILTER (WHERE a.kind = 'expense') AS expense,
           sum(g.amount::DOUBLE / dayofmonth(last_day(g.period))) FILTER (WHERE a.kind = 'other_income') AS other_income,
           sum(g.amount::DOUBLE / dayofmonth(last_day(g.period))) FILTER (WHERE a.kind = 'other_income' AND a.department = 'new') AS new_other_income
    FROM ${daysTable} d
    JOIN fact_gl_monthly g ON year(g.period) = year(d.day) AND month(g.period) = month(d.day)
    JOIN dim_account a ON a.account_code = g.account_code
    WHERE list_contains(?::VARCHAR[], g.store_id)`,
    inPeriod,
  );
  const rebates = await sqlRow(
    `
    SELECT sum(r.accrued_amount::DOUBLE / dayofmonth(last_day(r.period))) AS income
    FROM ${daysTable} d JOIN fact_oem_rebates r ON year(r.period) = year(d.day) AND month(r.period) = month(d.day)
    WHERE list_contains(?::VARCHAR[], r.store_id)`,
    inPeriod,
  );
  // Rebates receivable at the period end d: earned in d's month or before, less what was received by d.
  const rebatesOpen = await sqlRow(
    `
    SELECT sum(accrued_amount - CASE WHEN received_date <= ?::DATE THEN received_amount ELSE 0 END)::DOUBLE AS receivable
    FROM fact_oem_rebates WHERE period <= date_trunc('month', ?::DATE) AND ${IN_STORES}`,
    [to, to, stores],
  );
  const cash = await sqlRow(
    `
    SELECT sum(c.amount::DOUBLE / dayofmonth(last_day(c.period))) AS operating
    FROM ${daysTable} d JOIN fact_cash_flow c ON year(c.period) = year(d.day) AND month(c.period) = month(d.day)
    WHERE c.category = 'operating' AND list_contains(?::VARCHAR[], c.store_id)`,
    inPeriod,
  );

  // Balance sheet: the average over the period's month ends, and the month end at (or before) the period end.
  const bsAvg = await sqlRow(
    `
    SELECT sum(amount) FILTER (WHERE line = 'receivables')::DOUBLE AS receivables,
           sum(amount) FILTER (WHERE line IN ('vehicle_inventory', 'parts_inventory'))::DOUBLE AS inventory,
           count(DISTINCT period) AS months
    FROM fact_balance_sheet WHERE list_contains(?::DATE[], last_day(period)) AND ${IN_STORES}`,
    [monthEnds, stores],
  );
  expect(bsAvg.months, 'a balance sheet at every month end of the period').toBe(monthEnds.length);
  const bsEnd = await sqlRow(
    `
    SELECT sum(amount) FILTER (WHERE line = 'total_liabilities')::DOUBLE AS liabilities,
           sum(amount) FILTER (WHERE line = 'total_assets')::DOUBLE AS assets,
           sum(amount) FILTER (WHERE line = 'current_assets')::DOUBLE AS current_assets,
           sum(amount) FILTER (WHERE line = 'current_liabilities')::DOUBLE AS current_liabilities
    FROM fact_balance_sheet WHERE last_day(period) = ?::DATE AND ${IN_STORES}`,
    [snapshot, stores],
  );

  // Payables open at each month end: issued by then, less what was settled by then.
  const ap = await sqlRow(
    `
    SELECT sum(p.amount - CASE WHEN p.settled_date <= me.d THEN p.settled_amount ELSE 0 END)::DOUBLE AS open_total
    FROM (SELECT unnest(?::DATE[]) AS d) me JOIN fact_payables p ON p.doc_date <= me.d
    WHERE list_contains(?::VARCHAR[], p.store_id)`,
    [monthEnds, stores],
  );
  // Receivables open at the period end, and those of them past their due date.
  const ar = await sqlRow(
    `
    WITH open_docs AS (
      SELECT amount - CASE WHEN settled_date <= ?::DATE THEN settled_amount ELSE 0 END AS open_amount, due_date
      FROM fact_receivables WHERE doc_date <= ?::DATE AND ${IN_STORES})
    SELECT sum(open_amount)::DOUBLE AS open_total, sum(open_amount) FILTER (WHERE due_date < ?::DATE)::DOUBLE AS overdue
    FROM open_docs`,
    [to, to, stores, to],
  );

  // Vehicles in stock at the period end d: stock_in_date ≤ d < stock_out_date (or no out date).
  const stock = await sqlRow(
    `
    SELECT count(*) FILTER (WHERE stock_type = 'new') AS new_n,
           count(*) AS n,
           sum(purchase_cost)::DOUBLE AS value,
           sum(floorplan_amount)::DOUBLE AS floorplan,
           count(*) FILTER (WHERE date_diff('day', stock_in_date, ?::DATE) > 90) AS aged
    FROM fact_vehicle_stock WHERE stock_in_date <= ?::DATE AND (stock_out_date IS NULL OR stock_out_date > ?::DATE) AND ${IN_STORES}`,
    [to, to, to, stores],
  );
  // Floor-plan interest: every day of the period each financed VIN is in stock costs amount × rate / 365.
  const floorplan = await sqlRow(
    `
    SELECT sum(v.floorplan_amount::DOUBLE * v.floorplan_rate::DOUBLE / 365) AS interest
    FROM ${daysTable} d
    JOIN fact_vehicle_stock v ON v.stock_in_date <= d.day AND (v.stock_out_date IS NULL OR v.stock_out_date > d.day)
    WHERE list_contains(?::VARCHAR[], v.store_id)`,
    inPeriod,
  );

  // Parts stock: value at the month-end snapshot at (or before) the period end, its part last moved
  // 365 days or more before the snapshot, and the average over the period's month ends.
  const partsEnd = await sqlRow(
    `
    SELECT sum(qty_on_hand * unit_cost)::DOUBLE AS value,
           sum(qty_on_hand * unit_cost) FILTER (WHERE date_diff('day', last_movement_date, snapshot_date) >= 365)::DOUBLE AS obsolete
    FROM fact_parts_stock WHERE snapshot_date = ?::DATE AND ${IN_STORES}`,
    [snapshot, stores],
  );
  const partsAvg = await sqlRow(
    `
    SELECT sum(qty_on_hand * unit_cost)::DOUBLE AS value, count(DISTINCT snapshot_date) AS months
    FROM fact_parts_stock WHERE list_contains(?::DATE[], snapshot_date) AND ${IN_STORES}`,
    [monthEnds, stores],
  );
  expect(partsAvg.months, 'a parts snapshot at every month end of the period').toBe(monthEnds.length);

  // Return rate: VINs sold new 12–36 months before the period end, and those of them with a repair
  // order opened (at any store) in the 12 months to the period end.
  const ret = await sqlRow(
    `
    WITH sold AS (
      SELECT DISTINCT vin FROM fact_vehicle_sales
      WHERE sale_type = 'new' AND ${IN_STORES}
        AND sale_date > ?::DATE - INTERVAL 36 MONTH AND sale_date <= ?::DATE - INTERVAL 12 MONTH)
    SELECT count(*) AS sold,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM fact_service_orders r
             WHERE r.vin = sold.vin AND r.open_date > ?::DATE - INTERVAL 12 MONTH AND r.open_date <= ?::DATE)) AS returned
    FROM sold`,
    [stores, to, to, to, to],
  );

  const revenue = z(gl.revenue);
  const grossProfit = revenue - z(gl.cogs);
  const netProfit = revenue + z(gl.other_income) - z(gl.cogs) - z(gl.expense);
  const aftersalesGp = z(ro.labour_gp) + z(parts.gp);
  const dso = div(z(bsAvg.receivables) / monthEnds.length, revenue);
  const dio = div(z(bsAvg.inventory) / monthEnds.length, gl.cogs);
  const dpo = div(z(ap.open_total) / monthEnds.length, gl.cogs);
  const times = (v: number | null, k: number) => (v === null ? null : v * k);
  const dsoDays = times(dso, days);
  const dioDays = times(dio, days);
  const dpoDays = times(dpo, days);
  return {
    // sales
    new_units: z(s.new_n),
    used_units: z(s.used_n),
    vehicle_revenue: z(s.price),
    new_gross_profit: z(s.new_gp),
    new_gross_per_unit: div(s.new_gp, s.new_n),
    used_gross_profit: z(s.used_gp),
    used_gross_per_unit: div(s.used_gp, s.used_n),
    accessory_per_unit: div(s.new_accessories, s.new_n),
    used_new_ratio: div(s.used_n, s.new_n),
    trade_in_rate: div(s.new_trade_ins, s.new_n),
    discount_rate: div(s.new_discount, s.new_list),
    rebate_income: z(rebates.income),
    new_gross_incl_rebate: z(s.new_gp) + z(rebates.income),
    new_gross_incl_rebate_per_unit: div(z(s.new_gp) + z(rebates.income), s.new_n),
    // F&I
    finance_penetration: div(s.new_financed, s.new_n),
    insurance_penetration: div(s.new_insured, s.new_n),
    fi_income_per_unit: div(s.fi, s.all_n),
    fi_income: z(s.fi),
    // funnel
    leads: z(l.n),
    visit_rate: div(l.visited, l.n),
    visit_to_order_rate: div(l.visited_ordered, l.visited),
    lead_to_order_rate: div(l.ordered, l.n),
    test_drive_rate: div(l.test_drives, l.visited),
    // after-sales
    repair_orders: z(ro.n),
    aftersales_revenue: z(ro.labour_revenue) + z(parts.revenue),
    aftersales_gross_profit: aftersalesGp,
    service_gross_profit: z(ro.labour_gp),
    parts_gross_profit: z(parts.gp),
    revenue_per_ro: div(ro.revenue, ro.n),
    effective_labour_rate: div(ro.labour_revenue, ro.hours),
    hours_per_ro: div(ro.hours, ro.n),
    customer_pay_share: div(ro.customer_revenue, ro.revenue),
    fixed_absorption: div(aftersalesGp, gl.expense),
    return_rate: div(ret.returned, ret.sold),
    parts_turnover: times(div(parts.cost, z(partsAvg.value) / monthEnds.length), 365 / days),
    obsolete_parts_share: div(partsEnd.obsolete, partsEnd.value),
    // vehicle inventory
    new_stock_units: z(stock.new_n),
    stock_value: z(stock.value),
    inventory_coefficient: div(stock.new_n, z(s.new_n) / monthsOf(from, to)),
    aged_stock_share_90: div(stock.aged, stock.n),
    new_days_supply: div(stock.new_n, z(last30.n) / 30),
    floorplan_balance: z(stock.floorplan),
    floorplan_interest: z(floorplan.interest),
    // finance
    revenue,
    gross_profit: grossProfit,
    gross_profit_incl_rebates: grossProfit + z(gl.new_other_income),
    net_profit: netProfit,
    net_margin: div(netProfit, revenue),
    expense_to_gross: div(gl.expense, grossProfit),
    operating_cash_flow: z(cash.operating),
    dso: dsoDays,
    dio: dioDays,
    dpo: dpoDays,
    cash_conversion_cycle:
      dsoDays === null || dioDays === null || dpoDays === null ? null : dioDays + dsoDays - dpoDays,
    overdue_receivables_share: div(ar.overdue, ar.open_total),
    debt_to_asset: div(bsEnd.liabilities, bsEnd.assets),
    current_ratio: div(bsEnd.current_assets, bsEnd.current_liabilities),
    rebate_receivable: z(rebatesOpen.receivable),
    rebate_days_outstanding: times(div(rebatesOpen.receivable, rebates.income), days),
  };
}

/** The API's values of some metrics (at most 20 a request). */
async function apiValues(
  ids: string[],
  node: string,
  from: string,
  to: string,
): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (let i = 0; i < ids.length; i += 20) {
    const res = await server.get(
      `/api/kpi?metrics=${ids.slice(i, i + 20).join(',')}&node=${node}&from=${from}&to=${to}`,
      token,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    for (const [id, entry] of Object.entries(res.body.metrics as Record<string, { value: number | null }>))
      out[id] = entry.value;
  }
  return out;
}

/**
 * Where the API and the SQL disagree: equal means both null, or within 1e-9 of the figure (the API
 * rounds to 12 significant digits; the SQL sums in doubles).
 */
function disagreements(
  actual: Record<string, number | null>,
  expected: Record<string, number | null>,
): string[] {
  return Object.entries(expected).flatMap(([id, want]) => {
    const got = actual[id];
    const same =
      want === null
        ? got === null
        : typeof got === 'number' && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
    return same ? [] : [`${id}: API ${got}, SQL ${want}`];
  });
}

const PERIODS = {
  'October 2026': ['2026-10-01', '2026-10-31'],
  'Q3 2026': ['2026-07-01', '2026-09-30'],
  // Not month-aligned: GL and cash flow pro rata, one month end (30 Sep) for averages and balances.
  '10 Sep – 20 Oct 2026': ['2026-09-10', '2026-10-20'],
} as const;
/** G, a division (its one store is the 4S store S0001), a region (S0002, a city showroom), a used-car centre (no new cars). */
const NODES = ['G', 'D1', 'D2-R1', 'S0003'] as const;
const CASES = NODES.flatMap((node) =>
  Object.entries(PERIODS).map(([label, [from, to]]) => ({ node, label, from, to })),
);

describe('every metric of /api/kpi equals plain SQL over the warehouse', () => {
  it('the SQL sees real figures: the group in Q3 2026 has a non-zero value for every metric', async () => {
    const expected = await expectedValues(await storesUnder('G'), '2026-07-01', '2026-09-30');
    const empty = Object.entries(expected)
      .filter(([, v]) => v === null || v === 0 || !Number.isFinite(v))
      .map(([id]) => id);
    expect(empty).toEqual([]);
    // The stores the nodes stand for.
    expect(await storesUnder('G')).toEqual(['S0001', 'S0002', 'S0003']);
    expect(await storesUnder('D1')).toEqual(['S0001']);
    expect(await storesUnder('D2-R1')).toEqual(['S0002']);
  });

  it.each(CASES)('$node, $label', async ({ node, from, to }) => {
    const expected = await expectedValues(await storesUnder(node), from, to);
    const actual = await apiValues(
      METRICS.map((m) => m.id),
      node,
      from,
      to,
    );
    expect(disagreements(actual, expected)).toEqual([]);
  });

  it('the used-car centre sells no new cars: every per-new-car ratio has no value, not 0', async () => {
    const actual = await apiValues(
      [
        'new_units',
        'new_gross_per_unit',
        'accessory_per_unit',
        'trade_in_rate',
        'finance_penetration',
        'insurance_penetration',
        'used_new_ratio',
        'discount_rate',
        'inventory_coefficient',
        'new_days_supply',
        'return_rate',
      ],
      'S0003',
      '2026-07-01',
      '2026-09-30',
    );
    expect(actual.new_units).toBe(0);
    for (const [id, value] of Object.entries(actual)) if (id !== 'new_units') expect(value, id).toBeNull();
  });
});

describe('a metric has a value only where the data covers all it reads (2023-09-01 … 2026-10-31)', () => {
  // Each window as the dictionary states it, on both sides of the extract's first day: a period
  // whose windows lie inside has the SQL's value; one day more reaching outside has none, not 0.
  const CASES: { metric: string; from: string; to: string; covered: boolean; why: string }[] = [
    {
      metric: 'new_units',
      from: '2023-09-01',
      to: '2023-09-30',
      covered: true,
      why: 'a flow: the period itself',
    },
    {
      metric: 'new_units',
      from: '2023-08-31',
      to: '2023-09-30',
      covered: false,
      why: 'a flow starting a day before the data',
    },
    {
      metric: 'new_units',
      from: '2026-10-01',
      to: '2026-11-01',
      covered: false,
      why: 'a flow ending a day after the data',
    },
    {
      metric: 'new_days_supply',
      from: '2023-09-01',
      to: '2023-09-30',
      covered: true,
      why: 'new sales 1–30 Sep',
    },
    {
      metric: 'new_days_supply',
      from: '2023-09-01',
      to: '2023-09-29',
      covered: false,
      why: 'new sales 31 Aug – 29 Sep',
    },
    {
      metric: 'return_rate',
      from: '2026-08-01',
      to: '2026-08-31',
      covered: true,
      why: 'sales 1 Sep 2023 – 31 Aug 2025, ROs to 31 Aug 2026',
    },
    {
      metric: 'return_rate',
      from: '2026-07-01',
      to: '2026-07-31',
      covered: false,
      why: 'sales from 1 Aug 2023',
    },
    {
      metric: 'obsolete_parts_share',
      from: '2024-08-01',
      to: '2024-08-31',
      covered: true,
      why: 'the 365 days before 31 Aug 2024 start on 1 Sep 2023',
    },
    {
      metric: 'obsolete_parts_share',
      from: '2024-07-01',
      to: '2024-07-31',
      covered: false,
      why: 'the 365 days before 31 Jul 2024 start on 1 Aug 2023',
    },
    {
      metric: 'new_stock_units',
      from: '2023-09-01',
      to: '2023-09-30',
      covered: true,
      why: 'a balance at 30 Sep 2023',
    },
    {
      metric: 'new_stock_units',
      from: '2023-08-01',
      to: '2023-08-31',
      covered: false,
      why: 'a balance before the data',
    },
    {
      metric: 'debt_to_asset',
      from: '2023-09-01',
      to: '2023-09-30',
      covered: true,
      why: 'the balance sheet of 30 Sep 2023',
    },
    {
      metric: 'debt_to_asset',
      from: '2023-09-01',
      to: '2023-09-29',
      covered: false,
      why: 'the balance sheet of 31 Aug 2023',
    },
    {
      metric: 'dio',
      from: '2023-09-01',
      to: '2023-09-30',
      covered: true,
      why: 'the month end 30 Sep 2023 and September’s cost of sales',
    },
    {
      metric: 'dio',
      from: '2023-08-16',
      to: '2023-09-30',
      covered: false,
      why: 'cost of sales from 16 Aug 2023',
    },
    {
      metric: 'parts_turnover',
      from: '2023-09-01',
      to: '2023-09-30',
      covered: true,
      why: 'the parts stock of 30 Sep 2023',
    },
    {
      metric: 'parts_turnover',
      from: '2023-09-01',
      to: '2023-09-29',
      covered: false,
      why: 'no month end in the period: the stock of 31 Aug 2023',
    },
  ];

  it.each(CASES)('$metric $from…$to: covered $covered ($why)', async ({ metric, from, to, covered }) => {
    const [actual] = Object.values(await apiValues([metric], 'G', from, to));
    if (!covered) {
      expect(actual).toBeNull();
      return;
    }
    const expected = (await expectedValues(await storesUnder('G'), from, to))[metric]!;
    expect(expected).not.toBeNull();
    expect(disagreements({ [metric]: actual! }, { [metric]: expected })).toEqual([]);
  });
});

// ---- where every metric is checked ----

/**
 * Where each catalog metric's API value is checked against a figure computed without the metric
 * code, written by hand: 'tiny' = worked by hand on fixtures/tiny in api.test.ts (or its plain-SQL
 * oracle for the driver-tree metrics), 'sql' = the plain SQL of this file.
 */
const CHECKED_BY: Record<string, readonly ('tiny' | 'sql')[]> = {
  // sales
  new_units: ['tiny', 'sql'],
  used_units: ['tiny', 'sql'],
  vehicle_revenue: ['tiny', 'sql'],
  new_gross_profit: ['sql'],
  new_gross_per_unit: ['tiny', 'sql'],
  used_gross_profit: ['tiny', 'sql'],
  used_gross_per_unit: ['tiny', 'sql'],
  accessory_per_unit: ['sql'],
  used_new_ratio: ['sql'],
  trade_in_rate: ['sql'],
  discount_rate: ['tiny', 'sql'],
  rebate_income: ['tiny', 'sql'],
  new_gross_incl_rebate: ['tiny', 'sql'],
  new_gross_incl_rebate_per_unit: ['tiny', 'sql'],
  // F&I
  finance_penetration: ['tiny', 'sql'],
  insurance_penetration: ['sql'],
  fi_income_per_unit: ['tiny', 'sql'],
  fi_income: ['tiny', 'sql'],
  // funnel
  leads: ['sql'],
  visit_rate: ['tiny', 'sql'],
  visit_to_order_rate: ['sql'],
  lead_to_order_rate: ['sql'],
  test_drive_rate: ['sql'],
  // after-sales
  repair_orders: ['sql'],
  aftersales_revenue: ['tiny', 'sql'],
  aftersales_gross_profit: ['sql'],
  service_gross_profit: ['tiny', 'sql'],
  parts_gross_profit: ['tiny', 'sql'],
  revenue_per_ro: ['tiny', 'sql'],
  effective_labour_rate: ['sql'],
  hours_per_ro: ['sql'],
  customer_pay_share: ['sql'],
  fixed_absorption: ['sql'],
  return_rate: ['sql'],
  parts_turnover: ['tiny', 'sql'],
  obsolete_parts_share: ['sql'],
  // vehicle inventory
  new_stock_units: ['tiny', 'sql'],
  stock_value: ['tiny', 'sql'],
  inventory_coefficient: ['tiny', 'sql'],
  aged_stock_share_90: ['tiny', 'sql'],
  new_days_supply: ['tiny', 'sql'],
  floorplan_balance: ['sql'],
  floorplan_interest: ['sql'],
  // finance
  revenue: ['tiny', 'sql'],
  gross_profit: ['sql'],
  gross_profit_incl_rebates: ['sql'],
  net_profit: ['tiny', 'sql'],
  net_margin: ['sql'],
  expense_to_gross: ['sql'],
  operating_cash_flow: ['tiny', 'sql'],
  dso: ['tiny', 'sql'],
  dio: ['tiny', 'sql'],
  dpo: ['tiny', 'sql'],
  cash_conversion_cycle: ['tiny', 'sql'],
  overdue_receivables_share: ['tiny', 'sql'],
  debt_to_asset: ['tiny', 'sql'],
  current_ratio: ['tiny', 'sql'],
  rebate_receivable: ['tiny', 'sql'],
  rebate_days_outstanding: ['tiny', 'sql'],
};

describe('the store × month roll-up gives what the fact tables give', () => {
  const rolled = (Object.keys(MEASURES) as MeasureId[]).filter((id) => isRolledUp(MEASURES[id].time));
  const month = (key: string, from: string, to: string): Bucket => ({ key, from, to });
  const PERIOD_SETS: Record<string, Bucket[]> = {
    'a month, the one before and a year ago': [
      month('oct', '2026-10-01', '2026-10-31'),
      month('sep', '2026-09-01', '2026-09-30'),
      month('oct-ly', '2025-10-01', '2025-10-31'),
    ],
    'the 12 months of a series': monthsEndingIn('2026-10-31', 12),
    'a quarter, a year to date and the first month of data': [
      month('q3', '2026-07-01', '2026-09-30'),
      month('ytd', '2026-01-01', '2026-10-31'),
      month('first', '2023-09-01', '2023-09-30'),
    ],
  };
  const GROUPINGS: Grouping[] = [
    { by: 'none' },
    { by: 'children' },
    { by: 'level', level: 'store' },
    { by: 'province' },
  ];
  const CASES = Object.entries(PERIOD_SETS).flatMap(([label, periods]) =>
    GROUPINGS.map((grouping) => ({ label, periods, grouping, by: grouping.by })),
  );

  it.each(CASES)('$label, by $by', async ({ periods, grouping }) => {
    const rollup = await rollupOf(warehouse.knex, (await currentDataVersion(warehouse.knex)).run_id);
    expect(rollup).not.toBeNull();
    const request: MeasureRequest = { measures: rolled, node: 'G', periods, grouping };
    const sql: string[] = [];
    const record = (q: { sql: string }) => sql.push(q.sql);
    warehouse.knex.on('query', record);
    const fromRollup = await queryMeasures(warehouse.knex, { ...request, rollup });
    warehouse.knex.off('query', record);
    // One query, over the roll-up alone.
    expect(sql).toHaveLength(1);
    expect(sql[0]).toContain('agg_store_month');
    expect(sql[0]).not.toMatch(/fact_/);
    const fromFacts = await queryMeasures(warehouse.knex, request);

    const groups = new Set([...fromFacts.keys(), ...fromRollup.keys()]);
    const differences: string[] = [];
    for (const group of groups)
      for (const p of periods)
        for (const id of rolled) {
          const want = fromFacts.get(group)?.get(p.key)?.[id] ?? 0;
          const got = fromRollup.get(group)?.get(p.key)?.[id] ?? 0;
          if (Math.abs(got - want) > 1e-9 * Math.max(1, Math.abs(want)))
            differences.push(`${group || 'total'} ${p.key} ${id}: roll-up ${got}, facts ${want}`);
        }
    expect(differences).toEqual([]);
    // Real figures, not zeros on both sides.
    expect(fromFacts.size).toBeGreaterThan(0);
  });

  it('is not read for a period it does not hold whole, nor for another data version', async () => {
    const runId = (await currentDataVersion(warehouse.knex)).run_id!;
    const rollup = (await rollupOf(warehouse.knex, runId))!;
    expect(await rollupOf(warehouse.knex, runId + 1)).toBeNull();
    // Built by a release whose measures were defined otherwise: not read (rebuilt at the next start).
    const meta = warehouse.knex('agg_store_month_meta');
    const definition = (await meta.clone().first('definition')).definition as string;
    await meta.clone().update({ definition: 'an earlier release' });
    expect(await rollupOf(warehouse.knex, runId)).toBeNull();
    await meta.clone().update({ definition });
    expect(await rollupOf(warehouse.knex, runId)).toEqual(rollup);
    for (const periods of [
      [month('partial', '2026-10-01', '2026-10-15')],
      [month('before', '2023-08-01', '2023-08-31')],
      bucketsOf({ from: '2026-10-01', to: '2026-11-30' }, 'month'),
    ]) {
      const sql: string[] = [];
      const record = (q: { sql: string }) => sql.push(q.sql);
      warehouse.knex.on('query', record);
      await queryMeasures(warehouse.knex, {
        measures: ['new_units'],
        node: 'G',
        periods,
        grouping: { by: 'none' },
        rollup,
      });
      warehouse.knex.off('query', record);
      expect(sql.join('\n')).not.toContain('agg_store_month');
    }
  });
});

describe('every metric of the catalog has an independent check of its value', () => {
  it('the table above names exactly the catalog’s metrics', () => {
    expect(Object.keys(CHECKED_BY).sort()).toEqual(METRICS.map((m) => m.id).sort());
  });

  it('the SQL of this file computes exactly the metrics marked sql', async () => {
    const computed = Object.keys(await expectedValues(['S0001'], '2026-10-01', '2026-10-31'));
    expect(computed.sort()).toEqual(
      Object.keys(CHECKED_BY)
        .filter((id) => CHECKED_BY[id]!.includes('sql'))
        .sort(),
    );
  });

  it.each(Object.entries(CHECKED_BY))('%s is checked (%s)', (id, by) => {
    expect(by.length).toBeGreaterThan(0);
    // api.test.ts names every metric marked 'tiny' where it checks a figure.
    if (by.includes('tiny'))
      expect(API_TEST, `${id} in api.test.ts`).toMatch(new RegExp(`(\\b${id}\\.value\\b|'${id}')`));
  });
});

const API_TEST = readFileSync(new URL('./api.test.ts', import.meta.url), 'utf8');
