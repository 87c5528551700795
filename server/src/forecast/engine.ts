// One series' forecast: the Spring Festival taken out (calendar.ts), every method that suits the
// series backtested on its own history (accuracy.ts) and the best chosen, its forecasts for the
// horizon with 80% and 95% intervals from its own backtest errors at each step ahead, the festival
// put back.
// Which methods suit a series: intermittent demand (a third of its months or more without any)
// gets the baselines and Croston, SBA and TSB; a smooth one the baselines, exponential smoothing
// and the intermittent methods too (cheap, and on a smooth series close to simple smoothing).
import { backtest, choose, type Accuracy } from './accuracy.ts';
import { adjustForFestival, monthAt, type FestivalMonths, type MonthlySeries } from './calendar.ts';
import { forecastWith, methodsFor, SEASON, type MethodId } from './methods.ts';

export interface ForecastPoint {
  /** 'YYYY-MM'. */
  period: string;
  value: number;
  lo80: number | null;
  hi80: number | null;
  lo95: number | null;
  hi95: number | null;
}

export interface SeriesForecast {
  method: MethodId;
  backtest: Accuracy;
  points: ForecastPoint[];
}

export interface ForecastOptions {
  horizon: number;
  /** Counts and quantities: no forecast or interval below zero. */
  nonNegative: boolean;
  festival: FestivalMonths;
  /** How many of the last months the backtest forecasts from (default a season). */
  origins?: number;
}

/** A share of months without demand from which a series is intermittent. */
const INTERMITTENT = 1 / 3;
/** z of the two-sided 80% and 95% normal intervals. */
const Z80 = 1.2816;
const Z95 = 1.96;
/** The fewest months a method learns from in the backtest. */
const MIN_TRAIN = 6;

export const periodKey = (start: string, i: number) => {
  const { year, month } = monthAt(start, i);
  return `${year}-${String(month).padStart(2, '0')}`;
};

export function forecastSeries(series: MonthlySeries, options: ForecastOptions): SeriesForecast {
  const { horizon, nonNegative, festival } = options;
  const n = series.values.length;
  const start = periodKey(series.start, n);
  const adjustment = adjustForFestival(series, festival);
  const y = adjustment.values;
  const zeros = y.filter((v) => v === 0).length;
  const intermittent = n > 0 && zeros / n >= INTERMITTENT;
  const candidates = methodsFor(n).filter((m) => !(intermittent && m === 'ets'));

  const origins = options.origins ?? SEASON;
  const results = candidates.map((m) =>
    backtest(m, y, { origins, horizon: Math.min(horizon, SEASON), minTrain: Math.min(MIN_TRAIN, n - 1) }),
  );
  const chosen = choose(results);
  const point = adjustment.restore(start, forecastWith(chosen.method, y, horizon));
  const clip = (v: number) => (nonNegative ? Math.max(0, v) : v);

  // The spread at each step ahead: the root mean squared backtest error at that step (at least three
  // of them), else the first step's widened as a random walk's (√h); none without errors at all.
  const rmse = chosen.errorsByStep.map((e) =>
    e.length >= 3 ? Math.sqrt(e.reduce((s, x) => s + x * x, 0) / e.length) : null,
  );
  const sigma = (h: number) => rmse[h] ?? (rmse[0] != null ? rmse[0] * Math.sqrt(h + 1) : null);
  const points = point.map((value, h): ForecastPoint => {
    const s = sigma(h);
    const band = (z: number) => (s === null ? [null, null] : [clip(value - z * s), clip(value + z * s)]);
    const [lo80, hi80] = band(Z80);
    const [lo95, hi95] = band(Z95);
    return {
      period: periodKey(start, h),
      value: clip(value),
      lo80: lo80!,
      hi80: hi80!,
      lo95: lo95!,
      hi95: hi95!,
    };
  });
  return {
    method: chosen.method,
    backtest: { mase: chosen.mase, rmsse: chosen.rmsse, bias: chosen.bias },
    points,
  };
}
