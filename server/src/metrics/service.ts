// The KPI use cases behind /api/kpi, /api/breakdown, /api/timeseries and /api/rank. Each reads
// through the caller's Scope; comparisons and attainment are computed here, never stored.
import type { Knex } from 'knex';
import { compareWith, compareWithTarget } from '../contract/compare.ts';
import type {
  BreakdownResponse,
  BreakdownRow,
  KpiResponse,
  KpiValue,
  RankResponse,
  SeriesResponse,
  TimeseriesResponse,
} from '../contract/metrics.ts';
import {
  UNASSIGNED_STAFF,
  type BreakdownBy,
  type CompareKind,
  type Grain,
  type ProductLevel,
  type StaffRole,
} from '../contract/vocabulary.ts';
import { HttpError } from '../errors.ts';
import type { Scope, StaffMember, VettedNode, VettedStaff } from '../scope/scope.ts';
import { personRoleOf, supportsProduct, type MetricDefinition } from './catalog.ts';
import { measuresFor, type Grouping, type MeasureValues, type ProductFilter } from './compiler.ts';
import type { Coverage } from './coverage.ts';
import { atWorkIn, employedIn } from './staff.ts';
import type { MeasureId, PersonRole } from './measures.ts';
import { bucketsOf, previousPeriod, yearAgo, type Bucket, type Period } from './periods.ts';

function requireProductSupport(
  metrics: readonly MetricDefinition[],
  product: ProductFilter | undefined,
  param: string,
): void {
  if (!product) return;
  const unsupported = metrics.filter((m) => !supportsProduct(m));
  if (unsupported.length) {
    throw new HttpError(
      400,
      'unsupported_product_filter',
      `metric ${unsupported.map((m) => m.id).join(', ')} cannot be filtered by product`,
      param,
    );
  }
}

/** A person filter needs person-level metrics (catalog.ts personRoleOf): else 400. */
function requirePersonLevel(
  metrics: readonly MetricDefinition[],
  staff: VettedStaff | undefined,
  param: string,
): void {
  if (!staff) return;
  const unsupported = metrics.filter((m) => !personRoleOf(m));
  if (unsupported.length) {
    throw new HttpError(
      400,
      'unsupported_staff_filter',
      `metric ${unsupported.map((m) => m.id).join(', ')} is not a person-level figure`,
      param,
    );
  }
}

const staffRef = (staff: VettedStaff) => ({ id: staff.staff_id, name: staff.name, role: staff.role });

/** Whether a person was employed on some day of the period: outside it their figures are no data, not 0. */
/** A metric's value for a period from its measures (undefined: no fact in it); no data where the
 *  person (if any) was not employed and no fact names them (one that does counts all the same, so
 *  the people of a store still add up to it). */
const valueFor =
  (coverage: Coverage, staff: Pick<StaffMember, 'hired_on' | 'left_on'> | undefined) =>
  (metric: MetricDefinition, measures: Partial<Record<MeasureId, number>> | undefined, period: Bucket) =>
    staff && !measures && !employedIn(staff, period) ? null : coverage.value(metric, measures ?? {}, period);

export async function kpis(
  scope: Scope,
  node: VettedNode,
  metrics: MetricDefinition[],
  period: Period,
  compare: CompareKind[],
  filters: { product?: ProductFilter; staff?: VettedStaff } = {},
): Promise<KpiResponse> {
  const { product, staff } = filters;
  requireProductSupport(metrics, product, 'product');
  requirePersonLevel(metrics, staff, 'staff');
  const periods: Bucket[] = [{ key: 'current', ...period }];
  if (compare.includes('prev')) periods.push({ key: 'prev', ...previousPeriod(period) });
  if (compare.includes('yoy')) periods.push({ key: 'yoy', ...yearAgo(period) });
  // Budgets are per store (or person) and metric, not per product: no budget comparison under a product filter.
  const [measured, coverage, targets] = await Promise.all([
    scope.measures(node, {
      measures: measuresFor(metrics),
      periods,
      grouping: { by: 'none' },
      product,
      staff,
    }),
    scope.coverage(),
    compare.includes('budget') && !product
      ? (staff
          ? scope.personTargets(staff, metrics, [periods[0]!])
          : scope.targets(node, metrics, [periods[0]!])
        ).then((t) => t.get('current')!)
      : new Map<string, number>(),
  ]);
  const values = measured.get('') ?? new Map();
  const valueOf = valueFor(coverage, staff);

  const result: Record<string, KpiValue> = {};
  for (const metric of metrics) {
    const at = (p: Bucket) => valueOf(metric, values.get(p.key), p);
    const value = at(periods[0]!);
    const entry: KpiValue = { value, unit: metric.unit };
    if (!coverage.covers(metric, period) || (value === null && staff && !employedIn(staff, period)))
      entry.reason = 'no_data';
    for (const p of periods.slice(1)) {
      entry[p.key as 'prev' | 'yoy'] = { ...compareWith(metric.unit, value, at(p)), from: p.from, to: p.to };
    }
    if (compare.includes('budget')) entry.budget = compareWithTarget(value, targets.get(metric.id) ?? null);
    result[metric.id] = entry;
  }
  return {
    node: { id: node.node_id, name: node.name, level: node.level },
    ...(staff ? { staff: staffRef(staff) } : {}),
    from: period.from,
    to: period.to,
    metrics: result,
  };
}

