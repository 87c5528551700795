// /api/forecast, /api/landing and /api/parts/forecast over real HTTP on the generated sample: the
// first request queues the computation and answers 202; the answers then add up across the
// hierarchy and the products, a store's forecast is its method's on the history plain SQL reads,
// the landing is the actual plus the forecast of the rest, and the suggested orders follow the
// formula from stock on hand plain SQL reads. Scope and bad parameters are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../auth/demo-users.ts';
import type {
  AccuracyResponse,
  ForecastResponse,
  LandingResponse,
  PartsForecastResponse,
} from '../contract/forecast.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { startServer, type TestServer } from '../test/http.ts';
import { sampleWarehouse, SAMPLE_STORE } from '../test/shared.ts';
import { forecastWith, type MethodId } from './methods.ts';

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

const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 6);

/** The answer, once the families it needs are computed (a first request queues them: 202). */
async function ok<T>(path: string, as = token): Promise<T> {
  let res = await server.get(path, as);
  if (res.status === 202) {
    await server.app.forecasts.idle();
    res = await server.get(path, as);
  }
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body as T;
}

/** Plain SQL's rows. */
async function sql<T>(query: string, bindings: unknown[]): Promise<T[]> {
  return (await warehouse.knex.raw(query, bindings as never[])).rows as T[];
}

/** Plain SQL: a store's new units by month over the sample's whole months. */
async function monthlyNewUnits(store: string): Promise<number[]> {
  const rows = (
    await warehouse.knex.raw(
      `SELECT strftime(sale_date, '%Y-%m') AS m, count(*) AS n FROM fact_vehicle_sales
       WHERE store_id = ? AND sale_type = 'new' GROUP BY 1 ORDER BY 1`,
      [store],
    )
  ).rows as { m: string; n: number }[];
  return rows.map((r) => Number(r.n));
}

