// The monthly series the engine forecasts, read from the warehouse for every store (the engine runs
// off the request path over the whole group; what a user sees of it passes through their Scope):
// - a sum metric's months per store, or per store × product level (brand, series…), through the
//   metric compiler, so a forecast of new units means exactly what the cards mean;
// - parts quantities per store × part number (the part's category with it): parts are no product
//   of the catalog, so a plain query over the parts lines.
// A store's series starts at its first month with a figure (a store not yet open has no zeros).
import type { Knex } from 'knex';
import type { ProductLevel } from '../contract/vocabulary.ts';
import { measuresOf, type MetricDefinition } from '../metrics/catalog.ts';
import { measuresFor, queryMeasures, termsValue } from '../metrics/compiler.ts';
import type { Coverage } from '../metrics/coverage.ts';
import { MEASURES, SOURCES } from '../metrics/measures.ts';
import { addMonths, format, isLastDayOfMonth, parseISO, startOfMonth, subDays } from '../metrics/date-fns.ts';
import { bucketsOf } from '../metrics/periods.ts';
import { periodKey, type FestivalMonths, type MonthlySeries } from './calendar.ts';

export interface KeyedSeries extends MonthlySeries {
  /** The store ('S0001'), the store and product ('S0001|宝马'), or the store and part ('S0001|P-123'). */
  key: string;
  store: string;
  /** The product or the part; absent for a store's own series. */
  member?: string;
  /** A part's category. */
  category?: string;
}

/** Whole months: `from` a month's first day, `to` a month's last. */
export interface MonthRange {
  from: string;
  to: string;
}

/** The whole months inside a window the data covers (a month covered in part is left out: learnt
 *  from as a whole one, it would read as a collapse); null when there is none. */
export function wholeMonthsWithin(window: { from: string; to: string }): MonthRange | null {
  const from = parseISO(window.from);
  const to = parseISO(window.to);
  const first = from.getDate() === 1 ? from : startOfMonth(addMonths(from, 1));
  const last = isLastDayOfMonth(to) ? to : subDays(startOfMonth(to), 1);
  if (first > last) return null;
  return { from: format(first, 'yyyy-MM-dd'), to: format(last, 'yyyy-MM-dd') };
}

/** A metric with monthly series to forecast: a sum of flows (sales, orders, gross, GL months),
 *  not of balances at a day (stock, receivables), which do not add up over months. */
export function isForecastable(metric: MetricDefinition): boolean {
  return (
    metric.formula.kind === 'sum' &&
    measuresOf(metric).every((id) => ['flow', 'monthly'].includes(MEASURES[id].time.kind))
  );
}

/** The files a metric's monthly series is read from. */
export function filesOf(metric: MetricDefinition): string[] {
  return [...new Set(measuresOf(metric).map((id) => SOURCES[MEASURES[id].source].file))];
}

/** The whole months every one of the files covers; null when there is none. */
export function wholeMonthsOf(coverage: Coverage, files: readonly string[]): MonthRange | null {
  const windows = files.map((f) => coverage.ofFile(f));
  if (!windows.length || windows.some((w) => !w)) return null;
  const from = windows
    .map((w) => w!.from)
    .sort()
    .at(-1)!;
  const to = windows.map((w) => w!.to).sort()[0]!;
  return from <= to ? wholeMonthsWithin({ from, to }) : null;
}

/** The month the Spring Festival fell in, by year (the warehouse's lunar calendar). */
export async function festivalMonths(knex: Knex): Promise<FestivalMonths> {
  const rows = (await knex('cn_lunar_holiday')
    .where({ holiday: 'spring_festival' })
    .select(knex.raw('year(first_day) AS y'), knex.raw('month(first_day) AS m'))) as {
    y: number;
    m: number;
  }[];
  return new Map(rows.map((r) => [Number(r.y), Number(r.m)]));
}

/** From the first month with a figure; a series without any is dropped. */
function fromFirstFigure(series: KeyedSeries): KeyedSeries | null {
  const first = series.values.findIndex((v) => v !== 0);
  if (first < 0) return null;
  return { ...series, start: periodKey(series.start, first), values: series.values.slice(first) };
}

/** A sum metric's monthly series per store, or per store × product at `level`, over whole months
 *  the metric's data covers (wholeMonthsWithin). */
export async function metricSeries(
  knex: Knex,
  metric: MetricDefinition,
  range: MonthRange,
  level?: ProductLevel,
): Promise<KeyedSeries[]> {
  if (metric.formula.kind !== 'sum') throw new Error(`${metric.id} is not a sum: it has no additive series`);
  const { terms } = metric.formula;
  const months = bucketsOf(range, 'month');
  const root = (await knex('dim_org').whereNull('parent_id').first('node_id')) as { node_id: string };
  const values = await queryMeasures(knex, {
    node: root.node_id,
    measures: measuresFor([metric]),
    periods: months,
    grouping: level ? { by: 'store', level } : { by: 'store' },
  });
  return [...values].flatMap(([key, byMonth]) => {
    const [store, member] = key.split('|') as [string, string | undefined];
    const series = fromFirstFigure({
      key,
      store,
      ...(member === undefined ? {} : { member }),
      start: months[0]!.key,
      values: months.map((m) => termsValue(terms, byMonth.get(m.key) ?? {})),
    });
    return series ? [series] : [];
  });
}

/** Parts quantities sold per store × part number and month, over whole months parts_sales.csv covers.
 *  One row per store × part (its months as lists): at 400 stores, a row per month was a million
 *  rows and 700 MB of objects. */
export async function partSeries(knex: Knex, range: MonthRange): Promise<KeyedSeries[]> {
  const months = bucketsOf(range, 'month');
  const monthly = knex('fact_parts_sales')
    .whereBetween('sale_date', [months[0]!.from, months.at(-1)!.to])
    .groupBy('store_id', 'part_no', 'i')
    .select(
      'store_id',
      'part_no',
      knex.raw('any_value(part_category) AS category'),
      knex.raw(`datediff('month', ?::DATE, date_trunc('month', sale_date)) AS i`, [months[0]!.from]),
      knex.raw('sum(qty)::DOUBLE AS q'),
    );
  const rows = (await knex
    .from(monthly.as('m'))
    .groupBy('store_id', 'part_no')
    .orderBy(['store_id', 'part_no'])
    .select(
      'store_id',
      'part_no',
      knex.raw('any_value(category) AS category'),
      knex.raw('list(i) AS i'),
      knex.raw('list(q) AS q'),
    )) as { store_id: string; part_no: string; category: string; i: number[]; q: number[] }[];
  return rows.flatMap((r) => {
    const values = Array<number>(months.length).fill(0);
    r.i.forEach((month, j) => (values[Number(month)] = r.q[j]!));
    return (
      fromFirstFigure({
        key: `${r.store_id}|${r.part_no}`,
        store: r.store_id,
        member: r.part_no,
        category: r.category,
        start: months[0]!.key,
        values,
      }) ?? []
    );
  });
}