export async function breakdown(
  knex: Knex,
  scope: Scope,
  node: VettedNode,
  metric: MetricDefinition,
  period: Period,
  by: BreakdownBy,
  options: { sort: 'asc' | 'desc'; limit: number; product?: ProductFilter; compare?: CompareKind[] },
): Promise<BreakdownResponse> {
  const byOrg = by === 'children' || by === 'province';
  if (by === 'staff') {
    if (node.level !== 'store')
      throw new HttpError(400, 'invalid_parameter', 'node: a breakdown by staff needs a store', 'node');
    if (!personRoleOf(metric))
      throw new HttpError(
        400,
        'unsupported_breakdown',
        `metric ${metric.id} is not a person-level figure: it cannot be broken down by staff`,
        'by',
      );
  } else if (!byOrg && !supportsProduct(metric)) {
    throw new HttpError(
      400,
      'unsupported_breakdown',
      `metric ${metric.id} cannot be broken down by ${by}`,
      'by',
    );
  }
  requireProductSupport([metric], options.product, 'product');
  const compare = options.compare ?? [];
  const bucket: Bucket = { key: 'current', ...period };
  const periods: Bucket[] = [bucket];
  if (compare.includes('prev')) periods.push({ key: 'prev', ...previousPeriod(period) });
  if (compare.includes('yoy')) periods.push({ key: 'yoy', ...yearAgo(period) });
  const grouping: Grouping =
    by === 'staff'
      ? { by: 'staff' }
      : byOrg
        ? { by: by as 'children' | 'province' }
        : { by: 'product', level: by as ProductLevel };
  const measures = measuresFor([metric]);
  // Every store under the node falls in exactly one child (and one province), and measures add up,
  // so the groups' sums are the node's total; product groups miss rows without a model (leads), so
  // they query it.
  const totalFromGroups = byOrg && node.level !== 'store';
  const [grouped, totals, orgGroups, coverage] = await Promise.all([
    scope.measures(node, { measures, periods, grouping, product: options.product }),
    totalFromGroups
      ? null
      : scope.measures(node, {
          measures,
          periods: [bucket],
          grouping: { by: 'none' },
          product: options.product,
        }),
    by === 'children' ? childNames(knex, node) : by === 'province' ? provinces(knex, node) : null,
    scope.coverage(),
  ]);
  // Budgets are set per store: a budget comparison for the units one level down only.
  const targets =
    compare.includes('budget') && !options.product
      ? by === 'children'
        ? await scope.childTargets(node, [metric], period)
        : by === 'staff'
          ? await scope.peopleTargets(node, [metric], period)
          : null
      : null;
  const names: Map<string, GroupName> | null =
    orgGroups ??
    (by === 'model'
      ? await modelNames(knex, [...grouped.keys()])
      : by === 'staff'
        ? await people(knex, node, personRoleOf(metric)!, period, withFigures(grouped, 'current'))
        : null);
  // Every child (province with a store) is listed, with or without data; product groups only where
  // there is data; people: the names people() lists (a comparison period's figures list nobody).
  const ids = byOrg || by === 'staff' ? [...names!.keys()] : [...grouped.keys()];
  const rows = ids.map((id) => {
    // A person's figures of a period they were not employed in are no data.
    const person = names?.get(id)?.employed;
    const at = (p: Bucket) => valueFor(coverage, person)(metric, grouped.get(id)?.get(p.key), p);
    const value = at(bucket);
    const row: BreakdownRow = {
      id,
      name: names?.get(id)?.name ?? id,
      ...(by === 'children' ? { store_type: names?.get(id)?.store_type ?? null } : {}),
      ...(by === 'staff' ? { role: names?.get(id)?.role ?? null } : {}),
      value,
    };
    for (const p of periods.slice(1))
      row[p.key as 'prev' | 'yoy'] = { ...compareWith(metric.unit, value, at(p)), from: p.from, to: p.to };
    if (targets) row.budget = compareWithTarget(value, targets.get(id)?.get(metric.id) ?? null);
    return row;
  });
  const direction = options.sort === 'asc' ? 1 : -1;
  // Rows without a value go last, and after them the facts naming nobody known; ties keep id order.
  const byValue = (a: number | null, b: number | null) =>
    a === b ? 0 : a === null ? 1 : b === null ? -1 : direction * (a - b);
  const unassignedLast = (id: string) => (id === UNASSIGNED_STAFF ? 1 : 0);
  rows.sort(
    (a, b) =>
      unassignedLast(a.id) - unassignedLast(b.id) || byValue(a.value, b.value) || a.id.localeCompare(b.id),
  );
  return {
    metric: metric.id,
    node: { id: node.node_id, name: node.name, level: node.level },
    by,
    from: period.from,
    to: period.to,
    rows: rows.slice(0, options.limit),
    total: coverage.value(metric, totals?.get('')?.get('current') ?? sumOver(grouped, 'current'), bucket),
    ...(coverage.covers(metric, bucket) ? {} : { reason: 'no_data' as const }),
  };
}