describe('forecasts', () => {
  it('answers 202 with Retry-After while the family is computed, then the forecast', async () => {
    const path = `/api/forecast?metric=new_units&node=G&horizon=3`;
    const first = await fetch(server.base + path, { headers: { authorization: `Bearer ${token}` } });
    expect(first.status).toBe(202);
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await first.json()).error.code).toBe('forecast_pending');
    await server.app.forecasts.idle();
    const body = await ok<ForecastResponse>(path);
    expect(body.as_of).toBe('2026-10-31');
    expect(body.points.map((p) => p.period)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(body.method).toBe('bottom_up');
  });

  it("a store's forecast is its method's on the months plain SQL counts", async () => {
    const body = await ok<ForecastResponse>(`/api/forecast?metric=new_units&node=${SAMPLE_STORE}&horizon=12`);
    const history = await monthlyNewUnits(SAMPLE_STORE);
    // Three months (August to October): no January or February, so the festival changes nothing.
    expect(history).toHaveLength(3);
    const expected = forecastWith(body.method as MethodId, history, 12).map((v) => Math.max(0, v));
    body.points.forEach((p, h) => close(p.value, expected[h]!));
    for (const p of body.points) {
      expect(p.lo95 ?? p.value).toBeLessThanOrEqual(p.lo80 ?? p.value);
      expect(p.hi80 ?? p.value).toBeLessThanOrEqual(p.hi95 ?? p.value);
    }
  });

  it('adds up: the group is its children, its brands; a store is its brands; a product filter is its member', async () => {
    const group = await ok<ForecastResponse>(`/api/forecast?metric=new_units&node=G&by=children`);
    const brands = await ok<ForecastResponse>(`/api/forecast?metric=new_units&node=G&by=brand`);
    await server.app.forecasts.idle();
    const store = await ok<ForecastResponse>(`/api/forecast?metric=new_units&node=${SAMPLE_STORE}&by=brand`);
    for (const [whole, members] of [
      [group, group.members!],
      [brands, brands.members!],
      [store, store.members!],
    ] as const) {
      expect(members.length).toBeGreaterThan(0);
      whole.points.forEach((p, h) =>
        close(
          p.value,
          members.reduce((s, m) => s + (m.points[h]?.value ?? 0), 0),
        ),
      );
    }
    const brand = brands.members![0]!;
    const filtered = await ok<ForecastResponse>(
      `/api/forecast?metric=new_units&node=G&product=brand:${encodeURIComponent(brand.id)}`,
    );
    filtered.points.forEach((p, h) => close(p.value, brand.points[h]!.value));
    expect(filtered.product).toBe(`brand:${brand.id}`);
  });

  it('as_of: the forecast starts the month after it, from the data up to it', async () => {
    const path = `/api/forecast?metric=new_units&node=${SAMPLE_STORE}&horizon=2&as_of=2026-09-30`;
    expect((await server.get(path, token)).status).toBe(202);
    await server.app.forecasts.idle();
    const body = await ok<ForecastResponse>(path);
    expect(body.points.map((p) => p.period)).toEqual(['2026-10', '2026-11']);
    const history = (await monthlyNewUnits(SAMPLE_STORE)).slice(0, 2);
    const expected = forecastWith(body.method as MethodId, history, 2).map((v) => Math.max(0, v));
    body.points.forEach((p, h) => close(p.value, expected[h]!));
  });

  it('refuses what it cannot forecast, and what lies outside the caller’s scope', async () => {
    const refused = async (path: string, status: number, param?: string, as = token) => {
      const res = await server.get(path, as);
      expect([res.status, res.body.error?.param], path).toEqual([status, param]);
    };
    await refused('/api/forecast?metric=new_units&node=G&as_of=2026-10-15', 400, 'as_of');
    await refused('/api/forecast?metric=new_units&node=G&as_of=2026-11-30', 400, 'as_of');
    await refused('/api/forecast?metric=new_units&node=G&as_of=2025-01-31', 400, 'as_of');
    await refused('/api/forecast?metric=dso&node=G', 400, 'metric');
    await refused('/api/forecast?metric=new_units&node=G&horizon=13', 400, 'horizon');
    await refused('/api/forecast?metric=new_units&node=G&by=model', 400, 'by');
    await refused('/api/forecast?metric=repair_orders&node=G&by=brand', 400, 'by');
    await refused(`/api/parts/forecast?node=G`, 400, 'node');
    await refused(`/api/parts/forecast?node=${SAMPLE_STORE}&service_level=1.5`, 400, 'service_level');
    await refused('/api/landing?node=G&metrics=new_units,dso', 400, 'metrics');
    const users = (await warehouse.knex('app.users').select('username', 'role')) as {
      username: string;
      role: string;
    }[];
    const manager = await server.login(users.find((u) => u.role === 'store')!.username, DEMO_PASSWORD);
    await refused('/api/forecast?metric=new_units&node=G', 403, 'node', manager);
    const staff = await server.login(users.find((u) => u.role === 'staff')!.username, DEMO_PASSWORD);
    await refused(`/api/parts/forecast?node=${SAMPLE_STORE}`, 403, 'node', staff);
  });
});

