// What the org drill asks the API for, built here for the view and for its prefetch (when the
// pointer rests on a unit below), so both use the same query keys.
import type { QueryClient } from '@tanstack/react-query';
import { visibleMetrics, type ViewContext } from '../../shared/context.ts';
import { prefetchTrendForecast, trendForecastQuery } from '../../shared/forecast/api.ts';
import { childrenRankingQuery, kpiQuery, peopleQuery, trendQuery } from '../../shared/metrics/api.ts';
import type { MetricInfo } from '../../shared/metrics/types.ts';

/** Key figures shown beside the chosen metric, by its domain. */
const DOMAIN_COLUMNS: Record<string, string[]> = {
  sales: ['new_units', 'new_gross_per_unit', 'new_gross_incl_rebate_per_unit', 'used_units', 'discount_rate'],
  fi: ['finance_penetration', 'insurance_penetration', 'fi_income_per_unit'],
  funnel: ['leads', 'visit_rate', 'visit_to_order_rate'],
  aftersales: ['repair_orders', 'aftersales_revenue', 'revenue_per_ro', 'fixed_absorption'],
  inventory: ['new_stock_units', 'inventory_coefficient', 'aged_stock_share_90', 'new_days_supply'],
  finance: ['revenue', 'net_profit', 'net_margin', 'dso', 'overdue_receivables_share'],
};

/** The metric drilled: the URL's `metric`, else the catalog's first the user may see. */
export const drillMetric = (ctx: ViewContext, params: URLSearchParams): MetricInfo | undefined =>
  ctx.metrics.get(params.get('metric') ?? '') ?? ctx.metrics.values().next().value;

/** The domain's other key figures, shown beside the metric in the table. */
export const companionMetrics = (metric: MetricInfo, ctx: ViewContext): MetricInfo[] =>
  visibleMetrics(DOMAIN_COLUMNS[metric.domain] ?? [], ctx.metrics).filter((m) => m.id !== metric.id);

/** One request per unit below: the metric and its companions, with their comparisons. */
export const childQueries = (node: string, metric: MetricInfo, ctx: ViewContext) => {
  const ids = [metric.id, ...companionMetrics(metric, ctx).map((m) => m.id)];
  return ctx.org
    .children(node)
    .filter((n) => n.in_scope)
    .map((c) => kpiQuery(c.node_id, ids, ctx.period));
};

/** Asks for everything the drill at `node` shows, all at once. */
export async function prefetchDrill(
  queryClient: QueryClient,
  node: string,
  ctx: ViewContext,
  params: URLSearchParams,
): Promise<void> {
  const metric = drillMetric(ctx, params);
  if (!metric) return;
  if (ctx.org.byId.get(node)?.level === 'store') {
    // A store's drill shows its people.
    await Promise.all([
      ...(metric.breakdowns.includes('staff')
        ? [queryClient.prefetchQuery(peopleQuery(node, metric.id, ctx.period))]
        : []),
      queryClient.prefetchQuery(trendQuery(node, metric.id, ctx.period)),
      prefetchTrendForecast(queryClient, trendForecastQuery(node, metric, ctx)),
    ]);
    return;
  }
  await Promise.all([
    queryClient.prefetchQuery(childrenRankingQuery(node, metric.id, ctx.period)),
    queryClient.prefetchQuery(trendQuery(node, metric.id, ctx.period)),
    prefetchTrendForecast(queryClient, trendForecastQuery(node, metric, ctx)),
    ...childQueries(node, metric, ctx).map((q) => queryClient.prefetchQuery(q)),
  ]);
}
