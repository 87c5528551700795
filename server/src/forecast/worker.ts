// A forecast worker: backtests and forecasts its share of a family's series (engine.ts
// prepareSeries) and sends them back; the family's choice is made by pool.ts over all shares.
import { parentPort, workerData } from 'node:worker_threads';
import type { MonthlySeries } from './calendar.ts';
import { prepareSeries, type ForecastOptions } from './engine.ts';

const { family, options } = workerData as { family: MonthlySeries[]; options: ForecastOptions };
parentPort!.postMessage(family.map((series) => prepareSeries(series, options)));
