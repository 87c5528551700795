// Requests and answers of the KPI endpoints (/api/metrics, /api/org, /api/kpi, /api/breakdown,
// /api/timeseries, /api/series, /api/rank), and the comparison shapes compare.ts computes.
import { z } from 'zod';
import { METRIC_DOMAINS, METRIC_IDS, EXTRA_METRIC_IDS } from './metric-ids.ts';
import { date, limit, listOf, product, text } from './params.ts';
import {
  AGGREGATION_KINDS,
  BREAKDOWN_BY,
  COMPARE_KINDS,
  DIRECTIONS,
  GRAINS,
  MISSING_REASONS,
  ORG_LEVELS,
  STAFF_ROLES,
  UNITS,
} from './vocabulary.ts';

// ---- values and comparisons

const num = z.number().nullable();

export const unit = z.enum(UNITS);
export const direction = z.enum(DIRECTIONS);
export const orgLevel = z.enum(ORG_LEVELS);
export const metricId = z.enum([...METRIC_IDS, ...EXTRA_METRIC_IDS]);
export const metricDomain = z.enum(METRIC_DOMAINS);
export const missingReason = z.enum(MISSING_REASONS);
export const bilingual = z.strictObject({ zh: z.string(), en: z.string() });
export type Bilingual = z.output<typeof bilingual>;

export const thresholds = z.strictObject({
  /** Which side is bad: '<' = below the level is a breach, '>' = above. */
  op: z.enum(['<', '>']),
  warning: z.number(),
  critical: z.number().optional(),
  /** 'attainment' compares actual / budget target; 'value' the metric itself. */
  basis: z.enum(['value', 'attainment']),
  /** Consecutive periods in breach before it counts (e.g. operating cash flow). */
  periods: z.strictObject({ warning: z.number(), critical: z.number().optional() }).optional(),
  /** Where the level comes from: an industry source, or a suggested default a group tunes. */
  source: z.enum(['industry', 'suggested']),
});

/** The current value against a base (the previous period, the same period last year). */
export const comparison = z.strictObject({
  /** The base's value. */
  value: num,
  delta: num,
  change: num,
  reason: missingReason.extract(['no_data', 'base_not_positive', 'percentage_points']).optional(),
});

export const budgetComparison = z.strictObject({
  target: num,
  variance: num,
  attainment: num,
  reason: missingReason.extract(['no_data', 'no_target']).optional(),
});

/** A comparison with another period, and which period that was. */
export const periodComparison = comparison.extend({ from: z.string(), to: z.string() });

/** The comparisons a KPI or a breakdown row carries when asked. */
const comparisons = {
  prev: periodComparison.optional(),
  yoy: periodComparison.optional(),
  budget: budgetComparison.optional(),
};

/** No value because the period is not wholly inside the data's coverage (never 0). */
const noData = z.literal('no_data');

export const nodeRef = z.strictObject({ id: z.string(), name: z.string(), level: orgLevel });

export const staffRole = z.enum(STAFF_ROLES);
/** The person a figure is filtered to (staff=ID): their id, name and role from staff.csv. */
export const staffRef = z.strictObject({ id: z.string(), name: z.string(), role: staffRole });
/** Only the facts naming this person (a staff_id): person-level metrics only (their `breakdowns` list 'staff'). */
const staffFilter = text().optional();

// ---- /api/metrics, /api/org

export const metricInfo = z.strictObject({
  id: metricId,
  name: bilingual,
  domain: metricDomain,
  unit,
  direction,
  kind: z.enum(AGGREGATION_KINDS),
  thresholds: thresholds.nullable(),
  /** The metric's definition in words, built from its formula. */
  definition: bilingual,
  breakdowns: z.array(z.enum(BREAKDOWN_BY)),
});
export const metricsResponse = z.strictObject({ metrics: z.array(metricInfo) });

export const orgNode = z.strictObject({
  node_id: z.string(),
  parent_id: z.string().nullable(),
  level: orgLevel,
  name: z.string(),
  name_en: z.string().nullable(),
  store_type: z.string().nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  /** false: an ancestor of the user's nodes, shown by name only (breadcrumbs). */
  in_scope: z.boolean(),
});
export const orgResponse = z.strictObject({ nodes: z.array(orgNode) });

/** The data version: the last loaded extract. Clients and caches key on it. */
export const versionResponse = z.strictObject({
  run_id: z.int().nullable(),
  extract_id: z.string().nullable(),
  /** full or incremental. */
  kind: z.string().nullable(),
  period_to: z.string().nullable(),
  loaded_at: z.string().nullable(),
  /** First day of data: the start of the latest full extract. */
  data_from: z.string().nullable(),
});

// ---- /api/kpi

export const MAX_METRICS = 20;
/** Most points one time series answers. */
export const MAX_POINTS = 1000;
/** Most months one /api/series request covers. */
export const MAX_SERIES_MONTHS = 36;

const period = { node: text(), from: date, to: date };
const metricList = text(MAX_METRICS * 40)
  .transform((s) => s.split(',').map((v) => v.trim()))
  .refine((ids) => ids.length <= MAX_METRICS, `at most ${MAX_METRICS} metrics`);

