// The landing (预计完成) of the current month, quarter and year: actual from the period's start
// to the data's last day plus the forecast of the rest. "Current" is the period holding the first
// day without data, so with data to 31 October the month is November (all of it forecast), the
// quarter Q4 (October actual, November and December forecast) and the year 2026. A month the data
// covers in part adds its forecast times the share of its days after the data's end.
import type { LandingPeriod } from '../contract/forecast.ts';
import {
  addDays,
  endOfMonth,
  endOfQuarter,
  endOfYear,
  format,
  getDaysInMonth,
  parseISO,
  startOfMonth,
  startOfQuarter,
  startOfYear,
} from '../metrics/date-fns.ts';
import type { SeriesForecast } from './engine.ts';

export type LandingKind = LandingPeriod['kind'];

export interface CurrentPeriod {
  kind: LandingKind;
  from: string;
  to: string;
  label: { zh: string; en: string };
}

const iso = (d: Date) => format(d, 'yyyy-MM-dd');

/** The month, quarter and year holding the day after the data's last. */
export function currentPeriods(dataTo: string): CurrentPeriod[] {
  const next = addDays(parseISO(dataTo), 1);
  const year = next.getFullYear();
  const month = next.getMonth() + 1;
  const quarter = Math.ceil(month / 3);
  return [
    {
      kind: 'month',
      from: iso(startOfMonth(next)),
      to: iso(endOfMonth(next)),
      label: { zh: `${year}年${month}月`, en: format(next, 'MMM yyyy') },
    },
    {
      kind: 'quarter',
      from: iso(startOfQuarter(next)),
      to: iso(endOfQuarter(next)),
      label: { zh: `${year}年Q${quarter}`, en: `Q${quarter} ${year}` },
    },
    {
      kind: 'year',
      from: iso(startOfYear(next)),
      to: iso(endOfYear(next)),
      label: { zh: `${year}年`, en: String(year) },
    },
  ];
}

/** The forecast of the period's days after `dataTo`: whole months' forecasts, a month begun in part
 *  by the share of its days left. */
export function forecastOfRest(
  forecast: SeriesForecast | null,
  dataTo: string,
  period: { to: string },
): number {
  if (!forecast) return 0;
  const end = parseISO(dataTo);
  let sum = 0;
  for (const p of forecast.points) {
    const first = parseISO(`${p.period}-01`);
    const last = endOfMonth(first);
    if (iso(first) > period.to || iso(last) <= dataTo) continue;
    const share = iso(first) > dataTo ? 1 : (getDaysInMonth(first) - end.getDate()) / getDaysInMonth(first);
    sum += p.value * share;
  }
  return sum;
}
