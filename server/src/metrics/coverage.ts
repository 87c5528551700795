// Data coverage: which dates each extract file's data covers (etl.coverage, recorded by every
// load), and whether a metric can be computed for a period. A metric has a value for a period only
// when every window it reads — the period itself, and what it reads before it (the 30 days of
// days' supply, the 12–36 months of the return rate, a year of parts movements, the month ends a
// balance is averaged over) — lies wholly inside the coverage of its sources. Elsewhere it has no
// value ("no data"), never 0, and never a balance rebuilt from the few documents still open when
// the extract began.
import { addDays, addMonths, format, parseISO } from './date-fns.ts';
import type { Knex } from 'knex';
import { measuresOf, METRIC_BY_ID, type MetricDefinition } from './catalog.ts';
import { evaluateMetric } from './compiler.ts';
import { MEASURES, SOURCES, type Measure, type MeasureId, type SourceId } from './measures.ts';
import { lastMonthEndOnOrBefore, monthEndsIn, type Bucket, type Period } from './periods.ts';

export interface Window {
  from: string;
  to: string;
}

const iso = (d: Date) => format(d, 'yyyy-MM-dd');
const shift = (date: string, days: number) => iso(addDays(parseISO(date), days));
const monthsBefore = (date: string, months: number) => iso(addMonths(parseISO(date), -months));

/** The windows of each source a measure reads for a period. */
export function windowsOf(measure: Measure, period: Period): { source: SourceId; window: Window }[] {
  const rule = measure.time;
  const own = (window: Window) => [{ source: measure.source, window }];
  const back = (date: string) => (measure.lookbackDays ? shift(date, -measure.lookbackDays) : date);
  switch (rule.kind) {
    case 'flow':
    case 'monthly':
    case 'held_days':
      return own(period);
    case 'last_30_days':
      return own({ from: shift(period.to, -29), to: period.to });
    case 'at_end':
      return own({ from: back(period.to), to: period.to });
    case 'snapshot_at_end': {
      const snapshot = lastMonthEndOnOrBefore(period.to);
      return own({ from: back(snapshot), to: snapshot });
    }
    case 'month_end_avg_open':
    case 'snapshot_month_end_avg': {
      const ends = monthEndsIn(period);
      return own({ from: back(ends[0]!), to: ends.at(-1)! });
    }
    case 'sold_new_12_36m':
      // New sales 12–36 months before the period end, and their repair orders in the 12 months to it.
      return [
        {
          source: measure.source,
          window: { from: shift(monthsBefore(period.to, 36), 1), to: monthsBefore(period.to, 12) },
        },
        { source: 'service_orders', window: { from: shift(monthsBefore(period.to, 12), 1), to: period.to } },
      ];
  }
}

export class Coverage {
  constructor(private readonly byFile: ReadonlyMap<string, Window>) {}

  /** The window a source's data covers; null when its file was never loaded. */
  of(source: SourceId): Window | null {
    return this.ofFile(SOURCES[source].file);
  }

  ofFile(file: string): Window | null {
    return this.byFile.get(file) ?? null;
  }

  /** The metric's value from its measures where the data covers the period, else null. */
  value(
    metric: MetricDefinition,
    measures: Partial<Record<MeasureId, number>>,
    period: Bucket,
  ): number | null {
    return this.covers(metric, period) ? evaluateMetric(metric, measures, period) : null;
  }

  /** Whether every window the metric reads for the period lies inside its sources' coverage. */
  covers(metric: MetricDefinition, period: Period): boolean {
    if (metric.formula.kind === 'derived') {
      return Object.keys(metric.formula.metrics).every((id) => this.covers(METRIC_BY_ID.get(id)!, period));
    }
    return this.coversMeasures(measuresOf(metric), period);
  }

  /** Whether every window the measures read for the period lies inside their sources' coverage. */
  coversMeasures(ids: readonly MeasureId[], period: Period): boolean {
    return ids.every((id) =>
      windowsOf(MEASURES[id], period).every(({ source, window }) => {
        const covered = this.of(source);
        return covered !== null && covered.from <= window.from && window.to <= covered.to;
      }),
    );
  }

  /** The first and last day any fact data covers (for period pickers and labels). */
  get span(): Window | null {
    const windows = [...this.byFile.values()];
    if (!windows.length) return null;
    return {
      from: windows.map((w) => w.from).sort()[0]!,
      to: windows
        .map((w) => w.to)
        .sort()
        .at(-1)!,
    };
  }
}

export async function loadCoverage(knex: Knex): Promise<Coverage> {
  const rows = (await knex('etl.coverage').select('file', 'covered_from', 'covered_to')) as {
    file: string;
    covered_from: string;
    covered_to: string;
  }[];
  return new Coverage(
    new Map(rows.map((r) => [r.file, { from: String(r.covered_from), to: String(r.covered_to) }])),
  );
}
