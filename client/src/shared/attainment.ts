// Budget attainment, as compare.ts (server/src/contract/compare.ts) defines it: the API gives it
// only against a positive target (compareWithTarget); these are thin readers of that.
import {
  isImprovement,
  type BudgetComparison,
  type Direction,
} from '../../../server/src/contract/compare.ts';

/** Attainment as the API gives it: null without a positive target. */
export function attainmentOf(budget: Pick<BudgetComparison, 'attainment'> | undefined): number | null {
  return budget?.attainment ?? null;
}

/** Whether attainment is good news: at or over target, or at or under it when lower is better. */
export function attainmentIsGood(attainment: number | null, direction: Direction): boolean | null {
  if (attainment === null) return null;
  return isImprovement(attainment - 1, direction) !== false;
}
