// The metric compiler: turns (metrics, org node, product filter, periods, grouping) into knex
// queries over the warehouse and evaluates the metric formulas on the summed measures.
// One query per (fact source, time rule), or one query over the store × month roll-up (rollup.ts)
// for every measure it holds when the periods are whole months; every query is restricted to the
// stores under one org node through org_closure, and that node comes from scope.ts, never straight
// from a request.
import type { Knex } from 'knex';
import { round } from '../contract/compare.ts';
import { measuresOf, METRIC_BY_ID, type MetricDefinition, type Scale, type Terms } from './catalog.ts';
import type { ProductFilter } from '../contract/params.ts';
import type { ProductLevel } from '../contract/vocabulary.ts';
import { UNASSIGNED_STAFF } from '../contract/vocabulary.ts';
import { MEASURES, SOURCES, type Measure, type MeasureId, type Source, type TimeRule } from './measures.ts';
import {
  daysIn,
  lastMonthEndOnOrBefore,
  monthEndsIn,
  monthStartsOf,
  monthsIn,
  type Bucket,
} from './periods.ts';

export type { ProductFilter };

export type Grouping =
  | { by: 'none' }
  | { by: 'children' }
  | { by: 'product'; level: ProductLevel }
  /** The province each store lies in (the wall's map). */
  | { by: 'province' }
  /** Every node of an org level under the node (peers for a ranking). */
  | { by: 'level'; level: 'group' | 'division' | 'region' | 'store' }
  /** Each store's own id, without a walk through the tree (what the roll-up is built from); with a
   *  product level, each store × product ('S0001|宝马': the forecasts' series). */
  | { by: 'store'; level?: ProductLevel }
  /** The person each row names (sources with a staff column); UNASSIGNED_STAFF for none or an
   *  id dim_staff does not hold, so the people of a store add up to the store. */
  | { by: 'staff' };

/** The store × month roll-up of the data version being read (rollup.ts): the months it holds. */
export interface RollupInfo {
  /** First day of its first and last month. */
  from: string;
  to: string;
}

export interface MeasureRequest {
  measures: readonly MeasureId[];
  /** All stores under this node are included. */
  node: string;
  periods: readonly Bucket[];
  grouping: Grouping;
  product?: ProductFilter;
  /** Only the rows naming this person (a staff_id of dim_staff). */
  staff?: string;
  /** The roll-up, when it holds the current data version: whole-month periods are read from it. */
  rollup?: RollupInfo | null;
}

/** Summed measures by group key, then by period key. The group key is '' when not grouped. */
export type MeasureValues = Map<string, Map<string, Partial<Record<MeasureId, number>>>>;

const TOTAL = '';

/** dim_product's column for each product level. */
const PRODUCT_COLUMN: Record<ProductLevel, string> = {
  origin: 'product.origin',
  brand: 'product.brand',
  series: 'product.series',
  model: 'product.model_id',
  powertrain: 'product.powertrain',
};

/** Measures that are averages over month ends: summed in SQL, divided by the count here. */
const isMonthEndAverage = (rule: TimeRule) =>
  rule.kind === 'month_end_avg_open' || rule.kind === 'snapshot_month_end_avg';

export async function queryMeasures(knex: Knex, request: MeasureRequest): Promise<MeasureValues> {
  const measures = [...new Set(request.measures)];
  const rolled = rollupServes(request) ? measures.filter((id) => isRolledUp(MEASURES[id].time)) : [];
  const groups = bySourceAndRule(measures.filter((id) => !rolled.includes(id)));
  const results = await Promise.all([
    ...groups.map((ids) => runGroup(knex, request, ids)),
    ...(rolled.length ? [runRollup(knex, request, rolled)] : []),
  ]);
  const values: MeasureValues = new Map();
  for (const rows of results) {
    for (const row of rows) {
      const group = String(row.group_key ?? TOTAL);
      const byPeriod = values.get(group) ?? new Map();
      values.set(group, byPeriod);
      byPeriod.set(row.period_key, { ...(byPeriod.get(row.period_key) ?? {}), ...row.values });
    }
  }
  return values;
}

