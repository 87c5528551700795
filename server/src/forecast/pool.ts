// A family's forecasts on every core: the series split among worker threads, each backtesting and
// forecasting its share (augurs' WebAssembly runs one fit at a time per thread), the family's
// method chosen here over all of their backtests' summaries, and each worker then sends its
// series' chosen forecasts. Even a small family goes to a worker: the calling thread is
// the server's, and a fit of a few hundred series would hold its requests for seconds.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MonthlySeries } from './calendar.ts';
import { familyBest, type BacktestSummary } from './accuracy.ts';
import type { ForecastOptions, SeriesForecast } from './engine.ts';

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
  const workers = Array.from(
    { length: count },
    (_, i) => new ForecastWorker(family.slice(i * size, (i + 1) * size), options),
  );
  try {
    // The family's method from every share's backtests, then each share's chosen forecasts.
    const summaries = (await Promise.all(workers.map((w) => w.next<BacktestSummary[][]>()))).flat();
    const preferred = family.length > 1 ? familyBest(summaries) : undefined;
    for (const w of workers) w.post({ preferred });
    return (await Promise.all(workers.map((w) => w.next<SeriesForecast[]>()))).flat();
  } finally {
    for (const w of workers) void w.terminate();
  }
}

/** A worker thread forecasting its share (worker.ts), its messages taken in order. */
class ForecastWorker {
  private readonly worker: Worker;
  private readonly queue: unknown[] = [];
  private waiting: { resolve: (m: unknown) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(share: readonly MonthlySeries[], options: ForecastOptions) {
    this.worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      workerData: { module: new URL('./worker.ts', import.meta.url).href, family: share, options },
    });
    this.worker.on('message', (m) => (this.waiting ? this.settle((w) => w.resolve(m)) : this.queue.push(m)));
    const fail = (err: Error) => {
      this.failure ??= err;
      if (this.waiting) this.settle((w) => w.reject(err));
    };
    this.worker.once('error', fail);
    this.worker.once('exit', (code) => fail(new Error(`forecast worker stopped with code ${code}`)));
  }

  private settle(f: (w: NonNullable<ForecastWorker['waiting']>) => void): void {
    const w = this.waiting!;
    this.waiting = null;
    f(w);
  }

  next<T>(): Promise<T> {
    if (this.queue.length) return Promise.resolve(this.queue.shift() as T);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>(
      (resolve, reject) => (this.waiting = { resolve: resolve as (m: unknown) => void, reject }),
    );
  }

  post(message: unknown): void {
    this.worker.postMessage(message);
  }

  terminate(): Promise<number> {
    this.worker.removeAllListeners('exit');
    return this.worker.terminate();
  }
}
