// Shapes of the KPI endpoints' answers: the API contract's (server/src/contract/, from its zod
// schemas), never written here. Types only: the client does not bundle zod.
export type {
  BreakdownResponse,
  BreakdownRow,
  BudgetComparison,
  Comparison,
  Direction,
  KpiResponse,
  KpiValue,
  MetricInfo,
  MissingReason,
  OrgNodeInfo as OrgNode,
  PeerGroup,
  PeriodComparison,
  RankResponse,
  SeriesResponse,
  Thresholds,
  TimeseriesPoint,
  TimeseriesResponse,
  Unit,
} from '../../../../server/src/contract/metrics.ts';
export type { DataVersion } from '../../../../server/src/contract/api.ts';
export type { MetricId } from '../../../../server/src/contract/metric-ids.ts';
export type { OrgLevel } from '../../../../server/src/contract/vocabulary.ts';
