// Budget attainment (actual / target) as every view shows it.
import type { KpiValue } from '../features/metrics/types.ts';

/** Attainment, or null without a positive target: against a zero or negative target a ratio means nothing. */
export function attainmentOf(budget: KpiValue['budget'] | undefined): number | null {
  const target = budget?.target ?? null;
  return target !== null && target > 0 ? (budget?.attainment ?? null) : null;
}

/** Whether attainment is good news: at or over target, or at or under it when lower is better. */
export function attainmentIsGood(attainment: number | null, direction: 'higher_is_better' | 'lower_is_better'): boolean | null {
  if (attainment === null) return null;
  return direction === 'higher_is_better' ? attainment >= 1 : attainment <= 1;
}
