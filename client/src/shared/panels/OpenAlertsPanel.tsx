// The open risks on an overview: the risk engine's alerts at and under the node, worst first,
// each linking to its task, and the way into the risk centre.
import { useQuery } from '@tanstack/react-query';
import { useViewContext } from '../context.ts';
import { followLink, hrefTo } from '../router.ts';
import { Panel } from '../components/Panel.tsx';
import { QueryState } from '../components/States.tsx';
import { useT } from '../i18n.ts';
import { alertsQuery } from '../risk/api.ts';
import { describeAlert, kpiHref, metricName, nodeName, taskHref } from '../risk/alerts.ts';

const SHOWN = 6;

export function OpenAlertsPanel({ node }: { node: string }) {
  const t = useT();
  const ctx = useViewContext();
  const alerts = useQuery(alertsQuery(node));
  const centre = hrefTo(`/risks/${node}`);
  return (
    <Panel
      title={t('openRisks')}
      actions={
        <a href={centre} onClick={followLink}>
          {t('riskCentre')}
        </a>
      }
      className="risks"
    >
      <QueryState query={alerts}>
        {({ alerts: all }) =>
          all.length === 0 ? (
            <p className="state empty">{t('noAlerts')}</p>
          ) : (
            <>
              <ul className="risk-list">
                {/* One row per unit and metric (a threshold and the peer comparison may both flag
                    it): the API lists an alert's group together, worst first. */}
                {all
                  .filter((a) => a.group.first)
                  .slice(0, SHOWN)
                  .map((a) => (
                    <li
                      key={a.id}
                      className={`risk ${a.level}`}
                      data-node={a.node.id}
                      data-metric={a.metric.id}
                      data-more={a.group.size - 1}
                    >
                      <span className={`badge ${a.level}`}>{t(a.level)}</span>
                      <a href={a.task ? taskHref(a.task.id) : kpiHref(a)} onClick={followLink}>
                        {metricName(a, ctx.lang)} · {nodeName(a, ctx)}
                      </a>
                      <span className="risk-figure">
                        {describeAlert(a, ctx.lang, t)}
                        {a.group.size > 1 && (
                          <span className="risk-more"> · {t('groupMore', { n: a.group.size - 1 })}</span>
                        )}
                      </span>
                    </li>
                  ))}
              </ul>
              {all.length > SHOWN && (
                <p className="more">
                  <a href={centre} onClick={followLink}>
                    {t('allAlerts', { n: all.length })}
                  </a>
                </p>
              )}
            </>
          )
        }
      </QueryState>
    </Panel>
  );
}
