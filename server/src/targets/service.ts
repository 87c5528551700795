// Targets cascaded below the budget: a node's target split among its children, a store's among
// its people (指标层层分解到人). Additive targets are kept at stores and people only, so a node's
// target is always the sum of its stores' and children add up to their parent by construction;
// a person's targets are their own, and the API says by how much a store's people miss the
// store's. Rate targets are set, not summed. Every change is recorded in app.target_changes.
import type { Knex } from 'knex';
import { format, subMonths, parseISO, endOfMonth } from '../metrics/date-fns.ts';
import type { TargetCell, TargetMethod, TargetsBody, TargetsResponse } from '../contract/targets.ts';
import { MAX_TARGET_MONTHS } from '../contract/targets.ts';
import type { StaffRole } from '../contract/vocabulary.ts';
import { HttpError } from '../errors.ts';
import { personRoleOf, type MetricDefinition } from '../metrics/catalog.ts';
import { evaluateMetric, measuresFor } from '../metrics/compiler.ts';
import type { Bucket } from '../metrics/periods.ts';
import type { Scope, VettedNode } from '../scope/scope.ts';
import { splitExactly } from './allocate.ts';
import { atWorkIn } from '../metrics/staff.ts';

type By = 'children' | 'staff';

const round2 = (x: number) => Math.round(x * 100) / 100;

interface Unit {
  id: string;
  name: string;
  role?: StaffRole | null;
  /** staff.csv's employment, for people. */
  hired_on?: string | null;
  left_on?: string | null;
}

/** A row of app.targets. */
interface Stored {
  month: string;
  node_id: string;
  staff_id: string;
  value: number;
  locked: boolean;
}

const monthStart = (m: string) => `${m}-01`;
const monthBucket = (m: string): Bucket => ({
  key: m,
  from: monthStart(m),
  to: format(endOfMonth(parseISO(monthStart(m))), 'yyyy-MM-dd'),
});

function monthsBetween(from: string, to: string): string[] {
  if (to < from) throw new HttpError(400, 'invalid_parameter', `to (${to}) is before from (${from})`, 'to');
  const span =
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5)) -
    Number(from.slice(5)) +
    1;
  if (span > MAX_TARGET_MONTHS)
    throw new HttpError(400, 'invalid_parameter', `at most ${MAX_TARGET_MONTHS} months`, 'from');
  const months: string[] = [];
  for (let d = parseISO(monthStart(from)); format(d, 'yyyy-MM') <= to; d = subMonths(d, -1))
    months.push(format(d, 'yyyy-MM'));
  return months;
}

/** Flows and rates have targets; balances and derived figures do not. */
function requireTargetable(metric: MetricDefinition): { additive: boolean } {
  if (metric.kind === 'sum' && metric.formula.kind === 'sum') return { additive: true };
  if (metric.kind === 'ratio') return { additive: false };
  throw new HttpError(
    400,
    'not_targetable',
    `metric ${metric.id} is a ${metric.kind}: it has no targets`,
    'metric',
  );
}

/** Money to the fen, counts whole. */
const decimalsOf = (metric: MetricDefinition) => (metric.unit === 'units' || metric.unit === 'count' ? 0 : 2);

/** The units of a node's grid: its children, or (a store, a person-level metric) its people of the metric's role at work in the months. */
async function unitsOf(knex: Knex, node: VettedNode, metric: MetricDefinition, by: By, months: string[]) {
  if (by === 'children') {
    if (node.level === 'store')
      throw new HttpError(
        400,
        'invalid_parameter',
        'by: a store has no children, its people are by=staff',
        'by',
      );
    return (await knex('dim_org')
      .where({ parent_id: node.node_id })
      .orderBy('node_id')
      .select('node_id as id', 'name')) as Unit[];
  }
  if (node.level !== 'store')
    throw new HttpError(400, 'invalid_parameter', 'node: targets by staff are set at a store', 'node');
  const role = personRoleOf(metric);
  if (!role)
    throw new HttpError(400, 'not_targetable', `metric ${metric.id} is not a person-level figure`, 'metric');
  const first = monthStart(months[0]!);
  const last = monthBucket(months.at(-1)!).to;
  return (await knex('dim_staff')
    .where({ store_id: node.node_id, role })
    .andWhere(atWorkIn({ from: first, to: last }))
    .orderBy('staff_id')
    .select('staff_id as id', 'name', 'role', 'hired_on', 'left_on')) as Unit[];
}

