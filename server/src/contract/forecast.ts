// Requests and answers of /api/forecast, /api/landing and /api/parts/forecast: forecasts with their
// method and measured accuracy, the landing of the current month, quarter and year against budget,
// and parts replenishment (docs/forecasting.md).
import { z } from 'zod';
import { bilingual, metricId, nodeRef, unit } from './metrics.ts';
import { date, limit, product, text } from './params.ts';

/** The forecast's first month is the one after as_of, which must be a month end. */
const asOf = date.refine((d) => {
  const next = new Date(`${d}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.getUTCDate() === 1;
}, 'must be a month end (the forecast starts the month after it)');

const wholeFrom0 = text(6).regex(/^\d+$/, 'must be a whole number').transform(Number).default(0);

export const FORECAST_BY = ['brand', 'series', 'children'] as const;
/** The methods a series is forecast with (server/src/forecast/methods.ts). */
export const SERIES_METHODS = [
  'naive',
  'seasonal_naive',
  'ets',
  'ets_snaive',
  'mstl',
  'croston',
  'sba',
  'tsb',
] as const;
/** bottom_up: a node's or a category's forecast, its members' summed. */
export const FORECAST_METHODS = [...SERIES_METHODS, 'bottom_up'] as const;

export const forecastQuery = z
  .object({
    metric: text(),
    node: text(),
    horizon: limit(12, 12),
    as_of: asOf.optional(),
    product: product.optional(),
    by: z.enum(FORECAST_BY, { error: `must be one of ${FORECAST_BY.join(', ')}` }).optional(),
  })
  .strict();

const num = z.number().nullable();

export const forecastPoint = z.strictObject({
  /** YYYY-MM */
  period: z.string(),
  value: z.number(),
  lo80: num,
  hi80: num,
  lo95: num,
  hi95: num,
});

export const backtestAccuracy = z.strictObject({ mase: num, rmsse: num, bias: num });

const forecastFields = {
  /** bottom_up: the sum of its stores' (or members') forecasts; null: no history to forecast from. */
  method: z.enum(FORECAST_METHODS).nullable(),
  /** Learnt with the Spring Festival taken out and put back. */
  festival: z.boolean(),
  backtest: backtestAccuracy,
  points: z.array(forecastPoint),
};

export const forecastMember = z.strictObject({
  id: z.string(),
  name: z.string(),
  name_en: z.string().nullable(),
  ...forecastFields,
});

export const forecastResponse = z.strictObject({
  metric: metricId,
  node: nodeRef,
  unit,
  as_of: z.string(),
  product: z.string().nullable(),
  ...forecastFields,
  members: z.array(forecastMember).optional(),
});

export const landingQuery = z.object({ node: text(), metrics: text(20 * 40) }).strict();

export const landingPeriod = z.strictObject({
  kind: z.enum(['month', 'quarter', 'year']),
  from: z.string(),
  to: z.string(),
  label: bilingual,
  /** Actual from the period's start to the data's last day (0 when the period has not begun in the
   *  data; null when it began before the data: no landing then). */
  actual: num,
  /** The forecast of the rest: the months after the data's end, a month begun in part by its remaining days' share. */
  forecast: z.number(),
  /** actual + forecast. */
  landing: num,
  target: num,
  /** landing / target; null without a target or a landing. */
  attainment: num,
});

export const landingItem = z.strictObject({
  metric: metricId,
  unit,
  /** The data's last day: actuals run to it, the forecast from the day after. */
  data_to: z.string(),
  /** The forecast's history ends here (the last whole month's end). */
  as_of: z.string(),
  method: z.enum(FORECAST_METHODS).nullable(),
  /** The month, quarter and year holding the day after data_to. */
  periods: z.array(landingPeriod),
});

export const landingResponse = z.strictObject({ node: nodeRef, items: z.array(landingItem) });

export const accuracyQuery = z.object({ node: text() }).strict();

export const familyAccuracy = z.strictObject({
  /** The metric forecast, or parts_qty for parts demand. */
  metric: z.union([metricId, z.literal('parts_qty')]),
  /** Series per store, per store × brand, per store × part number. */
  level: z.enum(['store', 'brand', 'part']),
  /** The node's series of the family, and those the backtest could measure. */
  series: z.number(),
  measured: z.number(),
  /** Means over the measured series of each one's chosen method's backtest. */
  mase: num,
  rmsse: num,
  /** Over the family: Σ(forecast − actual) / Σ actual of the series' backtests. */
  bias: num,
  /** How many series each method was chosen for, most first. */
  methods: z.array(z.strictObject({ method: z.enum(FORECAST_METHODS), series: z.number() })),
});

export const accuracyResponse = z.strictObject({
  node: nodeRef,
  as_of: z.string(),
  families: z.array(familyAccuracy),
  /** The node's own forecast (its stores' summed) per landing metric, judged on its own backtest. */
  node_backtest: z.array(
    z.strictObject({
      metric: metricId,
      method: z.enum(FORECAST_METHODS).nullable(),
      ...backtestAccuracy.shape,
    }),
  ),
});

export const partsForecastQuery = z
  .object({
    node: text(),
    horizon: limit(12, 3),
    as_of: asOf.optional(),
    part_no: text().optional(),
    limit: limit(500, 100),
    offset: wholeFrom0,
    service_level: text(6)
      .regex(/^0\.\d{1,4}$/, 'must be a share like 0.95')
      .transform(Number)
      .refine((p) => p >= 0.5 && p <= 0.999, 'must be 0.5–0.999')
      .default(0.95),
    only: z.enum(['order', 'obsolete'], { error: 'must be order or obsolete' }).optional(),
  })
  .strict();

export const partForecast = z.strictObject({
  part_no: z.string(),
  part_category: z.string(),
  method: z.enum(FORECAST_METHODS).nullable(),
  mase: num,
  rmsse: num,
  bias: num,
  forecast: z.array(forecastPoint.pick({ period: true, value: true, lo80: true, hi80: true })),
  lead_time_days: z.number(),
  /** The forecast over the lead time from the day after as_of. */
  lead_time_demand: z.number(),
  /** z(service level) × the one-month-ahead backtest error's spread × √(lead time in months). */
  safety_stock: z.number(),
  /** From the parts snapshot at as_of. */
  on_hand: z.number(),
  /** The snapshot's unit cost and on_hand × it (null without stock at as_of). */
  unit_cost: num,
  on_hand_value: num,
  /** The snapshot's last movement (receipt or issue) of the part: how long its stock has lain. */
  last_movement_date: z.string().nullable(),
  /** max(0, ⌈lead_time_demand + safety_stock − on_hand⌉). */
  suggested_order: z.number(),
  /** Stock on hand and no demand forecast over the horizon: a candidate to return or write off. */
  obsolete: z.boolean(),
});

export const partsForecastResponse = z.strictObject({
  node: nodeRef,
  as_of: z.string(),
  service_level: z.number(),
  parts: z.array(partForecast),
  /** Every part sold in the history or stocked up to as_of (with `only` or `part_no`, those kept). */
  total: z.number(),
  /** Every category of the store's parts: its parts' forecasts summed, stock on hand and suggested orders. */
  categories: z.array(
    z.strictObject({
      part_category: z.string(),
      parts: z.number(),
      on_hand: z.number(),
      suggested_order: z.number(),
      forecast: z.array(forecastPoint.pick({ period: true, value: true, lo80: true, hi80: true })),
    }),
  ),
});

export type ForecastResponse = z.output<typeof forecastResponse>;
export type ForecastMember = z.output<typeof forecastMember>;
export type ForecastPoint = z.output<typeof forecastPoint>;
export type LandingResponse = z.output<typeof landingResponse>;
export type LandingPeriod = z.output<typeof landingPeriod>;
export type PartsForecastResponse = z.output<typeof partsForecastResponse>;
export type PartForecast = z.output<typeof partForecast>;
export type AccuracyResponse = z.output<typeof accuracyResponse>;
export type FamilyAccuracy = z.output<typeof familyAccuracy>;
