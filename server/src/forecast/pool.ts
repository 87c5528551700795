// A family's forecasts on every core: the series split among worker threads, each backtesting and
// forecasting its share (augurs' WebAssembly runs one fit at a time per thread), the family's
// method chosen here over all of their backtests' summaries, and each worker then sends its
// series' chosen forecasts. Even a small family goes to a worker: the calling thread is the
// server's, and a fit of a few hundred series would hold its requests for seconds. The workers
// live on between families (starting one and loading the engine into it took ~0.45 s) and do not
// keep the process alive.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MonthlySeries } from './calendar.ts';
import { familyBest, type BacktestSummary } from './accuracy.ts';
import type { ForecastOptions, SeriesForecast } from './engine.ts';

/** Fewer series than this are not worth a second thread. */
const MIN_PER_THREAD = 100;

export async function forecastFamilyOnAllCores(
  family: readonly MonthlySeries[],
  options: ForecastOptions,
  threads = availableParallelism(),
): Promise<SeriesForecast[]> {
  if (!family.length) return [];
  const count = Math.max(1, Math.min(threads, Math.floor(family.length / MIN_PER_THREAD)));
  const size = Math.ceil(family.length / count);
  const jobs = Array.from({ length: count }, (_, i) =>
    workerAt(i).job(family.slice(i * size, (i + 1) * size), options),
  );
  // The family's method from every share's backtests, then each share's chosen forecasts.
  const summaries = (await Promise.all(jobs.map((j) => j.summaries))).flat();
  const preferred = family.length > 1 ? familyBest(summaries) : undefined;
  return (await Promise.all(jobs.map((j) => j.finish(preferred)))).flat();
}

const workers: ForecastWorker[] = [];

/** The i-th worker, started if it is not running (or stopped after a failure). */
function workerAt(i: number): ForecastWorker {
  if (!workers[i]?.alive) workers[i] = new ForecastWorker();
  return workers[i]!;
}

type Reply = { id: number; summaries?: BacktestSummary[][]; forecasts?: SeriesForecast[]; error?: string };

/** A worker thread (worker.ts) and the replies it owes, by job id. */
class ForecastWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  alive = true;

  constructor() {
    this.worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      workerData: { module: new URL('./worker.ts', import.meta.url).href },
    });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (!this.waiting.size) this.worker.unref(); // idle: no reason to keep the process up
      if (reply.error) waiter?.reject(new Error(reply.error));
      else waiter?.resolve(reply);
    });
    const fail = (err: Error) => {
      this.alive = false;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    this.worker.once('error', fail);
    this.worker.once('exit', (code) => fail(new Error(`forecast worker stopped with code ${code}`)));
  }

  private ask(message: object): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref(); // a reply is owed: the process waits for it
      this.worker.postMessage({ ...message, id });
    });
  }

  /** Backtests and forecasts a share: its summaries now, its chosen forecasts once told the family's method. */
  job(share: readonly MonthlySeries[], options: ForecastOptions) {
    const id = this.nextId; // the prepare's id names the job
    const summaries = this.ask({ kind: 'prepare', share, options }).then((r) => r.summaries!);
    return {
      summaries,
      finish: (preferred: string | undefined) =>
        this.ask({ kind: 'finish', job: id, preferred }).then((r) => r.forecasts!),
    };
  }
}
