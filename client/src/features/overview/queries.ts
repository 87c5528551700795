// What the overview asks the API for. The view and its prefetch (right after sign-in, and when the
// pointer rests on a unit below) build their queries here, so both use the same query keys and a
// prefetched page renders from the cache.
import type { QueryClient } from '@tanstack/react-query';
import { visibleMetrics, type ViewContext } from '../../shared/context.ts';
import {
  childrenRankingQuery,
  kpiQuery,
  rankQuery,
  seriesQuery,
  trendQuery,
} from '../../shared/metrics/api.ts';
import type { MetricInfo } from '../../shared/metrics/types.ts';
import { landingQuery, prefetchTrendForecast, trendForecastQuery } from '../../shared/forecast/api.ts';
import { landingMetrics } from '../../shared/forecast/landing.ts';
import { trailingYear } from '../../shared/period.ts';
import { alertsQuery } from '../../shared/risk/api.ts';
import { KEY_FIGURES } from '../../../../server/src/contract/vocabulary.ts';

/** The overview's cards, in reading order (the key figures); each user sees those of their domains. */
export const OVERVIEW_METRICS = KEY_FIGURES;

export const overviewCards = (ctx: ViewContext): MetricInfo[] =>
  visibleMetrics(OVERVIEW_METRICS, ctx.metrics);

/** The KPI the trend and the ranking show: the URL's `metric`, else the first card. */
export const chosenMetric = (ctx: ViewContext, params: URLSearchParams): MetricInfo | undefined =>
  ctx.metrics.get(params.get('metric') ?? '') ?? overviewCards(ctx)[0];

export const cardsQuery = (node: string, ctx: ViewContext) =>
  kpiQuery(
    node,
    overviewCards(ctx).map((m) => m.id),
    ctx.period,
  );

/** Sparklines: each card's last 12 months. */
export const sparksQuery = (node: string, ctx: ViewContext) =>
  seriesQuery(
    node,
    overviewCards(ctx).map((m) => m.id),
    trailingYear(ctx.period),
  );

/** The cards' landing (预计完成): one request for those that have one (the key useLanding uses). */
export const cardsLandingMetrics = (ctx: ViewContext): string[] =>
  landingMetrics(overviewCards(ctx).map((m) => m.id));

/** Asks for everything the overview of `node` shows, all at once. */
export async function prefetchOverview(
  queryClient: QueryClient,
  node: string,
  ctx: ViewContext,
  params: URLSearchParams,
): Promise<void> {
  const chosen = chosenMetric(ctx, params);
  const known = ctx.org.byId.get(node);
  if (!chosen || !known?.in_scope) return; // the view asks once, for the server's refusal
  const isStore = known.level === 'store';
  await Promise.all([
    queryClient.prefetchQuery(cardsQuery(node, ctx)),
    queryClient.prefetchQuery(sparksQuery(node, ctx)),
    queryClient.prefetchQuery(trendQuery(node, chosen.id, ctx.period)),
    prefetchTrendForecast(queryClient, trendForecastQuery(node, chosen, ctx)),
    isStore
      ? queryClient.prefetchQuery(rankQuery(node, chosen.id, ctx.period))
      : queryClient.prefetchQuery(childrenRankingQuery(node, chosen.id, ctx.period)),
    queryClient.prefetchQuery(alertsQuery(node)),
    cardsLandingMetrics(ctx).length > 0 &&
      queryClient.prefetchQuery(landingQuery(node, cardsLandingMetrics(ctx))),
  ]);
}
