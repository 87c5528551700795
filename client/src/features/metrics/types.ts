// Shapes of the API's answers (see GET /api/openapi.json).
import type { Unit } from '../../shared/format.ts';

export type OrgLevel = 'group' | 'division' | 'region' | 'store';

export interface Thresholds {
  op: '<' | '>';
  warning: number;
  critical?: number;
  basis: 'value' | 'attainment';
  periods?: { warning: number; critical?: number };
  source: 'industry' | 'suggested';
}

export interface MetricInfo {
  id: string;
  name: { zh: string; en: string };
  domain: string;
  unit: Unit;
  direction: 'higher_is_better' | 'lower_is_better';
  kind: 'sum' | 'ratio' | 'balance' | 'avg-balance' | 'derived';
  thresholds: Thresholds | null;
  breakdowns: string[];
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

export interface KpiValue {
  value: number | null;
  unit: Unit;
  prev?: { value: number | null; change: number | null };
  yoy?: { value: number | null; change: number | null };
  budget?: { target: number | null; attainment: number | null };
}

export interface KpiResponse {
  node: { id: string; name: string; level: OrgLevel };
  from: string;
  to: string;
  metrics: Record<string, KpiValue>;
}

export interface BreakdownResponse {
  metric: string;
  by: string;
  rows: { id: string; name: string; value: number | null }[];
  total: number | null;
}

export interface TimeseriesResponse {
  metric: string;
  unit: Unit;
  points: { period: string; from: string; to: string; value: number | null; yoy?: number | null }[];
}

export interface SeriesResponse {
  from: string;
  to: string;
  series: Record<string, { period: string; from: string; to: string; value: number | null }[]>;
}

export interface RankResponse {
  metric: string;
  level: OrgLevel;
  value: number | null;
  rank: number | null;
  of: number;
  percentile: number | null;
}

export interface DataVersion {
  run_id: number | null;
  period_to: string | null;
  data_from: string | null;
  loaded_at: string | null;
}