/** Rows of app.targets of the units (org nodes, or people of a store) for the metric and months. */
async function storedRows(
  knex: Knex,
  node: VettedNode,
  by: By,
  ids: string[],
  metric: MetricDefinition,
  months: string[],
): Promise<Stored[]> {
  if (!ids.length) return [];
  const q = knex('app.targets')
    .where({ metric_id: metric.id })
    .whereIn(
      'month',
      months.map((m) => monthStart(m)),
    );
  if (by === 'staff') q.where({ node_id: node.node_id }).whereIn('staff_id', ids);
  else q.where({ staff_id: '' }).whereIn('node_id', ids);
  const rows = (await q.select('month', 'node_id', 'staff_id', 'value', 'locked')) as Stored[];
  return rows.map((r) => ({ ...r, month: String(r.month).slice(0, 7), value: Number(r.value) }));
}

/** Whether the approved budget has a line for a store-month (the source of its target when none was set). */
async function budgetedStores(knex: Knex, ids: string[], metric: MetricDefinition, months: string[]) {
  if (!ids.length) return new Set<string>();
  const rows = (await knex('approved_budget')
    .where({ metric_id: metric.id })
    .whereIn('store_id', ids)
    .whereIn(
      'period',
      months.map((m) => monthStart(m)),
    )
    .select('store_id', 'period')) as { store_id: string; period: string }[];
  return new Set(rows.map((r) => `${r.store_id}|${String(r.period).slice(0, 7)}`));
}

/** The grid: the node's target and each unit's, month by month, with locks, sources and gaps. */
export async function targetGrid(
  knex: Knex,
  scope: Scope,
  node: VettedNode,
  metric: MetricDefinition,
  months: string[],
  byParam?: By,
): Promise<TargetsResponse> {
  const { additive } = requireTargetable(metric);
  const by = byParam ?? (node.level === 'store' ? 'staff' : 'children');
  const units = await unitsOf(knex, node, metric, by, months);
  const ids = units.map((u) => u.id);
  const buckets = months.map(monthBucket);
  const [parentTargets, unitTargets, stored, ownRows, budgeted] = await Promise.all([
    scope.targets(node, [metric], buckets),
    by === 'staff'
      ? scope.peopleTargetsByMonth(node, ids, [metric], buckets)
      : scope.unitTargets(node, ids, [metric], buckets),
    storedRows(knex, node, by, ids, metric, months),
    storedRows(knex, node, 'children', [node.node_id], metric, months),
    budgetedStores(knex, [...ids, node.node_id], metric, months),
  ]);
  const levelOf = (id: string) =>
    id === node.node_id ? node.level : by === 'staff' ? 'person' : childLevel(node);
  const cell = (id: string, m: string, target: number | undefined, row: Stored | undefined): TargetCell => {
    const level = levelOf(id);
    const source =
      row && (level === 'store' || level === 'person' || !additive)
        ? 'set'
        : level === 'store' && budgeted.has(`${id}|${m}`)
          ? 'budget'
          : target !== undefined && level !== 'person'
            ? 'derived'
            : null;
    return { target: target ?? null, locked: row?.locked ?? false, source };
  };
  const find = (rows: Stored[], id: string, m: string) =>
    rows.find((r) => r.month === m && (by === 'staff' ? r.staff_id : r.node_id) === id);
  const parent = Object.fromEntries(
    months.map((m) => [
      m,
      cell(
        node.node_id,
        m,
        parentTargets.get(m)?.get(metric.id),
        ownRows.find((r) => r.month === m),
      ),
    ]),
  );
  const rows = units.map((u) => ({
    id: u.id,
    name: u.name,
    ...(by === 'staff' ? { role: u.role ?? null } : {}),
    months: Object.fromEntries(
      months.map((m) => [
        m,
        cell(u.id, m, unitTargets.get(m)?.get(u.id)?.get(metric.id), find(stored, u.id, m)),
      ]),
    ),
  }));
  const gaps = Object.fromEntries(
    months.map((m) => {
      const p = parent[m]!.target;
      if (!additive || p === null) return [m, null];
      const sum = rows.reduce((total, r) => total + (r.months[m]!.target ?? 0), 0);
      return [m, Math.round((sum - p) * 100) / 100];
    }),
  );
  return {
    metric: metric.id,
    node: { id: node.node_id, name: node.name, level: node.level },
    by,
    unit: metric.unit,
    additive,
    months,
    parent,
    rows,
    gaps,
  };
}