/** Measures grouped by (fact source, time rule): the measures one fact query sums. */
export function bySourceAndRule(ids: readonly MeasureId[]): MeasureId[][] {
  const groups = new Map<string, MeasureId[]>();
  for (const id of new Set(ids)) {
    const key = `${MEASURES[id].source}|${JSON.stringify(MEASURES[id].time)}`;
    groups.set(key, [...(groups.get(key) ?? []), id]);
  }
  return [...groups.values()];
}

/** Time rules whose value over whole months follows from each month's value (rollup.ts holds them). */
export const isRolledUp = (rule: TimeRule): boolean => rule.kind !== 'sold_new_12_36m';

/** The product level a grouping splits by (by product, or store × product), if any. */
const productLevelOf = (grouping: Grouping): ProductLevel | null =>
  grouping.by === 'product' || grouping.by === 'store' ? (grouping.level ?? null) : null;

/** Whether the roll-up can answer the request: no product, every period whole months it holds. */
function rollupServes(request: MeasureRequest): boolean {
  const { rollup } = request;
  if (!rollup || request.product || productLevelOf(request.grouping)) return false;
  if (request.staff !== undefined || request.grouping.by === 'staff') return false;
  return request.periods.every((p) => {
    const months = monthStartsOf(p);
    return months !== null && months[0]! >= rollup.from && months.at(-1)! <= rollup.to;
  });
}

interface GroupRow {
  period_key: string;
  group_key: string | null;
  values: Partial<Record<MeasureId, number>>;
}

/** The query summing measures of one (source, time rule) over the fact rows: a row per period and group. */
export function factQuery(knex: Knex, request: MeasureRequest, ids: readonly MeasureId[]): Knex.QueryBuilder {
  const first: Measure = MEASURES[ids[0]!];
  const source = SOURCES[first.source];
  const rule = first.time;
  const monthEnds = new Map(request.periods.map((p) => [p.key, monthEndsIn(p)]));

  let query = knex.from(knex.raw(source.from)).join('org_closure as scope', function () {
    this.on('scope.descendant_id', '=', knex.raw(source.store)).andOn(
      'scope.ancestor_id',
      '=',
      knex.raw('?', [request.node]),
    );
  });
  // A measure that reads the period's first or last day needs the periods themselves.
  const bounded = ids.some((id) => /@start|@end/.test(MEASURES[id].expr));
  const months = bounded ? null : monthJoin(rule, request.periods);
  if (months) {
    // Whole months: an equality join on the row's month, a hash join (a range join over many
    // periods, as a 12-month series asks, costs DuckDB two to three times as much).
    query = query
      .with(
        'period_months',
        knex.raw(
          `SELECT * FROM (VALUES ${months.rows.map(() => '(?::VARCHAR, ?::DATE)').join(', ')}) t(k, m)`,
          months.rows.flat(),
        ),
      )
      .join('period_months as p', knex.raw(`${months.month} = p.m`));
  } else {
    const periodRows = request.periods.map(() => '(?::VARCHAR, ?::DATE, ?::DATE, ?::DATE)').join(', ');
    const periodBindings = request.periods.flatMap((p) => [
      p.key,
      p.from,
      p.to,
      lastMonthEndOnOrBefore(p.to),
    ]);
    query = query
      .with(
        'periods',
        knex.raw(`SELECT * FROM (VALUES ${periodRows}) t(k, p_from, p_to, p_snapshot)`, periodBindings),
      )
      .join('periods as p', knex.raw(timeCondition(rule)));
  }

  if (isMonthEndAverage(rule)) {
    const rows = request.periods.flatMap((p) => monthEnds.get(p.key)!.map((d) => [p.key, d]));
    query = query
      .with(
        'month_ends',
        knex.raw(
          `SELECT * FROM (VALUES ${rows.map(() => '(?::VARCHAR, ?::DATE)').join(', ')}) t(k, d)`,
          rows.flat(),
        ),
      )
      .join('month_ends as me', knex.raw(monthEndCondition(rule)));
  }

  if (request.staff !== undefined || request.grouping.by === 'staff') {
    if (!source.staff) throw new Error(`source ${first.source} names no person`);
    if (request.staff !== undefined) query = query.where(source.staff.column, request.staff);
  }
  let groupKey: string;
  [query, groupKey] = withGrouping(knex, query, request, source);
  const { grouping } = request;
  const productLevel = productLevelOf(grouping);
  const byProduct = productLevel !== null || request.product;
  if (byProduct) {
    if (!source.model) throw new Error(`source ${first.source} has no product dimension`);
    query = query.join('dim_product as product', 'product.model_id', knex.raw(source.model));
    if (request.product) query = query.where(PRODUCT_COLUMN[request.product.level], request.product.value);
    if (grouping.by === 'product') groupKey = PRODUCT_COLUMN[grouping.level];
    else if (productLevel) groupKey = `${groupKey} || '|' || ${PRODUCT_COLUMN[productLevel]}`;
  }

  const end = endExpression(rule);
  const share = rule.kind === 'monthly' && !months ? monthShare(rule.period) : '1';
  const selects = ids.map((id) =>
    knex.raw(
      `${MEASURES[id].expr.replaceAll('@end', end).replaceAll('@start', 'p.p_from').replaceAll('@share', share)} AS ??`,
      [id],
    ),
  );
  // Snapshot averages divide by the month ends that have a snapshot, so a period reaching past the
  // last loaded month does not count as zero stock. (Open documents need no snapshot: a month
  // end with none open is a true zero.)
  const snapshots = rule.kind === 'snapshot_month_end_avg';
  if (snapshots) selects.push(knex.raw('count(DISTINCT me.d) AS month_ends_with_data'));
  return query
    .select(knex.raw('p.k AS period_key'), knex.raw(`${groupKey} AS group_key`), ...selects)
    .groupBy(knex.raw('ALL'));
}

