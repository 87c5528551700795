// Green / amber / red from a metric's thresholds: on its value, or on budget attainment for the
// metrics whose thresholds are set on attainment (e.g. new units below 90% of target).
import type { KpiValue, Thresholds } from '../features/metrics/types.ts';

export type Status = 'good' | 'warning' | 'critical' | 'none';

export function statusOf(thresholds: Thresholds | null, kpi: Pick<KpiValue, 'value' | 'budget'> | undefined): Status {
  if (!thresholds || !kpi) return 'none';
  const observed = thresholds.basis === 'attainment' ? (kpi.budget?.attainment ?? null) : kpi.value;
  if (observed === null) return 'none';
  const breaches = (level: number) => (thresholds.op === '<' ? observed < level : observed > level);
  if (thresholds.critical !== undefined && breaches(thresholds.critical) && !(thresholds.periods?.critical)) return 'critical';
  if (breaches(thresholds.warning)) return 'warning';
  return 'good';
}

/** Whether a change is good news, given which way the metric should move. */
export function isImprovement(change: number | null | undefined, direction: 'higher_is_better' | 'lower_is_better'): boolean | null {
  if (change === null || change === undefined || change === 0) return null;
  return direction === 'higher_is_better' ? change > 0 : change < 0;
}