const childLevel = (node: VettedNode) =>
  node.level === 'group' ? 'division' : node.level === 'division' ? 'region' : 'store';

export function parseMonths(from: string, to: string): string[] {
  return monthsBetween(from, to);
}

/** Roles that set targets: the line managers (not finance, special grants or staff users). */
const SETS_TARGETS = new Set(['group', 'division', 'region', 'store']);

/**
 * Sets a month's targets of a node's units: the node's own total (when the caller's scope covers
 * its parent), cells typed in and locks, and the rest split by the method. Additive targets must
 * add up to the node's: typed cells that do not answer 400 with the gap.
 */
export async function allocateTargets(
  knex: Knex,
  scope: Scope,
  input: TargetsBody,
  now = new Date(),
): Promise<TargetsResponse> {
  const node = await scope.node(input.node);
  const metric = scope.metric(input.metric);
  if (!SETS_TARGETS.has(scope.user.role))
    throw new HttpError(403, 'read_only', `a ${scope.user.role} user does not set targets`);
  const { additive } = requireTargetable(metric);
  const month = input.month;
  const grid = await targetGrid(knex, scope, node, metric, [month], input.by);
  const by = grid.by;
  if (input.total !== undefined && !(await scope.coversParentOf(node)))
    throw new HttpError(
      403,
      'target_out_of_scope',
      `the target of ${node.node_id} itself is set above it; you split it among its units`,
      'total',
    );
  const total = input.total ?? grid.parent[month]!.target;
  if (total === null)
    throw new HttpError(
      400,
      'no_target',
      `${node.node_id} has no ${metric.id} target for ${month}: give total`,
      'total',
    );

  // Each unit's value and lock after the cells given: a typed value locks its cell unless told not to.
  const known = new Set(grid.rows.map((r) => r.id));
  const given = new Map(input.cells.map((c) => [c.id, c]));
  for (const id of given.keys())
    if (!known.has(id))
      throw new HttpError(
        400,
        'invalid_body',
        `cells: ${id} is not one of the units of ${node.node_id}`,
        'cells',
      );
  const units = grid.rows.map((r) => {
    const c = given.get(r.id);
    const current = r.months[month]!;
    const locked = c?.locked ?? (c?.value !== undefined ? true : current.locked);
    return { id: r.id, value: c?.value ?? current.target, locked, typed: c?.value !== undefined };
  });
  // A typed value stands, locked or not; the split goes to the units neither locked nor typed.
  const open = input.method === 'manual' ? [] : units.filter((u) => !u.locked && !u.typed);
  const decimals = decimalsOf(metric);
  if (additive && Math.round(total * 10 ** decimals) / 10 ** decimals !== total)
    throw new HttpError(
      400,
      'invalid_parameter',
      `the target of ${node.node_id} for ${month} is ${total}: ${metric.id} targets are whole ${decimals ? 'fen' : 'units'}; give total`,
      'total',
    );

  // Each unit's new value; a unit without a target that nobody typed keeps none (no 0 is invented).
  let values: Map<string, number>;
  if (open.length === 0) {
    values = new Map(units.flatMap((u) => (u.value === null ? [] : [[u.id, u.value] as const])));
  } else if (!additive) {
    values = new Map(units.map((u) => [u.id, open.includes(u) ? total : (u.value ?? total)]));
  } else {
    const fixed = units.filter((u) => !open.includes(u)).reduce((s, u) => s + (u.value ?? 0), 0);
    if (total >= 0 && fixed > total)
      throw new HttpError(
        400,
        'targets_do_not_add_up',
        `the locked and typed units add up to ${round2(fixed)}, more than the target of ${node.node_id} for ${month} (${total}): the others would get less than nothing`,
        'cells',
      );
    const weights = await weightsOf(
      knex,
      scope,
      node,
      metric,
      by,
      month,
      input.method as Exclude<TargetMethod, 'manual'>, // open units exist only for a split
      input.months,
      open.map((u) => u.id),
    );
    const parts = splitExactly(total - fixed, weights, decimals);
    values = new Map(units.flatMap((u) => (u.value === null ? [] : [[u.id, u.value] as const])));
    open.forEach((u, i) => values.set(u.id, parts[i]!));
  }
  if (additive) {
    const sum = [...values.values()].reduce((a, b) => a + b, 0);
    const gap = Math.round((sum - total) * 100) / 100;
    if (gap !== 0)
      throw new HttpError(
        400,
        'targets_do_not_add_up',
        `the units add up to ${Math.round(sum * 100) / 100}, the target of ${node.node_id} for ${month} is ${total}: off by ${gap}`,
        'cells',
      );
  }

  await knex.transaction(async (trx) => {
    const write = recorder(trx, scope.user.username, metric.id, monthStart(month), now);
    if (input.total !== undefined && (node.level === 'store' || !additive))
      await write(node.node_id, '', total, grid.parent[month]!.locked, input.method);
    for (const u of units) {
      const value = values.get(u.id);
      if (value === undefined) continue;
      if (by === 'staff') await write(node.node_id, u.id, value, u.locked, input.method);
      else if (!additive || node.level === 'region') await write(u.id, '', value, u.locked, input.method);
      else {
        // A child above the stores: a new total over its stores, in proportion to their targets now.
        if (value !== grid.rows.find((r) => r.id === u.id)!.months[month]!.target)
          await spreadOverStores(trx, write, u.id, metric, month, value, decimalsOf(metric));
        await write(u.id, '', value, u.locked, input.method);
      }
    }
  });
  return targetGrid(knex, scope, node, metric, [month], by);
}

