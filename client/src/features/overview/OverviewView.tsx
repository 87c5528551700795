// Overview of one org node: KPI cards coloured by the chosen comparison (with a legend of what the
// colours mean), the trend of the chosen KPI against last year, its budget and its threshold
// levels, how the units below rank on it — stores like with like, by store type — with the chosen
// comparison beside each (a store sees its rank among its peers instead), and the open risk alerts.
// Each card's "为什么变动？" opens the explain panel of its metric at the node (shared/explain/).
// The cards of new units, after-sales revenue and net profit carry their landing (预计完成) of
// the month, quarter or year the user reads, from one /api/landing request for the page.
import { KpiCard } from '../../shared/components/KpiCard.tsx';
import { LandingLine } from '../../shared/components/LandingLine.tsx';
import { landingKind } from '../../shared/forecast/landing.ts';
import { useLanding } from '../../shared/forecast/use-landing.ts';
import { StatusLegend } from '../../shared/components/Legend.tsx';
import { ApiError } from '../../shared/api/client.ts';
import { ErrorState, Loading, QueryState } from '../../shared/components/States.tsx';
import { explainQuery } from '../../shared/explain/api.ts';
import { ExplainLayer, openExplain, preloadExplain } from '../../shared/explain/open.tsx';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useViewContext } from '../../shared/context.ts';
import { useT } from '../../shared/i18n.ts';
import { ChildrenRanking } from '../../shared/panels/ChildrenRanking.tsx';
import { OpenAlertsPanel } from '../../shared/panels/OpenAlertsPanel.tsx';
import { PeoplePanel } from '../../shared/panels/PeopleRanking.tsx';
import { TrendPanel } from '../../shared/panels/TrendPanel.tsx';
import { periodLabel } from '../../shared/period.ts';
import { navigate, useLocation, withParams } from '../../shared/router.ts';
import {
  cardsLandingMetrics,
  cardsQuery,
  chosenMetric,
  overviewCards,
  prefetchOverview,
  sparksQuery,
} from './queries.ts';

export default function OverviewView({ node }: { node: string }) {
  const t = useT();
  const ctx = useViewContext();
  const { params } = useLocation();
  const queryClient = useQueryClient();
  const cards = overviewCards(ctx);
  const chosen = chosenMetric(ctx, params);
  // Every panel asks at once: nothing waits for the cards (and a prefetch may have asked already).
  const inScope = ctx.org.byId.get(node)?.in_scope === true;
  const kpi = useQuery(cardsQuery(node, ctx));
  const sparks = useQuery({ ...sparksQuery(node, ctx), enabled: inScope }).data?.series;
  const prefetch = (id: string) => void prefetchOverview(queryClient, id, ctx, params);
  const landing = useLanding(node, cardsLandingMetrics(ctx), { enabled: inScope });
  const withLanding = new Set(cardsLandingMetrics(ctx));

  // A node outside the user's scope (the org tree holds the user's nodes and, by name only, their
  // ancestors): one "no access" for the page with the server's reason, and no panel asking in vain.
  if ((!inScope && !kpi.data) || (kpi.error instanceof ApiError && kpi.error.status === 403))
    return (
      <div className="view overview" data-view="overview">
        {kpi.error ? <ErrorState error={kpi.error} /> : <Loading height={180} />}
      </div>
    );
  return (
    <div className="view overview" data-view="overview">
      <section className="kpi-section" aria-labelledby="kpi-heading">
        <div className="kpi-head">
          <h2 id="kpi-heading" data-period={ctx.period.key}>
            {ctx.org.name(node, ctx.lang)} · {periodLabel(ctx.period, ctx.lang)}
            <span className="kpi-head-compare"> · {t('comparedWith', { compare: t(ctx.compare) })}</span>
          </h2>
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
                    spark={sparks?.[m.id]}
                    selected={m.id === chosen?.id}
                    onSelect={() => navigate(withParams({ metric: m.id }), { replace: true })}
                    onExplain={() => openExplain(m.id)}
                    landing={
                      withLanding.has(m.id) && (
                        <LandingLine
                          landing={landing}
                          metric={m}
                          kind={landingKind(ctx.period.kind)}
                          className="kpi-landing"
                        />
                      )
                    }
                    onExplainIntent={() => {
                      preloadExplain();
                      void queryClient.prefetchQuery(explainQuery(m.id, node, ctx.period, ctx.compare));
                    }}
                  />
                ))}
              </div>
              {cards.length > 0 && <StatusLegend compare={ctx.compare} />}
            </>
          )}
        </QueryState>
      </section>
      {chosen && (
        <div className="grid-2-1">
          <TrendPanel node={node} metric={chosen} ctx={ctx} />
          <OpenAlertsPanel node={node} />
        </div>
      )}
      {chosen && ctx.org.byId.get(node)?.level === 'store' ? (
        // A store: its rank among its peers, and its people on the chosen metric.
        <div className="grid-1-1">
          <ChildrenRanking node={node} metric={chosen} ctx={ctx} view="overview" />
          <PeoplePanel store={node} metric={chosen} ctx={ctx} />
        </div>
      ) : (
        chosen && (
          <ChildrenRanking
            node={node}
            metric={chosen}
            ctx={ctx}
            view="overview"
            withTable
            prefetch={prefetch}
          />
        )
      )}
      <ExplainLayer viewNode={node} />
    </div>
  );
}
