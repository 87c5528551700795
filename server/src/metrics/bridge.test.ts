// /api/bridge over real HTTP: on fixtures/tiny worked out by hand, on the generated sample against
// plain SQL by model; the steps always add up exactly from the start to the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../auth/demo-users.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { startServer, startTinyServer, type TestServer } from '../test/http.ts';
import { sampleWarehouse } from '../test/shared.ts';

describe('on fixtures/tiny', () => {
  let warehouse: Warehouse;
  let server: TestServer;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    ({ warehouse, server, tokens } = await startTinyServer([
      { username: 'chen.zong', role: 'group', nodes: ['G'] },
    ]));
  });
  afterAll(async () => {
    await server.close();
    await warehouse.close();
  });

  it('new-vehicle gross, March on February: volume, mix and gross per unit', async () => {
    const res = await server.get(
      '/api/bridge?kind=new_gross&node=G&from=2025-03-01&to=2025-03-31&compare=prev',
      tokens['chen.zong'],
    );
    expect(res.status).toBe(200);
    // February: SO-0001 (3 Series) −5 000, one car. March: X7 +50 000, Han +15 000 (models not
    // sold in February count at its −5 000 a car). Volume (2 − 1) × −5 000; mix 2 × (−5 000) − 2 × (−5 000) = 0;
    // rate (50 000 + 5 000) + (15 000 + 5 000) = 75 000.
    expect(res.body).toMatchObject({
      start: -5000,
      steps: [
        { id: 'volume', value: -5000 },
        { id: 'mix', value: 0 },
        { id: 'rate', value: 75000 },
      ],
      end: 65000,
    });
    // No new-vehicle gross budget in tiny.
    const budget = await server.get(
      '/api/bridge?kind=new_gross&node=G&from=2025-03-01&to=2025-03-31&compare=budget',
      tokens['chen.zong'],
    );
    expect(budget.body).toMatchObject({ steps: [], reason: 'no_target' });
    const bad = await server.get(
      '/api/bridge?kind=cash&node=G&from=2025-03-01&to=2025-03-31&compare=prev',
      tokens['chen.zong'],
    );
    expect([bad.status, bad.body.error.param]).toEqual([400, 'kind']);
  });

  const stepsOf = (body: { steps: { id: string; value: number; base?: number | null }[] }) =>
    Object.fromEntries(body.steps.map((s) => [s.id, [s.value, s.base]]));

  it("net profit, March: the departments' gross, rebates and expenses as the ledger books them", async () => {
    const res = await server.get(
      '/api/bridge?kind=net_profit&node=G&from=2025-03-01&to=2025-03-31&compare=prev',
      tokens['chen.zong'],
    );
    expect(res.status).toBe(200);
    // S1: service 3 500 − 1 500, parts 4 200 − 3 200, wages 80 000; S2: new cars 950 000 − 900 000,
    // rebate 30 000. No ledger in February (covered, so zero).
    expect(res.body).toMatchObject({ shape: 'composition', start: 0, end: 3000, base_start: 0, base_end: 0 });
    expect(stepsOf(res.body)).toEqual({
      gross_new: [50000, 0],
      gross_used: [0, 0],
      gross_service: [2000, 0],
      gross_parts: [1000, 0],
      gross_fi: [0, 0],
      rebates: [30000, 0],
      expense_new: [0, 0],
      expense_used: [0, 0],
      expense_service: [0, 0],
      expense_parts: [0, 0],
      expense_admin: [-80000, 0],
      other: [0, 0],
    });
    // Half a month is half of each of its lines, as the figures themselves take monthly books.
    const half = await server.get(
      '/api/bridge?kind=net_profit&node=G&from=2025-03-01&to=2025-03-15&compare=prev',
      tokens['chen.zong'],
    );
    expect(half.body.end).toBe(1451.61); // 3 000 × 15/31
    expect(stepsOf(half.body).gross_new?.[0]).toBe(24193.55);
    const sum = half.body.steps.reduce((s: number, x: { value: number }) => s + Math.round(x.value * 100), 0);
    expect(sum).toBe(Math.round(half.body.end * 100));
  });

  it('operating cash flow, March: net profit through the working capital (indirect method)', async () => {
    const res = await server.get(
      '/api/bridge?kind=operating_cash_flow&node=G&from=2025-03-01&to=2025-03-31&compare=prev',
      tokens['chen.zong'],
    );
    expect(res.status).toBe(200);
    // Receivables: the insurer's 3 600 (AR-0002, 28 March) opened; the bank's was settled in
    // February, the OEM rebate (AR-0003) open throughout. Stock: S1's balance sheet, none in
    // February. Payables: AP-0001 (281 000, settled 1 March) paid, AP-0002 (5 000) opened. Cash
    // flow: S1's operating lines 280 000 − 281 000. Other: what is left (the tiny books do not tie).
    expect(res.body).toMatchObject({ start: 3000, end: -1000, start_label: { zh: '净利润' } });
    // February: AP-0001 arrived (payables +281 000), nothing else moved.
    expect(res.body).toMatchObject({ base_start: 0, base_end: 0 });
    expect(stepsOf(res.body)).toEqual({
      receivables_customer: [0, 0],
      receivables_bank: [0, 0],
      receivables_insurer: [-3600, 0],
      receivables_oem: [0, 0],
      vehicle_stock: [-281000, 0],
      parts_stock: [-17200, 0],
      other_current_assets: [0, 0], // 1 798 200 − 1 500 000 − 281 000 − 17 200
      payables: [-276000, 281000],
      other: [573800, -281000],
    });
    // January's opening balances lie before the data: no bridge for January.
    const january = await server.get(
      '/api/bridge?kind=operating_cash_flow&node=G&from=2025-01-01&to=2025-01-31&compare=prev',
      tokens['chen.zong'],
    );
    expect(january.body).toMatchObject({ start: null, end: null, steps: [], reason: 'no_data' });
  });
});

