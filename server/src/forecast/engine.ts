// A series' forecast: the Spring Festival taken out (calendar.ts), every method that suits the
// series backtested on its own history (accuracy.ts) and one chosen, its forecasts for the horizon
// with 80% and 95% intervals from its own backtest errors at each step ahead, the festival put back.
// Which methods suit a series: intermittent demand (a third of its months or more without any)
// gets the baselines and Croston, SBA and TSB; a smooth one the baselines, exponential smoothing
// (alone and averaged with the seasonal naive) and the intermittent methods too (cheap, and on a
// smooth series close to simple smoothing).
import {
  backtest,
  choose,
  familyBest,
  variantOf,
  type Accuracy,
  type Backtest,
  type Calendar,
} from './accuracy.ts';
import { adjustForFestival, periodKey, type FestivalMonths, type MonthlySeries } from './calendar.ts';

import { forecastsWith, methodsFor, SEASON, type MethodId } from './methods.ts';

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
  /** bottom_up: the sum of its members' forecasts (hierarchy.ts). */
  method: MethodId | 'bottom_up';
  /** Forecast from the calendar-neutral series, the Spring Festival put back (calendar.ts). */
  festival: boolean;
  backtest: Accuracy;
  points: ForecastPoint[];
  /** The method's backtest errors by origin and step: what a sum of series' forecasts is judged by. */
  errors: Pick<Backtest, 'originsFromEnd' | 'errorsByStep' | 'actual'>;
}

export interface ForecastOptions {
  horizon: number;
  /** Counts and quantities: no forecast or interval below zero. */
  nonNegative: boolean;
  festival: FestivalMonths;
  /** How many of the last months the backtest forecasts from (default a season). */
  origins?: number;
  /** A backtest origin every this many months of them (default every month). */
  originEvery?: number;
  /** The methods to try (default all that suit the series). */
  methods?: readonly MethodId[];
}

/** A share of months without demand from which a series is intermittent. */
const INTERMITTENT = 1 / 3;
/** z of the two-sided 80% and 95% normal intervals. */
const Z80 = 1.2816;
const Z95 = 1.96;
/** The fewest months a method learns from in the backtest. */
const MIN_TRAIN = 6;

/** One series' forecast, its method chosen on its own backtest alone. */
export function forecastSeries(series: MonthlySeries, options: ForecastOptions): SeriesForecast {
  return forecastFamily([series], options)[0]!;
}

/** A series backtested, with every candidate's forecast for the horizon: what a worker sends back
 *  (pool.ts), the family's choice being made over all of them. */
export interface PreparedSeries {
  /** The first forecast month, 'YYYY-MM'. */
  start: string;
  results: Backtest[];
  /** By variant (variantOf): each method's, with and without the festival taken out. */
  forecasts: Record<string, number[]>;
}

export function prepareSeries(series: MonthlySeries, options: ForecastOptions): PreparedSeries {
  const { horizon, festival } = options;
  const origins = options.origins ?? SEASON;
  const n = series.values.length;
  const intermittent = n > 0 && series.values.filter((v) => v === 0).length / n >= INTERMITTENT;
  /** The festival taken out of a history (learnt from it alone) and put back into its forecast. */
  const calendar: Calendar = (history) => {
    const adjusted = adjustForFestival({ start: series.start, values: history }, festival);
    const next = periodKey(series.start, history.length);
    return { values: adjusted.values, restore: (f) => adjusted.restore(next, f) };
  };
  // The backtest's first origin leaves the fewest months to learn from: the methods are those
  // that can learn from that few, so each is tested as it will be used.
  const minTrain = Math.max(1, Math.min(n - 1, Math.max(MIN_TRAIN, n - origins)));
  const smoothing = ['ets', 'ets_snaive', 'mstl'];
  const candidates = methodsFor(minTrain).filter(
    (m) => !(intermittent && smoothing.includes(m)) && (!options.methods || options.methods.includes(m)),
  );
  const settings = { origins, horizon: Math.min(horizon, SEASON), minTrain, every: options.originEvery ?? 1 };
  // With and without the festival taken out: whether it helps is measured like a method.
  const results = [
    ...backtest(candidates, series.values, settings),
    ...backtest(candidates, series.values, settings, calendar),
  ];
  const raw = forecastsWith(candidates, series.values, horizon);
  const whole = calendar(series.values);
  const adjusted = forecastsWith(candidates, whole.values, horizon);
  const forecasts: Record<string, number[]> = {};
  for (const method of candidates) {
    forecasts[variantOf({ method, festival: false })] = raw.get(method)!;
    forecasts[variantOf({ method, festival: true })] = whole.restore(adjusted.get(method)!);
  }
  return { start: periodKey(series.start, n), results, forecasts };
}

/**
 * A family's forecasts (series of one kind: every store × brand's new units, every store × part's
 * quantities): each series backtested on its own history, the method with the lowest mean error
 * over the family preferred, another chosen for a series only where its own backtest finds it
 * clearly better (accuracy.ts's choose).
 */
export function forecastFamily(family: readonly MonthlySeries[], options: ForecastOptions): SeriesForecast[] {
  return finishFamily(
    family.map((s) => prepareSeries(s, options)),
    options.nonNegative,
  );
}

export function finishFamily(prepared: readonly PreparedSeries[], nonNegative: boolean): SeriesForecast[] {
  const preferred = prepared.length > 1 ? familyBest(prepared.map((p) => p.results)) : undefined;
  return prepared.map((p) => finishSeries(p, preferred, nonNegative));
}

/** A series' forecast by the method chosen for it, given its family's preferred one. */
export function finishSeries(
  { start, results, forecasts }: PreparedSeries,
  preferred: string | undefined,
  nonNegative: boolean,
): SeriesForecast {
  const chosen = choose(results, preferred);
  return {
    method: chosen.method,
    festival: chosen.festival,
    backtest: { mase: chosen.mase, rmsse: chosen.rmsse, bias: chosen.bias },
    points: withIntervals(forecasts[variantOf(chosen)]!, chosen.errorsByStep, start, nonNegative),
    errors: {
      originsFromEnd: chosen.originsFromEnd,
      errorsByStep: chosen.errorsByStep,
      actual: chosen.actual,
    },
  };
}

/**
 * The 80% and 95% intervals around each step's forecast, from the spread of the method's backtest
 * errors at that step ahead (their root mean square, from three errors up); a step with fewer is
 * given the last measured step's spread widened as a random walk's (√ of the steps), and no
 * interval narrows further ahead. None without errors at all.
 */
export function withIntervals(
  point: readonly number[],
  errorsByStep: readonly number[][],
  start: string,
  nonNegative: boolean,
): ForecastPoint[] {
  const clip = (v: number) => (nonNegative ? Math.max(0, v) : v);
  const rmse = errorsByStep.map((e) =>
    e.length >= 3 ? Math.sqrt(e.reduce((s, x) => s + x * x, 0) / e.length) : null,
  );
  let widest = 0;
  let measured: { step: number; value: number } | null = null;
  const sigmas = point.map((_, h) => {
    const own = rmse[h];
    if (own != null) measured = { step: h, value: own };
    if (!measured) return null;
    const s = own ?? measured.value * Math.sqrt((h + 1) / (measured.step + 1));
    widest = Math.max(widest, s);
    return widest;
  });
  return point.map((value, h) => {
    const s = sigmas[h] ?? null;
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
}
