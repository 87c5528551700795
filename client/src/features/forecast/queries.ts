// What the forecast view asks the API for: the node's forecast of the chosen metric and the
// actuals before it, its members' forecasts split as chosen, the forecast made some months ago
// (against the actuals since), and the accuracy of every family the user may see.
import { visibleMetrics, type ViewContext } from '../../shared/context.ts';
import { forecastQuery, type ForecastParams } from '../../shared/forecast/api.ts';
import {
  FORECAST_METRICS,
  hasProductSplit,
  lastWholeMonthEnd,
  monthEndBefore,
  monthsEnding,
} from '../../shared/forecast/forecastable.ts';
import { timeseriesQuery } from '../../shared/metrics/api.ts';
import type { MetricInfo } from '../../shared/metrics/types.ts';

/** Months forecast, months of actuals before them, and how far back the earlier forecast was made. */
export const HORIZON = 12;
export const HISTORY_MONTHS = 24;
export const LOOK_BACK_MONTHS = 6;

export type MembersBy = NonNullable<ForecastParams['by']>;

/** The forecastable metrics of the user's domains. */
export const forecastMetrics = (ctx: ViewContext): MetricInfo[] =>
  visibleMetrics(FORECAST_METRICS, ctx.metrics);

/** The URL's `metric` if it can be forecast, else new units (else the first the user may see). */
export function chosenMetric(ctx: ViewContext, params: URLSearchParams): MetricInfo | undefined {
  const metrics = forecastMetrics(ctx);
  const wanted = (id: string | null) => metrics.find((m) => m.id === id);
  return wanted(params.get('metric')) ?? wanted('new_units') ?? metrics[0];
}

/** The splits a node's forecast offers: the units below (not at a store), brand and series (metrics with a product split). */
export const membersChoices = (metric: MetricInfo, isStore: boolean): MembersBy[] => [
  ...(isStore ? [] : (['children'] as const)),
  ...(hasProductSplit(metric) ? (['brand', 'series'] as const) : []),
];

/** The data's last whole month end: where the forecast's history ends (the API's default as_of). */
export const dataAsOf = (ctx: ViewContext): string => lastWholeMonthEnd(ctx.dataTo);

export const nodeForecastQuery = (node: string, metric: string) =>
  forecastQuery({ metric, node, horizon: HORIZON });

export const membersQuery = (node: string, metric: string, by: MembersBy) =>
  forecastQuery({ metric, node, horizon: HORIZON, by });

/** The actuals the chart shows before the forecast; the earlier forecast is set against their last months. */
export const historyQuery = (node: string, metric: string, ctx: ViewContext) =>
  timeseriesQuery(node, metric, monthsEnding(dataAsOf(ctx), HISTORY_MONTHS));

/** Where the earlier forecast's history ended: LOOK_BACK_MONTHS before the data's last whole month. */
export const pastAsOf = (ctx: ViewContext): string => monthEndBefore(dataAsOf(ctx), LOOK_BACK_MONTHS);

export const pastForecastQuery = (node: string, metric: string, ctx: ViewContext) =>
  forecastQuery({ metric, node, horizon: LOOK_BACK_MONTHS, as_of: pastAsOf(ctx) });
