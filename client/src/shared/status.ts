// Statuses and good/bad news as compare.ts (server/src/contract/compare.ts) decides them; this file
// only maps them to CSS classes. Nothing here judges a figure on its own.
import {
  budgetStatus,
  changeStatus,
  isImprovement,
  thresholdStatus,
  type BudgetComparison,
  type Comparison,
  type Direction,
  type MetricTraits,
  type Status,
} from '../../../server/src/contract/compare.ts';

export {
  cardStatus,
  isImprovement,
  type CompareWith,
  type Status,
} from '../../../server/src/contract/compare.ts';

export type Tone = 'up-good' | 'down-bad' | 'down-warn' | 'flat';

/** The CSS class of good news, bad news or neither. */
export const toneClass = (good: boolean | null): Tone =>
  good === null ? 'flat' : good ? 'up-good' : 'down-bad';

/**
 * A comparison's colour, with the same meaning as a card's: red or amber where its status says so
 * (compare.ts), green for a move the right way, grey for a move the wrong way still within bounds.
 */
function statusTone(status: Status, delta: number | null | undefined, direction: Direction): Tone {
  if (status === 'critical') return 'down-bad';
  if (status === 'warning') return 'down-warn';
  return isImprovement(delta, direction) ? 'up-good' : 'flat';
}

/** The colour of a change on the previous period or last year (compare.ts changeStatus). */
export const comparisonTone = (metric: MetricTraits, c: Comparison | undefined): Tone =>
  statusTone(changeStatus(metric, c), c?.delta, metric.direction);

/** The colour of a result against the budget (compare.ts budgetStatus). */
export const budgetTone = (metric: MetricTraits, b: BudgetComparison | undefined): Tone =>
  statusTone(budgetStatus(metric, b), b?.variance, metric.direction);

/** The CSS class of a delta (or variance), read by the metric's direction. */
export const toneOf = (delta: number | null | undefined, direction: Direction) =>
  toneClass(isImprovement(delta, direction));

/**
 * A figure judged on the metric's own value thresholds alone (a bar among the units below, where
 * no comparison is at hand): no_data for thresholds on attainment or over consecutive months.
 */
export function valueStatus(metric: MetricTraits, value: number | null): Status {
  const own = metric.thresholds;
  if (!own || own.basis !== 'value' || (own.periods && own.periods.warning > 1)) return 'no_data';
  return thresholdStatus(own, { value });
}