describe('on the generated sample, against plain SQL', () => {
  let warehouse: Warehouse;
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    warehouse = await sampleWarehouse();
    server = await startServer(warehouse);
    token = await server.login('du.min', DEMO_PASSWORD);
  });
  afterAll(async () => {
    await server.close();
    await warehouse.close();
  });

  /** Cars and gross by model in a month, by plain SQL. */
  async function byModel(type: string, from: string, to: string, node: string) {
    const rows = (
      await warehouse.knex.raw(
        `SELECT f.model_id AS m, count(*) AS u, sum(f.price - f.cost) AS g FROM fact_vehicle_sales f
         JOIN org_closure c ON c.descendant_id = f.store_id
         WHERE c.ancestor_id = ? AND f.sale_type = ? AND f.sale_date BETWEEN ? AND ? GROUP BY 1`,
        [node, type, from, to],
      )
    ).rows as { m: string; u: number; g: number }[];
    return new Map(rows.map((r) => [r.m, { u: Number(r.u), g: Number(r.g) }]));
  }

  it('every step as the formula gives it from the models sold, and they add up', async () => {
    let checked = 0;
    for (const [kind, type] of [
      ['new_gross', 'new'],
      ['used_gross', 'used'],
    ] as const)
      for (const node of ['G', 'D1', 'D2-R1', 'S0001']) {
        const res = await server.get(
          `/api/bridge?kind=${kind}&node=${node}&from=2026-10-01&to=2026-10-31&compare=prev`,
          token,
        );
        expect(res.status).toBe(200);
        const [now, before] = await Promise.all([
          byModel(type, '2026-10-01', '2026-10-31', node),
          byModel(type, '2026-09-01', '2026-09-30', node),
        ]);
        const total = (m: Map<string, { u: number; g: number }>) =>
          [...m.values()].reduce((s, x) => ({ u: s.u + x.u, g: s.g + x.g }), { u: 0, g: 0 });
        const [t1, t0] = [total(now), total(before)];
        const g0 = t0.u ? t0.g / t0.u : 0;
        const rate0 = (m: string) => (before.get(m)?.u ? before.get(m)!.g / before.get(m)!.u : g0);
        const mix = [...now].reduce((s, [m, x]) => s + x.u * rate0(m), 0) - t1.u * g0;
        const rate = [...now].reduce((s, [m, x]) => s + x.g - x.u * rate0(m), 0);
        const steps = Object.fromEntries(
          res.body.steps.map((s: { id: string; value: number }) => [s.id, s.value]),
        );
        expect(res.body.start).toBeCloseTo(t0.g, 2);
        expect(res.body.end).toBeCloseTo(t1.g, 2);
        expect(steps.volume).toBeCloseTo((t1.u - t0.u) * g0, 1);
        expect(steps.mix).toBeCloseTo(mix, 1);
        expect(steps.rate).toBeCloseTo(rate, 1);
        expect(res.body.start + steps.volume + steps.mix + steps.rate).toBeCloseTo(res.body.end, 1);
        if (steps.mix !== 0) checked++;
      }
    expect(checked).toBeGreaterThan(2); // model mix really moved somewhere
  });

  /** A node's ledger by department and kind over whole months, by plain SQL. */
  async function ledger(node: string, from: string, to: string) {
    const rows = (
      await warehouse.knex.raw(
        `SELECT a.department AS d, a.kind AS k, sum(g.amount) AS amount FROM fact_gl_monthly g
         JOIN dim_account a USING (account_code) JOIN org_closure c ON c.descendant_id = g.store_id
         WHERE c.ancestor_id = ? AND g.period BETWEEN ? AND ? GROUP BY ALL`,
        [node, from, to],
      )
    ).rows as { d: string; k: string; amount: number }[];
    return (department: string, kind: string) =>
      rows.filter((r) => r.d === department && r.k === kind).reduce((s, r) => s + Number(r.amount), 0);
  }

  /** A node's working capital at a date, by plain SQL: open documents and balance-sheet lines. */
  async function workingCapital(node: string, date: string) {
    const open = `sum(CASE WHEN f.settled_date IS NOT NULL AND f.settled_date <= ?::DATE THEN f.amount - f.settled_amount ELSE f.amount END)`;
    const [row] = (
      await warehouse.knex.raw(
        `SELECT
           (SELECT ${open} FILTER (WHERE counterparty_type = 'customer') FROM fact_receivables f JOIN org_closure c ON c.descendant_id = f.store_id WHERE c.ancestor_id = ? AND f.doc_date <= ?::DATE) AS customer,
           (SELECT ${open} FILTER (WHERE counterparty_type = 'bank') FROM fact_receivables f JOIN org_closure c ON c.descendant_id = f.store_id WHERE c.ancestor_id = ? AND f.doc_date <= ?::DATE) AS bank,
           (SELECT ${open} FILTER (WHERE counterparty_type = 'insurer') FROM fact_receivables f JOIN org_closure c ON c.descendant_id = f.store_id WHERE c.ancestor_id = ? AND f.doc_date <= ?::DATE) AS insurer,
           (SELECT ${open} FILTER (WHERE counterparty_type = 'oem') FROM fact_receivables f JOIN org_closure c ON c.descendant_id = f.store_id WHERE c.ancestor_id = ? AND f.doc_date <= ?::DATE) AS oem,
           (SELECT ${open} FROM fact_payables f JOIN org_closure c ON c.descendant_id = f.store_id WHERE c.ancestor_id = ? AND f.doc_date <= ?::DATE) AS payables,
           (SELECT sum(amount) FILTER (WHERE line = 'vehicle_inventory') FROM fact_balance_sheet b JOIN org_closure c ON c.descendant_id = b.store_id WHERE c.ancestor_id = ? AND b.period = date_trunc('month', ?::DATE)) AS vehicles,
           (SELECT sum(amount) FILTER (WHERE line = 'parts_inventory') FROM fact_balance_sheet b JOIN org_closure c ON c.descendant_id = b.store_id WHERE c.ancestor_id = ? AND b.period = date_trunc('month', ?::DATE)) AS parts,
           (SELECT sum(amount) FILTER (WHERE line = 'current_assets') - sum(amount) FILTER (WHERE line IN ('cash', 'receivables', 'vehicle_inventory', 'parts_inventory'))
              FROM fact_balance_sheet b JOIN org_closure c ON c.descendant_id = b.store_id WHERE c.ancestor_id = ? AND b.period = date_trunc('month', ?::DATE)) AS prepaid`,
        [...[1, 2, 3, 4, 5].flatMap(() => [date, node, date]), ...[1, 2, 3].flatMap(() => [node, date])],
      )
    ).rows as Record<string, number>[];
    return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v ?? 0)]));
  }

  it('net profit and operating cash flow: every named step as plain SQL has it, and they add up', async () => {
    // The sample's books run from August 2026: a month on the one before, and two months (whose
    // base lies before the data).
    for (const [from, to, opening] of [
      ['2026-10-01', '2026-10-31', '2026-09-30'],
      ['2026-09-01', '2026-10-31', '2026-08-31'],
    ] as const)
      for (const node of ['G', 'D2-R1', 'S0004']) {
        const query = `node=${node}&from=${from}&to=${to}&compare=prev`;
        const [np, ocf] = await Promise.all([
          server.get(`/api/bridge?kind=net_profit&${query}`, token),
          server.get(`/api/bridge?kind=operating_cash_flow&${query}`, token),
        ]);
        const gl = await ledger(node, from.slice(0, 8) + '01', to.slice(0, 8) + '01');
        const gross = (d: string) => gl(d, 'revenue') - gl(d, 'cogs');
        const profit = (np.body.steps as { value: number }[]).reduce((s, x) => s + x.value, 0);
        const step = (body: typeof np.body, id: string) =>
          body.steps.find((s: { id: string }) => s.id === id).value as number;
        expect(np.body.end).toBeCloseTo(profit, 2);
        for (const d of ['new', 'used', 'service', 'parts', 'fi'])
          expect(step(np.body, `gross_${d}`), `${node} ${d}`).toBeCloseTo(gross(d), 2);
        for (const d of ['new', 'used', 'service', 'parts', 'admin'])
          expect(step(np.body, `expense_${d}`), `${node} ${d}`).toBeCloseTo(-gl(d, 'expense'), 2);
        expect(step(np.body, 'rebates')).toBeCloseTo(gl('new', 'other_income'), 2);
        expect(step(np.body, 'other')).toBeCloseTo(gl('admin', 'other_income'), 2); // interest income

        const [open, close] = await Promise.all([workingCapital(node, opening), workingCapital(node, to)]);
        const change = (k: string) => close[k]! - open[k]!;
        expect(ocf.body.start).toBeCloseTo(np.body.end, 2);
        for (const k of ['customer', 'bank', 'insurer', 'oem'])
          expect(step(ocf.body, `receivables_${k}`), `${node} ${k}`).toBeCloseTo(-change(k), 2);
        expect(step(ocf.body, 'vehicle_stock')).toBeCloseTo(-change('vehicles'), 2);
        expect(step(ocf.body, 'parts_stock')).toBeCloseTo(-change('parts'), 2);
        expect(step(ocf.body, 'other_current_assets')).toBeCloseTo(-change('prepaid'), 2);
        expect(step(ocf.body, 'payables')).toBeCloseTo(change('payables'), 2);
        const cash = ocf.body.steps.reduce(
          (s: number, x: { value: number }) => s + Math.round(x.value * 100),
          0,
        );
        expect(cash + Math.round(ocf.body.start * 100)).toBe(Math.round(ocf.body.end * 100));
        // The previous month's bridge beside it: its own steps add up too.
        if (from === '2026-09-01') {
          expect([ocf.body.base_start, ocf.body.base_end]).toEqual([null, null]);
          continue;
        }
        const based = ocf.body.steps.reduce(
          (s: number, x: { base: number }) => s + Math.round(x.base * 100),
          0,
        );
        expect(based + Math.round(ocf.body.base_start * 100)).toBe(Math.round(ocf.body.base_end * 100));
      }
  });

  it('after-sales gross: repair orders × gross per order, volume and rate as plain SQL has them', async () => {
    /** Closed repair orders, and labour gross on them plus the parts gross of the month, by plain SQL. */
    const month = async (from: string, to: string, node: string) => {
      const [row] = (
        await warehouse.knex.raw(
          `SELECT
             (SELECT count(*) FROM fact_service_orders f JOIN org_closure c ON c.descendant_id = f.store_id
               WHERE c.ancestor_id = ? AND f.close_date BETWEEN ? AND ?) AS r,
             (SELECT coalesce(sum(f.labour_revenue - f.labour_cost), 0) FROM fact_service_orders f JOIN org_closure c ON c.descendant_id = f.store_id
               WHERE c.ancestor_id = ? AND f.close_date BETWEEN ? AND ?)
           + (SELECT coalesce(sum(f.revenue - f.cost), 0) FROM fact_parts_sales f JOIN org_closure c ON c.descendant_id = f.store_id
               WHERE c.ancestor_id = ? AND f.sale_date BETWEEN ? AND ?) AS g`,
          [node, from, to, node, from, to, node, from, to],
        )
      ).rows as { r: number; g: number }[];
      return { r: Number(row!.r), g: Number(row!.g) };
    };
    for (const node of ['G', 'D2-R1', 'S0004']) {
      const res = await server.get(
        `/api/bridge?kind=aftersales_gross&node=${node}&from=2026-10-01&to=2026-10-31&compare=prev`,
        token,
      );
      const [now, before] = await Promise.all([
        month('2026-10-01', '2026-10-31', node),
        month('2026-09-01', '2026-09-30', node),
      ]);
      const g0 = before.g / before.r;
      expect(res.body.steps.map((s: { id: string }) => s.id)).toEqual(['volume', 'rate']);
      expect(res.body.start).toBeCloseTo(before.g, 2);
      expect(res.body.end).toBeCloseTo(now.g, 2);
      expect(res.body.steps[0].value).toBeCloseTo((now.r - before.r) * g0, 1);
      expect(res.body.steps[1].value).toBeCloseTo(now.r * (now.g / now.r - g0), 1);
    }
  });
});
