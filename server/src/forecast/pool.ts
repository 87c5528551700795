// A family's forecasts on every core: the series split among worker threads, each backtesting and
// forecasting its share (augurs' WebAssembly runs one fit at a time per thread), the family's
// method chosen here over all of them. Even a small family goes to a worker: the calling thread is
// the server's, and a fit of a few hundred series would hold its requests for seconds.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MonthlySeries } from './calendar.ts';
import { finishFamily, type ForecastOptions, type PreparedSeries, type SeriesForecast } from './engine.ts';

/** Fewer series than this are not worth a thread's start (~0.3 s). */
const MIN_PER_THREAD = 100;

export async function forecastFamilyOnAllCores(
  family: readonly MonthlySeries[],
  options: ForecastOptions,
  threads = availableParallelism(),
): Promise<SeriesForecast[]> {
  if (!family.length) return [];
  const count = Math.max(1, Math.min(threads, Math.floor(family.length / MIN_PER_THREAD)));
  const size = Math.ceil(family.length / count);
  const shares = Array.from({ length: count }, (_, i) => family.slice(i * size, (i + 1) * size));
  const prepared = await Promise.all(shares.map((share) => inWorker(share, options)));
  return finishFamily(prepared.flat(), options.nonNegative);
}

function inWorker(family: readonly MonthlySeries[], options: ForecastOptions): Promise<PreparedSeries[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      workerData: { module: new URL('./worker.ts', import.meta.url).href, family, options },
    });
    worker.once('message', (prepared: PreparedSeries[]) => {
      resolve(prepared);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`forecast worker stopped with code ${code}`));
    });
  });
}