/** The groups with figures in a period. */
const withFigures = (values: MeasureValues, periodKey: string) =>
  [...values].filter(([, byPeriod]) => byPeriod.has(periodKey)).map(([id]) => id);

function sumOver(values: MeasureValues, periodKey: string): Partial<Record<MeasureId, number>> {
  const total: Partial<Record<MeasureId, number>> = {};
  for (const byPeriod of values.values()) {
    for (const [id, value] of Object.entries(byPeriod.get(periodKey) ?? {}))
      total[id as MeasureId] = (total[id as MeasureId] ?? 0) + value;
  }
  return total;
}

/** The provinces of the stores under the node, named as in org.csv. */
async function provinces(knex: Knex, node: VettedNode): Promise<Map<string, { name: string }>> {
  const rows = (await knex('dim_org as s')
    .join('org_closure as c', 'c.descendant_id', 's.node_id')
    .where({ 'c.ancestor_id': node.node_id, 's.level': 'store' })
    .whereNotNull('s.province')
    .distinct('s.province')
    .orderBy('s.province')) as { province: string }[];
  return new Map(rows.map((r) => [r.province, { name: r.province }]));
}

/** The units one level down, with their store type (a ranking of stores groups like with like). */
async function childNames(
  knex: Knex,
  node: VettedNode,
): Promise<Map<string, { name: string; store_type: string | null }>> {
  const rows = (await knex('dim_org')
    .where({ parent_id: node.node_id })
    .orderBy('node_id')
    .select('node_id', 'name', 'store_type')) as {
    node_id: string;
    name: string;
    store_type: string | null;
  }[];
  return new Map(rows.map((r) => [r.node_id, { name: r.name, store_type: r.store_type }]));
}

/** What a breakdown row is called, and for a child its store type, for a person their role. */
interface GroupName {
  name: string;
  store_type?: string | null;
  role?: StaffRole | null;
  employed?: Pick<StaffMember, 'hired_on' | 'left_on'>;
}

/**
 * The people a store's breakdown by staff lists: everyone of the metric's role at work there in
 * some part of the period, and anyone else the facts name (someone of another role who sold a
 * car, say); the facts naming nobody known under UNASSIGNED_STAFF.
 */
async function people(
  knex: Knex,
  store: VettedNode,
  role: PersonRole,
  period: Period,
  named: readonly string[],
): Promise<Map<string, GroupName>> {
  const rows = (await knex('dim_staff')
    .where((q) => q.where({ store_id: store.node_id, role }).andWhere(atWorkIn(period)))
    .orWhereIn('staff_id', named)
    .orderBy('staff_id')
    .select('staff_id', 'name', 'role', 'hired_on', 'left_on')) as Omit<StaffMember, 'store_id'>[];
  const names = new Map<string, GroupName>(
    rows.map((r) => [r.staff_id, { name: r.name, role: r.role, employed: r }]),
  );
  if (named.includes(UNASSIGNED_STAFF)) names.set(UNASSIGNED_STAFF, { name: '未匹配', role: null });
  return names;
}

