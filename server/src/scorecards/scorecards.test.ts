// Scorecards over real HTTP on fixtures/tiny: S1's sales consultants in February 2025, with
// targets set through /api/targets and a scorecard set through the API. Every score is worked out
// by hand below, and every row's total is recomputed from its definition in the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../db/warehouse.ts';
import { startTinyServer, type TestServer } from '../test/http.ts';

let warehouse: Warehouse;
let server: TestServer;
let tokens: Record<string, string>;

const call = (method: string, path: string, user: string, body?: unknown) =>
  server.send(method, path, tokens[user], body);
const LEAGUE = '/api/scorecards?node=S1&period=2025-02&role=sales_consultant';

/** new_units half of the score, lead-to-order 20% (no target: left out), finance penetration 30%. */
const DEFINITION = {
  items: [
    { metric: 'new_units', weight: 0.5, scoring: { kind: 'linear', gate: 0.5, cap: 1.2 } },
    { metric: 'lead_to_order_rate', weight: 0.2, scoring: { kind: 'linear', gate: 0.5, cap: 1.2 } },
    { metric: 'finance_penetration', weight: 0.3, scoring: { kind: 'linear', gate: 0.8, cap: 1.2 } },
  ],
  adjustments: [{ kind: 'overdue_task', points: -5 }],
};

