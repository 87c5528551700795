// Which metrics have a forecast, and the months a forecast and its history cover. The API
// forecasts sums of flows over months (server/src/forecast/series.ts; forecastable.test.ts keeps
// this list the same as the server's); a user is offered those of their domains only
// (visibleMetrics: the catalog holds no other).
import { endOfMonth, format, parseISO, startOfMonth, subMonths } from 'date-fns';
import { translate, type Lang } from '../i18n.ts';
import type { MetricInfo } from '../metrics/types.ts';
import type { ForecastResponse } from './api.ts';

export const FORECAST_METRICS = [
  'new_units',
  'used_units',
  'vehicle_revenue',
  'new_gross_profit',
  'used_gross_profit',
  'rebate_income',
  'new_gross_incl_rebate',
  'fi_income',
  'leads',
  'repair_orders',
  'aftersales_revenue',
  'aftersales_gross_profit',
  'service_gross_profit',
  'parts_gross_profit',
  'revenue',
  'gross_profit',
  'gross_profit_incl_rebates',
  'net_profit',
  'operating_cash_flow',
] as const;

const FORECASTABLE = new Set<string>(FORECAST_METRICS);

export const isForecastable = (metric: Pick<MetricInfo, 'id'>): boolean => FORECASTABLE.has(metric.id);

/** Whether the metric's forecast splits by brand and series (its facts name the model). */
export const hasProductSplit = (metric: Pick<MetricInfo, 'breakdowns'>): boolean =>
  metric.breakdowns.includes('brand');

/** A forecast's method in words ("SBA", "下级预测汇总"); null: no history to forecast from. */
export const methodName = (method: ForecastResponse['method'], lang: Lang): string =>
  translate(lang, `forecastMethod_${method ?? 'none'}`);

const ymd = (d: Date) => format(d, 'yyyy-MM-dd');

/** The end of the last whole month on or before `date`: where a forecast's history ends by default. */
export function lastWholeMonthEnd(date: string): string {
  const d = parseISO(date);
  return ymd(endOfMonth(d)) === date ? date : ymd(endOfMonth(subMonths(d, 1)));
}

/** The end of the month `months` before the month of `date`. */
export const monthEndBefore = (date: string, months: number): string =>
  ymd(endOfMonth(subMonths(startOfMonth(parseISO(date)), months)));

/** The `months` whole months that end with the month `monthEnd` closes. */
export const monthsEnding = (monthEnd: string, months: number): { from: string; to: string } => ({
  from: ymd(startOfMonth(subMonths(parseISO(monthEnd), months - 1))),
  to: monthEnd,
});
