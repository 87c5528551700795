// Parts replenishment (建议订货) for one store × part, from its forecast:
// - lead-time demand: the forecast over the lead time from the day after as_of, each month's
//   forecast spread evenly over its days;
// - safety stock: z(service level) × σ × √(lead time / 30 days), σ the root mean square of the
//   chosen method's one-month-ahead backtest errors (the forecast's own measured error);
// - suggested order: max(0, ⌈lead-time demand + safety stock − on hand⌉);
// - obsolete candidate: stock on hand and no demand forecast over the horizon (under half a unit).
import { addDays, format, getDaysInMonth, parseISO } from '../metrics/date-fns.ts';
import type { SeriesForecast } from './engine.ts';

/** Days from order to shelf by part category (docs/forecasting.md); PARTS_LEAD_DAYS overrides them. */
export const DEFAULT_LEAD_DAYS: Readonly<Record<string, number>> = {
  oil: 7,
  filter: 7,
  tyre: 10,
  brake: 10,
  wear: 10,
  battery: 10,
  electrical: 21,
  chassis: 21,
  body: 30,
};
/** A category without a setting. */
export const FALLBACK_LEAD_DAYS = 14;

export interface Replenishment {
  lead_time_demand: number;
  safety_stock: number;
  suggested_order: number;
  obsolete: boolean;
}

/** The forecast's demand over `days` days after `asOf` (the forecast's first month is the one after it). */
export function demandOver(forecast: SeriesForecast, asOf: string, days: number): number {
  const byPeriod = new Map(forecast.points.map((p) => [p.period, p.value]));
  let sum = 0;
  for (let d = 1; d <= days; d++) {
    const day = addDays(parseISO(asOf), d);
    sum += (byPeriod.get(format(day, 'yyyy-MM')) ?? 0) / getDaysInMonth(day);
  }
  return sum;
}

/** σ of the one-month-ahead errors (their root mean square); 0 without any. */
export function monthlyErrorSpread(forecast: SeriesForecast): number {
  const first = forecast.errors.errorsByStep[0] ?? [];
  return first.length ? Math.sqrt(first.reduce((s, e) => s + e * e, 0) / first.length) : 0;
}

export function replenish(
  forecast: SeriesForecast | null,
  {
    asOf,
    leadDays,
    serviceLevel,
    onHand,
  }: { asOf: string; leadDays: number; serviceLevel: number; onHand: number },
): Replenishment {
  const demand = forecast ? demandOver(forecast, asOf, leadDays) : 0;
  const safety = forecast
    ? normalQuantile(serviceLevel) * monthlyErrorSpread(forecast) * Math.sqrt(leadDays / 30)
    : 0;
  const horizonDemand = forecast ? forecast.points.reduce((s, p) => s + p.value, 0) : 0;
  return {
    lead_time_demand: demand,
    safety_stock: safety,
    suggested_order: Math.max(0, Math.ceil(demand + safety - onHand - 1e-9)),
    obsolete: onHand > 0 && horizonDemand < 0.5,
  };
}

/** The standard normal's p-quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a probability strictly between 0 and 1, not ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
