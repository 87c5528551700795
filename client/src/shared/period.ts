// The period in the URL (`p`): a month `2026-10`, a quarter `2026Q3`, a year `2026` or a custom
// range `2026-01-01_2026-03-15`. Without one, the latest month with data. A period never runs past
// the last day of data, so "this year" means year to date and balances are read on a day with data,
// nor starts before the first.
import { endOfMonth, endOfQuarter, endOfYear, format, isValid, parseISO, startOfMonth, subMonths } from 'date-fns';
import type { Lang } from './i18n.ts';

export type PeriodKind = 'month' | 'quarter' | 'year' | 'custom';

export interface Period {
  kind: PeriodKind;
  /** The URL form. */
  key: string;
  from: string;
  to: string;
}

const ymd = (d: Date) => format(d, 'yyyy-MM-dd');

/**
 * `dataStart`, `dataEnd`: the first and last day of loaded data (YYYY-MM-DD). A period is cut to
 * them; one wholly outside them, or unreadable, falls back to the latest month with data.
 */
export function parsePeriod(key: string | null, dataStart: string, dataEnd: string): Period {
  const start = parseISO(dataStart);
  const end = parseISO(dataEnd);
  const within = (from: Date, to: Date) => from <= end && to >= start;
  const cap = (from: Date, to: Date, kind: PeriodKind, k: string): Period => ({ kind, key: k, from: ymd(from < start ? start : from), to: ymd(to > end ? end : to) });
  let m: RegExpMatchArray | null;
  if (key && (m = key.match(/^(\d{4})-(0[1-9]|1[0-2])$/))) {
    const d = new Date(Number(m[1]), Number(m[2]) - 1, 1);
    if (within(d, endOfMonth(d))) return cap(d, endOfMonth(d), 'month', key);
  }
  if (key && (m = key.match(/^(\d{4})Q([1-4])$/))) {
    const d = new Date(Number(m[1]), (Number(m[2]) - 1) * 3, 1);
    if (within(d, endOfQuarter(d))) return cap(d, endOfQuarter(d), 'quarter', key);
  }
  if (key && (m = key.match(/^(\d{4})$/))) {
    const d = new Date(Number(m[1]), 0, 1);
    if (within(d, endOfYear(d))) return cap(d, endOfYear(d), 'year', key);
  }
  if (key && (m = key.match(/^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$/))) {
    const from = parseISO(m[1]!);
    const to = parseISO(m[2]!);
    if (isValid(from) && isValid(to) && from <= to && within(from, to)) return cap(from, to, 'custom', key);
  }
  const month = startOfMonth(end);
  return cap(month, endOfMonth(month), 'month', format(month, 'yyyy-MM'));
}

/** The key of the month, quarter or year that holds `date` (YYYY-MM-DD). */
export function periodKeyOf(kind: Exclude<PeriodKind, 'custom'>, date: string): string {
  const d = parseISO(date);
  if (kind === 'month') return format(d, 'yyyy-MM');
  if (kind === 'quarter') return `${format(d, 'yyyy')}Q${Math.floor(d.getMonth() / 3) + 1}`;
  return format(d, 'yyyy');
}

/** The months, quarters or years a picker offers: newest first, back to `dataStart`. */
export function periodChoices(kind: Exclude<PeriodKind, 'custom'>, dataStart: string, dataEnd: string): string[] {
  const keys: string[] = [];
  const start = parseISO(dataStart);
  for (let d = startOfMonth(parseISO(dataEnd)); d >= startOfMonth(start); d = subMonths(d, 1)) {
    const key = periodKeyOf(kind, ymd(d));
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** A label: 2026年10月 / 2026年第3季度 / 2026年 (zh); Oct 2026 / 2026 Q3 / 2026 (en). */
export function periodLabel(period: Pick<Period, 'kind' | 'key' | 'from' | 'to'>, lang: Lang): string {
  const from = parseISO(period.from);
  switch (period.kind) {
    case 'month':
      return lang === 'zh' ? format(from, 'yyyy年M月') : format(from, 'MMM yyyy');
    case 'quarter':
      return lang === 'zh' ? `${period.key.slice(0, 4)}年第${period.key.slice(5)}季度` : `${period.key.slice(0, 4)} Q${period.key.slice(5)}`;
    case 'year':
      return lang === 'zh' ? `${period.key}年` : period.key;
    case 'custom':
      return `${period.from} ~ ${period.to}`;
  }
}

/** The 12 months ending with the period's last month: what sparklines and trends show. */
export function trailingYear(period: Period): { from: string; to: string } {
  const to = parseISO(period.to);
  return { from: ymd(startOfMonth(subMonths(to, 11))), to: period.to };
}
