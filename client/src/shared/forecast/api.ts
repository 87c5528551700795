// What the forecast answers look like and how they are asked for: /api/forecast (a node's, or its
// members'), /api/landing (预计完成 of the current month, quarter and year) and
// /api/parts/forecast (a store's replenishment). The first request for a family the server has not
// computed answers 202: the query keeps retrying after Retry-After (main.tsx) and shows it pending.
import { queryOptions } from '@tanstack/react-query';
import type {
  AccuracyResponse,
  ForecastResponse,
  LandingResponse,
  PartsForecastResponse,
} from '../../../../server/src/contract/forecast.ts';
export { LANDING_METRICS } from '../../../../server/src/contract/forecast.ts';
import { apiGet } from '../api/client.ts';

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
