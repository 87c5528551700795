// The open risks on an overview: the risk engine's alerts at and under the node, worst first,
// each linking to its task, and the way into the risk centre.
import './risk.css';
import { useQuery } from '@tanstack/react-query';
import { useViewContext } from '../../app/context.ts';
import { followLink, hrefTo } from '../../app/router.ts';
import { Panel } from '../../shared/components/Panel.tsx';
import { QueryState } from '../../shared/components/States.tsx';
import { useT } from '../../shared/i18n.ts';
import { alertsQuery } from './api.ts';
import { describeAlert, kpiHref, metricName, nodeName, taskHref } from './parts.tsx';

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