type Write = (node: string, staff: string, value: number, locked: boolean, method: string) => Promise<void>;

/** Writes a target (and the change to the audit trail) when it differs from what is stored. */
function recorder(trx: Knex.Transaction, actor: string, metricId: string, month: string, now: Date): Write {
  return async (node, staff, value, locked, method) => {
    const key = { month, node_id: node, staff_id: staff, metric_id: metricId };
    const old = (await trx('app.targets').where(key).first('value', 'locked')) as
      { value: number; locked: boolean } | undefined;
    if (old && Number(old.value) === value && old.locked === locked) return;
    const at = now.toISOString();
    if (old) await trx('app.targets').where(key).update({ value, locked, set_by: actor, set_at: at });
    else await trx('app.targets').insert({ ...key, value, locked, set_by: actor, set_at: at });
    await trx('app.target_changes').insert({
      ...key,
      happened_at: at,
      actor,
      old_value: old ? Number(old.value) : null,
      new_value: value,
      locked,
      method,
    });
  };
}

/** A node's new additive total over the stores under it, in proportion to their targets now (evenly
 *  without any). A store's lock stays as its region set it: it holds against the region's own splits. */
async function spreadOverStores(
  trx: Knex.Transaction,
  write: Write,
  nodeId: string,
  metric: MetricDefinition,
  month: string,
  total: number,
  decimals: number,
): Promise<void> {
  const stores = (await trx('dim_org as s')
    .join('org_closure as c', 'c.descendant_id', 's.node_id')
    .leftJoin('effective_budget as b', function () {
      this.on('b.store_id', '=', 's.node_id')
        .andOn('b.metric_id', '=', trx.raw('?', [metric.id]))
        .andOn('b.period', '=', trx.raw('?::DATE', [monthStart(month)]));
    })
    .leftJoin('app.targets as t', function () {
      this.on('t.node_id', '=', 's.node_id')
        .andOn('t.staff_id', '=', trx.raw("''"))
        .andOn('t.metric_id', '=', trx.raw('?', [metric.id]))
        .andOn('t.month', '=', trx.raw('?::DATE', [monthStart(month)]));
    })
    .where({ 'c.ancestor_id': nodeId, 's.level': 'store' })
    .orderBy('s.node_id')
    .select('s.node_id', 'b.target', 't.locked')) as {
    node_id: string;
    target: number | null;
    locked: boolean | null;
  }[];
  const parts = splitExactly(
    total,
    stores.map((s) => Number(s.target ?? 0)),
    decimals,
  );
  for (const [i, s] of stores.entries()) await write(s.node_id, '', parts[i]!, s.locked ?? false, 'spread');
}

