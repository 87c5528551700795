// Metric answers are computed under a shared hold (http/cache.ts); a load's COMMIT takes the gate
// exclusively: it waits for the computations in flight and holds new ones back for the moment it
// takes. So an answer is built wholly from the data before a load or wholly from the data after
// it, even when it runs several queries (DuckDB gives each query its own snapshot). New
// computations wait as soon as a commit is waiting, so a busy wall cannot starve a load. Only
// computations hold it, never a client's connection: a slow or vanished client cannot stall a load.
export class ReadGate {
  private readers = 0;
  private writing: Promise<void> | null = null;
  private drained: (() => void) | null = null;

  /** Waits out a commit, then holds the gate shared; call the returned function when done (once). */
  async enter(): Promise<() => void> {
    while (this.writing) await this.writing;
    this.readers++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.readers--;
      if (this.readers === 0) this.drained?.();
    };
  }

  /** Runs `fn` with no request in flight; requests that arrive meanwhile wait for it. */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.writing) await this.writing;
    let done!: () => void;
    this.writing = new Promise((resolve) => (done = resolve));
    try {
      if (this.readers > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = null;
      return await fn();
    } finally {
      this.writing = null;
      done();
    }
  }
}
