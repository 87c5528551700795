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
                {all.slice(0, SHOWN).map((a) => (
                  <li key={a.id} className={`risk ${a.level}`}>
                    <span className={`badge ${a.level}`}>{t(a.level)}</span>
                    <a href={a.task ? taskHref(a.task.id) : kpiHref(a)} onClick={followLink}>
                      {metricName(a, ctx.lang)} · {nodeName(a, ctx)}
                    </a>
                    <span className="risk-figure">{describeAlert(a, ctx.lang, t)}</span>
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