describe('accuracy', () => {
  it("averages the node's series' own backtests, family by family", async () => {
    const body = await ok<AccuracyResponse>('/api/forecast/accuracy?node=G');
    expect(body.families.map((f) => `${f.metric}/${f.level}`)).toEqual([
      'new_units/store',
      'vehicle_revenue/store',
      'aftersales_revenue/store',
      'net_profit/store',
      'new_units/brand',
      'parts_qty/part',
    ]);
    // Store series: each store's own forecast, as /api/forecast gives it.
    const storeMase: number[] = [];
    for (const { node_id } of await sql<{ node_id: string }>(
      `SELECT node_id FROM dim_org WHERE level = 'store'`,
      [],
    )) {
      const own = await ok<ForecastResponse>(`/api/forecast?metric=new_units&node=${node_id}`);
      if (own.backtest.mase !== null) storeMase.push(own.backtest.mase);
    }
    const units = body.families.find((f) => f.metric === 'new_units' && f.level === 'store')!;
    expect(units.measured).toBe(storeMase.length);
    close(units.mase!, storeMase.reduce((a, b) => a + b, 0) / storeMase.length);
    // Parts of the sample store: the mean of the parts' own MASE.
    const parts = (await ok<AccuracyResponse>(`/api/forecast/accuracy?node=${SAMPLE_STORE}`)).families.find(
      (f) => f.level === 'part',
    )!;
    const listed = (await ok<PartsForecastResponse>(`/api/parts/forecast?node=${SAMPLE_STORE}&limit=500`))
      .parts;
    const partMase = listed.flatMap((p) => (p.mase === null ? [] : [p.mase]));
    expect(parts.measured).toBe(partMase.length);
    close(parts.mase!, partMase.reduce((a, b) => a + b, 0) / partMase.length);
    expect(parts.methods.reduce((s, m) => s + m.series, 0)).toBe(parts.series);
    // The family's bias is weighted by what each part sold: it lies within the parts' own.
    const biases = listed.flatMap((p) => (p.bias === null ? [] : [p.bias]));
    expect(parts.bias!).toBeGreaterThanOrEqual(Math.min(...biases));
    expect(parts.bias!).toBeLessThanOrEqual(Math.max(...biases));
    expect(parts.bias!).not.toBeCloseTo(biases.reduce((a, b) => a + b, 0) / biases.length, 3);
    // The node's own forecast's backtest is the one /api/forecast gives the node.
    const group = await ok<ForecastResponse>('/api/forecast?metric=new_units&node=G');
    expect(body.node_backtest.find((b) => b.metric === 'new_units')).toEqual({
      metric: 'new_units',
      method: group.method,
      ...group.backtest,
    });
  });
});

describe('landing', () => {
  it('is the actual to the data’s end plus the forecast of the rest, against the budget', async () => {
    const metrics = 'new_units,aftersales_revenue';
    const body = await ok<LandingResponse>(`/api/landing?node=G&metrics=${metrics}`);
    for (const item of body.items) {
      expect(item.data_to).toBe('2026-10-31');
      const forecast = await ok<ForecastResponse>(`/api/forecast?metric=${item.metric}&node=G&horizon=12`);
      expect(item.periods.map((p) => [p.kind, p.from, p.to])).toEqual([
        ['month', '2026-11-01', '2026-11-30'],
        ['quarter', '2026-10-01', '2026-12-31'],
        ['year', '2026-01-01', '2026-12-31'],
      ]);
      for (const p of item.periods) {
        const kpi =
          p.from > item.data_to
            ? null
            : await ok<any>(`/api/kpi?metrics=${item.metric}&node=G&from=${p.from}&to=2026-10-31`);
        // The year began before the sample's data: no actual, so no landing.
        if (kpi && kpi.metrics[item.metric].value === null) {
          expect([p.kind, p.actual, p.landing, p.attainment]).toEqual(['year', null, null, null]);
          continue;
        }
        close(p.actual!, kpi ? kpi.metrics[item.metric].value : 0);
        const rest = forecast.points.filter((f) => f.period > '2026-10' && `${f.period}-01` <= p.to);
        close(
          p.forecast,
          rest.reduce((s, f) => s + f.value, 0),
        );
        close(p.landing!, p.actual! + p.forecast);
        const [target] = await sql<{ t: number | null }>(
          `SELECT sum(target) AS t FROM effective_budget WHERE metric_id = ? AND period BETWEEN ?::DATE AND ?::DATE`,
          [item.metric, p.from, p.to],
        );
        if (target?.t == null) expect(p.target).toBeNull();
        else {
          close(p.target!, Number(target.t));
          close(p.attainment!, p.landing! / Number(target.t));
        }
      }
    }
  });
});

