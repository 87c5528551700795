// How good a method is on a series, measured on the series' own history by a rolling-origin
// backtest: from each of the last months in turn, the method forecasts from the months before it
// only, and its forecasts are compared with what happened.
// - MASE: mean absolute error over the in-sample mean absolute error of the seasonal naive (the
//   same month a year before) — of the naive (the month before) where the history is shorter than
//   two years; below 1 beats that baseline.
// - RMSSE: the same with squared errors (M5's measure; it punishes the big misses).
// - bias: Σ(forecast − actual) / Σ actual: MASE alone rewards forecasting zero for a part that
//   sells now and then, so a method is never chosen on MASE alone when its forecasts are biased.
// The errors by step ahead also give every method's prediction intervals (engine.ts). Where the
// series is made calendar-neutral first, each origin learns the calendar from its own past and is
// judged on what really happened.
import { forecastsWith, SEASON, type MethodId } from './methods.ts';

export interface Accuracy {
  mase: number | null;
  rmsse: number | null;
  bias: number | null;
}

export interface Backtest extends Accuracy {
  method: MethodId;
  /** Learnt from the calendar-neutral series (the Spring Festival taken out) and put back. */
  festival: boolean;
  /** Σ actual over the months forecast: what a family's bias is weighted by. */
  actual: number;
  /** Each origin, as months before the series' end (the first origin's first). */
  originsFromEnd: number[];
  /** The errors (forecast − actual) at each step ahead, over the origins: errorsByStep[h][j] is
   *  origin j's (an origin forecasts as many steps as the series has months after it). */
  errorsByStep: number[][];
}

/** How a history is made calendar-neutral before a method learns from it, and its forecast put back
 *  (calendar.ts's Spring Festival adjustment, learnt from that history alone). */
export type Calendar = (history: readonly number[]) => {
  values: readonly number[];
  restore(forecast: readonly number[]): number[];
};
const NO_CALENDAR: Calendar = (history) => ({ values: history, restore: (f) => [...f] });

/** A method and whether the festival was taken out: what a family prefers and a series chooses. */
export function variantOf(r: Pick<Backtest, 'method' | 'festival'>): string {
  return r.festival ? `${r.method}+festival` : r.method;
}

/** A method is biased beyond this share of what happened (over a dozen noisy months of a part, a
 *  fifth is within luck; beyond a third it is not). */
export const BIAS_LIMIT = 0.35;

/** The in-sample errors of the baseline MASE and RMSSE are scaled by. */
export function scaleOf(train: readonly number[]): { mae: number; mse: number } | null {
  const lag = train.length >= 2 * SEASON ? SEASON : 1;
  const diffs = train.slice(lag).map((y, i) => y - train[i]!);
  if (!diffs.length) return null;
  const mae = diffs.reduce((s, d) => s + Math.abs(d), 0) / diffs.length;
  const mse = diffs.reduce((s, d) => s + d * d, 0) / diffs.length;
  return mae > 0 ? { mae, mse } : null;
}

/**
 * The methods' backtests on `y`: origins at every `every`-th of the last `origins` months (leaving
 * at least `minTrain` months to learn from), forecasting up to `horizon` months from each; every method
 * from the same origins (exponential smoothing fitted once per origin for the methods using it).
 */
