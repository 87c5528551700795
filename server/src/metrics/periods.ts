// Periods: a date range [from, to], both inclusive, as 'YYYY-MM-DD'. Comparisons, calendar
// buckets for time series and the month ends a balance is averaged over are worked out here.
import type { Grain } from '../contract/vocabulary.ts';
import {
  addDays,
  addMonths,
  addYears,
  differenceInCalendarDays,
  endOfMonth,
  endOfQuarter,
  endOfWeek,
  endOfYear,
  format,
  isLastDayOfMonth,
  max as maxDate,
  min as minDate,
  parseISO,
  startOfDay,
  startOfMonth,
  startOfQuarter,
  startOfWeek,
  startOfYear,
  subDays,
  subMonths,
} from './date-fns.ts';

export interface Period {
  from: string;
  to: string;
}

const iso = (d: Date) => format(d, 'yyyy-MM-dd');
// date-fns' endOfX give the last millisecond; periods work in whole days.
const monthEnd = (d: Date) => startOfDay(endOfMonth(d));
const parse = (s: string) => parseISO(s);

export function daysIn(p: Period): number {
  return differenceInCalendarDays(parse(p.to), parse(p.from)) + 1;
}

/** Whole calendar months when the period is month-aligned, else days / (365.25 / 12). */
export function monthsIn(p: Period): number {
  const from = parse(p.from);
  const to = parse(p.to);
  if (from.getDate() === 1 && isLastDayOfMonth(to)) {
    return (to.getFullYear() - from.getFullYear()) * 12 + (to.getMonth() - from.getMonth()) + 1;
  }
  return daysIn(p) / (365.25 / 12);
}

/** The first day of each month of a month-aligned period (1 Mar – 31 May: 1 Mar, 1 Apr, 1 May); null when the
 *  period starts or ends inside a month. */
export function monthStartsOf(p: Period): string[] | null {
  const from = parse(p.from);
  if (from.getDate() !== 1 || !isLastDayOfMonth(parse(p.to))) return null;
  const starts: string[] = [];
  for (let d = from; d <= parse(p.to); d = addMonths(d, 1)) starts.push(iso(d));
  return starts;
}

/** The month ends within the period; if there are none, the last month end before it. */
export function monthEndsIn(p: Period): string[] {
  const ends: string[] = [];
  for (let d = monthEnd(parse(p.from)); d <= parse(p.to); d = monthEnd(addDays(d, 1))) ends.push(iso(d));
  return ends.length ? ends : [lastMonthEndOnOrBefore(p.to)];
}

/** The month-end snapshot a balance "at period end" is read from. */
export function lastMonthEndOnOrBefore(date: string): string {
  const d = parse(date);
  return iso(isLastDayOfMonth(d) ? d : subDays(startOfMonth(d), 1));
}

/** The `count` calendar months that end with the month of `date`, oldest first. */
export function monthsEndingIn(date: string, count: number): Bucket[] {
  const d = parse(date);
  return bucketsOf({ from: iso(startOfMonth(subMonths(d, count - 1))), to: iso(monthEnd(d)) }, 'month');
}

/** The same length of time immediately before (环比). */
export function previousPeriod(p: Period): Period {
  const from = parse(p.from);
  const to = parse(p.to);
  // A whole-months period compares with the same number of whole months before it.
  if (from.getDate() === 1 && isLastDayOfMonth(to)) {
    const months = monthsIn(p);
    const prevFrom = new Date(from.getFullYear(), from.getMonth() - months, 1);
    return { from: iso(prevFrom), to: iso(subDays(from, 1)) };
  }
  const days = daysIn(p);
  return { from: iso(subDays(from, days)), to: iso(subDays(from, 1)) };
}

/** The same dates a year earlier (同比); 29 February falls back to the 28th. */
export function yearAgo(p: Period): Period {
  const from = parse(p.from);
  const to = parse(p.to);
  const lastYearTo = addYears(to, -1);
  // Whole months compare with whole months (February 2025 with all of February 2024).
  const wholeMonths = from.getDate() === 1 && isLastDayOfMonth(to);
  return { from: iso(addYears(from, -1)), to: iso(wholeMonths ? monthEnd(lastYearTo) : lastYearTo) };
}

const bucketStart: Record<Grain, (d: Date) => Date> = {
  day: (d) => d,
  week: (d) => startOfWeek(d, { weekStartsOn: 1 }),
  month: startOfMonth,
  quarter: startOfQuarter,
  year: startOfYear,
};
const bucketEnd: Record<Grain, (d: Date) => Date> = {
  day: (d) => d,
  week: (d) => startOfDay(endOfWeek(d, { weekStartsOn: 1 })),
  month: monthEnd,
  quarter: (d) => startOfDay(endOfQuarter(d)),
  year: (d) => startOfDay(endOfYear(d)),
};

export interface Bucket extends Period {
  /** Label: 2025-03-01 (day), 2025-W09 (ISO week), 2025-03, 2025-Q1, 2025. */
  key: string;
}

function bucketKey(grain: Grain, start: Date): string {
  switch (grain) {
    case 'day':
      return iso(start);
    case 'week':
      return format(start, "RRRR-'W'II");
    case 'month':
      return format(start, 'yyyy-MM');
    case 'quarter':
      return format(start, "yyyy-'Q'Q");
    case 'year':
      return format(start, 'yyyy');
  }
}

/** Calendar buckets covering the period, clipped to it (ISO weeks start on Monday). */
export function bucketsOf(p: Period, grain: Grain): Bucket[] {
  const buckets: Bucket[] = [];
  const end = parse(p.to);
  for (
    let start = bucketStart[grain](parse(p.from));
    start <= end;
    start = addDays(bucketEnd[grain](start), 1)
  ) {
    const from = maxDate([start, parse(p.from)]);
    const to = minDate([bucketEnd[grain](start), end]);
    buckets.push({ key: bucketKey(grain, start), from: iso(from), to: iso(to) });
  }
  return buckets;
}
