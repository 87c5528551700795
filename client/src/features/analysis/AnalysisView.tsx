// 经营分析 / Analysis: why the node's period went as it did. The commentary (GET /api/commentary:
// a paragraph per key metric and one on the open critical risks, in the language of the page)
// beside the bridges: net profit built from the departments' gross, rebates and expenses;
// operating cash flow from net profit through the working capital; new-, used-vehicle and
// after-sales gross from the base to the period by volume, mix and rate — against the chosen
// comparison. A metric of the commentary opens its explain panel. Laid out for a wall or laptop
// (1920×1080) and for a phone (one column), and for printing (shared/print.css).
import './analysis.css';
import '../../shared/print.css';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError } from '../../shared/api/client.ts';
import { Panel } from '../../shared/components/Panel.tsx';
import { Empty, ErrorState, Loading, QueryState } from '../../shared/components/States.tsx';
import { useViewContext, type ViewContext } from '../../shared/context.ts';
import { commentaryQuery, type CommentaryResponse } from '../../shared/explain/api.ts';
import { BridgePanel } from '../../shared/explain/BridgePanel.tsx';
import { ExplainLayer, openExplain, preloadExplain } from '../../shared/explain/open.tsx';
import { pick, useT } from '../../shared/i18n.ts';
import { periodLabel } from '../../shared/period.ts';
import { followLink, hrefTo } from '../../shared/router.ts';
import { visibleBridges } from './queries.ts';

export default function AnalysisView({ node }: { node: string }) {
  const t = useT();
  const ctx = useViewContext();
  const inScope = ctx.org.byId.get(node)?.in_scope === true;
  const commentary = useQuery(commentaryQuery(node, ctx.period));
  usePrintOpensDetails();

  // A node outside the user's scope: one "no access" with the server's reason, no panel asking in vain.
  if (
    (!inScope && !commentary.data) ||
    (commentary.error instanceof ApiError && commentary.error.status === 403)
  )
    return (
      <div className="view analysis" data-view="analysis">
        {commentary.error ? <ErrorState error={commentary.error} /> : <Loading height={180} />}
      </div>
    );
  return (
    <div className="view analysis" data-view="analysis">
      <header className="analysis-head">
        <h2 data-period={ctx.period.key}>
          {t('analysis')} · {ctx.org.name(node, ctx.lang)} · {periodLabel(ctx.period, ctx.lang)}
          <span className="kpi-head-compare"> · {t('comparedWith', { compare: t(ctx.compare) })}</span>
        </h2>
        <button type="button" className="button no-print" onClick={() => window.print()}>
          {t('print')}
        </button>
      </header>
      <div className="analysis-grid">
        <Panel title={t('commentary')} className="commentary">
          <QueryState query={commentary} height={240}>
            {(data) =>
              data.sections.length === 0 ? (
                <Empty message={t('commentaryEmpty')} />
              ) : (
                <Commentary data={data} node={node} ctx={ctx} />
              )
            }
          </QueryState>
        </Panel>
        {visibleBridges(ctx).map((b) => (
          <BridgePanel
            key={b.kind}
            kind={b.kind}
            node={node}
            ctx={ctx}
            title={pick(ctx.lang, ctx.metrics.get(b.metric)!.name)}
            className={`bridge-${b.kind}`}
            folded
          />
        ))}
      </div>
      <ExplainLayer viewNode={node} />
    </div>
  );
}

function Commentary({ data, node, ctx }: { data: CommentaryResponse; node: string; ctx: ViewContext }) {
  const t = useT();
  return (
    <div className="commentary-sections" data-commentary={data.node.id}>
      {data.sections.map((s, i) => {
        const metric = s.metric === 'risks' ? undefined : ctx.metrics.get(s.metric);
        return (
          <section key={`${s.metric}-${i}`} className="commentary-section" data-section={s.metric}>
            <h3>
              {s.metric === 'risks' ? t('commentaryRisks') : metric ? pick(ctx.lang, metric.name) : s.metric}
              {metric && (
                <button
                  type="button"
                  className="link-button no-print"
                  data-explain={metric.id}
                  aria-label={t('whyMovedOf', { metric: pick(ctx.lang, metric.name) })}
                  aria-haspopup="dialog"
                  onClick={() => openExplain(metric.id)}
                  onMouseEnter={preloadExplain}
                  onFocus={preloadExplain}
                >
                  {t('whyMoved')}
                </button>
              )}
              {s.metric === 'risks' && (
                <a className="no-print" href={hrefTo(`/risks/${node}`)} onClick={followLink}>
                  {t('riskCentre')} →
                </a>
              )}
            </h3>
            <p data-commentary-text lang={ctx.lang === 'zh' ? 'zh-CN' : 'en'}>
              {pick(ctx.lang, s.text)}
            </p>
          </section>
        );
      })}
    </div>
  );
}

/** Folded figures print open: opened before printing, folded again after. */
function usePrintOpensDetails() {
  useEffect(() => {
    let opened: HTMLDetailsElement[] = [];
    const before = () => {
      opened = [...document.querySelectorAll<HTMLDetailsElement>('.analysis details:not([open])')];
      for (const d of opened) d.open = true;
    };
    const after = () => {
      for (const d of opened) d.open = false;
      opened = [];
    };
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
}
