// What a comparison means, in one place for the API, the risk engine and the client (no Node or
// database imports: the client bundles this file). Executives decide from comparisons, so:
// - `delta` = value − base, always when both exist, in the metric's unit (percentage points, as a
//   fraction, for percentages);
// - `change` = delta / base only when the base is positive and the metric is not a percentage:
//   a relative change of a loss, of zero or of a rate misleads (say the delta and 由盈转亏 instead);
// - attainment = actual / target only against a positive target; variance = actual − target always;
// - a status (good / warning / critical / no data) comes from the metric's thresholds and, for a
//   card, from the comparison the user chose.

// The shapes are the API's (contract/metrics.ts); this file says what they mean.
import type { BudgetComparison, Comparison, Direction, Thresholds, Unit } from './metrics.ts';

export type { BudgetComparison, Comparison, Direction, MissingReason, Thresholds, Unit } from './metrics.ts';

/** What a comparison needs to know of its metric. */
export interface MetricTraits {
  unit: Unit;
  direction: Direction;
  thresholds?: Thresholds | null;
}

/** Float noise of sums of cents (0.1 + 0.2); 12 significant digits is beyond any display. */
export const round = (value: number) => Number(value.toPrecision(12));

export function compareWith(unit: Unit, value: number | null, base: number | null): Comparison {
  if (value === null || base === null) return { value: base, delta: null, change: null, reason: 'no_data' };
  const delta = round(value - base);
  if (unit === 'percent') return { value: base, delta, change: null, reason: 'percentage_points' };
  if (base <= 0) return { value: base, delta, change: null, reason: 'base_not_positive' };
  return { value: base, delta, change: round(delta / base) };
}

export function compareWithTarget(value: number | null, target: number | null): BudgetComparison {
  if (target === null) return { target, variance: null, attainment: null, reason: 'no_target' };
  if (value === null) return { target, variance: null, attainment: null, reason: 'no_data' };
  const variance = round(value - target);
  if (target <= 0) return { target, variance, attainment: null, reason: 'no_target' };
  return { target, variance, attainment: round(value / target) };
}

// ---- status ----

export type Status = 'good' | 'warning' | 'critical' | 'no_data';
const SEVERITY: Record<Status, number> = { no_data: -1, good: 0, warning: 1, critical: 2 };

/** The worse of some statuses; no_data only when none is known. */
export function worst(...statuses: Status[]): Status {
  return statuses.reduce<Status>((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a), 'no_data');
}

const breaches = (op: '<' | '>', value: number, level: number) =>
  op === '<' ? value < level : value > level;

/**
 * The status from a metric's own thresholds: on its value, or on budget attainment for thresholds
 * set on attainment. `months`: the metric's monthly values, oldest first, ending with the period's
 * last month; a level that needs consecutive periods is judged on the last months of it and is
 * unknown without them.
 */
export function thresholdStatus(
  thresholds: Thresholds | null | undefined,
  observed: { value: number | null; attainment?: number | null },
  months?: readonly (number | null)[],
): Status {
  if (!thresholds) return 'no_data';
  const breached = (level: number, periods = 1): boolean | null => {
    if (periods <= 1) {
      const x = thresholds.basis === 'attainment' ? (observed.attainment ?? null) : observed.value;
      return x === null ? null : breaches(thresholds.op, x, level);
    }
    const last = thresholds.basis === 'value' ? (months ?? []).slice(-periods) : [];
    if (last.length < periods || last.some((v) => v === null)) return null;
    return last.every((v) => breaches(thresholds.op, v!, level));
  };
  const critical =
    thresholds.critical === undefined ? false : breached(thresholds.critical, thresholds.periods?.critical);
  if (critical) return 'critical';
  const warning = breached(thresholds.warning, thresholds.periods?.warning);
  if (critical === null || warning === null) return 'no_data';
  return warning ? 'warning' : 'good';
}

/**
 * How far a change on the previous period or last year may go the wrong way before it is
 * amber or red: a share of the base for amounts, counts and days; percentage points for rates.
 * A move the wrong way that cannot be put as a share (a loss that widened, profit that turned to
 * a loss) is red.
 */
export const CHANGE_BANDS = {
  relative: { warning: 0.05, critical: 0.15 },
  points: { warning: 0.01, critical: 0.03 },
} as const;

