// Overview of one org node: KPI cards coloured by the chosen comparison (with a legend of what the
// colours mean), the trend of the chosen KPI against last year, its budget and its threshold
// levels, how the units below rank on it — stores like with like, by store type — with the chosen
// comparison beside each (a store sees its rank among its peers instead), and the open risk alerts.
import { KpiCard } from '../../shared/components/KpiCard.tsx';
import { StatusLegend } from '../../shared/components/Legend.tsx';
import { QueryState } from '../../shared/components/States.tsx';
import { useViewContext, visibleMetrics } from '../../shared/context.ts';
import { useT } from '../../shared/i18n.ts';
import { useKpi, useMonthly } from '../../shared/metrics/api.ts';
import { ChildrenRanking } from '../../shared/panels/ChildrenRanking.tsx';
import { OpenAlertsPanel } from '../../shared/panels/OpenAlertsPanel.tsx';
import { TrendPanel } from '../../shared/panels/TrendPanel.tsx';
import { periodLabel, trailingYear } from '../../shared/period.ts';
import { navigate, useLocation, withParams } from '../../shared/router.ts';

/** The overview's cards, in reading order; each user sees those of their domains. */
export const OVERVIEW_METRICS = [
  'new_units',
  'new_gross_incl_rebate_per_unit',
  'used_units',
  'aftersales_revenue',
  'finance_penetration',
  'net_profit',
  'inventory_coefficient',
  'aged_stock_share_90',
  'operating_cash_flow',
  'overdue_receivables_share',
] as const;

export default function OverviewView({ node }: { node: string }) {
  const t = useT();
  const ctx = useViewContext();
  const { params } = useLocation();
  const cards = visibleMetrics(OVERVIEW_METRICS, ctx.metrics);
  const chosen = ctx.metrics.get(params.get('metric') ?? '') ?? cards[0];
  const kpi = useKpi(
    node,
    cards.map((m) => m.id),
    ctx.period,
  );
  // Sparklines are asked for alongside the KPIs, not after them.
  const sparks = useMonthly(
    node,
    cards.map((m) => m.id),
    trailingYear(ctx.period),
  );

  return (
    <div className="view overview" data-view="overview">
      <QueryState query={kpi} height={180}>
        {(data) => (
          <>
            <section className="kpi-section" aria-labelledby="kpi-heading">
              <div className="kpi-head">
                <h2 id="kpi-heading" data-period={ctx.period.key}>
                  {ctx.org.name(node, ctx.lang)} · {periodLabel(ctx.period, ctx.lang)}
                  <span className="kpi-head-compare">
                    {' '}
                    · {t('comparedWith', { compare: t(ctx.compare) })}
                  </span>
                </h2>
              </div>
              <div className="kpi-grid">
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
              </div>
              {cards.length > 0 && <StatusLegend compare={ctx.compare} />}
            </section>
            {chosen && (
              <div className="grid-2-1">
                <TrendPanel node={node} metric={chosen} ctx={ctx} />
                <OpenAlertsPanel node={node} />
              </div>
            )}
            {chosen && <ChildrenRanking node={node} metric={chosen} ctx={ctx} view="overview" withTable />}
          </>
        )}
      </QueryState>
    </div>
  );
}
