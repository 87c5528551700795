// The period in the URL (`p`): a month `2026-10`, a quarter `2026Q3`, a year `2026` or a custom
// range `2026-01-01_2026-03-15`. Without one, the latest month with data. A period never runs past
// the last day of data, so "this year" means year to date and balances are read on a day with data,
// nor starts before the first.
import {
  endOfMonth,
  endOfQuarter,
  endOfYear,
  format,
  isValid,
  parseISO,
  startOfMonth,
  startOfQuarter,
  startOfYear,
  subDays,
  subMonths,
} from 'date-fns';
import type { Lang } from './i18n.ts';

export type PeriodKind = 'month' | 'quarter' | 'year' | 'custom';

export interface Period {
  kind: PeriodKind;
  /** The URL form. */
  key: string;
  from: string;
  to: string;
}

// Built by hand rather than with date-fns' format, which reads its pattern on every call: the
// period is parsed by every component that reads the view context, on every render.
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
const ym = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
const ymd = (d: Date) => `${ym(d)}-${pad(d.getDate())}`;

/**
 * `dataStart`, `dataEnd`: the first and last day of loaded data (YYYY-MM-DD). A period is cut to
 * them; one wholly outside them, or unreadable, falls back to the latest month with data.
 */
export function parsePeriod(key: string | null, dataStart: string, dataEnd: string): Period {
  const start = parseISO(dataStart);
  const end = parseISO(dataEnd);
  const within = (from: Date, to: Date) => from <= end && to >= start;
  const cap = (from: Date, to: Date, kind: PeriodKind, k: string): Period => ({
    kind,
    key: k,
    from: ymd(from < start ? start : from),
    to: ymd(to > end ? end : to),
  });
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
  return cap(month, endOfMonth(month), 'month', ym(month));
}

/** The key of the month, quarter or year that holds `date` (YYYY-MM-DD). */
export function periodKeyOf(kind: Exclude<PeriodKind, 'custom'>, date: string): string {
  const d = parseISO(date);
  if (kind === 'month') return ym(d);
  if (kind === 'quarter') return `${d.getFullYear()}Q${Math.floor(d.getMonth() / 3) + 1}`;
  return String(d.getFullYear());
}

/**
 * The period a picker opens on when switched to a kind: the month and year of the last day of data
 * (a year to date is labelled as such); for quarters the last complete one (one that ends on or
 * before the last day of data), or the quarter to date when no complete quarter has data.
 */
export function defaultPeriodKey(
  kind: Exclude<PeriodKind, 'custom'>,
  dataStart: string,
  dataEnd: string,
): string {
  if (kind !== 'quarter') return periodKeyOf(kind, dataEnd);
  const end = parseISO(dataEnd);
  const quarterEnd = endOfQuarter(end);
  if (ymd(quarterEnd) === dataEnd) return periodKeyOf('quarter', dataEnd);
  const previousEnd = subDays(startOfQuarter(end), 1);
  return ymd(previousEnd) >= dataStart
    ? periodKeyOf('quarter', ymd(previousEnd))
    : periodKeyOf('quarter', dataEnd);
}

