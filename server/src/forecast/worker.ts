// A forecast worker: backtests and forecasts its share of a family's series (engine.ts
// prepareSeries), sends back the summaries the family's choice is made from (pool.ts), and once
// told the family's preferred method, each series' chosen forecast. Only summaries and chosen
// forecasts cross threads: every candidate's backtest errors, at 400 stores' parts, were 1 GB.
import { parentPort, workerData } from 'node:worker_threads';
import type { BacktestSummary } from './accuracy.ts';
import type { MonthlySeries } from './calendar.ts';
import { finishSeries, prepareSeries, type ForecastOptions } from './engine.ts';

const { family, options } = workerData as { family: MonthlySeries[]; options: ForecastOptions };
const prepared = family.map((series) => prepareSeries(series, options));
parentPort!.once('message', ({ preferred }: { preferred: string | undefined }) =>
  parentPort!.postMessage(prepared.map((p) => finishSeries(p, preferred, options.nonNegative))),
);
parentPort!.postMessage(
  prepared.map((p) =>
    p.results.map(({ method, festival, mase, bias, actual }): BacktestSummary => ({
      method,
      festival,
      mase,
      bias,
      actual,
    })),
  ),
);
