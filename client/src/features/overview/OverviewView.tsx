// Overview of one org node: KPI cards, the trend of the chosen KPI, how the units below rank on
// it (a store sees its rank among peers instead), and the open risk alerts.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useViewContext, visibleMetrics, type ViewContext } from '../../app/context.ts';
import { followLink, hrefTo, navigate, useLocation, withParams } from '../../app/router.ts';
import { attainmentOf } from '../../shared/attainment.ts';
import { rankingOption, trendOption } from '../../shared/charts/options.ts';
import { KpiCard } from '../../shared/components/KpiCard.tsx';
import { ChartPanel, Panel } from '../../shared/components/Panel.tsx';
import { QueryState } from '../../shared/components/States.tsx';
import { formatPercent, formatValue } from '../../shared/format.ts';
import { pick, useT } from '../../shared/i18n.ts';
import { trailingYear } from '../../shared/period.ts';
import { statusOf } from '../../shared/status.ts';
import { isAdditive } from '../metrics/additive.ts';
import { OpenAlertsPanel } from '../risk/OpenAlertsPanel.tsx';
import { breakdownQuery, rankQuery, timeseriesQuery, useKpi, useMonthly } from '../metrics/api.ts';
import type { KpiResponse, MetricInfo } from '../metrics/types.ts';

/** The overview's cards, in reading order; each user sees those of their domains. */
export const OVERVIEW_METRICS = [
  'new_units', 'new_gross_per_unit', 'used_units', 'aftersales_revenue', 'finance_penetration',
  'net_profit', 'inventory_coefficient', 'aged_stock_share_90', 'operating_cash_flow', 'overdue_receivables_share',
] as const;

export default function OverviewView({ node }: { node: string }) {
  const ctx = useViewContext();
  const { params } = useLocation();
  const cards = visibleMetrics(OVERVIEW_METRICS, ctx.metrics);
  const chosen = ctx.metrics.get(params.get('metric') ?? '') ?? cards[0];
  const kpi = useKpi(node, cards.map((m) => m.id), ctx.period);
  // Sparklines are asked for alongside the KPIs, not after them.
  const sparks = useMonthly(node, cards.map((m) => m.id), trailingYear(ctx.period));

  return (
    <div className="view overview" data-view="overview">
      <QueryState query={kpi} height={180}>
        {(data) => (
          <>
            <section className="kpi-grid" aria-label={pick(ctx.lang, { zh: '关键指标', en: 'Key metrics' })}>
              {cards.map((m, i) => (
                <KpiCard
                  key={m.id}
                  metric={m}
                  kpi={data.metrics[m.id]}
                  compare={ctx.compare}
                  spark={sparks[i]}
                  selected={m.id === chosen?.id}
                  onSelect={() => navigate(withParams({ metric: m.id }), { replace: true })}
                />
              ))}
            </section>
            {chosen && (
              <div className="grid-2-1">
                <TrendPanel node={node} metric={chosen} ctx={ctx} />
                <OpenAlertsPanel node={node} />
              </div>
            )}
            {chosen && <ChildrenRanking node={node} metric={chosen} ctx={ctx} view="overview" withLinks />}
          </>
        )}
      </QueryState>
    </div>
  );
}

export function TrendPanel({ node, metric, ctx, product }: { node: string; metric: MetricInfo; ctx: ViewContext; product?: string }) {
  const t = useT();
  const series = useQuery(timeseriesQuery(node, metric.id, trailingYear(ctx.period), { product, withYoy: true }));
  const option = useMemo(
    () => series.data && trendOption(series.data.points, { unit: metric.unit, lang: ctx.lang, actual: t('value'), lastYear: t('lastYear') }),
    [series.data, metric.unit, ctx.lang], // t follows ctx.lang
  );
  const title = `${pick(ctx.lang, metric.name)} · ${t('trend')}`;
  if (!option) return <Panel title={title}><QueryState query={series} height={300}>{() => null}</QueryState></Panel>;
  return <ChartPanel title={title} option={option} height={300} />;
}

/**
 * The units one level down ranked on the metric; click a bar to open that unit. `withLinks` adds
 * the same units as links below the chart, for keyboards (a view without a table of them wants it).
 * A store sees its peer rank.
 */
export function ChildrenRanking({ node, metric, ctx, view, withLinks = false }: {
  node: string; metric: MetricInfo; ctx: ViewContext; view: 'overview' | 'drill'; withLinks?: boolean;
}) {
  const t = useT();
  const level = ctx.org.byId.get(node)?.level;
  const isStore = level === 'store';
  const rows = useQuery({ ...breakdownQuery(node, metric.id, 'children', ctx.period), enabled: !isStore });
  const ranking = useQuery({ ...rankQuery(node, metric.id, ctx.period), enabled: isStore });
  const ranked = useMemo(() => {
    if (!rows.data) return null;
    const sorted = metric.direction === 'lower_is_better' ? [...rows.data.rows].sort((a, b) => (a.value ?? Infinity) - (b.value ?? Infinity)) : rows.data.rows;
    return sorted.map((r) => ({ id: r.id, name: ctx.org.name(r.id, ctx.lang), value: r.value, status: metric.thresholds?.basis === 'value' ? statusOf(metric.thresholds, { value: r.value }) : undefined }));
  }, [rows.data, metric, ctx.lang, ctx.org]);
  const option = useMemo(() => {
    if (!ranked || !rows.data) return null;
    // The parent's figure is a level among its units only when they do not add up to it.
    const reference = !isAdditive(metric) && rows.data.total !== null ? { value: rows.data.total, label: ctx.org.name(node, ctx.lang) } : undefined;
    return rankingOption(ranked, { unit: metric.unit, lang: ctx.lang, name: pick(ctx.lang, metric.name), reference });
  }, [ranked, rows.data, metric, ctx.lang, ctx.org, node]);
  const href = (id: string) => hrefTo(`/${view}/${id}`, { metric: metric.id });

  if (isStore) {
    return (
      <Panel title={`${t('peerRank')} · ${pick(ctx.lang, metric.name)}`}>
        <QueryState query={ranking} height={120}>
          {(r) => (
            <div className="peer-rank" data-rank={r.rank ?? ''}>
              <strong>{r.rank === null ? '—' : t('rankOf', { rank: r.rank, of: r.of })}</strong>
              {r.percentile !== null && (
                <>
                  <div className="meter" aria-hidden="true"><span style={{ width: `${r.percentile}%` }} /></div>
                  <span>{t('percentile', { p: `${Math.round(r.percentile)}%` })}</span>
                </>
              )}
            </div>
          )}
        </QueryState>
      </Panel>
    );
  }
  const title = `${t('childrenRanking')} · ${pick(ctx.lang, metric.name)}`;
  if (!option || !ranked) return <Panel title={title}><QueryState query={rows} height={240}>{() => null}</QueryState></Panel>;
  return (
    <ChartPanel
      title={title}
      subtitle={t('drillHint')}
      option={option}
      height={Math.max(200, 36 * ranked.length + 40)}
      onItemClick={(item) => item.id && navigate(href(item.id))}
      className="ranking"
    >
      {withLinks && (
        <ol className="ranking-links" aria-label={t('rankingTable')}>
          {ranked.map((r) => (
            <li key={r.id}>
              <a href={href(r.id)} onClick={followLink}>{r.name}</a> {formatValue(r.value, metric.unit, ctx.lang)}
            </li>
          ))}
        </ol>
      )}
    </ChartPanel>
  );
}
