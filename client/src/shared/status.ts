// Green / amber / red from a metric's thresholds: on its value, or on budget attainment for the
// metrics whose thresholds are set on attainment (e.g. new units below 90% of target).
import type { KpiValue, Thresholds } from '../features/metrics/types.ts';
import { attainmentOf } from './attainment.ts';

export type Status = 'good' | 'warning' | 'critical' | 'none';

/**
 * `months`: the metric's monthly values, oldest first, ending with the period's last month. A level
 * that needs consecutive periods (operating cash flow below zero for 2 or 3 months running) is
 * judged on the last months of it; without them the status is unknown ('none'), not a guess.
 */
export function statusOf(thresholds: Thresholds | null, kpi: Pick<KpiValue, 'value' | 'budget'> | undefined, months?: readonly (number | null)[]): Status {
  if (!thresholds || !kpi) return 'none';
  const breaches = (value: number, level: number) => (thresholds.op === '<' ? value < level : value > level);
  /** Whether the level is breached; null when that cannot be told. */
  const breached = (level: number, periods = 1): boolean | null => {
    if (periods <= 1) {
      const observed = thresholds.basis === 'attainment' ? attainmentOf(kpi.budget) : kpi.value;
      return observed === null ? null : breaches(observed, level);
    }
    const last = thresholds.basis === 'value' ? (months ?? []).slice(-periods) : [];
    if (last.length < periods || last.some((v) => v === null)) return null;
    return last.every((v) => breaches(v!, level));
  };
  const critical = thresholds.critical === undefined ? false : breached(thresholds.critical, thresholds.periods?.critical);
  if (critical) return 'critical';
  const warning = breached(thresholds.warning, thresholds.periods?.warning);
  if (critical === null || warning === null) return 'none';
  return warning ? 'warning' : 'good';
}

/** Whether a change is good news, given which way the metric should move. */
export function isImprovement(change: number | null | undefined, direction: 'higher_is_better' | 'lower_is_better'): boolean | null {
  if (change === null || change === undefined || change === 0) return null;
  return direction === 'higher_is_better' ? change > 0 : change < 0;
}

/** The CSS class of good news, bad news or neither. */
export const toneClass = (good: boolean | null): 'up-good' | 'down-bad' | 'flat' => (good === null ? 'flat' : good ? 'up-good' : 'down-bad');