describe('parts replenishment', () => {
  it('orders lead-time demand plus safety stock less the stock plain SQL finds on hand', async () => {
    const path = `/api/parts/forecast?node=${SAMPLE_STORE}&horizon=12&limit=500`;
    const body = await ok<PartsForecastResponse>(path);
    expect(body.as_of).toBe('2026-10-31');
    expect(body.service_level).toBe(0.95);
    const stock = new Map(
      (
        await sql<{ part_no: string; qty_on_hand: number; unit_cost: number; moved: string }>(
          `SELECT part_no, qty_on_hand, unit_cost, last_movement_date::VARCHAR AS moved FROM fact_parts_stock
           WHERE store_id = ? AND snapshot_date = DATE '2026-10-31' AND qty_on_hand > 0`,
          [SAMPLE_STORE],
        )
      ).map((r) => [r.part_no, r]),
    );
    const [{ n: parts }] = (await sql<{ n: number }>(
      `SELECT count(*) AS n FROM (
         SELECT part_no FROM fact_parts_sales WHERE store_id = ? AND sale_date <= DATE '2026-10-31'
         UNION SELECT part_no FROM fact_parts_stock WHERE store_id = ? AND snapshot_date <= DATE '2026-10-31' AND qty_on_hand > 0)`,
      [SAMPLE_STORE, SAMPLE_STORE],
    )) as [{ n: number }];
    expect(body.total).toBe(Number(parts));
    expect(body.parts).toHaveLength(Math.min(500, body.total));
    expect(body.parts.map((p) => p.part_no)).toEqual([...body.parts.map((p) => p.part_no)].sort());
    for (const p of body.parts.slice(0, 100)) {
      const held = stock.get(p.part_no);
      expect([p.on_hand, p.unit_cost, p.last_movement_date]).toEqual(
        held ? [Number(held.qty_on_hand), Number(held.unit_cost), held.moved] : [0, null, null],
      );
      if (held) close(p.on_hand_value!, Number(held.qty_on_hand) * Number(held.unit_cost));
      expect(p.suggested_order).toBe(
        Math.max(0, Math.ceil(p.lead_time_demand + p.safety_stock - p.on_hand - 1e-9)),
      );
      // November's 30 days first: a lead time within them is their share of November's forecast.
      if (p.forecast.length && p.lead_time_days <= 30)
        close(p.lead_time_demand, (p.forecast[0]!.value * p.lead_time_days) / 30);
      expect(p.obsolete).toBe(p.on_hand > 0 && p.forecast.reduce((s, f) => s + f.value, 0) < 0.5);
    }
    // A category's forecast is its parts' summed; its stock and orders too (every part is listed).
    expect(body.total).toBeLessThanOrEqual(500);
    for (const c of body.categories) {
      const mine = body.parts.filter((p) => p.part_category === c.part_category);
      expect([c.parts, c.on_hand, c.suggested_order]).toEqual([
        mine.length,
        mine.reduce((s, p) => s + p.on_hand, 0),
        mine.reduce((s, p) => s + p.suggested_order, 0),
      ]);
      c.forecast.forEach((f, h) =>
        close(
          f.value,
          mine.reduce((s, p) => s + (p.forecast[h]?.value ?? 0), 0),
        ),
      );
    }
    const orders = await ok<PartsForecastResponse>(`${path}&only=order`);
    expect(orders.parts.every((p) => p.suggested_order > 0)).toBe(true);
    expect(orders.total).toBe(body.parts.filter((p) => p.suggested_order > 0).length);
    const page = await ok<PartsForecastResponse>(`/api/parts/forecast?node=${SAMPLE_STORE}&limit=2&offset=1`);
    expect(page.parts.map((p) => p.part_no)).toEqual(body.parts.slice(1, 3).map((p) => p.part_no));
  });
});