/** The months, quarters or years a picker offers: newest first, back to `dataStart`. */
export function periodChoices(
  kind: Exclude<PeriodKind, 'custom'>,
  dataStart: string,
  dataEnd: string,
): string[] {
  const keys: string[] = [];
  const start = parseISO(dataStart);
  for (let d = startOfMonth(parseISO(dataEnd)); d >= startOfMonth(start); d = subMonths(d, 1)) {
    const key = periodKeyOf(kind, ymd(d));
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

const isMonthEnd = (d: Date) => ymd(d) === ymd(endOfMonth(d));
const EN_MONTH = (d: Date) => format(d, 'MMM');

/** Months m1–m2 of one year (2026年1–10月 / Jan–Oct 2026), or days when the range does not hold whole months. */
function rangeLabel(from: Date, to: Date, lang: Lang): string {
  const y = String(from.getFullYear());
  const sameYear = from.getFullYear() === to.getFullYear();
  const wholeMonths = from.getDate() === 1 && isMonthEnd(to);
  if (wholeMonths && sameYear) {
    const sameMonth = from.getMonth() === to.getMonth();
    if (lang === 'zh')
      return sameMonth
        ? `${y}年${from.getMonth() + 1}月`
        : `${y}年${from.getMonth() + 1}–${to.getMonth() + 1}月`;
    return sameMonth ? `${EN_MONTH(from)} ${y}` : `${EN_MONTH(from)}–${EN_MONTH(to)} ${y}`;
  }
  if (sameYear && from.getMonth() === to.getMonth()) {
    return lang === 'zh'
      ? `${y}年${from.getMonth() + 1}月${from.getDate()}–${to.getDate()}日`
      : `${from.getDate()}–${to.getDate()} ${EN_MONTH(from)} ${y}`;
  }
  if (sameYear) {
    return lang === 'zh'
      ? `${y}年${from.getMonth() + 1}月${from.getDate()}日–${to.getMonth() + 1}月${to.getDate()}日`
      : `${from.getDate()} ${EN_MONTH(from)} – ${to.getDate()} ${EN_MONTH(to)} ${y}`;
  }
  return lang === 'zh'
    ? `${format(from, 'yyyy年M月d日')}–${format(to, 'yyyy年M月d日')}`
    : `${format(from, 'd MMM yyyy')} – ${format(to, 'd MMM yyyy')}`;
}

/** Whether the period holds less than the whole month, quarter or year its key names (cut to the data). */
export function isPartial(period: Pick<Period, 'kind' | 'key' | 'from' | 'to'>): boolean {
  if (period.kind === 'custom') return false;
  const from = parseISO(period.from);
  const start =
    period.kind === 'month'
      ? startOfMonth(from)
      : period.kind === 'quarter'
        ? startOfQuarter(from)
        : startOfYear(from);
  const end =
    period.kind === 'month'
      ? endOfMonth(from)
      : period.kind === 'quarter'
        ? endOfQuarter(from)
        : endOfYear(from);
  return period.from !== ymd(start) || period.to !== ymd(end);
}

/**
 * A label that says what the period holds: 2026年10月 / 2026年第3季度 / 2026年 (zh), Oct 2026 /
 * 2026 Q3 / 2026 (en) when whole; a year cut short by the data 2026年1–10月 / Jan–Oct 2026, a
 * quarter still running 2026年Q4至今 / 2026 Q4 to date, a month still running 2026年10月1–15日 /
 * 1–15 Oct 2026.
 */
export function periodLabel(period: Pick<Period, 'kind' | 'key' | 'from' | 'to'>, lang: Lang): string {
  const from = parseISO(period.from);
  const to = parseISO(period.to);
  const partial = isPartial(period);
  switch (period.kind) {
    case 'month':
      if (!partial)
        return lang === 'zh' ? `${from.getFullYear()}年${from.getMonth() + 1}月` : format(from, 'MMM yyyy');
      return rangeLabel(from, to, lang);
    case 'quarter': {
      const [y, q] = [period.key.slice(0, 4), period.key.slice(5)];
      if (!partial) return lang === 'zh' ? `${y}年第${q}季度` : `${y} Q${q}`;
      // Still running at the end of the data: to date. Cut at its start by the data: the months it holds.
      if (period.from === ymd(startOfQuarter(from)))
        return lang === 'zh' ? `${y}年Q${q}至今` : `${y} Q${q} to date`;
      return rangeLabel(from, to, lang);
    }
    case 'year':
      if (!partial) return lang === 'zh' ? `${period.key}年` : period.key;
      return rangeLabel(from, to, lang);
    case 'custom':
      return `${period.from} ~ ${period.to}`;
  }
}

/** The 12 months ending with the period's last month: what sparklines and trends show. */
export function trailingYear(period: { to: string }): { from: string; to: string } {
  const to = parseISO(period.to);
  return { from: ymd(startOfMonth(subMonths(to, 11))), to: period.to };
}
