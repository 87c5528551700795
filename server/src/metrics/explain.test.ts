// /api/explain over real HTTP on fixtures/tiny, March 2025 against February: every figure worked
// out by hand from tiny's sales (SO-0001 S1 new financed in February; SO-0002 S2 new not financed,
// SO-0003 S3 new financed, SO-0004 S1 used, in March), and the identity checked on every answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../db/warehouse.ts';
import { startTinyServer, type TestServer } from '../test/http.ts';

let warehouse: Warehouse;
let server: TestServer;
let tokens: Record<string, string>;
const MARCH = 'from=2025-03-01&to=2025-03-31';

beforeAll(async () => {
  ({ warehouse, server, tokens } = await startTinyServer([
    { username: 'chen.zong', role: 'group', nodes: ['G'] },
    { username: 'zhang.wei', role: 'store', nodes: ['S1'] },
  ]));
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

const explain = async (metric: string, compare: string, node = 'G', user = 'chen.zong') => {
  const res = await server.get(
    `/api/explain?metric=${metric}&node=${node}&${MARCH}&compare=${compare}`,
    tokens[user],
  );
  expect(res.status).toBe(200);
  return res.body;
};
const byId = (children: { id: string }[]) => Object.fromEntries(children.map((c) => [c.id, c]));

describe('GET /api/explain', () => {
  it("an additive metric: the units' own changes, which add up to the node's", async () => {
    const body = await explain('new_units', 'prev');
    // G: 2 new cars in March, 1 in February. D1 (S1, S2): 1 and 1; D2 (S3): 1 and 0.
    expect([body.value, body.base, body.delta, body.decomposition]).toEqual([2, 1, 1, 'additive']);
    expect(byId(body.children)).toMatchObject({
      D1: { value: 1, base: 1, delta: 0, contribution: 0, share_of_delta: 0 },
      D2: { value: 1, base: 0, delta: 1, contribution: 1, share_of_delta: 1 },
    });
    expect(body.base_from).toBe('2025-02-01');
  });

  it('a ratio: rate and mix effects per unit that add up exactly to the change', async () => {
    const body = await explain('finance_penetration', 'prev');
    // G: March 1 financed of 2 (50%), February 1 of 1 (100%): −0.5. Mean rate R̄ = 0.75.
    // D1: weight 1/2 ← 1, rate 0 ← 1: rate effect 0.75 × −1 = −0.75; mix −0.5 × (0.5 − 0.75) = +0.125.
    // D2: weight 1/2 ← 0, rate 1 (none in February: taken as 1): rate 0; mix 0.5 × (1 − 0.75) = +0.125.
    expect([body.value, body.base, body.delta, body.decomposition]).toEqual([0.5, 1, -0.5, 'ratio']);
    expect(byId(body.children)).toMatchObject({
      D1: { rate_effect: -0.75, mix_effect: 0.125, contribution: -0.625, share_of_delta: 1.25 },
      D2: { rate_effect: 0, mix_effect: 0.125, contribution: 0.125, share_of_delta: -0.25 },
    });
  });

  it('the contributions add up to the change for every metric and comparison with data', async () => {
    let checked = 0;
    for (const metric of [
      'new_units',
      'vehicle_revenue',
      'new_gross_profit',
      'new_gross_per_unit',
      'discount_rate',
      'leads',
      'visit_rate',
      'repair_orders',
      'revenue_per_ro',
    ]) {
      for (const node of ['G', 'D1', 'R1']) {
        const body = await explain(metric, 'prev', node);
        if (body.delta === null || body.decomposition === 'none') continue;
        const sum = body.children.reduce((s: number, c: { contribution: number }) => s + c.contribution, 0);
        expect(sum, `${metric} at ${node}`).toBeCloseTo(body.delta, 6);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('against the budget: each unit against its own target; rates are not decomposed without base weights', async () => {
    // March budget: S1 2, S2 1 (D1 3), S3 none.
    const body = await explain('new_units', 'budget');
    expect([body.value, body.base, body.delta]).toEqual([2, 3, -1]);
    expect(byId(body.children)).toMatchObject({
      D1: { value: 1, base: 3, delta: -2, contribution: -2 },
      D2: { value: 1, base: null, delta: null, contribution: null },
    });
    expect((await explain('finance_penetration', 'budget', 'S1')).decomposition).toBe('none');
  });

  it('in words: the change and the units that explain it, with the figures above', async () => {
    // new_units: 2 ← 1, all of it D2 (自主品牌事业部) — the first test's figures.
    expect((await explain('new_units', 'prev')).text).toEqual({
      zh: '新车销量 2台，环比 +100.0%（+1台），其中自主品牌事业部 +1台（占变动 100%）。',
      en: 'New vehicles sold 2 units, +100.0% (+1 units) on the previous period; Domestic Brands Division +1 units (100% of the change).',
    });
    // finance_penetration: −50 points; D1 −62.5 points (125% of it: no share shown), D2 +12.5 offsets.
    expect((await explain('finance_penetration', 'prev')).text.zh).toBe(
      '金融渗透率 50.0%，环比 −50.0个百分点，其中豪华品牌事业部 −62.5个百分点；自主品牌事业部 +12.5个百分点部分抵消。',
    );
    // Against the budget: 2 of 3; D1 1 of its 3 (twice the gap: no share), D2 has no budget.
    expect((await explain('new_units', 'budget')).text.zh).toBe(
      '新车销量 2台，预算完成 66.7%（−1台），其中豪华品牌事业部 −2台。',
    );
  });

  it('a store manager explains their store and names no peer', async () => {
    const body = await explain('new_units', 'prev', 'S1', 'zhang.wei');
    expect(body.children).toEqual([]);
    expect(JSON.stringify(body)).not.toMatch(/"S2"|"S3"/);
    expect(
      (await server.get(`/api/explain?metric=new_units&node=R1&${MARCH}&compare=prev`, tokens['zhang.wei']))
        .status,
    ).toBe(403);
  });
});
