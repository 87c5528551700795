// How good a method is on a series, measured on the series' own history by a rolling-origin
// backtest: from each of the last months in turn, the method forecasts from the months before it
// only, and its forecasts are compared with what happened.
// - MASE: mean absolute error over the in-sample mean absolute error of the seasonal naive (the
//   same month a year before) — of the naive (the month before) where the history is shorter than
//   two years; below 1 beats that baseline.
// - RMSSE: the same with squared errors (M5's measure; it punishes the big misses).
// - bias: Σ(forecast − actual) / Σ actual: MASE alone rewards forecasting zero for a part that
//   sells now and then, so a method is never chosen on MASE alone when its forecasts are biased.
// The errors by step ahead also give every method's prediction intervals (engine.ts).
import { forecastWith, SEASON, type MethodId } from './methods.ts';

export interface Accuracy {
  mase: number | null;
  rmsse: number | null;
  bias: number | null;
}

export interface Backtest extends Accuracy {
  method: MethodId;
  /** The errors (forecast − actual) at each step ahead, over the origins. */
  errorsByStep: number[][];
}

/** A method is biased beyond this share of what happened. */
export const BIAS_LIMIT = 0.2;

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
 * The method's backtest on `y`: origins at each of the last `origins` months (leaving at least
 * `minTrain` months to learn from), forecasting up to `horizon` months from each.
 */
export function backtest(
  method: MethodId,
  y: readonly number[],
  { origins, horizon, minTrain }: { origins: number; horizon: number; minTrain: number },
): Backtest {
  const first = Math.max(minTrain, y.length - origins);
  const errorsByStep: number[][] = Array.from({ length: horizon }, () => []);
  let absolute = 0;
  let squared = 0;
  let count = 0;
  let forecastSum = 0;
  let actualSum = 0;
  for (let origin = first; origin < y.length; origin++) {
    const steps = Math.min(horizon, y.length - origin);
    const forecast = forecastWith(method, y.slice(0, origin), steps);
    for (let h = 0; h < steps; h++) {
      const error = forecast[h]! - y[origin + h]!;
      errorsByStep[h]!.push(error);
      absolute += Math.abs(error);
      squared += error * error;
      count++;
      forecastSum += forecast[h]!;
      actualSum += y[origin + h]!;
    }
  }
  const scale = scaleOf(y.slice(0, first));
  return {
    method,
    mase: count && scale ? absolute / count / scale.mae : null,
    rmsse: count && scale ? Math.sqrt(squared / count / scale.mse) : null,
    bias: count && actualSum > 0 ? (forecastSum - actualSum) / actualSum : null,
    errorsByStep,
  };
}

/**
 * The method to use: the lowest MASE among those whose bias is within the limit; when every one is
 * biased, the least biased. Without a measure (too short a history, a flat one), the first.
 */
export function choose(results: readonly Backtest[]): Backtest {
  const measured = results.filter((r) => r.mase !== null);
  if (!measured.length) return results[0]!;
  const unbiased = measured.filter((r) => r.bias === null || Math.abs(r.bias) <= BIAS_LIMIT);
  if (unbiased.length) return unbiased.reduce((a, b) => (b.mase! < a.mase! ? b : a));
  return measured.reduce((a, b) => (Math.abs(b.bias!) < Math.abs(a.bias!) ? b : a));
}