/** Budget attainment levels for metrics without their own attainment thresholds. */
export const ATTAINMENT_BANDS = {
  higher_is_better: { warning: 1.0, critical: 0.9 },
  lower_is_better: { warning: 1.0, critical: 1.1 },
} as const;

/** Whether a delta is good news (true), bad news (false) or neither (null: none, or no change). */
export function isImprovement(delta: number | null | undefined, direction: Direction): boolean | null {
  if (delta === null || delta === undefined || delta === 0) return null;
  return direction === 'higher_is_better' ? delta > 0 : delta < 0;
}

/** Status of a change against a base, by how far it moved the wrong way. */
export function changeStatus(metric: MetricTraits, comparison: Comparison | undefined): Status {
  if (!comparison || comparison.delta === null) return 'no_data';
  const good = isImprovement(comparison.delta, metric.direction);
  if (good !== false) return 'good';
  const worse = Math.abs(comparison.delta);
  if (metric.unit === 'percent') {
    return worse > CHANGE_BANDS.points.critical
      ? 'critical'
      : worse > CHANGE_BANDS.points.warning
        ? 'warning'
        : 'good';
  }
  if (comparison.change === null) return 'critical';
  const share = Math.abs(comparison.change);
  return share > CHANGE_BANDS.relative.critical
    ? 'critical'
    : share > CHANGE_BANDS.relative.warning
      ? 'warning'
      : 'good';
}

/** Status of a result against its budget: attainment bands, or the variance's sign without a positive target. */
export function budgetStatus(metric: MetricTraits, budget: BudgetComparison | undefined): Status {
  if (!budget || budget.variance === null) return 'no_data';
  if (budget.attainment === null)
    return isImprovement(budget.variance, metric.direction) === false ? 'critical' : 'good';
  const own = metric.thresholds?.basis === 'attainment' ? metric.thresholds : null;
  const bands = own ?? {
    op: metric.direction === 'higher_is_better' ? '<' : '>',
    ...ATTAINMENT_BANDS[metric.direction],
  };
  if (bands.critical !== undefined && breaches(bands.op, budget.attainment, bands.critical))
    return 'critical';
  return breaches(bands.op, budget.attainment, bands.warning) ? 'warning' : 'good';
}

export type CompareWith = 'budget' | 'yoy' | 'prev';

export interface KpiComparisons {
  value: number | null;
  prev?: Comparison;
  yoy?: Comparison;
  budget?: BudgetComparison;
}

/**
 * A card's colour: the chosen comparison (budget attainment, or the change on last year or the
 * previous period) together with the metric's own value thresholds; the worse of the two.
 */
export function cardStatus(
  metric: MetricTraits,
  kpi: KpiComparisons | undefined,
  chosen: CompareWith,
  months?: readonly (number | null)[],
): Status {
  if (!kpi || kpi.value === null) return 'no_data';
  const own =
    metric.thresholds?.basis === 'value' ? thresholdStatus(metric.thresholds, kpi, months) : 'no_data';
  const compared = chosen === 'budget' ? budgetStatus(metric, kpi.budget) : changeStatus(metric, kpi[chosen]);
  return worst(own, compared);
}

// ---- words for a move that a percentage cannot describe ----

/** Units whose sign means profit or loss (money), where a move across zero has a name. */
const SIGNED_MONEY: ReadonlySet<Unit> = new Set(['yuan', 'yuan_per_unit', 'yuan_per_ro', 'yuan_per_hour']);

export type SignMove = 'turned_to_loss' | 'turned_to_profit' | 'loss_widened' | 'loss_narrowed';

/** Money whose sign is cash in or out rather than profit or loss: its moves have their own words. */
export const CASH_FLOW_METRICS: ReadonlySet<string> = new Set(['operating_cash_flow']);

/** For money that is or was negative: what happened, in words the monthly review uses. */
export function signMove(unit: Unit, value: number | null, base: number | null): SignMove | null {
  if (!SIGNED_MONEY.has(unit) || value === null || base === null) return null;
  if (base >= 0 && value < 0) return 'turned_to_loss';
  if (base < 0 && value >= 0) return 'turned_to_profit';
  if (base < 0 && value < 0 && value !== base) return value < base ? 'loss_widened' : 'loss_narrowed';
  return null;
}
