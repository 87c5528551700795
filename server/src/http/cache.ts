// Response cache for data endpoints, keyed by data version, the caller's scope and the request.
// A load that commits changes the data version, so its entries are simply never hit again;
// the cache is bounded by the bytes of the answers it keeps (CACHE_MAX_MB; least recently used
// answers go first, and one bigger than the whole bound is not kept). Identical requests that arrive
// while the first is still being answered wait for that answer instead of running it again
// (a wall room or a morning rush asks the same thing many times at once).
import type { Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { currentDataVersion, type DataVersion } from '../etl-runs/service.ts';
import type { ReadGate } from '../db/read-gate.ts';

export class ResponseCache {
  private readonly entries: LRUCache<string, string>;
  private readonly inflight = new Map<string, Promise<string>>();
  private version: { value: DataVersion; readAt: number } | null = null;

  constructor(
    private readonly knex: Knex,
    /** Computations run under it, so none straddles a load's commit (db/read-gate.ts). */
    private readonly gate: ReadGate,
    /** The most bytes of JSON kept (UTF-8, as sent). */
    readonly maxBytes: number,
    /** How long the data version read from etl.runs is trusted without asking again. */
    private readonly versionTtlMs = 1000,
  ) {
    this.entries = new LRUCache({ maxSize: maxBytes, sizeCalculation: (body) => Buffer.byteLength(body) });
  }

  /** What the cache holds now: answers and their bytes. */
  get held(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.entries.calculatedSize };
  }

  /** Bumped by invalidate(): a version read begun before it must not be kept after it. */
  private generation = 0;
  private versionRead: Promise<DataVersion> | null = null;

  /** Call after a load commits in this process: the next request sees the new version at once. */
  invalidate(): void {
    this.generation++;
    this.version = null;
    this.versionRead = null;
    this.entries.clear();
    this.inflight.clear();
  }

  /** The data version, read from etl.runs at most once per versionTtlMs (walls ask every 5 s). */
  async dataVersion(): Promise<DataVersion> {
    if (this.version && Date.now() - this.version.readAt <= this.versionTtlMs) return this.version.value;
    if (!this.versionRead) {
      // One read for the requests that arrive meanwhile; one begun before a load's commit (and the
      // invalidate() after it) answers its own callers but is not kept: the version never goes back.
      const generation = this.generation;
      const read = currentDataVersion(this.knex).then((value) => {
        if (generation === this.generation) this.version = { value, readAt: Date.now() };
        return value;
      });
      this.versionRead = read;
      void read.catch(() => undefined).finally(() => this.versionRead === read && (this.versionRead = null));
    }
    return this.versionRead;
  }

  private async compute(handler: () => Promise<unknown>): Promise<string> {
    const leave = await this.gate.enter();
    try {
      return JSON.stringify(await handler());
    } finally {
      leave();
    }
  }

  /**
   * The JSON answer to `path?query` for callers of scope `scopeKey` at the current data version:
   * kept, or being computed for another caller, or computed now.
   */
  async answer(
    scopeKey: string,
    path: string,
    query: string,
    compute: () => Promise<unknown>,
  ): Promise<{ body: string; how: 'hit' | 'shared' | 'miss' }> {
    const key = `${(await this.dataVersion()).run_id}|${scopeKey}|${path}|${query}`;
    const kept = this.entries.get(key);
    if (kept !== undefined) return { body: kept, how: 'hit' };
    let pending = this.inflight.get(key);
    const how = pending ? 'shared' : 'miss';
    if (!pending) {
      pending = this.compute(compute);
      this.inflight.set(key, pending);
      void pending
        .catch(() => {})
        .finally(() => this.inflight.get(key) === pending && this.inflight.delete(key));
    }
    const body = await pending;
    this.entries.set(key, body);
    return { body, how };
  }

  /** Wraps a handler returning JSON-able data; identical requests in the same scope hit the cache. */
  wrap(handler: (req: Request, res: Response) => Promise<unknown>): RequestHandler {
    return async (req, res) => {
      const query = Object.entries(req.query as Record<string, unknown>);
      // A repeated parameter is a 400 from the handler: never let it share a cache entry.
      if (query.some(([, v]) => typeof v !== 'string')) {
        res.type('application/json').send(await this.compute(() => handler(req, res)));
        return;
      }
      const { scope } = res.locals;
      const canonical = new URLSearchParams(
        query.sort(([a], [b]) => a.localeCompare(b)) as [string, string][],
      ).toString();
      const { body, how } = await this.answer(scope.key, req.path, canonical, () => handler(req, res));
      res.setHeader('x-cache', how);
      res.type('application/json').send(body);
    };
  }
}