async function runGroup(knex: Knex, request: MeasureRequest, ids: MeasureId[]): Promise<GroupRow[]> {
  const rule = MEASURES[ids[0]!].time;
  const snapshots = rule.kind === 'snapshot_month_end_avg';
  const monthEnds = new Map(request.periods.map((p) => [p.key, monthEndsIn(p)]));
  const rows = (await factQuery(knex, request, ids)) as Record<string, unknown>[];
  return rows.map((row) => {
    const values: Partial<Record<MeasureId, number>> = {};
    const divisor = snapshots
      ? Number(row.month_ends_with_data)
      : isMonthEndAverage(rule)
        ? monthEnds.get(String(row.period_key))!.length
        : 1;
    for (const id of ids) values[id] = row[id] === null ? 0 : Number(row[id]) / divisor;
    return { period_key: String(row.period_key), group_key: row.group_key as string | null, values };
  });
}

/** Joins what the grouping needs to a query over rows with a store column; the group key's expression. */
function withGrouping(
  knex: Knex,
  query: Knex.QueryBuilder,
  request: MeasureRequest,
  source: Pick<Source, 'store' | 'staff'>,
): [Knex.QueryBuilder, string] {
  const { store } = source;
  switch (request.grouping.by) {
    case 'children':
    case 'level': {
      // The unit above each store that the rows are grouped by: a child of the node, or a node of the level.
      const [column, value] =
        request.grouping.by === 'children'
          ? ['unit.parent_id', request.node]
          : ['unit.level', request.grouping.level];
      return [
        query
          .join('org_closure as below', 'below.descendant_id', knex.raw(store))
          .join('dim_org as unit', function () {
            this.on('unit.node_id', '=', 'below.ancestor_id').andOn(column, '=', knex.raw('?', [value]));
          }),
        'unit.node_id',
      ];
    }
    case 'province':
      return [query.join('dim_org as store', 'store.node_id', knex.raw(store)), 'store.province'];
    case 'store':
      return [query, store];
    case 'staff':
      return [
        query.leftJoin('dim_staff as person', 'person.staff_id', knex.raw(source.staff!.column)),
        knex.raw('coalesce(person.staff_id, ?)', [UNASSIGNED_STAFF]).toString(),
      ];
    default:
      return [query, 'NULL'];
  }
}

