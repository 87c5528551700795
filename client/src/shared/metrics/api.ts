// Every KPI endpoint: a fetcher and its queryOptions (the only place its query key is built). The
// data version is polled, and when it changes every other query is invalidated (app/data-version.ts).
import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import type { AppContext } from '../../../../server/src/contract/auth.ts';
import { apiGet } from '../api/client.ts';
import { trailingYear } from '../period.ts';
import type {
  BreakdownResponse,
  DataVersion,
  KpiResponse,
  MetricInfo,
  OrgNode,
  RankResponse,
  SeriesResponse,
  TimeseriesResponse,
} from './types.ts';

export interface PeriodRange {
  from: string;
  to: string;
}

export const versionQuery = () =>
  queryOptions({
    queryKey: ['version'],
    queryFn: ({ signal }) => apiGet<DataVersion>('/version', undefined, signal),
    staleTime: 30_000,
  });

export const catalogQuery = () =>
  queryOptions({
    queryKey: ['metrics'],
    queryFn: ({ signal }) => apiGet<{ metrics: MetricInfo[] }>('/metrics', undefined, signal),
    staleTime: Infinity,
  });

export const orgQuery = () =>
  queryOptions({
    queryKey: ['org'],
    queryFn: ({ signal }) => apiGet<{ nodes: OrgNode[] }>('/org', undefined, signal),
    staleTime: Infinity,
  });

/** Puts the app-wide answers the sign-in gave into the cache, so no page asks for them again. */
export function seedAppContext(queryClient: QueryClient, context: AppContext): void {
  queryClient.setQueryData(versionQuery().queryKey, context.version);
  queryClient.setQueryData(catalogQuery().queryKey, context.metrics);
  queryClient.setQueryData(orgQuery().queryKey, context.org);
}

/** `staff`: one person's own figures (person-level metrics only), against their own targets. */
export const kpiQuery = (
  node: string,
  metrics: string[],
  period: PeriodRange,
  product?: string,
  staff?: string,
) =>
  queryOptions({
    queryKey: ['kpi', node, metrics.join(','), period.from, period.to, product ?? '', staff ?? ''],
    queryFn: ({ signal }) =>
      apiGet<KpiResponse>(
        '/kpi',
        {
          node,
          metrics: metrics.join(','),
          from: period.from,
          to: period.to,
          // Budgets are per store or person, not per product.
          compare: product ? 'prev,yoy' : 'prev,yoy,budget',
          product,
          staff,
        },
        signal,
      ),
    enabled: metrics.length > 0,
  });

/** `withComparisons`: each row with its previous period, last year and (units one level down) budget, in the same request. */
export const breakdownQuery = (
  node: string,
  metric: string,
  by: string,
  period: PeriodRange,
  product?: string,
  withComparisons = false,
) =>
  queryOptions({
    queryKey: ['breakdown', node, metric, by, period.from, period.to, product ?? '', withComparisons],
    queryFn: ({ signal }) =>
      apiGet<BreakdownResponse>(
        '/breakdown',
        {
          node,
          metric,
          by,
          from: period.from,
          to: period.to,
          product,
          compare: withComparisons ? 'prev,yoy,budget' : undefined,
        },
        signal,
      ),
  });

/**
 * Monthly points; `withYoy` adds the same months a year earlier and `withBudget` each month's budget
 * target (trends do, sparklines need not). Months outside the data's coverage are null.
 */
export const timeseriesQuery = (
  node: string,
  metric: string,
  period: PeriodRange,
  options: { product?: string; staff?: string; withYoy?: boolean; withBudget?: boolean } = {},
) => {
  const budget = options.withBudget && !options.product;
  const compare = [options.withYoy ? 'yoy' : null, budget ? 'budget' : null].filter(Boolean).join(',');
  return queryOptions({
    queryKey: [
      'timeseries',
      node,
      metric,
      period.from,
      period.to,
      options.product ?? '',
      options.staff ?? '',
      compare,
    ],
    queryFn: ({ signal }) =>
      apiGet<TimeseriesResponse>(
        '/timeseries',
        {
          node,
          metric,
          grain: 'month',
          compare: compare || undefined,
          from: period.from,
          to: period.to,
          product: options.product,
          staff: options.staff,
        },
        signal,
      ),
  });
};

/** What a trend panel shows: the 12 months to the period's end, with last year and the budget. */
export const trendQuery = (
  node: string,
  metric: string,
  period: PeriodRange,
  filters: { product?: string; staff?: string } = {},
) => timeseriesQuery(node, metric, trailingYear(period), { ...filters, withYoy: true, withBudget: true });

/** A store's people on a person-level metric, each with the previous period and last year. */
export const peopleQuery = (store: string, metric: string, period: PeriodRange) =>
  breakdownQuery(store, metric, 'staff', period, undefined, true);

/** What a ranking panel shows of the units below: their figures with every comparison, in one request. */
export const childrenRankingQuery = (node: string, metric: string, period: PeriodRange) =>
  breakdownQuery(node, metric, 'children', period, undefined, true);

/** A node's place among its peers; with `staff`, that person's among their store's people of the same role. */
export const rankQuery = (node: string, metric: string, period: PeriodRange, staff?: string) =>
  queryOptions({
    queryKey: ['rank', node, metric, period.from, period.to, staff ?? ''],
    queryFn: ({ signal }) =>
      apiGet<RankResponse>('/rank', { node, metric, from: period.from, to: period.to, staff }, signal),
  });

export const useKpi = (...args: Parameters<typeof kpiQuery>) => useQuery(kpiQuery(...args));

export const seriesQuery = (node: string, metrics: string[], period: PeriodRange) =>
  queryOptions({
    queryKey: ['series', node, metrics.join(','), period.from, period.to],
    queryFn: ({ signal }) =>
      apiGet<SeriesResponse>(
        '/series',
        { node, metrics: metrics.join(','), from: period.from, to: period.to },
        signal,
      ),
    enabled: metrics.length > 0,
  });

/** Each metric's monthly points over `period` (sparklines, and the months consecutive-period thresholds need), in one request. */
export const useMonthly = (node: string, metrics: string[], period: PeriodRange) => {
  const series = useQuery(seriesQuery(node, metrics, period)).data?.series;
  return metrics.map((id) => series?.[id]);
};
