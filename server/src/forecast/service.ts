// Forecasts off the request path: a family of series (a metric's store series, its store × brand
// series, every store × part) is read from the warehouse, forecast on worker threads and kept per
// data version and as-of month end. A request finds a family computed or starts it and hears
// "not yet" (the API answers 202 with Retry-After), so it never waits for a whole-warehouse
// computation; families are computed one at a time, and after each load the ones the landing
// figures and the parts page need are computed ahead of any request.
import { availableParallelism } from 'node:os';
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { LANDING_METRICS } from '../contract/vocabulary.ts';
import type { ProductLevel } from '../contract/vocabulary.ts';
import type { ReadGate } from '../db/read-gate.ts';
import type { Logger } from '../logger.ts';
import { METRIC_BY_ID, type MetricDefinition } from '../metrics/catalog.ts';
import { loadCoverage, type Coverage } from '../metrics/coverage.ts';
import type { SeriesForecast } from './engine.ts';
import { PARTS_METHODS } from './methods.ts';
import { forecastFamilyOnAllCores } from './pool.ts';
import {
  festivalMonths,
  filesOf,
  metricSeries,
  partSeries,
  wholeMonthsOf,
  type KeyedSeries,
  type MonthRange,
} from './series.ts';

/** Months every family is forecast ahead (a request's horizon is a prefix of it). */
export const FAMILY_HORIZON = 12;

export type FamilyId =
  { kind: 'metric'; metric: MetricDefinition; level: ProductLevel | null } | { kind: 'parts' };

export interface FamilyMember {
  series: KeyedSeries;
  forecast: SeriesForecast;
}

export interface Family {
  /** The last day of the history: the first forecast month is the one after it. */
  asOf: string;
  members: FamilyMember[];
}

export type FamilyState =
  { status: 'ready'; family: Family } | { status: 'pending' } | { status: 'failed'; message: string };

const PARTS_FILES = ['parts_sales.csv'];

function filesOfFamily(id: FamilyId): string[] {
  return id.kind === 'parts' ? PARTS_FILES : filesOf(id.metric);
}

/** The whole months the family's data covers (null: none). */
export function monthsOf(id: FamilyId, coverage: Coverage): MonthRange | null {
  return wholeMonthsOf(coverage, filesOfFamily(id));
}

/** Counts and quantities are not forecast below zero; money may be. */
export function nonNegativeOf(id: FamilyId): boolean {
  return id.kind === 'parts' || ['units', 'count'].includes(id.metric.unit);
}

function keyOf(id: FamilyId, asOf: string): string {
  return id.kind === 'parts' ? `parts|${asOf}` : `${id.metric.id}|${id.level ?? 'store'}|${asOf}`;
}

type Entry = { state: FamilyState };

/** Series kept across families: about 3 KB each, so ~600 MB (six parts families at 400 stores). */
const MAX_SERIES = 200_000;

export class ForecastService {
  private runId: number | null | undefined = undefined;
  /** Computed families of this data version (and what is queued or failed), the least recently
   *  used dropped first once they hold more series than MAX_SERIES. */
  private readonly entries = new LRUCache<string, Entry>({
    maxSize: MAX_SERIES,
    sizeCalculation: (e) => (e.state.status === 'ready' ? Math.max(1, e.state.family.members.length) : 1),
  });
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly knex: Knex,
    private readonly gate: ReadGate,
    private readonly dataVersion: () => Promise<{ run_id: number | null }>,
    private readonly logger: Logger,
    /** Worker threads for a family; one core is left to the requests. */
    private readonly threads = Math.max(1, availableParallelism() - 1),
  ) {}

  /** Forgets every family when a load has committed since. */
  private async current(): Promise<void> {
    const { run_id: runId } = await this.dataVersion();
    if (runId !== this.runId) {
      this.runId = runId;
      this.entries.clear();
    }
  }

  /** The family forecast from the data up to `asOf` (a month end inside `months`): computed, or queued now. */
  async family(id: FamilyId, asOf: string): Promise<FamilyState> {
    await this.current();
    const key = keyOf(id, asOf);
    const known = this.entries.get(key);
    if (known) return known.state;
    const entry: Entry = { state: { status: 'pending' } };
    this.entries.set(key, entry);
    const runId = this.runId;
    this.queue = this.queue.then(async () => {
      // Still wanted: not dropped, and no load since.
      if (this.entries.get(key) !== entry || this.runId !== runId) return;
      const started = performance.now();
      try {
        const family = await this.compute(id, asOf);
        entry.state = { status: 'ready', family };
        // Set again, so the cache counts its series.
        if (this.entries.get(key) === entry) this.entries.set(key, entry);
        this.logger.info(
          {
            family: key,
            series: family.members.length,
            duration_ms: Math.round(performance.now() - started),
          },
          `forecast ${key}: ${family.members.length} series`,
        );
      } catch (err) {
        const message = (err as Error).message.split('\n')[0]!;
        entry.state = { status: 'failed', message };
        this.logger.error({ err, family: key }, `forecast ${key} failed: ${message}`);
      }
    });
    return entry.state;
  }

  /** After a load: the landing metrics' store series, new units by brand and every part, as of the data's end. */
  async warm(): Promise<void> {
    const ids: FamilyId[] = [
      ...LANDING_METRICS.map((m): FamilyId => ({
        kind: 'metric',
        metric: METRIC_BY_ID.get(m)!,
        level: null,
      })),
      { kind: 'metric', metric: METRIC_BY_ID.get('new_units')!, level: 'brand' },
      { kind: 'parts' },
    ];
    const coverage = await loadCoverage(this.knex);
    for (const id of ids) {
      const months = monthsOf(id, coverage);
      if (months) await this.family(id, months.to);
    }
  }

  /** Resolves once every family queued so far is computed (tests, benchmarks). */
  async idle(): Promise<void> {
    let seen: Promise<unknown> | undefined;
    while (seen !== this.queue) {
      seen = this.queue;
      await seen;
    }
  }

  private async compute(id: FamilyId, asOf: string): Promise<Family> {
    // Read under the gate, so a load's commit never lands between the family's queries.
    const release = await this.gate.enter();
    let series: KeyedSeries[];
    let festival: Awaited<ReturnType<typeof festivalMonths>>;
    try {
      const months = monthsOf(id, await loadCoverage(this.knex));
      if (!months || asOf < months.from) throw new Error(`no whole month of data before ${asOf}`);
      const range = { from: months.from, to: asOf };
      series =
        id.kind === 'parts'
          ? await partSeries(this.knex, range)
          : await metricSeries(this.knex, id.metric, range, id.level ?? undefined);
      festival = await festivalMonths(this.knex);
    } finally {
      release();
    }
    const forecasts = await forecastFamilyOnAllCores(
      series,
      {
        horizon: FAMILY_HORIZON,
        nonNegative: nonNegativeOf(id),
        festival,
        ...(id.kind === 'parts' ? { methods: PARTS_METHODS } : {}),
      },
      this.threads,
    );
    return { asOf, members: series.map((s, i) => ({ series: s, forecast: forecasts[i]! })) };
  }
}
