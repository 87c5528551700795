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
      mase: count && scale ? perStep(errors[i]!, Math.abs) / scale.mae : null,
      rmsse: count && scale ? Math.sqrt(perStep(errors[i]!, (v) => v * v) / scale.mse) : null,
      bias: count && actual > 0 ? (forecast - actual) / actual : null,
      originsFromEnd,
      errorsByStep: errors[i]!,
    };
  });
}

/** A series' own backtest must beat its family's method by this share (half its error) to be forecast
 *  otherwise: over a dozen noisy months, smaller wins are mostly luck (bench:forecast). */
export const SWITCH_MARGIN = 0.5;

/**
 * The method to use: the lowest MASE among those whose bias is within the limit; when every one is
 * biased, the least biased; without a measure (too short or a flat history), the first. With a
 * `preferred` method (the best over the series' family — all store × brand series, say — whose
 * many backtests are far less noisy than one series' few), another is taken only when this
 * series' own backtest finds it better by the margin.
 */
export function choose(results: readonly Backtest[], preferred?: MethodId): Backtest {
  const measured = results.filter((r) => r.mase !== null);
  if (!measured.length) return results.find((r) => r.method === preferred) ?? results[0]!;
  const unbiased = measured.filter((r) => r.bias === null || Math.abs(r.bias) <= BIAS_LIMIT);
  if (!unbiased.length) return measured.reduce((a, b) => (Math.abs(b.bias!) < Math.abs(a.bias!) ? b : a));
  const best = unbiased.reduce((a, b) => (b.mase! < a.mase! ? b : a));
  const prior = unbiased.find((r) => r.method === preferred);
  return prior && best.mase! > (1 - SWITCH_MARGIN) * prior.mase! ? prior : best;
}

/** The method with the lowest mean MASE over a family's backtests (each series' measured methods). */
export function familyBest(backtests: readonly (readonly Backtest[])[]): MethodId | undefined {
  const totals = new Map<MethodId, { sum: number; n: number }>();
  for (const results of backtests)
    for (const r of results) {
      if (r.mase === null) continue;
      const t = totals.get(r.method) ?? { sum: 0, n: 0 };
      totals.set(r.method, { sum: t.sum + r.mase, n: t.n + 1 });
    }
  // Only methods measured on at least half the family's series compete.
  const most = Math.max(0, ...[...totals.values()].map((t) => t.n));
  const eligible = [...totals].filter(([, t]) => t.n >= most / 2);
  return eligible.reduce<[MethodId, number] | undefined>(
    (best, [m, t]) => (!best || t.sum / t.n < best[1] ? [m, t.sum / t.n] : best),
    undefined,
  )?.[0];
}