/** The weights of the open units for a method: their actuals over the months before, 1 each, or their headcount. */
async function weightsOf(
  knex: Knex,
  scope: Scope,
  node: VettedNode,
  metric: MetricDefinition,
  by: By,
  month: string,
  method: 'share' | 'equal' | 'headcount',
  months: number,
  ids: string[],
): Promise<number[]> {
  if (method === 'equal') return ids.map(() => 1);
  const start = parseISO(monthStart(month));
  if (method === 'share') {
    const base: Bucket = {
      key: 'base',
      from: format(subMonths(start, months), 'yyyy-MM-dd'),
      to: format(endOfMonth(subMonths(start, 1)), 'yyyy-MM-dd'),
    };
    const values = await scope.measures(node, {
      measures: measuresFor([metric]),
      periods: [base],
      grouping: by === 'staff' ? { by: 'staff' } : { by: 'children' },
    });
    return ids.map((id) => evaluateMetric(metric, values.get(id)?.get('base') ?? {}, base) ?? 0);
  }
  // Headcount: the people of the metric's role (everyone, for a store-level figure) at work in the
  // month under each unit; a person counts for the part of the month they are employed.
  const bucket = monthBucket(month);
  const role = personRoleOf(metric);
  const people = (await knex('dim_staff as p')
    .join('org_closure as c', 'c.descendant_id', 'p.store_id')
    .where('c.ancestor_id', node.node_id)
    .modify((q) => void (role && q.where('p.role', role)))
    .andWhere(atWorkIn(bucket, 'p'))
    .select('p.staff_id', 'p.store_id', 'p.hired_on', 'p.left_on')) as {
    staff_id: string;
    store_id: string;
    hired_on: string | null;
    left_on: string | null;
  }[];
  const days = Number(bucket.to.slice(8));
  const share = (p: (typeof people)[number]) => {
    const from = p.hired_on && p.hired_on > bucket.from ? Number(p.hired_on.slice(8)) : 1;
    const to = p.left_on && p.left_on < bucket.to ? Number(p.left_on.slice(8)) : days;
    return (to - from + 1) / days;
  };
  if (by === 'staff')
    return ids.map((id) =>
      share(
        people.find((p) => p.staff_id === id) ?? {
          staff_id: id,
          store_id: '',
          hired_on: null,
          left_on: null,
        },
      ),
    );
  const under = (await knex('org_closure')
    .whereIn('ancestor_id', ids)
    .select('ancestor_id', 'descendant_id')) as { ancestor_id: string; descendant_id: string }[];
  return ids.map((id) =>
    people
      .filter((p) => under.some((u) => u.ancestor_id === id && u.descendant_id === p.store_id))
      .reduce((n, p) => n + share(p), 0),
  );
}