beforeAll(async () => {
  ({ warehouse, server, tokens } = await startTinyServer([
    { username: 'chen.zong', role: 'group', nodes: ['G'] },
    { username: 'zhang.wei', role: 'store', nodes: ['S1'] },
    { username: 'wang.fang', role: 'staff', nodes: [], staff: 'E-101' },
    { username: 'wu.gang', role: 'staff', nodes: [], staff: 'E-203' },
  ]));
  expect(
    (await call('PUT', '/api/scorecards/definitions/sales_consultant', 'chen.zong', DEFINITION)).status,
  ).toBe(200);
  // February targets at S1 (no budget that month): 2 new cars, one each; 50% finance penetration.
  for (const body of [
    {
      metric: 'new_units',
      method: 'manual',
      total: 2,
      cells: [
        { id: 'E-101', value: 1 },
        { id: 'E-102', value: 1 },
      ],
    },
    { metric: 'finance_penetration', method: 'equal', total: 0.5 },
  ])
    expect(
      (await call('PUT', '/api/targets', 'chen.zong', { node: 'S1', month: '2025-02', ...body })).status,
    ).toBe(200);
  // A task of 王芳's due in February and never closed.
  await warehouse.knex('app.tasks').insert({
    task_id: 9001,
    alert_id: 9001,
    node_id: 'S1',
    metric_id: 'new_units',
    status: 'do',
    assignee: 'wang.fang',
    due_at: '2025-02-20 18:00:00',
    escalations: 0,
    created_at: '2025-02-13 09:00:00',
    updated_at: '2025-02-13 09:00:00',
  });
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

type Row = {
  id: string;
  score: number | null;
  rank: number | null;
  items: { metric: string; weight: number; attainment: number | null; points: number | null }[];
  adjustments: { points: number }[];
};

describe('scorecards', () => {
  it('scores each consultant from actuals and targets as the definition says', async () => {
    const { body } = await call('GET', LEAGUE, 'zhang.wei');
    expect(body.of).toBe(2);
    const [wang, li] = body.rows as Row[];
    // 王芳 E-101 in February: SO-0001, financed: new cars 1 of 1 (100% → 0.5 / 0.8 of 100 = 62.5);
    // lead-to-order 1 of 1 but no target (left out, the others' weights rescaled to 0.8);
    // finance penetration 100% of 50% = 200%, capped at 120% → 1.2 × 100 × 0.3 / 0.8 = 45;
    // one task overdue → −5. Total 102.5.
    expect(wang).toMatchObject({ id: 'E-101', score: 102.5, rank: 1 });
    expect(wang!.items.map((i) => [i.metric, i.attainment, i.points])).toEqual([
      ['new_units', 1, 62.5],
      ['lead_to_order_rate', null, null],
      ['finance_penetration', 2, 45],
    ]);
    expect(wang!.adjustments).toEqual([{ kind: 'overdue_task', count: 1, points: -5 }]);
    // 李娜 E-102: no car (0 of 1, below the gate: 0); L-002 not ordered (no target: out); no sale
    // to finance (no rate: out). Total 0.
    expect(li).toMatchObject({ id: 'E-102', score: 0, rank: 2 });
  });

  it('every total is the weighted sum recomputed from the definition', async () => {
    const { body } = await call('GET', LEAGUE, 'chen.zong');
    for (const row of body.rows as Row[]) {
      const scored = row.items.filter((i) => i.attainment !== null);
      const weight = scored.reduce((s, i) => s + i.weight, 0);
      // Items with a target must carry half the card.
      if (weight < 0.5) {
        expect(row.score).toBeNull();
        continue;
      }
      const expected = scored.reduce((s, i) => {
        const { gate, cap } = DEFINITION.items.find((d) => d.metric === i.metric)!.scoring;
        return s + (i.attainment! < gate ? 0 : Math.min(i.attainment!, cap) * 100 * (i.weight / weight));
      }, 0);
      const adjustments = row.adjustments.reduce((s, a) => s + a.points, 0);
      expect(row.score).toBeCloseTo(expected + adjustments, 2);
    }
  });

  it("a consultant's last months: what moved the score", async () => {
    const { body } = await call('GET', `${LEAGUE}&unit=E-101&months=2`, 'zhang.wei');
    // January: no targets set → no item scored → no score.
    expect(body.history.map((h: Row & { month: string }) => [h.month, h.score, h.rank])).toEqual([
      ['2025-01', null, null],
      ['2025-02', 102.5, 1], // ranked among all of February's consultants, as in the league
    ]);
  });

  it('a staff user reads their own card and rank, never a colleague’s', async () => {
    const { status, body } = await call('GET', LEAGUE, 'wang.fang');
    expect(status).toBe(200);
    expect(body.rows.map((r: Row) => [r.id, r.rank])).toEqual([['E-101', 1]]);
    expect(body.of).toBe(2);
    expect(JSON.stringify(body)).not.toMatch(/E-102|李娜/);
    expect((await call('GET', `${LEAGUE}&unit=E-102`, 'wang.fang')).status).toBe(403);
    // An F&I specialist's card is made of the store's figures: not for a staff user to read.
    const fi = await call('GET', '/api/scorecards?node=S2&period=2025-03&role=fi_specialist', 'wu.gang');
    expect([fi.status, fi.body.error?.code]).toEqual([403, 'staff_out_of_scope']);
  });

  it('definitions are validated: weights add up to 100%, metrics fit the role, group users only', async () => {
    const defs = (await call('GET', '/api/scorecards/definitions', 'zhang.wei')).body.definitions;
    expect(defs.find((d: { role: string }) => d.role === 'sales_consultant')).toEqual({
      role: 'sales_consultant',
      ...DEFINITION,
    });
    const bad = async (body: unknown, user = 'chen.zong') =>
      (await call('PUT', '/api/scorecards/definitions/sales_consultant', user, body)).body.error;
    expect(
      await bad({ ...DEFINITION, items: DEFINITION.items.map((i) => ({ ...i, weight: 0.3 })) }),
    ).toMatchObject({ code: 'invalid_body', message: 'items: weights add up to 90%, not 100%' });
    expect(
      await bad({
        ...DEFINITION,
        items: [{ metric: 'net_profit', weight: 1, scoring: { kind: 'linear', gate: 0.5, cap: 1.2 } }],
      }),
    ).toMatchObject({ message: "items.0: net_profit is not a sales_consultant's own figure" });
    expect(await bad(DEFINITION, 'zhang.wei')).toMatchObject({ code: 'forbidden' });
  });
});
