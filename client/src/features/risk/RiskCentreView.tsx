// The risk centre: open alerts at and under a node, by level; a heat map of its stores × the risk
// domains that have an enabled rule (click a cell to list that store's alerts in that domain);
// the alerts in the API's order — critical first, then by the money at stake — with the alerts of
// one node and metric folded under the first of them; every alert one click from the KPI view at
// its node and month, and from its PDCA task.
import './risk.css';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useViewContext } from '../../shared/context.ts';
import { followLink, navigate, useLocation, withParams } from '../../shared/router.ts';
import { DataTable, type Column } from '../../shared/components/DataTable.tsx';
import { Panel } from '../../shared/components/Panel.tsx';
import { QueryState } from '../../shared/components/States.tsx';
import { useT, type StringKey } from '../../shared/i18n.ts';
import type { OrgNode } from '../../shared/metrics/types.ts';
import { MetricInfoButton } from '../../shared/components/MetricInfo.tsx';
import { Loading } from '../../shared/components/States.tsx';
import {
  alertsQuery,
  rulesQuery,
  type AlertLevel,
  type ListedAlert,
  type Rule,
} from '../../shared/risk/api.ts';
import {
  describeAlert,
  formatDay,
  formatImpact,
  kpiHref,
  metricName,
  nodeName,
  taskHref,
} from '../../shared/risk/alerts.ts';
import { LevelBadge } from './parts.tsx';
import { personLabel } from '../../shared/risk/alerts.ts';

const DOMAIN_ORDER = ['finance', 'inventory', 'sales', 'fi', 'funnel', 'aftersales'];
const domainLabel = (domain: string, t: (key: StringKey) => string) => t(`domain_${domain}` as StringKey);

export default function RiskCentreView({ node }: { node: string }) {
  const t = useT();
  const ctx = useViewContext();
  const { params } = useLocation();
  const alerts = useQuery(alertsQuery(node));
  const level = params.get('level') as AlertLevel | null;
  const store = params.get('store');
  const domain = params.get('domain');

  const stores = useMemo(() => storesUnder(node, ctx.org.children, ctx.org.byId.get(node)), [node, ctx.org]);
  const rules = useQuery(rulesQuery());
  const domains = useMemo(
    () => (rules.data ? watchedDomains(rules.data.rules, ctx.metrics) : null),
    [rules.data, ctx.metrics],
  );

  return (
    <div className="view risk-centre" data-view="risks">
      <QueryState query={alerts}>
        {({ alerts: all }) => {
          const shown = all.filter(
            (a) =>
              (!level || a.level === level) &&
              (!store || a.node.id === store) &&
              (!domain || a.metric.domain === domain),
          );
          const count = (l: AlertLevel) => all.filter((a) => a.level === l).length;
          return (
            <>
              <div className="risk-summary" role="group" aria-label={t('alertLevels')}>
                {(['critical', 'warning'] as const).map((l) => (
                  <button
                    key={l}
                    type="button"
                    onClick={() => navigate(withParams({ level: level === l ? null : l }))}
                    className={`risk-count ${l}`}
                    aria-pressed={level === l}
                  >
                    <strong>{count(l)}</strong> <span>{t(l)}</span>
                  </button>
                ))}
                <span className="risk-count overdue">
                  <strong>
                    {
                      all.filter(
                        (a) => a.task && a.task.status !== 'closed' && Date.parse(a.task.due_at) < Date.now(),
                      ).length
                    }
                  </strong>{' '}
                  <span>{t('overdueTasks')}</span>
                </span>
              </div>
              <div className="risk-layout">
                {stores.length > 0 &&
                  (rules.isError ? (
                    <Panel title={t('heatmap')}>
                      <QueryState query={rules}>{() => null}</QueryState>
                    </Panel>
                  ) : !domains ? (
                    <Panel title={t('heatmap')}>
                      <Loading />
                    </Panel>
                  ) : domains.length === 0 ? (
                    <Panel title={t('heatmap')}>
                      <p className="state empty">{t('noRiskRules')}</p>
                    </Panel>
                  ) : (
                    <Heatmap alerts={all} stores={stores} domains={domains} selected={{ store, domain }} />
                  ))}
                <Panel
                  className="alerts-panel"
                  title={t('alerts')}
                  subtitle={
                    store || domain || level ? (
                      <>
                        {[
                          store && ctx.org.name(store, ctx.lang),
                          domain && domainLabel(domain, t),
                          level && t(level),
                        ]
                          .filter(Boolean)
                          .join(' · ')}{' '}
                        <a href={withParams({ store: null, domain: null, level: null })} onClick={followLink}>
                          {t('clearFilter')}
                        </a>
                      </>
                    ) : (
                      t('alertsNote')
                    )
                  }
                >
                  {shown.length === 0 ? (
                    <p className="state empty">{t('noAlerts')}</p>
                  ) : (
                    <AlertTable alerts={shown} />
                  )}
                </Panel>
              </div>
            </>
          );
        }}
      </QueryState>
    </div>
  );
}

/**
 * The risk domains some enabled rule watches (a domain without one would only ever show empty
 * cells), in the usual order; only domains of metrics this user may see.
 */
