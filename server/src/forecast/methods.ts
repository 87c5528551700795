// Forecasting methods over a monthly series (oldest first): point forecasts for the next
// `horizon` months. The baselines (naive, seasonal naive), exponential smoothing — AutoETS (level
// and trend) and MSTL with an AutoETS trend (a yearly season learnt from two years of history and
// more), both from augurs, Grafana's ETS/MSTL library compiled to WebAssembly — and for intermittent
// demand (a part that
// sells a few units a month or less) Croston, its bias-corrected SBA and TSB; and the average of
// exponential smoothing and the seasonal naive (combining forecasts is the M-competitions' surest
// gain: each one's errors partly cancel). Intervals are not made here: every method's come from its
// own backtest errors (accuracy.ts), so they mean the same.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AutoETS, initSync as initEts } from '@bsull/augurs/ets';
import { SERIES_METHODS } from '../contract/forecast.ts';
import { MSTL, initSync as initMstl } from '@bsull/augurs/mstl';

export const METHODS = SERIES_METHODS;
export type MethodId = (typeof METHODS)[number];

/** The methods parts demand is forecast with: the baselines and the intermittent-demand ones.
 *  Exponential smoothing on every store × part was 40 times slower and less accurate on held-out
 *  months (docs/forecasting.md). */
export const PARTS_METHODS: readonly MethodId[] = ['naive', 'seasonal_naive', 'croston', 'sba', 'tsb'];

/** Months in a season. */
export const SEASON = 12;

/** The smoothing constants of the intermittent methods (the usual 0.1; TSB's probability 0.1 too). */
const ALPHA = 0.1;
const BETA = 0.1;

let wasmReady = false;
/** Loads augurs' WebAssembly once, synchronously (a few milliseconds). */
function loadWasm(): void {
  if (wasmReady) return;
  const resolve = createRequire(import.meta.url).resolve;
  initEts({ module: readFileSync(join(dirname(resolve('@bsull/augurs/ets')), 'ets_bg.wasm')) });
  initMstl({ module: readFileSync(join(dirname(resolve('@bsull/augurs/mstl')), 'mstl_bg.wasm')) });
  wasmReady = true;
}

/** The method's point forecasts for the `horizon` months after the history (which is not empty). */
export function forecastWith(method: MethodId, history: readonly number[], horizon: number): number[] {
  return forecastsWith([method], history, horizon).get(method)!;
}

/** Several methods' forecasts from the same history, exponential smoothing fitted once for all. */
export function forecastsWith(
  methods: readonly MethodId[],
  history: readonly number[],
  horizon: number,
): Map<MethodId, number[]> {
  const smoothed = methods.some((m) => m === 'ets' || m === 'ets_snaive') ? ets(history, horizon) : null;
  return new Map(
    methods.map((m) => {
      if (m === 'ets') return [m, smoothed!];
      if (m === 'ets_snaive') {
        const seasonal = seasonalNaive(history, horizon);
        return [m, smoothed!.map((v, h) => (v + seasonal[h]!) / 2)];
      }
      if (m === 'mstl') return [m, mstl(history, horizon)];
      return [m, simple(m, history, horizon)];
    }),
  );
}

function simple(
  method: Exclude<MethodId, 'ets' | 'ets_snaive' | 'mstl'>,
  history: readonly number[],
  horizon: number,
): number[] {
  switch (method) {
    case 'naive':
      return Array(horizon).fill(history.at(-1)!);
    case 'seasonal_naive':
      return seasonalNaive(history, horizon);
    case 'croston':
      return Array(horizon).fill(croston(history));
    case 'sba':
      return Array(horizon).fill((1 - ALPHA / 2) * croston(history));
    case 'tsb':
      return Array(horizon).fill(tsb(history));
  }
}

/** The months of history each method needs: a season for the seasonal ones, two for MSTL's. */
const MIN_HISTORY: Record<MethodId, number> = {
  naive: 1,
  seasonal_naive: SEASON,
  ets: 1,
  ets_snaive: SEASON,
  mstl: 2 * SEASON,
  croston: 1,
  sba: 1,
  tsb: 1,
};

/** The methods that can forecast from a history of this length (the shortest a backtest gives them). */
export function methodsFor(length: number): MethodId[] {
  return METHODS.filter((m) => length >= MIN_HISTORY[m]);
}

/** The same month a season earlier (the last season's month, for horizons beyond a season). */
function seasonalNaive(history: readonly number[], horizon: number): number[] {
  const n = history.length;
  return Array.from({ length: horizon }, (_, h) => history[n - SEASON + (h % SEASON)]!);
}

/** AutoETS over the level and trend (no season), its model chosen by the library (AICc). */
function ets(history: readonly number[], horizon: number): number[] {
  return fitted(history, horizon, () => new AutoETS(1, 'ZZN'));
}

/** MSTL: the yearly season taken out by STL, the rest forecast by AutoETS, the season put back. */
function mstl(history: readonly number[], horizon: number): number[] {
  return fitted(history, horizon, () => MSTL.ets([SEASON]));
}

function fitted(
  history: readonly number[],
  horizon: number,
  make: () => { fit(y: Float64Array): void; predict(h: number): { point: number[] }; free(): void },
): number[] {
  loadWasm();
  // A flat history is its own forecast (and the library may not fit one).
  if (history.every((v) => v === history[0])) return Array(horizon).fill(history[0]);
  const model = make();
  try {
    model.fit(Float64Array.from(history));
    return model.predict(horizon).point;
  } catch {
    // A series the library cannot fit (too short, degenerate): the level, as simple smoothing gives it.
    return Array(horizon).fill(simpleSmoothing(history));
  } finally {
    model.free();
  }
}

function simpleSmoothing(history: readonly number[]): number {
  return history.reduce((level, y) => level + 0.3 * (y - level), history[0]!);
}

/**
 * Croston: the demand sizes and the intervals between demands smoothed separately (updated only
 * in months with demand), the forecast per month their ratio. No demand yet: zero.
 */
function croston(history: readonly number[]): number {
  let size: number | null = null;
  let interval = 1;
  let since = 0;
  for (const y of history) {
    since++;
    if (y <= 0) continue;
    if (size === null) {
      size = y;
      interval = since;
    } else {
      size += ALPHA * (y - size);
      interval += ALPHA * (since - interval);
    }
    since = 0;
  }
  return size === null ? 0 : size / interval;
}

/**
 * TSB (Teunter, Syntetos, Babai): the probability of demand smoothed every month (so it decays
 * while a part does not sell — Croston's does not), the size only in months with demand.
 */
function tsb(history: readonly number[]): number {
  const first = history.findIndex((y) => y > 0);
  if (first < 0) return 0;
  let size = history[first]!;
  let probability = 1 / (first + 1);
  for (const y of history.slice(first + 1)) {
    probability += BETA * ((y > 0 ? 1 : 0) - probability);
    if (y > 0) size += ALPHA * (y - size);
  }
  return probability * size;
}