/** Measures from the store × month roll-up: sums over the months, or the last month's value for a
 *  balance at the period end, or the mean over month ends for an average (rollup.ts). */
async function runRollup(knex: Knex, request: MeasureRequest, ids: MeasureId[]): Promise<GroupRow[]> {
  const rows = request.periods.flatMap((p) =>
    monthStartsOf(p)!.map((m, i, all): [string, string, boolean] => [p.key, m, i === all.length - 1]),
  );
  const base = knex
    .with(
      'period_months',
      knex.raw(
        `SELECT * FROM (VALUES ${rows.map(() => '(?::VARCHAR, ?::DATE, ?::BOOLEAN)').join(', ')}) t(k, m, last)`,
        rows.flat(),
      ),
    )
    .from(`${ROLLUP_TABLE} as f`)
    .join('org_closure as scope', function () {
      this.on('scope.descendant_id', '=', 'f.store_id').andOn(
        'scope.ancestor_id',
        '=',
        knex.raw('?', [request.node]),
      );
    })
    .join('period_months as p', 'f.month', 'p.m');
  const [query, groupKey] = withGrouping(knex, base, request, { store: 'f.store_id' });
  const selects = ids.flatMap((id) => {
    const kind = MEASURES[id].time.kind;
    const atEnd = kind === 'at_end' || kind === 'snapshot_at_end' || kind === 'last_30_days';
    return [
      knex.raw(atEnd ? 'sum(??) FILTER (WHERE p.last) AS ??' : 'sum(??) AS ??', [`f.${id}`, id]),
      ...(kind === 'snapshot_month_end_avg'
        ? [
            knex.raw(`count(DISTINCT f.month) FILTER (WHERE ?? > 0) AS ??`, [
              `f.${monthsColumn(id)}`,
              monthsColumn(id),
            ]),
          ]
        : []),
    ];
  });
  const result = (await query
    .select(knex.raw('p.k AS period_key'), knex.raw(`${groupKey} AS group_key`), ...selects)
    .groupBy(knex.raw('ALL'))) as Record<string, unknown>[];
  const monthCounts = new Map(request.periods.map((p) => [p.key, monthStartsOf(p)!.length]));
  return result.map((row) => {
    const values: Partial<Record<MeasureId, number>> = {};
    for (const id of ids) {
      const kind = MEASURES[id].time.kind;
      const divisor =
        kind === 'snapshot_month_end_avg'
          ? Number(row[monthsColumn(id)])
          : kind === 'month_end_avg_open'
            ? monthCounts.get(String(row.period_key))!
            : 1;
      values[id] = row[id] === null || divisor === 0 ? 0 : Number(row[id]) / divisor;
    }
    return { period_key: String(row.period_key), group_key: row.group_key as string | null, values };
  });
}

/** The roll-up's table, and its column counting a snapshot average's month ends with data. */
export const ROLLUP_TABLE = 'agg_store_month';
export const monthsColumn = (id: MeasureId) => `${id}__months`;

/** For a rule that picks rows by day or month when every period is whole months: the month a
 *  source row counts in, and (period key, month start) for each month of each period; else null. */
function monthJoin(
  rule: TimeRule,
  periods: readonly Bucket[],
): { month: string; rows: [string, string][] } | null {
  if (rule.kind !== 'flow' && rule.kind !== 'monthly') return null;
  const rows: [string, string][] = [];
  for (const p of periods) {
    const starts = monthStartsOf(p);
    if (!starts) return null;
    rows.push(...starts.map((m): [string, string] => [p.key, m]));
  }
  return { month: rule.kind === 'flow' ? `date_trunc('month', ${rule.date})` : rule.period, rows };
}