export function watchedDomains(rules: Rule[], metrics: Map<string, { domain: string }>): string[] {
  const watched = new Set(
    rules.filter((r) => r.enabled).flatMap((r) => metrics.get(r.metric_id)?.domain ?? []),
  );
  return [
    ...DOMAIN_ORDER.filter((d) => watched.has(d)),
    ...[...watched].filter((d) => !DOMAIN_ORDER.includes(d)).sort(),
  ];
}

function storesUnder(
  node: string,
  children: (id: string) => OrgNode[],
  self: OrgNode | undefined,
): OrgNode[] {
  if (self?.level === 'store') return [self];
  return children(node).flatMap((c) =>
    c.level === 'store' ? (c.in_scope ? [c] : []) : storesUnder(c.node_id, children, c),
  );
}

/** Stores × domains, each cell the worst open level and the number of alerts; a cell filters the list. */
function Heatmap({
  alerts,
  stores,
  domains,
  selected,
}: {
  alerts: ListedAlert[];
  stores: OrgNode[];
  domains: string[];
  selected: { store: string | null; domain: string | null };
}) {
  const t = useT();
  const ctx = useViewContext();
  const cells = useMemo(() => {
    const map = new Map<string, { n: number; critical: boolean }>();
    for (const a of alerts) {
      const key = `${a.node.id}|${a.metric.domain}`;
      const cell = map.get(key) ?? { n: 0, critical: false };
      map.set(key, { n: cell.n + 1, critical: cell.critical || a.level === 'critical' });
    }
    return map;
  }, [alerts]);
  return (
    <Panel title={t('heatmap')} subtitle={t('heatmapNote')}>
      <div className="table-scroll">
        <table className="heatmap">
          <thead>
            <tr>
              <th scope="col">{t('store')}</th>
              {domains.map((d) => (
                <th key={d} scope="col" data-domain={d}>
                  {domainLabel(d, t)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {stores.map((s) => (
              <tr key={s.node_id}>
                <th scope="row">{ctx.org.name(s.node_id, ctx.lang)}</th>
                {domains.map((d) => {
                  const cell = cells.get(`${s.node_id}|${d}`);
                  const on = selected.store === s.node_id && selected.domain === d;
                  const tone = !cell ? 'none' : cell.critical ? 'critical' : 'warning';
                  return (
                    <td key={d} className={`cell ${tone}${on ? ' selected' : ''}`} data-domain={d}>
                      {cell ? (
                        <button
                          type="button"
                          aria-pressed={on}
                          aria-label={`${ctx.org.name(s.node_id, ctx.lang)} · ${domainLabel(d, t)}: ${cell.n} · ${t(tone as AlertLevel)}`}
                          onClick={() =>
                            navigate(
                              withParams(
                                on ? { store: null, domain: null } : { store: s.node_id, domain: d },
                              ),
                            )
                          }
                        >
                          {cell.n}
                        </button>
                      ) : (
                        <span aria-hidden="true">·</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function AlertTable({ alerts }: { alerts: ListedAlert[] }) {
  const t = useT();
  const ctx = useViewContext();
  const levelRank = (l: AlertLevel) => (l === 'critical' ? 2 : 1);
  const columns: Column<ListedAlert>[] = [
    {
      key: 'level',
      label: t('level'),
      numeric: true,
      value: (a) => levelRank(a.level),
      render: (a) => <LevelBadge level={a.level} />,
      exportAs: (a) => t(a.level),
    },
    {
      key: 'impact',
      label: t('atStake'),
      numeric: true,
      format: 'yuan',
      value: (a) => a.impact_yuan,
      render: (a) => (
        <span className="impact" data-value={a.impact_yuan ?? ''}>
          {formatImpact(a, ctx.lang)}
        </span>
      ),
    },
    { key: 'node', label: t('unit'), wrap: true, value: (a) => nodeName(a, ctx) },
    {
      key: 'metric',
      label: t('metric'),
      wrap: true,
      value: (a) => metricName(a, ctx.lang),
      render: (a) => {
        const metric = ctx.metrics.get(a.metric.id);
        return (
          <span className="alert-metric">
            <a href={kpiHref(a)} onClick={followLink} title={t('openKpi')}>
              {metricName(a, ctx.lang)}
            </a>
            {metric && <MetricInfoButton metric={metric} />}
          </span>
        );
      },
    },
    { key: 'figure', label: t('finding'), wrap: true, value: (a) => describeAlert(a, ctx.lang, t) },
    { key: 'since', label: t('since'), value: (a) => a.period },
    {
      key: 'task',
      label: t('task'),
      value: (a) => (a.task ? t(`status_${a.task.status}`) : null),
      render: (a) =>
        a.task && (
          <a href={taskHref(a.task.id)} onClick={followLink}>
            {t(`status_${a.task.status}`)} #{a.task.id}
          </a>
        ),
    },
    {
      key: 'assignee',
      label: t('assignee'),
      value: (a) => (a.task ? personLabel(a.task.assignee_person, a.task.assignee, t) : null),
    },
    { key: 'due', label: t('due'), value: (a) => (a.task ? formatDay(a.task.due_at) : null) },
  ];
  return (
    <DataTable
      className="alert-table"
      columns={columns}
      rows={alerts}
      rowKey={(a) => String(a.id)}
      groupOf={(a) => a.group?.key ?? `${a.node.id}|${a.metric.id}`}
      groupLabel={(n) => t('groupMore', { n })}
      exportName={t('alerts')}
      caption={t('alerts')}
    />
  );
}