export function backtest(
  methods: readonly MethodId[],
  y: readonly number[],
  {
    origins,
    horizon,
    minTrain,
    every = 1,
  }: { origins: number; horizon: number; minTrain: number; every?: number },
  calendar: Calendar = NO_CALENDAR,
): Backtest[] {
  const first = Math.max(minTrain, y.length - origins);
  const sums = methods.map(() => ({ count: 0, forecast: 0, actual: 0 }));
  const errors = methods.map(() => Array.from({ length: horizon }, (): number[] => []));
  const originsFromEnd: number[] = [];
  for (let origin = first; origin < y.length; origin += every) {
    originsFromEnd.push(y.length - origin);
    const steps = Math.min(horizon, y.length - origin);
    // The calendar learnt from the months before the origin only, the forecast compared as restored.
    const train = calendar(y.slice(0, origin));
    const forecasts = forecastsWith(methods, train.values, steps);
    methods.forEach((method, i) => {
      const forecast = train.restore(forecasts.get(method)!);
      const sum = sums[i]!;
      for (let h = 0; h < steps; h++) {
        const error = forecast[h]! - y[origin + h]!;
        errors[i]![h]!.push(error);
        sum.count++;
        sum.forecast += forecast[h]!;
        sum.actual += y[origin + h]!;
      }
    });
  }
  const scale = scaleOf(y.slice(0, first));
  // Each step ahead weighs the same (a mean over the steps of the mean error at each): the last
  // origins forecast only a step or two, and short steps must not decide a 12-month forecast.
  const perStep = (e: number[][], f: (x: number) => number) => {
    const steps = e.filter((x) => x.length);
    return steps.reduce((s, x) => s + x.reduce((a, v) => a + f(v), 0) / x.length, 0) / steps.length;
  };
  return methods.map((method, i) => {
    const { count, forecast, actual } = sums[i]!;
    return {
      method,
      festival: calendar !== NO_CALENDAR,
      actual,
      mase: count && scale ? perStep(errors[i]!, Math.abs) / scale.mae : null,
      rmsse: count && scale ? Math.sqrt(perStep(errors[i]!, (v) => v * v) / scale.mse) : null,
      bias: count && actual > 0 ? (forecast - actual) / actual : null,
      originsFromEnd,
      errorsByStep: errors[i]!,
    };
  });
}

/** What a family's choice reads of a series' backtest (a worker sends no more: pool.ts). */
export type BacktestSummary = Pick<Backtest, 'method' | 'festival' | 'mase' | 'bias' | 'actual'>;

/** A series' own backtest must beat its family's method by this share (half its error) to be forecast
 *  otherwise: over a dozen noisy months, smaller wins are mostly luck (bench:forecast). */
export const SWITCH_MARGIN = 0.5;

/**
 * The method to use (with or without the festival taken out). Alone, a series takes the lowest MASE
 * among the methods whose bias is within the limit; when every one is biased, the least biased;
 * without a measure (too short or a flat history), the first. With a `preferred` method — the best
 * over the series' family (every store × part, say), unbiased over the family, whose thousands of
 * backtests are far less noisy than one series' dozen — that one stands unless this series' own
 * backtest finds an unbiased method that halves its error.
 */
export function choose(results: readonly Backtest[], preferred?: string): Backtest {
  const measured = results.filter((r) => r.mase !== null);
  const prior = results.find((r) => variantOf(r) === preferred);
  if (!measured.length) return prior ?? results[0]!;
  const unbiased = measured.filter((r) => r.bias === null || Math.abs(r.bias) <= BIAS_LIMIT);
  const best = unbiased.reduce<Backtest | undefined>((a, b) => (!a || b.mase! < a.mase! ? b : a), undefined);
  if (prior && prior.mase !== null)
    return best && best.mase! < (1 - SWITCH_MARGIN) * prior.mase ? best : prior;
  return best ?? measured.reduce((a, b) => (Math.abs(b.bias!) < Math.abs(a.bias!) ? b : a));
}

/** The variant with the lowest mean MASE over a family's backtests, among those measured on at
 *  least half the family's series whose bias over the whole family is within the limit. */
export function familyBest(backtests: readonly (readonly BacktestSummary[])[]): string | undefined {
  const totals = new Map<string, { mase: number; n: number; error: number; actual: number }>();
  for (const results of backtests)
    for (const r of results) {
      if (r.mase === null) continue;
      const key = variantOf(r);
      const t = totals.get(key) ?? { mase: 0, n: 0, error: 0, actual: 0 };
      totals.set(key, {
        mase: t.mase + r.mase,
        n: t.n + 1,
        error: t.error + (r.bias ?? 0) * r.actual,
        actual: t.actual + r.actual,
      });
    }
  const most = Math.max(0, ...[...totals.values()].map((t) => t.n));
  const eligible = [...totals].filter(
    ([, t]) => t.n >= most / 2 && (t.actual <= 0 || Math.abs(t.error / t.actual) <= BIAS_LIMIT),
  );
  return eligible.reduce<[string, number] | undefined>(
    (best, [key, t]) => (!best || t.mase / t.n < best[1] ? [key, t.mase / t.n] : best),
    undefined,
  )?.[0];
}