export const kpiQuery = z
  .object({
    metrics: metricList,
    ...period,
    compare: listOf(COMPARE_KINDS, 3).optional(),
    product: product.optional(),
    staff: staffFilter,
  })
  .strict();

export const kpiValue = z.strictObject({
  value: num,
  unit,
  reason: noData.optional(),
  ...comparisons,
});
export const kpiResponse = z.strictObject({
  node: nodeRef,
  staff: staffRef.optional(),
  from: z.string(),
  to: z.string(),
  metrics: z.record(z.string(), kpiValue),
});

// ---- /api/breakdown

export const breakdownQuery = z
  .object({
    metric: text(),
    ...period,
    by: z.enum(BREAKDOWN_BY, { error: `must be one of ${BREAKDOWN_BY.join(', ')}` }),
    sort: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc'),
    limit: limit(500, 100),
    product: product.optional(),
    compare: listOf(COMPARE_KINDS, 3).optional(),
  })
  .strict();

export const breakdownRow = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** By children: the unit's store type (4s, non4s, used_car, other); null for a division or region. */
  store_type: z.string().nullable().optional(),
  /** By staff: the person's role (null for the unassigned row, id UNASSIGNED_STAFF). */
  role: staffRole.nullable().optional(),
  value: num,
  ...comparisons,
});
export const breakdownResponse = z.strictObject({
  metric: metricId,
  node: nodeRef,
  by: z.enum(BREAKDOWN_BY),
  from: z.string(),
  to: z.string(),
  rows: z.array(breakdownRow),
  total: num,
  reason: noData.optional(),
});

// ---- /api/timeseries, /api/series

export const timeseriesQuery = z
  .object({
    metric: text(),
    ...period,
    grain: z.enum(GRAINS, { error: `must be one of ${GRAINS.join(', ')}` }),
    compare: listOf(['yoy', 'budget'] as const, 2).optional(),
    product: product.optional(),
    staff: staffFilter,
  })
  .strict();

const bucket = { period: z.string(), from: z.string(), to: z.string() };
export const timeseriesPoint = z.strictObject({
  ...bucket,
  /** null where the data does not cover the bucket (a gap, not zero). */
  value: num,
  yoy: num.optional(),
  /** The bucket's budget target (compare=budget). */
  target: num.optional(),
});
export const timeseriesResponse = z.strictObject({
  metric: metricId,
  node: nodeRef,
  staff: staffRef.optional(),
  grain: z.enum(GRAINS),
  unit,
  points: z.array(timeseriesPoint),
});

export const seriesQuery = z.object({ metrics: metricList, ...period }).strict();
export const seriesPoint = z.strictObject({ ...bucket, value: num });
export const seriesResponse = z.strictObject({
  node: nodeRef,
  from: z.string(),
  to: z.string(),
  series: z.record(z.string(), z.array(seriesPoint)),
});

// ---- /api/rank

export const rankQuery = z.object({ metric: text(), ...period, staff: staffFilter }).strict();

/** Who a node is compared with: its level, and for stores their type and main brand where it drives
 *  the metric; a person (staff=ID) with the people of their role at their store. */
export const peerGroup = z.strictObject({
  level: orgLevel,
  store_type: z.string().nullable(),
  brand: z.string().nullable(),
  role: staffRole.optional(),
});
export const rankResponse = z.strictObject({
  metric: metricId,
  level: orgLevel,
  staff: staffRef.optional(),
  value: num,
  /** 1 = best; null without a value. */
  rank: z.int().nullable(),
  /** Peers with a value, the node included. */
  of: z.int(),
  percentile: num,
  peer_group: peerGroup,
  /** The node's value minus the peers' median and minus their top quartile, in the metric's unit. */
  gap: z.strictObject({ median: num, top_quartile: num }),
  /** Each peer's name and value: only for a caller whose scope covers every peer. */
  peers: z.array(z.strictObject({ id: z.string(), name: z.string(), value: z.number() })).optional(),
});

export type Unit = z.output<typeof unit>;
export type Direction = z.output<typeof direction>;
export type MissingReason = z.output<typeof missingReason>;
export type Thresholds = z.output<typeof thresholds>;
export type Comparison = z.output<typeof comparison>;
export type BudgetComparison = z.output<typeof budgetComparison>;
export type PeriodComparison = z.output<typeof periodComparison>;
export type NodeRef = z.output<typeof nodeRef>;
export type MetricInfo = z.output<typeof metricInfo>;
export type OrgNodeInfo = z.output<typeof orgNode>;
export type OrgResponse = z.output<typeof orgResponse>;
export type KpiValue = z.output<typeof kpiValue>;
export type KpiResponse = z.output<typeof kpiResponse>;
export type BreakdownRow = z.output<typeof breakdownRow>;
export type BreakdownResponse = z.output<typeof breakdownResponse>;
export type TimeseriesPoint = z.output<typeof timeseriesPoint>;
export type TimeseriesResponse = z.output<typeof timeseriesResponse>;
export type SeriesResponse = z.output<typeof seriesResponse>;
export type PeerGroup = z.output<typeof peerGroup>;
export type RankResponse = z.output<typeof rankResponse>;
