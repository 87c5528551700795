// One person's page (/person/STORE?staff=ID): their own figures at their store — the sales,
// F&I and funnel cards of a sales consultant, the repair-order cards of a service advisor — with
// the chosen comparison, the trend of the chosen card, and their place among the store's people of
// the same role (a staff user learns their own place, never a colleague's figure). A staff user
// lands here and sees nothing else.
import { useQuery } from '@tanstack/react-query';
import { KpiCard } from '../../shared/components/KpiCard.tsx';
import { StatusLegend } from '../../shared/components/Legend.tsx';
import { Empty, QueryState } from '../../shared/components/States.tsx';
import { visibleMetrics, useViewContext, type ViewContext } from '../../shared/context.ts';
import { pick, useT } from '../../shared/i18n.ts';
import { kpiQuery, rankQuery } from '../../shared/metrics/api.ts';
import type { MetricInfo } from '../../shared/metrics/types.ts';
import { TrendPanel } from '../../shared/panels/TrendPanel.tsx';
import { periodLabel } from '../../shared/period.ts';
import { followLink, hrefTo, navigate, useLocation, withParams } from '../../shared/router.ts';
import { useSession } from '../../shared/api/session.ts';

/** The cards of each job's page, in order. */
const SALES_CARDS = [
  'new_units',
  'new_gross_per_unit',
  'vehicle_revenue',
  'used_units',
  'fi_income_per_unit',
  'finance_penetration',
  'insurance_penetration',
  'leads',
  'lead_to_order_rate',
  'test_drive_rate',
];
const SERVICE_CARDS = [
  'repair_orders',
  'revenue_per_ro',
  'service_gross_profit',
  'hours_per_ro',
  'effective_labour_rate',
  'customer_pay_share',
];

export default function PersonView({ node }: { node: string }) {
  const t = useT();
  const ctx = useViewContext();
  const { params } = useLocation();
  const user = useSession()?.user;
  const staff = params.get('staff') ?? user?.staff_id ?? '';
  // Both jobs' cards in one request (the role comes with the answer); the job's own are shown.
  const all = visibleMetrics([...SALES_CARDS, ...SERVICE_CARDS], ctx.metrics);
  const kpi = useQuery({
    ...kpiQuery(
      node,
      all.map((m) => m.id),
      ctx.period,
      undefined,
      staff,
    ),
    enabled: staff !== '' && all.length > 0,
  });
  const role = kpi.data?.staff?.role;
  const cards = visibleMetrics(role === 'service_advisor' ? SERVICE_CARDS : SALES_CARDS, ctx.metrics);
  const chosen = cards.find((m) => m.id === params.get('metric')) ?? cards[0];
  if (!staff || all.length === 0) return <Empty />;

  return (
    <div className="view person" data-view="person" data-staff={staff}>
      <section className="kpi-section" aria-labelledby="person-heading">
        <div className="kpi-head">
          <h2 id="person-heading" data-period={ctx.period.key}>
            {kpi.data?.staff ? (
              <>
                <span className="person-name">{kpi.data.staff.name}</span>
                <span className="person-role"> · {t(kpi.data.staff.role)}</span>
              </>
            ) : (
              staff
            )}
            <span className="kpi-head-compare">
              {' '}
              · {ctx.org.name(node, ctx.lang)} · {periodLabel(ctx.period, ctx.lang)} ·{' '}
              {t('comparedWith', { compare: t(ctx.compare) })}
            </span>
          </h2>
          {chosen && <RankInStore store={node} staff={staff} metric={chosen} ctx={ctx} />}
          {role &&
            (role === 'sales_consultant' || role === 'service_advisor' || role === 'fi_specialist') && (
              <a
                className="scorecard-link"
                href={hrefTo(`/scorecards/${node}`, { role, unit: staff })}
                onClick={followLink}
              >
                {t('myScorecard')}
              </a>
            )}
        </div>
        <QueryState query={kpi} height={180}>
          {(data) => (
            <>
              <div className="kpi-grid">
                {cards.map((m) => (
                  <KpiCard
                    key={m.id}
                    metric={m}
                    kpi={data.metrics[m.id]}
                    compare={ctx.compare}
                    selected={m.id === chosen?.id}
                    onSelect={() => navigate(withParams({ metric: m.id }), { replace: true })}
                  />
                ))}
              </div>
              <StatusLegend compare={ctx.compare} />
            </>
          )}
        </QueryState>
      </section>
      {chosen && <TrendPanel node={node} metric={chosen} ctx={ctx} staff={staff} />}
    </div>
  );
}

/** Where the person stands among the store's people of their role on the chosen metric. */
function RankInStore({
  store,
  staff,
  metric,
  ctx,
}: {
  store: string;
  staff: string;
  metric: MetricInfo;
  ctx: ViewContext;
}) {
  const t = useT();
  const place = useQuery(rankQuery(store, metric.id, ctx.period, staff)).data;
  if (!place || place.rank === null) return null;
  return (
    <p className="rank-in-store" data-rank={place.rank} data-of={place.of}>
      {pick(ctx.lang, metric.name)} · {t('rankInStore', { rank: place.rank, of: place.of })}
    </p>
  );
}
