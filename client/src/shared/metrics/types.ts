// Shapes of the API's answers (see GET /api/openapi.json). What a comparison holds is the shared
// contract (server/src/contract/compare.ts).
import type {
  BudgetComparison,
  Comparison,
  Direction,
  MissingReason,
  Thresholds,
  Unit,
} from '../../../../server/src/contract/compare.ts';

export type { BudgetComparison, Comparison, Direction, MissingReason, Thresholds, Unit };

export type OrgLevel = 'group' | 'division' | 'region' | 'store';

export interface MetricInfo {
  id: string;
  name: { zh: string; en: string };
  domain: string;
  unit: Unit;
  direction: Direction;
  kind: 'sum' | 'ratio' | 'balance' | 'avg-balance' | 'derived';
  thresholds: Thresholds | null;
  breakdowns: string[];
  /** The metric's definition in words, built from its formula. */
  definition?: { zh: string; en: string };
}

export interface OrgNode {
  node_id: string;
  parent_id: string | null;
  level: OrgLevel;
  name: string;
  name_en: string | null;
  store_type: string | null;
  province: string | null;
  city: string | null;
  in_scope: boolean;
}

/** A comparison with another period, and which period that was. */
export type PeriodComparison = Comparison & { from: string; to: string };

export interface KpiValue {
  value: number | null;
  unit: Unit;
  /** The period is not wholly inside the data's coverage: no value (never 0). */
  reason?: 'no_data';
  prev?: PeriodComparison;
  yoy?: PeriodComparison;
  budget?: BudgetComparison;
}

export interface KpiResponse {
  node: { id: string; name: string; level: OrgLevel };
  from: string;
  to: string;
  metrics: Record<string, KpiValue>;
}

export interface BreakdownRow {
  id: string;
  name: string;
  /** By children: the store's type (4s, non4s, used_car, other); null for a division or region. */
  store_type?: string | null;
  value: number | null;
  /** With compare: the row's comparisons, as /api/kpi gives them. */
  prev?: KpiValue['prev'];
  yoy?: KpiValue['yoy'];
  budget?: KpiValue['budget'];
}

export interface BreakdownResponse {
  metric: string;
  by: string;
  from?: string;
  to?: string;
  rows: BreakdownRow[];
  total: number | null;
  reason?: 'no_data';
}

export interface TimeseriesPoint {
  period: string;
  from: string;
  to: string;
  /** null outside the data's coverage (a gap, not zero). */
  value: number | null;
  yoy?: number | null;
  /** The budget target of the bucket (compare=budget). */
  target?: number | null;
}

export interface TimeseriesResponse {
  metric: string;
  unit: Unit;
  points: TimeseriesPoint[];
}

export interface SeriesResponse {
  from: string;
  to: string;
  series: Record<string, { period: string; from: string; to: string; value: number | null }[]>;
}

export interface PeerGroup {
  level: OrgLevel;
  store_type: string | null;
  brand: string | null;
}

export interface RankResponse {
  metric: string;
  level: OrgLevel;
  value: number | null;
  rank: number | null;
  /** Peers with a value, the node included. */
  of: number;
  percentile: number | null;
  peer_group: PeerGroup;
  /** The node's value minus the peers' median and minus their top quartile, in the metric's unit. */
  gap: { median: number | null; top_quartile: number | null };
  /** Only for a caller who may see every peer. */
  peers?: { id: string; name: string; value: number }[];
}

export interface DataVersion {
  run_id: number | null;
  period_to: string | null;
  data_from: string | null;
  loaded_at: string | null;
}
