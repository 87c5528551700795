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
      '/api/bridge?kind=net_profit&node=G&from=2025-03-01&to=2025-03-31&compare=prev',
      tokens['chen.zong'],
    );
    expect([bad.status, bad.body.error.param]).toEqual([400, 'kind']);
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
