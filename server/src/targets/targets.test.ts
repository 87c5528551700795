// Targets cascaded over real HTTP on fixtures/tiny. Every figure is worked out by hand from tiny's
// budget.csv (March 2025: S1 2 new cars, S2 1; S1's finance penetration 50%), its sales and its
// staff.csv; the tests run in order, each on what the one before set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../db/warehouse.ts';
import { startTinyServer, type TestServer } from '../test/http.ts';

let warehouse: Warehouse;
let server: TestServer;
let tokens: Record<string, string>;

const call = (method: string, path: string, user: string, body?: unknown) =>
  server.send(method, path, tokens[user], body);
const grid = async (node: string, metric: string, month: string, user = 'chen.zong', by = '') =>
  (await call('GET', `/api/targets?node=${node}&metric=${metric}&from=${month}&to=${month}${by}`, user)).body;
const put = (user: string, body: Record<string, unknown>) => call('PUT', '/api/targets', user, body);
/** Each unit's target of the month, by id. */
const targets = (
  g: { rows: { id: string; months: Record<string, { target: number | null }> }[] },
  month: string,
) => Object.fromEntries(g.rows.map((r) => [r.id, r.months[month]!.target]));

beforeAll(async () => {
  ({ warehouse, server, tokens } = await startTinyServer([
    { username: 'chen.zong', role: 'group', nodes: ['G'] },
    { username: 'wang.qiang', role: 'region', nodes: ['R1'] },
    { username: 'zhang.wei', role: 'store', nodes: ['S1'] },
    { username: 'wang.fang', role: 'staff', nodes: [], staff: 'E-101' },
    { username: 'qian.cw', role: 'finance', nodes: ['G'] },
  ]));
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

describe('targets cascaded', () => {
  it("shows a region's target as its stores' budgets, adding up", async () => {
    const g = await grid('R1', 'new_units', '2025-03', 'wang.qiang');
    expect(g.by).toBe('children');
    expect(g.additive).toBe(true);
    expect(g.parent['2025-03']).toEqual({ target: 3, locked: false, source: 'derived' });
    expect(
      g.rows.map((r: { id: string; months: Record<string, unknown> }) => [r.id, r.months['2025-03']]),
    ).toEqual([
      ['S1', { target: 2, locked: false, source: 'budget' }],
      ['S2', { target: 1, locked: false, source: 'budget' }],
    ]);
    expect(g.gaps).toEqual({ '2025-03': 0 });
  });

  it('a region manager retypes his stores: they must add up to the region, and then measure against them', async () => {
    const off = await put('wang.qiang', {
      node: 'R1',
      metric: 'new_units',
      month: '2025-03',
      method: 'manual',
      cells: [
        { id: 'S1', value: 1 },
        { id: 'S2', value: 1 },
      ],
    });
    expect(off.status).toBe(400);
    expect(off.body.error).toMatchObject({ code: 'targets_do_not_add_up', param: 'cells' });
    expect(off.body.error.message).toContain('off by -1');
    // His own total is set above him.
    expect(
      (
        await put('wang.qiang', {
          node: 'R1',
          metric: 'new_units',
          month: '2025-03',
          method: 'equal',
          total: 5,
        })
      ).body.error.code,
    ).toBe('target_out_of_scope');

    const ok = await put('wang.qiang', {
      node: 'R1',
      metric: 'new_units',
      month: '2025-03',
      method: 'manual',
      cells: [
        { id: 'S1', value: 1 },
        { id: 'S2', value: 2 },
      ],
    });
    expect(ok.status).toBe(200);
    expect(targets(ok.body, '2025-03')).toEqual({ S1: 1, S2: 2 });
    expect(ok.body.rows[0].months['2025-03']).toEqual({ target: 1, locked: true, source: 'set' });
    // S1's March against its new target: no new car sold in March (SO-0001 was in February).
    const kpi = await call(
      'GET',
      '/api/kpi?metrics=new_units&node=S1&from=2025-03-01&to=2025-03-31&compare=budget',
      'chen.zong',
    );
    expect(kpi.body.metrics.new_units.budget).toMatchObject({ target: 1, variance: -1, attainment: 0 });
  });

  it('the group sets its total and splits it by the divisions’ share of the last two months; each division’s spreads over its stores', async () => {
    const res = await put('chen.zong', {
      node: 'G',
      metric: 'new_units',
      month: '2025-03',
      method: 'share',
      months: 2,
      total: 10,
    });
    expect(res.status).toBe(200);
    // January–February new cars: D1 one (SO-0001 at S1), D2 none → D1 10, D2 0.
    expect(targets(res.body, '2025-03')).toEqual({ D1: 10, D2: 0 });
    expect(res.body.parent['2025-03'].target).toBe(10);
    expect(res.body.gaps).toEqual({ '2025-03': 0 });
    // D1's 10 over S1 and S2 in proportion to their targets (1 : 2): 3.33 → 3, 6.67 → 7.
    const r1 = await grid('R1', 'new_units', '2025-03');
    expect(targets(r1, '2025-03')).toEqual({ S1: 3, S2: 7 });
    // The region's locks hold.
    expect(r1.rows[0].months['2025-03'].locked).toBe(true);
    const stored = (
      await warehouse.knex.raw(
        `SELECT sum(value) AS n FROM app.targets t JOIN dim_org o ON o.node_id = t.node_id
       WHERE o.level = 'store' AND t.metric_id = 'new_units' AND t.month = '2025-03-01' AND t.staff_id = ''`,
      )
    ).rows as { n: number }[];
    expect(Number(stored[0]!.n)).toBe(10);
  });

  it("a store's target split among its people adds up exactly; a person measures against their own", async () => {
    // February has no budget: the region manager gives S1 a total of 5 and splits it evenly among
    // its consultants at work then, 王芳 E-101 and 李娜 E-102 (who left on 2025-02-28): 3 and 2.
    expect(
      (
        await put('zhang.wei', {
          node: 'S1',
          metric: 'new_units',
          month: '2025-02',
          method: 'equal',
          total: 5,
        })
      ).status,
    ).toBe(403);
    const res = await put('wang.qiang', {
      node: 'S1',
      metric: 'new_units',
      month: '2025-02',
      method: 'equal',
      total: 5,
    });
    expect(res.status).toBe(200);
    expect(res.body.by).toBe('staff');
    expect(targets(res.body, '2025-02')).toEqual({ 'E-101': 3, 'E-102': 2 });
    expect(res.body.gaps).toEqual({ '2025-02': 0 });
    // The store manager moves one to 李娜 by hand; 王芳 takes the rest.
    const moved = await put('zhang.wei', {
      node: 'S1',
      metric: 'new_units',
      month: '2025-02',
      method: 'equal',
      cells: [{ id: 'E-102', value: 4 }],
    });
    expect(targets(moved.body, '2025-02')).toEqual({ 'E-101': 1, 'E-102': 4 });
    // 王芳 sold SO-0001 in February: 1 of her own target of 1, and she reads it herself.
    const own = await call(
      'GET',
      '/api/kpi?metrics=new_units&node=S1&staff=E-101&from=2025-02-01&to=2025-02-28&compare=budget',
      'wang.fang',
    );
    expect(own.body.metrics.new_units.budget).toMatchObject({ target: 1, attainment: 1 });
    // But never her colleagues'.
    expect(
      (await call('GET', '/api/targets?node=S1&metric=new_units&from=2025-02&to=2025-02', 'wang.fang'))
        .status,
    ).toBe(403);
  });

  it('says by how much the people miss the store once its target moves', async () => {
    // March: S1 is at 3 (the group's spread); its only consultant at work gets all 3.
    await put('zhang.wei', { node: 'S1', metric: 'new_units', month: '2025-03', method: 'headcount' });
    expect(targets(await grid('S1', 'new_units', '2025-03'), '2025-03')).toEqual({ 'E-101': 3 });
    // The region moves S1 to 1 and S2 to 9: the people of S1 are now 2 over.
    await put('wang.qiang', {
      node: 'R1',
      metric: 'new_units',
      month: '2025-03',
      method: 'manual',
      cells: [
        { id: 'S1', value: 1 },
        { id: 'S2', value: 9 },
      ],
    });
    expect((await grid('S1', 'new_units', '2025-03')).gaps).toEqual({ '2025-03': 2 });
  });

  it('rates are set, not summed: the group sets R1’s finance penetration and its stores take it', async () => {
    const res = await put('chen.zong', {
      node: 'R1',
      metric: 'finance_penetration',
      month: '2025-03',
      method: 'equal',
      total: 0.6,
    });
    expect(res.status).toBe(200);
    expect(res.body.additive).toBe(false);
    expect(res.body.parent['2025-03']).toEqual({ target: 0.6, locked: false, source: 'set' });
    expect(targets(res.body, '2025-03')).toEqual({ S1: 0.6, S2: 0.6 });
    expect(res.body.gaps).toEqual({ '2025-03': null });
    const kpi = await call(
      'GET',
      '/api/kpi?metrics=finance_penetration&node=R1&from=2025-03-01&to=2025-03-31&compare=budget',
      'chen.zong',
    );
    expect(kpi.body.metrics.finance_penetration.budget.target).toBe(0.6);
  });

  it('records every change with who, when, from what to what, and how', async () => {
    const changes = (
      await warehouse.knex.raw(
        `SELECT actor, node_id, staff_id, old_value, new_value, locked, method FROM app.target_changes
         WHERE metric_id = 'new_units' AND month = '2025-02-01' ORDER BY change_id`,
      )
    ).rows;
    expect(changes).toEqual([
      {
        actor: 'wang.qiang',
        node_id: 'S1',
        staff_id: '',
        old_value: null,
        new_value: 5,
        locked: false,
        method: 'equal',
      },
      {
        actor: 'wang.qiang',
        node_id: 'S1',
        staff_id: 'E-101',
        old_value: null,
        new_value: 3,
        locked: false,
        method: 'equal',
      },
      {
        actor: 'wang.qiang',
        node_id: 'S1',
        staff_id: 'E-102',
        old_value: null,
        new_value: 2,
        locked: false,
        method: 'equal',
      },
      {
        actor: 'zhang.wei',
        node_id: 'S1',
        staff_id: 'E-101',
        old_value: 3,
        new_value: 1,
        locked: false,
        method: 'equal',
      },
      {
        actor: 'zhang.wei',
        node_id: 'S1',
        staff_id: 'E-102',
        old_value: 2,
        new_value: 4,
        locked: true,
        method: 'equal',
      },
    ]);
  });

  it('a value typed with its lock lifted stands; locks that leave the others less than nothing are refused', async () => {
    // R1's March is 10 (S1 1, S2 9, both locked by the region's manual split).
    const res = await put('wang.qiang', {
      node: 'R1',
      metric: 'new_units',
      month: '2025-03',
      method: 'equal',
      cells: [
        { id: 'S1', value: 4, locked: false },
        { id: 'S2', locked: false },
      ],
    });
    expect(targets(res.body, '2025-03')).toEqual({ S1: 4, S2: 6 });
    expect(res.body.rows[0].months['2025-03'].locked).toBe(false);
    const over = await put('wang.qiang', {
      node: 'R1',
      metric: 'new_units',
      month: '2025-03',
      method: 'equal',
      cells: [{ id: 'S1', value: 11 }],
    });
    expect([over.status, over.body.error.code]).toEqual([400, 'targets_do_not_add_up']);
    expect(over.body.error.message).toContain('more than the target of R1');
  });

  it('refuses what cannot be set, with the offending parameter', async () => {
    const cases: [string, Record<string, unknown>, number, string, string | undefined][] = [
      [
        'qian.cw',
        { node: 'G', metric: 'revenue', month: '2025-03', method: 'equal' },
        403,
        'read_only',
        undefined,
      ],
      [
        'chen.zong',
        { node: 'G', metric: 'stock_value', month: '2025-03', method: 'equal' },
        400,
        'not_targetable',
        'metric',
      ],
      [
        'chen.zong',
        {
          node: 'R1',
          metric: 'new_units',
          month: '2025-03',
          method: 'equal',
          cells: [{ id: 'S3', value: 1 }],
        },
        400,
        'invalid_body',
        'cells',
      ],
      [
        'chen.zong',
        { node: 'R1', metric: 'new_units', month: '2025-03', method: 'equal', by: 'staff' },
        400,
        'invalid_parameter',
        'node',
      ],
      [
        'chen.zong',
        { node: 'S3', metric: 'new_units', month: '2025-01', method: 'equal' },
        400,
        'no_target',
        'total',
      ],
      [
        'chen.zong',
        { node: 'R1', metric: 'new_units', month: '2025-13', method: 'equal' },
        400,
        'invalid_body',
        undefined,
      ],
      [
        'wang.qiang',
        { node: 'R2', metric: 'new_units', month: '2025-03', method: 'equal' },
        403,
        'node_out_of_scope',
        'node',
      ],
      [
        'chen.zong',
        { node: 'G', metric: 'new_units', month: '2025-03', method: 'equal', total: 10.5 },
        400,
        'invalid_parameter',
        'total',
      ],
      [
        'chen.zong',
        { node: 'G', metric: 'new_units', month: '2025-03', method: 'equal', total: 1e307 },
        400,
        'invalid_body',
        undefined,
      ],
    ];
    for (const [user, body, status, code, param] of cases) {
      const res = await put(user, body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status, code });
      if (param) expect(res.body.error.param).toBe(param);
    }
  });
});
