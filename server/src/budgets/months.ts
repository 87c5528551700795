// Months as 'YYYY-MM' text: what a budget version's horizon and lines are keyed by.
import { HttpError } from '../errors.ts';
import type { Bucket } from '../metrics/periods.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** The month `n` months after `month` (before, for a negative n). */
export function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** `count` months from `first`. */
export const monthsFrom = (first: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => addMonths(first, i));

export const firstDay = (month: string) => `${month}-01`;

export function lastDay(month: string): string {
  const days = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return `${month}-${pad(days)}`;
}

/** The month as a metric period. */
export const monthBucket = (month: string): Bucket => ({
  key: month,
  from: firstDay(month),
  to: lastDay(month),
});

/** The months of the horizon between from and to (each optional): 400 when none is left. */
export function monthsWithin(horizon: readonly string[], from?: string, to?: string): string[] {
  if (from && to && to < from)
    throw new HttpError(400, 'invalid_parameter', `to (${to}) is before from (${from})`, 'to');
  const months = horizon.filter((m) => (!from || m >= from) && (!to || m <= to));
  if (months.length === 0)
    throw new HttpError(
      400,
      'invalid_parameter',
      `no month of the version's horizon (${horizon[0]} – ${horizon.at(-1)}) lies in ${from ?? '…'} – ${to ?? '…'}`,
      from ? 'from' : 'to',
    );
  return months;
}

/** A DATE (or its text) as 'YYYY-MM'. */
export const monthOf = (date: unknown): string =>
  date instanceof Date ? date.toISOString().slice(0, 7) : String(date).slice(0, 7);