/** The join condition between a source row `f` and a period `p`, by time rule. */
function timeCondition(rule: TimeRule): string {
  switch (rule.kind) {
    case 'flow':
      return `${rule.date} BETWEEN p.p_from AND p.p_to`;
    case 'last_30_days':
      return `${rule.date} BETWEEN p.p_to - INTERVAL 29 DAY AND p.p_to`;
    case 'monthly':
      return `${rule.period} BETWEEN date_trunc('month', p.p_from) AND p.p_to`;
    case 'at_end':
      return (
        `${rule.opened} <= p.p_to` +
        (rule.closed ? ` AND (${rule.closed} IS NULL OR ${rule.closed} > p.p_to)` : '')
      );
    case 'snapshot_at_end':
      return rule.monthStart
        ? `${rule.snapshot} = date_trunc('month', p.p_snapshot)`
        : `${rule.snapshot} = p.p_snapshot`;
    case 'held_days':
      return `${rule.opened} <= p.p_to AND (${rule.closed} IS NULL OR ${rule.closed} > p.p_from)`;
    case 'sold_new_12_36m':
      return `${rule.date} > p.p_to - INTERVAL 36 MONTH AND ${rule.date} <= p.p_to - INTERVAL 12 MONTH AND f.sale_type = 'new'`;
    case 'month_end_avg_open':
    case 'snapshot_month_end_avg':
      return 'true';
  }
}

function monthEndCondition(rule: TimeRule): string {
  if (rule.kind === 'month_end_avg_open') return `me.k = p.k AND ${rule.opened} <= me.d`;
  if (rule.kind === 'snapshot_month_end_avg') {
    return `me.k = p.k AND ${rule.snapshot} = ${rule.monthStart ? "date_trunc('month', me.d)" : 'me.d'}`;
  }
  throw new Error(`not a month-end rule: ${rule.kind}`);
}

/** The share of a monthly row's month that lies within the period, by days (budget.ts does the same). */
const monthShare = (period: string) =>
  `((least(last_day(${period}), p.p_to) - greatest(${period}, p.p_from) + 1) / (last_day(${period}) - ${period} + 1))`;

/** What `@end` in a measure expression stands for under its time rule. */
function endExpression(rule: TimeRule): string {
  return rule.kind === 'month_end_avg_open' ? 'me.d' : 'p.p_to';
}

// ---- evaluating metrics on measures ----

export const termsValue = (terms: Terms, m: Partial<Record<MeasureId, number>>) =>
  Object.entries(terms).reduce(
    (total, [id, coef]) => total + (m[id as MeasureId] ?? 0) * (coef as number),
    0,
  );

export function scaleFactor(scale: Scale | undefined, period: Bucket): number {
  if (!scale) return 1;
  switch (scale.per) {
    case 'days':
      return daysIn(period);
    case 'annualised':
      return 365 / daysIn(period);
    case 'months':
      return monthsIn(period);
    case 'constant':
      return scale.value;
  }
}

/** A metric's value from its measures; null when a ratio has no denominator. */
export function evaluateMetric(
  metric: MetricDefinition,
  measures: Partial<Record<MeasureId, number>>,
  period: Bucket,
): number | null {
  const f = metric.formula;
  if (f.kind === 'sum') return round(termsValue(f.terms, measures));
  if (f.kind === 'ratio') {
    const denominator = termsValue(f.denominator, measures);
    if (denominator === 0) return null;
    return round((termsValue(f.numerator, measures) / denominator) * scaleFactor(f.scale, period));
  }
  let total = 0;
  for (const [id, coef] of Object.entries(f.metrics)) {
    const value = evaluateMetric(METRIC_BY_ID.get(id)!, measures, period);
    if (value === null) return null;
    total += value * (coef as number);
  }
  return round(total);
}

export function measuresFor(metrics: readonly MetricDefinition[]): MeasureId[] {
  return [...new Set(metrics.flatMap(measuresOf))];
}
