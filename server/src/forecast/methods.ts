// Forecasting methods over a monthly series (oldest first): point forecasts for the next
// `horizon` months. The baselines (naive, seasonal naive), exponential smoothing — MSTL with an
// AutoETS trend (seasonal, from two years of history) or AutoETS alone (shorter), both from augurs,
// Grafana's ETS/MSTL library compiled to WebAssembly — and for intermittent demand (a part that
// sells a few units a month or less) Croston, its bias-corrected SBA and TSB. Intervals are not
// made here: every method's come from its own backtest errors (accuracy.ts), so they mean the same.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AutoETS, initSync as initEts } from '@bsull/augurs/ets';
import { MSTL, initSync as initMstl } from '@bsull/augurs/mstl';

export const METHODS = ['naive', 'seasonal_naive', 'ets', 'croston', 'sba', 'tsb'] as const;
export type MethodId = (typeof METHODS)[number];

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
  switch (method) {
    case 'naive':
      return Array(horizon).fill(history.at(-1)!);
    case 'seasonal_naive':
      return seasonalNaive(history, horizon);
    case 'ets':
      return ets(history, horizon);
    case 'croston':
      return Array(horizon).fill(croston(history));
    case 'sba':
      return Array(horizon).fill((1 - ALPHA / 2) * croston(history));
    case 'tsb':
      return Array(horizon).fill(tsb(history));
  }
}

/** The methods that can forecast a history of this length. */
export function methodsFor(length: number): MethodId[] {
  return METHODS.filter((m) => (m === 'seasonal_naive' ? length >= SEASON : length >= 1));
}

/** The same month a season earlier (the last season's month, for horizons beyond a season). */
function seasonalNaive(history: readonly number[], horizon: number): number[] {
  const n = history.length;
  return Array.from({ length: horizon }, (_, h) => history[n - SEASON + (h % SEASON)]!);
}

/** MSTL (one yearly season) with an AutoETS trend from two whole seasons; AutoETS alone before. */
function ets(history: readonly number[], horizon: number): number[] {
  loadWasm();
  // A flat history is its own forecast (and the library may not fit one).
  if (history.every((v) => v === history[0])) return Array(horizon).fill(history[0]);
  try {
    if (history.length >= 2 * SEASON) {
      const model = MSTL.ets([SEASON]);
      try {
        model.fit(Float64Array.from(history));
        return model.predict(horizon).point;
      } finally {
        model.free();
      }
    }
    const model = new AutoETS(1, 'ZZN');
    try {
      model.fit(Float64Array.from(history));
      return model.predict(horizon).point;
    } finally {
      model.free();
    }
  } catch {
    // A series the library cannot fit (too short, degenerate): the level, as simple smoothing gives it.
    return Array(horizon).fill(simpleSmoothing(history));
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
