// npm run bench:forecast -- [--warehouse PATH] [--months-held N]
// The forecasting engine over every store × brand new-vehicle series and every store × part series
// of a warehouse (default the 400-store benchmark's, made by bench:api): the time and memory to
// forecast all of them 12 months ahead from the data's end, and its accuracy measured honestly —
// forecasts made as of N months (default 12) before the end from the data up to then, against
// what happened: the mean MASE over the series (each scaled by its own training months' naive
// errors) of the engine, the seasonal naive and SBA, and the total forecast against the total sold.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { openWarehouse } from '../db/warehouse.ts';
import { scaleOf } from '../forecast/accuracy.ts';
import { forecastFamilyOnAllCores } from '../forecast/pool.ts';
import { forecastWith, PARTS_METHODS, type MethodId } from '../forecast/methods.ts';
import {
  festivalMonths,
  metricSeries,
  partSeries,
  wholeMonthsWithin,
  type KeyedSeries,
  type MonthRange,
} from '../forecast/series.ts';
import { METRIC_BY_ID } from '../metrics/catalog.ts';
import { loadCoverage } from '../metrics/coverage.ts';

const { values } = parseArgs({
  options: {
    warehouse: { type: 'string', default: 'data/bench/api-400x36.duckdb' },
    'months-held': { type: 'string', default: '12' },
    origins: { type: 'string', default: '12' },
    every: { type: 'string', default: '1' },
  },
});
const held = Number(values['months-held']);
const origins = Number(values.origins);
const originEvery = Number(values.every);
const HORIZON = 12;

const warehouse = await openWarehouse(values.warehouse!);
const knex = warehouse.knex;
const festival = await festivalMonths(knex);
/** The whole months an extract file's data covers. */
async function monthsOf(file: string): Promise<MonthRange> {
  const covered = (await loadCoverage(knex)).ofFile(file);
  const range = covered && wholeMonthsWithin(covered);
  if (!range) throw new Error(`${file} covers no whole month`);
  return range;
}
const range = await monthsOf('vehicle_sales.csv');
const partsRange = await monthsOf('parts_sales.csv');
const newUnits = METRIC_BY_ID.get('new_units')!;

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
const lines: string[] = [];

/** Forecasts every series `horizon` months ahead on every core; the time it took. */
async function forecastAll(series: KeyedSeries[], nonNegative: boolean, methods?: readonly MethodId[]) {
  const t0 = performance.now();
  const forecasts = await forecastFamilyOnAllCores(series, {
    horizon: HORIZON,
    nonNegative,
    festival,
    origins,
    originEvery,
    ...(methods ? { methods } : {}),
  });
  return { forecasts, ms: performance.now() - t0 };
}

/** The engine's and the baselines' accuracy on the last `held` months, forecast from before them. */
async function heldOut(
  series: KeyedSeries[],
  nonNegative: boolean,
  baselines: ('seasonal_naive' | 'sba')[],
  methods?: readonly MethodId[],
) {
  const mase: Record<string, number[]> = { engine: [], ...Object.fromEntries(baselines.map((b) => [b, []])) };
  const totals: Record<string, number> = {
    actual: 0,
    engine: 0,
    ...Object.fromEntries(baselines.map((b) => [b, 0])),
  };
  const chosen = new Map<string, number>();
  // A year to learn from, at least, and a scale to measure by.
  const kept = series.filter((s) => s.values.length >= held + 13 && scaleOf(s.values.slice(0, -held)));
  const trains = kept.map((s) => ({ start: s.start, values: s.values.slice(0, -held) }));
  const forecasts = await forecastFamilyOnAllCores(trains, {
    horizon: held,
    nonNegative,
    festival,
    origins,
    originEvery,
    ...(methods ? { methods } : {}),
  });
  kept.forEach((s, i) => {
    const train = trains[i]!.values;
    const actual = s.values.slice(-held);
    const scale = scaleOf(train)!;
    const engine = forecasts[i]!;
    chosen.set(engine.method, (chosen.get(engine.method) ?? 0) + 1);
    const score = (f: readonly number[]) =>
      f.reduce((sum, v, h) => sum + Math.abs(v - actual[h]!), 0) / held / scale.mae;
    const engineValues = engine.points.map((p) => p.value);
    mase.engine!.push(score(engineValues));
    totals.engine! += engineValues.reduce((a, b) => a + b, 0);
    totals.actual! += actual.reduce((a, b) => a + b, 0);
    for (const b of baselines) {
      const f = forecastWith(b, train, held);
      mase[b]!.push(score(f));
      totals[b]! += f.reduce((a, v) => a + v, 0);
    }
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    series: mase.engine!.length,
    mase: Object.fromEntries(Object.entries(mase).map(([k, v]) => [k, mean(v)])),
    totals,
    methods: Object.fromEntries([...chosen].sort((a, b) => b[1] - a[1])),
  };
}

const t0 = performance.now();
const brandSeries = await metricSeries(knex, newUnits, range, 'brand');
const parts = await partSeries(knex, partsRange);
lines.push(
  `warehouse ${values.warehouse}: data ${range.from} – ${range.to}; ${brandSeries.length} store × brand new-vehicle series, ${parts.length} store × part series (read in ${Math.round(performance.now() - t0)} ms)`,
);
const brands = await forecastAll(brandSeries, true);
const partsAll = await forecastAll(parts, true, PARTS_METHODS);
lines.push(
  `forecast ${HORIZON} months ahead on ${availableParallelism()} threads (backtests from every ${originEvery} of the last ${origins} months): brands ${(brands.ms / 1000).toFixed(1)} s, parts ${(partsAll.ms / 1000).toFixed(1)} s; total ${((performance.now() - t0) / 1000).toFixed(1)} s; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`,
);

const fmt = (r: Awaited<ReturnType<typeof heldOut>>) =>
  `${r.series} series; mean MASE ${Object.entries(r.mase)
    .map(([k, v]) => `${k} ${v.toFixed(3)}`)
    .join(', ')}; total ${Object.entries(r.totals)
    .map(([k, v]) => `${k} ${Math.round(v)}`)
    .join(', ')}; methods chosen ${JSON.stringify(r.methods)}`;
lines.push(
  `held-out ${held} months, store × brand new units: ${fmt(await heldOut(brandSeries, true, ['seasonal_naive']))}`,
);
lines.push(
  `held-out ${held} months, store × part quantities: ${fmt(await heldOut(parts, true, ['sba', 'seasonal_naive'], PARTS_METHODS))}`,
);
console.log(lines.join('\n'));
await warehouse.close();
