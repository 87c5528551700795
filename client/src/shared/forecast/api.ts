// What the forecast answers look like and how they are asked for: /api/forecast (a node's, or its
// members'), /api/landing (预计完成 of the current month, quarter and year) and
// /api/parts/forecast (a store's replenishment). The first request for a family the server has not
// computed answers 202: the query keeps retrying after Retry-After (main.tsx) and shows it pending.
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type {
  AccuracyResponse,
  ForecastResponse,
  LandingResponse,
  PartsForecastResponse,
} from '../../../../server/src/contract/forecast.ts';
export { LANDING_METRICS } from '../../../../server/src/contract/vocabulary.ts';
import { apiGet } from '../api/client.ts';
import type { MetricInfo } from '../metrics/types.ts';
import { hasProductSplit, isForecastable, lastWholeMonthEnd } from './forecastable.ts';

export type {
  AccuracyResponse,
  FamilyAccuracy,
  ForecastMember,
  ForecastPoint,
  ForecastResponse,
  LandingPeriod,
  LandingResponse,
  PartForecast,
  PartsForecastResponse,
} from '../../../../server/src/contract/forecast.ts';

export interface ForecastParams {
  metric: string;
  node: string;
  horizon?: number;
  as_of?: string;
  product?: string;
  by?: 'brand' | 'series' | 'children';
}

export const forecastQuery = (p: ForecastParams) =>
  queryOptions({
    queryKey: [
      'forecast',
      p.metric,
      p.node,
      p.horizon ?? 12,
      p.as_of ?? null,
      p.product ?? null,
      p.by ?? null,
    ],
    queryFn: ({ signal }) => apiGet<ForecastResponse>('/forecast', { ...p }, signal),
  });

export const accuracyQuery = (node: string) =>
  queryOptions({
    queryKey: ['forecast-accuracy', node],
    queryFn: ({ signal }) => apiGet<AccuracyResponse>('/forecast/accuracy', { node }, signal),
  });

export const landingQuery = (node: string, metrics: readonly string[]) =>
  queryOptions({
    queryKey: ['landing', node, [...metrics].sort().join(',')],
    queryFn: ({ signal }) =>
      apiGet<LandingResponse>('/landing', { node, metrics: metrics.join(',') }, signal),
  });

export interface PartsParams {
  node: string;
  horizon?: number;
  as_of?: string;
  part_no?: string;
  limit?: number;
  offset?: number;
  service_level?: number;
  only?: 'order' | 'obsolete';
}

export const partsForecastQuery = (p: PartsParams) =>
  queryOptions({
    queryKey: [
      'parts-forecast',
      p.node,
      p.horizon ?? 3,
      p.as_of ?? null,
      p.part_no ?? null,
      p.limit ?? 100,
      p.offset ?? 0,
      p.service_level ?? 0.95,
      p.only ?? null,
    ],
    queryFn: ({ signal }) => apiGet<PartsForecastResponse>('/parts/forecast', { ...p }, signal),
  });

/** Months of forecast a trend draws on. */
export const TREND_HORIZON = 6;

/**
 * The forecast a trend draws on, or null where it draws none: a metric that cannot be forecast, one
 * person's figures (forecasts are per store), a product level the metric does not split by, or a
 * trend that ends before the data's last whole month (the forecast starts the month after it).
 */
export function trendForecastQuery(
  node: string,
  metric: MetricInfo,
  ctx: { period: { to: string }; dataTo: string },
  filters: { product?: string; staff?: string } = {},
) {
  const drawn =
    isForecastable(metric) &&
    !filters.staff &&
    (!filters.product || hasProductSplit(metric)) &&
    ctx.period.to >= lastWholeMonthEnd(ctx.dataTo);
  return drawn
    ? forecastQuery({ metric: metric.id, node, horizon: TREND_HORIZON, product: filters.product })
    : null;
}

/** Asks ahead for a trend's forecast, if it draws one. */
export const prefetchTrendForecast = (
  queryClient: QueryClient,
  query: ReturnType<typeof trendForecastQuery>,
): Promise<void> => (query ? queryClient.prefetchQuery(query) : Promise.resolve());