async function modelNames(knex: Knex, ids: string[]): Promise<Map<string, { name: string }>> {
  const rows = (await knex('dim_product')
    .whereIn('model_id', ids)
    .select('model_id', 'model_name', 'series')) as {
    model_id: string;
    model_name: string;
    series: string;
  }[];
  // The series before the model's name, unless the name already says it (大众 ID.4 CROZZ PRIME).
  const nameOf = (r: (typeof rows)[number]) =>
    r.model_name.includes(r.series) ? r.model_name : `${r.series} ${r.model_name}`;
  return new Map(rows.map((r) => [r.model_id, { name: nameOf(r) }]));
}

/** A metric per calendar bucket; with last year's value and the budget target of each bucket when asked. */
export async function timeseries(
  scope: Scope,
  node: VettedNode,
  metric: MetricDefinition,
  period: Period,
  grain: Grain,
  compare: { yoy: boolean; budget: boolean },
  filters: { product?: ProductFilter; staff?: VettedStaff } = {},
): Promise<TimeseriesResponse> {
  const { product, staff } = filters;
  requireProductSupport([metric], product, 'product');
  requirePersonLevel([metric], staff, 'staff');
  const { yoy } = compare;
  const buckets = bucketsOf(period, grain);
  const lastYear = yoy ? buckets.map((b) => ({ ...yearAgo(b), key: `yoy:${b.key}` })) : [];
  // Budgets are per store (or person) and metric, not per product.
  const [measured, coverage, targets] = await Promise.all([
    scope.measures(node, {
      measures: measuresFor([metric]),
      periods: [...buckets, ...lastYear],
      grouping: { by: 'none' },
      product,
      staff,
    }),
    scope.coverage(),
    compare.budget && !product
      ? staff
        ? scope.personTargets(staff, [metric], buckets)
        : scope.targets(node, [metric], buckets)
      : null,
  ]);
  const values = measured.get('') ?? new Map();
  const at = (b: Bucket) => valueFor(coverage, staff)(metric, values.get(b.key), b);
  return {
    metric: metric.id,
    node: { id: node.node_id, name: node.name, level: node.level },
    ...(staff ? { staff: staffRef(staff) } : {}),
    grain,
    unit: metric.unit,
    points: buckets.map((b, i) => ({
      period: b.key,
      from: b.from,
      to: b.to,
      value: at(b),
      ...(yoy ? { yoy: at(lastYear[i]!) } : {}),
      ...(targets ? { target: targets.get(b.key)!.get(metric.id) ?? null } : {}),
    })),
  };
}

/**
 * Monthly values of several metrics at once (the overview's sparklines): one query per fact
 * source for all of them, instead of one request per metric.
 */
export async function monthlySeries(
  scope: Scope,
  node: VettedNode,
  metrics: MetricDefinition[],
  period: Period,
): Promise<SeriesResponse> {
  const buckets = bucketsOf(period, 'month');
  const [measured, coverage] = await Promise.all([
    scope.measures(node, { measures: measuresFor(metrics), periods: buckets, grouping: { by: 'none' } }),
    scope.coverage(),
  ]);
  const values = measured.get('') ?? new Map();
  const series: Record<string, { period: string; from: string; to: string; value: number | null }[]> = {};
  for (const metric of metrics)
    series[metric.id] = buckets.map((b) => ({
      period: b.key,
      from: b.from,
      to: b.to,
      value: coverage.value(metric, values.get(b.key) ?? {}, b),
    }));
  return {
    node: { id: node.node_id, name: node.name, level: node.level },
    from: period.from,
    to: period.to,
    series,
  };
}

/** A node's place among its peers; with `staff`, that person's among the people of their role at their store. */
export async function rank(
  scope: Scope,
  node: VettedNode,
  metric: MetricDefinition,
  period: Period,
  staff?: VettedStaff,
): Promise<RankResponse> {
  requirePersonLevel([metric], staff, 'staff');
  const bucket: Bucket = { key: 'current', ...period };
  if (staff)
    return {
      metric: metric.id,
      level: 'store',
      staff: staffRef(staff),
      ...(await scope.personRank(staff, metric, bucket)),
    };
  return { metric: metric.id, level: node.level, ...(await scope.rank(node, metric, bucket)) };
}
