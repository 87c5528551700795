// Rolling budget versions over real HTTP on fixtures/tiny (January – March 2025; budget.csv: March
// S1 2 new cars, S2 1, S1 finance penetration 0.5). Every figure is worked out by hand from tiny's
// files: new cars sold — S1 one in February, S2 and S3 one each in March; repair orders closed —
// S1 two in March (S2's opened in March is still open). The tests run in order, each on what the
// one before left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadThroughServer } from '../admin/commands.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { startTinyServer, type TestServer } from '../test/http.ts';
import { tinyCopy } from '../../../etl/test/helpers.ts';

let warehouse: Warehouse;
let server: TestServer;
let tokens: Record<string, string>;

const call = (method: string, path: string, user: string, body?: unknown) =>
  server.send(method, path, tokens[user], body);
const get = (path: string, user: string) => server.get(path, tokens[user]);
const grid = async (id: number, node: string, metric: string, user = 'qian.cw', range = '') =>
  (await get(`/api/budgets/${id}/lines?node=${node}&metric=${metric}${range}`, user)).body;
/** Each row's target of a month, by id. */
const targets = (
  g: { rows: { id: string; months: Record<string, { target: number | null }> }[] },
  month: string,
) => Object.fromEntries(g.rows.map((r) => [r.id, r.months[month]!.target]));
const cell = (
  g: { rows: { id: string; months: Record<string, { revision: number }> }[] },
  id: string,
  month: string,
) => g.rows.find((r) => r.id === id)!.months[month]!;
/** The budget target /api/kpi compares a node's month with. */
const kpiTarget = async (node: string, metric: string, month: string) => {
  const to = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0))
    .toISOString()
    .slice(0, 10);
  const res = await get(
    `/api/kpi?node=${node}&metrics=${metric}&from=${month}-01&to=${to}&compare=budget`,
    'chen.zong',
  );
  return res.body.metrics[metric].budget.target as number | null;
};

