// A forecast worker (pool.ts): for each job, backtests and forecasts its share of a family's series
// (engine.ts prepareSeries) and sends back the summaries the family's choice is made from; told
// the family's preferred method, it sends each series' chosen forecast and forgets the job. Only
// summaries and chosen forecasts cross threads: every candidate's backtest errors, at 400 stores'
// parts, were 1 GB.
import { parentPort } from 'node:worker_threads';
import type { BacktestSummary } from './accuracy.ts';
import type { MonthlySeries } from './calendar.ts';
import { finishSeries, prepareSeries, type ForecastOptions, type PreparedSeries } from './engine.ts';

type Message =
  | { kind: 'prepare'; id: number; share: MonthlySeries[]; options: ForecastOptions }
  | { kind: 'finish'; id: number; job: number; preferred: string | undefined };

const jobs = new Map<number, { prepared: PreparedSeries[]; options: ForecastOptions }>();

parentPort!.on('message', (m: Message) => {
  try {
    if (m.kind === 'prepare') {
      const prepared = m.share.map((series) => prepareSeries(series, m.options));
      jobs.set(m.id, { prepared, options: m.options });
      const summaries = prepared.map((p) =>
        p.results.map(({ method, festival, mase, bias, actual }): BacktestSummary => ({
          method,
          festival,
          mase,
          bias,
          actual,
        })),
      );
      parentPort!.postMessage({ id: m.id, summaries });
    } else {
      const job = jobs.get(m.job)!;
      jobs.delete(m.job);
      const forecasts = job.prepared.map((p) => finishSeries(p, m.preferred, job.options.nonNegative));
      parentPort!.postMessage({ id: m.id, forecasts });
    }
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: (err as Error).message });
  }
});