beforeAll(async () => {
  ({ warehouse, server, tokens } = await startTinyServer([
    { username: 'chen.zong', role: 'group', nodes: ['G'] },
    {
      username: 'qian.cw',
      role: 'finance',
      nodes: ['G'],
      domains: ['finance', 'inventory', 'sales', 'fi', 'aftersales'],
    },
    { username: 'li.hua', role: 'division', nodes: ['D1'] },
    { username: 'wang.qiang', role: 'region', nodes: ['R1'] },
    { username: 'liu.yang', role: 'region', nodes: ['R2'] },
    { username: 'zhang.wei', role: 'store', nodes: ['S1'] },
    { username: 'wang.fang', role: 'staff', nodes: [], staff: 'E-101' },
  ]));
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

let seeded: number;
let plan: number;

describe('budget versions', () => {
  it("the extract's budget.csv is the approved version: the budget of March", async () => {
    const { status, body } = await get('/api/budgets', 'chen.zong');
    expect(status).toBe(200);
    expect(body.versions).toHaveLength(1);
    expect(body.versions[0]).toMatchObject({
      status: 'approved',
      source: 'import',
      source_detail: 'tiny-2025-03-full',
      first_month: '2025-03',
      months: 1,
      governs: ['2025-03'],
      waiting_for: [],
    });
    expect(await kpiTarget('R1', 'new_units', '2025-03')).toBe(3);
    // Staff users and special grants take no part.
    expect((await get('/api/budgets', 'wang.fang')).status).toBe(403);
  });

  it("finance seeds a version from last year's actuals × 1.1, zero where an open store sold nothing", async () => {
    const res = await call('POST', '/api/budgets', 'qian.cw', {
      name: '2026 Q1',
      first_month: '2026-01',
      months: 3,
      seed: 'actuals',
      growth: 0.1,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'draft', source: 'actuals', author: 'qian.cw', governs: [] });
    seeded = res.body.id;
    const units = await grid(seeded, 'G', 'new_units');
    expect(units.rows.map((r: { id: string }) => r.id)).toEqual(['D1', 'D2']);
    const stores = await grid(seeded, 'R1', 'new_units');
    // Jan: nobody sold (0); Feb: S1 1 × 1.1 → 1; Mar: S2 1 × 1.1 → 1.
    expect(targets(stores, '2026-01')).toEqual({ S1: 0, S2: 0 });
    expect(targets(stores, '2026-02')).toEqual({ S1: 1, S2: 0 });
    expect(targets(stores, '2026-03')).toEqual({ S1: 0, S2: 1 });
    expect(stores.rows[0].last_year).toEqual({ '2026-01': 0, '2026-02': 1, '2026-03': 0 });
    const ros = await grid(seeded, 'R1', 'repair_orders');
    // S1's two March repair orders × 1.1 = 2.2 → 2; S2 closed none.
    expect(targets(ros, '2026-03')).toEqual({ S1: 2, S2: 0 });
    expect(ros.totals['2026-03']).toBe(2);
    // A rate is copied, not grown: S2 sold one car in March 2025 and financed none.
    const rates = await grid(seeded, 'S2', 'finance_penetration');
    expect(rates.additive).toBe(false);
    expect(targets(rates, '2026-03')).toEqual({ S2: 0 });
  });

  it('seeds from the forecast, and past its reach from the forecast of the month a year before', async () => {
    // The data ends in March 2025: the forecast runs April 2025 – March 2026. April 2026 lies past it,
    // and April 2025 has no actuals: its forecast stands in.
    const made = await call('POST', '/api/budgets', 'qian.cw', {
      name: 'from the forecast',
      first_month: '2026-03',
      months: 2,
      seed: 'forecast',
    });
    expect(made.status).toBe(201);
    const forecast = (await get('/api/forecast?metric=new_units&node=S3&horizon=12', 'chen.zong')).body as {
      points: { period: string; value: number }[];
    };
    const at = (period: string) => Math.round(forecast.points.find((p) => p.period === period)!.value);
    const g = await grid(made.body.id, 'S3', 'new_units');
    expect(g.rows[0].months['2026-03'].target).toBe(at('2026-03'));
    expect(g.rows[0].months['2026-04'].target).toBe(at('2025-04'));
  });

  it('another version copies its lines; a bad request names the parameter', async () => {
    const copy = await call('POST', '/api/budgets', 'chen.zong', {
      name: 'copy',
      first_month: '2026-02',
      months: 12,
      seed: 'version',
      from_version: seeded,
    });
    expect(copy.status).toBe(201);
    const g = await grid(copy.body.id, 'R1', 'new_units', 'chen.zong', '&from=2026-02&to=2026-03');
    expect(g.months).toEqual(['2026-02', '2026-03']);
    expect(targets(g, '2026-02')).toEqual({ S1: 1, S2: 0 });
    const bad = await call('POST', '/api/budgets', 'chen.zong', {
      name: 'x',
      first_month: '2026-13',
      seed: 'actuals',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('first_month');
    const noSource = await call('POST', '/api/budgets', 'chen.zong', {
      name: 'x',
      first_month: '2026-01',
      seed: 'version',
    });
    expect(noSource.body.error.param).toBe('from_version');
    expect(
      (
        await call('POST', '/api/budgets', 'wang.qiang', {
          name: 'x',
          first_month: '2026-01',
          seed: 'actuals',
        })
      ).status,
    ).toBe(403);
  });

  it('computes a result from its drivers, recomputes it when a driver changes, and refuses it typed over', async () => {
    const made = await call('POST', '/api/budgets', 'qian.cw', {
      name: 'drivers',
      first_month: '2026-02',
      months: 1,
      seed: 'actuals',
    });
    const id = made.body.id as number;
    const line = async (metric: string, node = 'S1') =>
      (await grid(id, node, metric)).rows[0].months['2026-02'] as {
        target: number | null;
        derived: boolean;
        revision: number;
      };
    const lastYear = async (metric: string) =>
      (await get(`/api/kpi?node=S1&metrics=${metric}&from=2025-02-01&to=2025-02-28`, 'chen.zong')).body
        .metrics[metric].value as number;
    // Seeded from February 2025 (S1: one new car, financed): each result is its drivers' product and last year's own.
    const gross = await line('new_gross_profit');
    expect(gross.derived).toBe(true);
    expect(gross.target).toBe(await lastYear('new_gross_profit'));
    expect((await line('new_gross_per_unit')).target).toBe(await lastYear('new_gross_per_unit'));
    const fi = await line('fi_income');
    expect(fi).toMatchObject({ derived: true, target: await lastYear('fi_income') });
    expect((await line('fi_income_per_contract')).target).toBe(fi.target);
    expect((await grid(id, 'S1', 'fi_income')).drivers).toEqual([
      'new_units',
      'finance_penetration',
      'fi_income_per_contract',
    ]);
    // Three cars planned instead of one: gross profit and F&I income three times theirs.
    const units = await line('new_units');
    const put = await call('PUT', `/api/budgets/${id}/lines`, 'qian.cw', {
      metric: 'new_units',
      cells: [{ node: 'S1', month: '2026-02', value: 3, revision: units.revision }],
    });
    expect(put.status).toBe(200);
    expect((await line('new_gross_profit')).target).toBe(3 * gross.target!);
    // The grid shows the drivers above the result: a store's own; above the stores, the units' sum
    // and the rate weighted by the units (S2 plans none: R1's gross per unit is S1's), so the
    // region's drivers multiply out to the region's result.
    const shown = await grid(id, 'R1', 'new_gross_profit');
    expect(shown.driver_values.new_units.S1['2026-02']).toBe(3);
    expect(shown.driver_values.new_gross_per_unit.S1['2026-02']).toBe(gross.target);
    const above = await grid(id, 'D1', 'new_gross_profit');
    expect(above.driver_values.new_units.R1['2026-02']).toBe(
      3 + ((await line('new_units', 'S2')).target ?? 0),
    );
    expect(above.driver_values.new_gross_per_unit.R1['2026-02']).toBe(gross.target);
    expect(above.rows.find((r: { id: string }) => r.id === 'R1').months['2026-02'].target).toBe(
      3 * gross.target!,
    );
    expect((await line('fi_income')).target).toBe(3 * fi.target!);
    const derived = (await warehouse
      .knex('app.budget_events')
      .where({ version_id: id, action: 'derive' })
      .pluck('metric_id')) as string[];
    expect(derived.sort()).toEqual(['fi_income', 'new_gross_profit']);
    // A rate above the stores is weighted by what it is a rate of: S1 sells 3 at 50% financed, S2
    // one at 100% — the region plans 62.5%, not the 75% a plain mean would say.
    const s2units = await line('new_units', 'S2');
    const s1pen = await line('finance_penetration');
    const s2pen = await line('finance_penetration', 'S2');
    await call('PUT', `/api/budgets/${id}/lines`, 'qian.cw', {
      metric: 'new_units',
      cells: [{ node: 'S2', month: '2026-02', value: 1, revision: s2units.revision }],
    });
    await call('PUT', `/api/budgets/${id}/lines`, 'qian.cw', {
      metric: 'finance_penetration',
      cells: [
        { node: 'S1', month: '2026-02', value: 0.5, revision: s1pen.revision },
        { node: 'S2', month: '2026-02', value: 1, revision: s2pen.revision },
      ],
    });
    expect((await grid(id, 'R1', 'finance_penetration')).totals['2026-02']).toBe(0.625);
    // A computed line is changed through its drivers, not typed over.
    const typed = await call('PUT', `/api/budgets/${id}/lines`, 'qian.cw', {
      metric: 'new_gross_profit',
      cells: [
        { node: 'S1', month: '2026-02', value: 1, revision: (await line('new_gross_profit')).revision },
      ],
    });
    expect(typed.status).toBe(400);
    expect(typed.body.error).toMatchObject({ code: 'derived', param: 'cells[0].value' });
  });

  it('allocates a target down to the stores so that every level adds up exactly', async () => {
    // Equally: G 101 → D1 51, D2 50 (the spare unit to the first); D1 → R1 51 → S1 26, S2 25; D2 → R2 50 → S3 50.
    const equal = await call('POST', `/api/budgets/${seeded}/allocate`, 'chen.zong', {
      node: 'G',
      metric: 'new_units',
      from: '2026-01',
      to: '2026-01',
      method: 'equal',
      total: 101,
    });
    expect(equal.status).toBe(200);
    expect(targets(equal.body, '2026-01')).toEqual({ D1: 51, D2: 50 });
    expect(equal.body.gaps['2026-01']).toBe(0);
    expect(targets(await grid(seeded, 'R1', 'new_units'), '2026-01')).toEqual({ S1: 26, S2: 25 });
    expect(targets(await grid(seeded, 'R2', 'new_units'), '2026-01')).toEqual({ S3: 50 });
    expect((await grid(seeded, 'D1', 'new_units')).node_target['2026-01'].target).toBe(51);
    // By last year's share (March 2025: S2 1, S3 1, S1 0), with S2 typed in and locked at 7: R1 20 → S1 13, S2 7.
    const s2 = cell(await grid(seeded, 'R1', 'new_units'), 'S2', '2026-03');
    const typed = await call('PUT', `/api/budgets/${seeded}/lines`, 'qian.cw', {
      metric: 'new_units',
      cells: [{ node: 'S2', month: '2026-03', value: 7, revision: s2.revision }],
    });
    expect(typed.status).toBe(200);
    const share = await call('POST', `/api/budgets/${seeded}/allocate`, 'chen.zong', {
      node: 'R1',
      metric: 'new_units',
      from: '2026-03',
      to: '2026-03',
      method: 'last_year',
      total: 20,
    });
    expect(share.status).toBe(200);
    expect(targets(share.body, '2026-03')).toEqual({ S1: 13, S2: 7 });
    expect(share.body.gaps['2026-03']).toBe(0);
    // Locked units above the target would leave the others less than nothing: refused, nothing written.
    const over = await call('POST', `/api/budgets/${seeded}/allocate`, 'chen.zong', {
      node: 'R1',
      metric: 'new_units',
      from: '2026-03',
      to: '2026-03',
      method: 'equal',
      total: 5,
    });
    expect(over.status).toBe(400);
    expect(over.body.error.param).toBe('total');
    expect(targets(await grid(seeded, 'R1', 'new_units'), '2026-03')).toEqual({ S1: 13, S2: 7 });
    // Splitting top-down is finance's and the group's.
    const manager = await call('POST', `/api/budgets/${seeded}/allocate`, 'wang.qiang', {
      node: 'R1',
      metric: 'new_units',
      from: '2026-03',
      to: '2026-03',
      method: 'equal',
    });
    expect(manager.status).toBe(403);
    // A rate is not split; a store has nobody below it.
    const rate = await call('POST', `/api/budgets/${seeded}/allocate`, 'chen.zong', {
      node: 'G',
      metric: 'finance_penetration',
      from: '2026-01',
      to: '2026-01',
      method: 'equal',
      total: 0.5,
    });
    expect(rate.status).toBe(400);
    expect(rate.body.error.param).toBe('metric');
  });

  it('says by how much the units miss the target set for their parent', async () => {
    // R1 was given 20 for March; S1 retyped to 10 leaves the stores 3 short.
    const s1 = cell(await grid(seeded, 'R1', 'new_units'), 'S1', '2026-03');
    await call('PUT', `/api/budgets/${seeded}/lines`, 'qian.cw', {
      metric: 'new_units',
      cells: [{ node: 'S1', month: '2026-03', value: 10, revision: s1.revision }],
    });
    const g = await grid(seeded, 'R1', 'new_units');
    expect(g.totals['2026-03']).toBe(17);
    expect(g.gaps['2026-03']).toBe(-3);
  });

  it('a concurrent edit of the same line answers 409 with what changed, and overwrites nothing', async () => {
    const seen = cell(await grid(seeded, 'R1', 'new_units', 'wang.qiang'), 'S1', '2026-02');
    const first = await call('PUT', `/api/budgets/${seeded}/lines`, 'qian.cw', {
      metric: 'new_units',
      cells: [{ node: 'S1', month: '2026-02', value: 4, revision: seen.revision }],
    });
    expect(first.status).toBe(200);
    const second = await call('PUT', `/api/budgets/${seeded}/lines`, 'wang.qiang', {
      metric: 'new_units',
      cells: [
        {
          node: 'S2',
          month: '2026-02',
          value: 9,
          revision: cell(await grid(seeded, 'R1', 'new_units'), 'S2', '2026-02').revision,
        },
        { node: 'S1', month: '2026-02', value: 5, revision: seen.revision },
      ],
    });
    expect(second.status).toBe(409);
    expect(second.body.error.conflicts).toEqual([
      {
        node: 'S1',
        month: '2026-02',
        metric: 'new_units',
        yours: seen.revision,
        revision: seen.revision + 1,
        target: 4,
        set_by: 'qian.cw',
        set_at: expect.any(String),
      },
    ]);
    // The same line twice in one write is a bad request, not a race with itself.
    const twice = await call('PUT', `/api/budgets/${seeded}/lines`, 'qian.cw', {
      metric: 'new_units',
      cells: [
        { node: 'S2', month: '2026-02', value: 1, revision: 0 },
        { node: 'S2', month: '2026-02', value: 2, revision: 0 },
      ],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.param).toBe('cells[1]');
    // Neither cell of the refused write was applied.
    expect(targets(await grid(seeded, 'R1', 'new_units'), '2026-02')).toEqual({ S1: 4, S2: 0 });
  });

  it('a submitted part is closed to its managers; returned, it can be edited again and nothing else can', async () => {
    const edit = (user: string, node: string, value: number) =>
      grid(seeded, node === 'S3' ? 'R2' : 'R1', 'new_units', 'chen.zong').then((g) =>
        call('PUT', `/api/budgets/${seeded}/lines`, user, {
          metric: 'new_units',
          cells: [{ node, month: '2026-01', value, revision: cell(g, node, '2026-01').revision }],
        }),
      );
    const move = (user: string, to: string, node?: string, note?: string) =>
      call('POST', `/api/budgets/${seeded}/transition`, user, { to, node, note });
    expect((await edit('wang.qiang', 'S2', 30)).status).toBe(200);
    // Outside his region, and above the stores, a region manager changes nothing.
    expect((await edit('wang.qiang', 'S3', 1)).status).toBe(403);
    expect((await move('zhang.wei', 'submitted', 'R1')).status).toBe(403);
    expect((await move('wang.qiang', 'submitted', 'R1')).status).toBe(200);
    expect((await move('liu.yang', 'submitted', 'R2')).status).toBe(200);
    // Submitted: closed to the region's manager and to its stores'.
    expect((await edit('wang.qiang', 'S2', 31)).status).toBe(403);
    expect((await edit('zhang.wei', 'S1', 31)).status).toBe(403);
    // Only the level above approves or returns; a return says why.
    expect((await move('liu.yang', 'returned', 'R1', 'no')).status).toBe(403);
    expect((await move('li.hua', 'returned', 'R1')).status).toBe(400);
    const returned = await move('li.hua', 'returned', 'R1', '杭州店一月目标偏低');
    expect(returned.status).toBe(200);
    expect(returned.body.parts.find((p: { node: { id: string } }) => p.node.id === 'R1')).toMatchObject({
      status: 'returned',
      note: '杭州店一月目标偏低',
      actor: 'li.hua',
    });
    // Who must act: of the parts, those in the reader's scope only.
    expect(returned.body.waiting_for).toEqual([
      { action: 'revise', part: 'R1', by: 'R1' },
      { action: 'submit', part: null, by: 'finance' },
    ]);
    expect((await get(`/api/budgets/${seeded}`, 'chen.zong')).body.waiting_for).toEqual([
      { action: 'revise', part: 'R1', by: 'R1' },
      { action: 'approve', part: 'R2', by: 'D2' },
      { action: 'submit', part: null, by: 'finance' },
    ]);
    // Returned: R1's stores can be edited again, by the region and the store; R2 still cannot.
    expect((await edit('wang.qiang', 'S2', 32)).status).toBe(200);
    expect((await edit('zhang.wei', 'S1', 20)).status).toBe(200);
    expect((await edit('liu.yang', 'S3', 1)).status).toBe(403);
    const r1 = await grid(seeded, 'R1', 'new_units', 'wang.qiang');
    expect(r1.rows.every((r: { editable: boolean }) => r.editable)).toBe(true);
    expect((await grid(seeded, 'R2', 'new_units', 'liu.yang')).rows[0].editable).toBe(false);
  });

  it('the group approves the whole: the open months measure against it, a closed month keeps its budget', async () => {
    // A plan for March – May 2025: March closed (the data runs to 31 March), April and May open.
    const made = await call('POST', '/api/budgets', 'qian.cw', {
      name: '2025 Q2',
      first_month: '2025-03',
      months: 3,
      seed: 'actuals',
    });
    plan = made.body.id;
    const g = await grid(plan, 'R1', 'new_units');
    const write = await call('PUT', `/api/budgets/${plan}/lines`, 'qian.cw', {
      metric: 'new_units',
      cells: ['2025-03', '2025-04', '2025-05'].flatMap((m) => [
        { node: 'S1', month: m, value: 5, revision: cell(g, 'S1', m).revision },
        { node: 'S2', month: m, value: 6, revision: cell(g, 'S2', m).revision },
      ]),
    });
    expect(write.status).toBe(200);
    // Approval needs the version submitted (by finance or the group), and is the group's.
    expect(
      (await call('POST', `/api/budgets/${plan}/transition`, 'chen.zong', { to: 'approved' })).status,
    ).toBe(409);
    expect(
      (await call('POST', `/api/budgets/${plan}/transition`, 'qian.cw', { to: 'submitted' })).status,
    ).toBe(200);
    expect(
      (await call('POST', `/api/budgets/${plan}/transition`, 'qian.cw', { to: 'approved' })).status,
    ).toBe(403);
    const stale = await call('POST', `/api/budgets/${plan}/transition`, 'chen.zong', {
      to: 'approved',
      revision: 1,
    });
    expect(stale.status).toBe(409);
    const approved = await call('POST', `/api/budgets/${plan}/transition`, 'chen.zong', {
      to: 'approved',
      revision: 2,
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', governs: ['2025-04', '2025-05'] });
    expect(await kpiTarget('R1', 'new_units', '2025-03')).toBe(3);
    expect(await kpiTarget('R1', 'new_units', '2025-04')).toBe(11);
    // The import lost no month it governed that was closed: it stays approved for March.
    const list = (await get('/api/budgets', 'chen.zong')).body.versions;
    expect(list.find((v: { source: string }) => v.source === 'import')).toMatchObject({
      status: 'approved',
      governs: ['2025-03'],
    });
    // An approved version's lines no longer change.
    const late = await call('PUT', `/api/budgets/${plan}/lines`, 'qian.cw', {
      metric: 'new_units',
      cells: [{ node: 'S1', month: '2025-05', value: 1, revision: 2 }],
    });
    expect(late.status).toBe(409);
    // A version that plans less than it replaces: what it does not plan keeps the line approved
    // before (S2's April), and the plan, still the latest approval of May, stays approved.
    const partial = (
      await call('POST', '/api/budgets', 'qian.cw', {
        name: 'S1 only',
        first_month: '2025-04',
        months: 1,
        seed: 'actuals',
      })
    ).body.id as number;
    await call('PUT', `/api/budgets/${partial}/lines`, 'qian.cw', {
      metric: 'new_units',
      cells: [{ node: 'S1', month: '2025-04', value: 9, revision: 0 }],
    });
    await call('POST', `/api/budgets/${partial}/transition`, 'qian.cw', { to: 'submitted' });
    const taken = await call('POST', `/api/budgets/${partial}/transition`, 'chen.zong', { to: 'approved' });
    expect(taken.body.governs).toEqual(['2025-04']);
    expect(await kpiTarget('R1', 'new_units', '2025-04')).toBe(9 + 6);
    expect((await get(`/api/budgets/${plan}`, 'chen.zong')).body).toMatchObject({
      status: 'approved',
      governs: ['2025-05'],
    });
    // Every change is in the audit trail.
    const events = (await warehouse
      .knex('app.budget_events')
      .where({ version_id: plan })
      .orderBy('event_id')
      .pluck('action')) as string[];
    expect(events).toEqual(['create', 'edit', 'edit', 'edit', 'edit', 'edit', 'edit', 'submit', 'approve']);
  });

  it('rolling forward after a load closes April proposes the next draft: approved months copied, the rest forecast', async () => {
    const april = await tinyCopy({ meta: { extract_id: 'tiny-2025-04-full', period_to: '2025-04-30' } });
    const result = await loadThroughServer(warehouse, server.app, april);
    expect(result.load.status).toBe('loaded');
    // The load proposes the draft in the background; asking again waits for it, and makes none:
    // once per month closed.
    expect(await server.app.rollForward()).toBeNull();
    const drafts = (await get('/api/budgets', 'qian.cw')).body.versions.filter(
      (v: { source: string }) => v.source === 'rollforward',
    );
    expect(drafts).toHaveLength(1);
    const id = drafts[0].id as number;
    const draft = (await get(`/api/budgets/${id}`, 'qian.cw')).body;
    expect(draft).toMatchObject({
      status: 'draft',
      source: 'rollforward',
      author: 'system',
      first_month: '2025-05',
      months: 12,
    });
    // May was approved (S1 5, S2 6): copied. April 2026, the new twelfth month: the forecast.
    const may = await grid(id, 'R1', 'new_units', 'qian.cw', '&from=2025-05&to=2025-05');
    expect(targets(may, '2025-05')).toEqual({ S1: 5, S2: 6 });
    const last = await grid(id, 'S1', 'new_units', 'qian.cw', '&from=2026-04&to=2026-04');
    const forecast = await get('/api/forecast?metric=new_units&node=S1&horizon=12', 'chen.zong');
    const point = forecast.body.points.find((p: { period: string }) => p.period === '2026-04');
    expect(last.rows[0].months['2026-04'].target).toBe(Math.round(point.value));
  });
});
