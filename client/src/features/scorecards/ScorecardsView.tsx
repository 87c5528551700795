// Scorecards (/scorecards/NODE?role=ROLE[&unit=ID]): the month's league of a role under the node —
// each unit's score, rank and points per metric, exported to Excel for HR — and a unit's card:
// its score over the last 12 months and, month by month, what each metric gave.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ScorecardsResponse, ScoredUnit } from '../../../../server/src/contract/scorecards.ts';
import { SCORECARD_ROLES, type ScorecardRole } from '../../../../server/src/contract/scorecards.ts';
import { apiGet } from '../../shared/api/client.ts';
import { useSession } from '../../shared/api/session.ts';
import { trendOption } from '../../shared/charts/options.ts';
import { DataTable, type Column } from '../../shared/components/DataTable.tsx';
import { ChartPanel, Panel } from '../../shared/components/Panel.tsx';
import { QueryState } from '../../shared/components/States.tsx';
import { useViewContext, type ViewContext } from '../../shared/context.ts';
import { formatValue } from '../../shared/format.ts';
import { pick, useT } from '../../shared/i18n.ts';
import { hrefTo, navigate, useLocation, withParams } from '../../shared/router.ts';
import { storeTypeName } from '../../shared/metrics/names.ts';

const scorecardsQuery = (node: string, month: string, role: string, unit?: string) =>
  queryOptions({
    queryKey: ['scorecards', node, month, role, unit ?? ''],
    queryFn: ({ signal }) =>
      apiGet<ScorecardsResponse>(
        '/scorecards',
        { node, period: month, role, unit, months: unit ? 12 : undefined },
        signal,
      ),
  });

const score = (v: number | null) => (v === null ? '—' : v.toFixed(1));
const percent = (v: number | null, lang: 'zh' | 'en') => formatValue(v, 'percent', lang);

export default function ScorecardsView({ node }: { node: string }) {
  const t = useT();
  const ctx = useViewContext();
  const { params } = useLocation();
  const user = useSession()?.user;
  const level = ctx.org.byId.get(node)?.level;
  const roles = SCORECARD_ROLES.filter(
    (r) => r !== 'region_manager' || level === 'group' || level === 'division' || level === 'region',
  );
  const role = (roles.find((r) => r === params.get('role')) ??
    (level === 'store' ? 'sales_consultant' : 'store_manager')) as ScorecardRole;
  const unit = user?.role === 'staff' ? (user.staff_id ?? undefined) : (params.get('unit') ?? undefined);
  const month = ctx.period.to.slice(0, 7);
  return (
    <div className="view scorecards" data-view="scorecards">
      {user?.role !== 'staff' && (
        <div className="view-controls">
          <label className="metric-select">
            <span>{t('scorecardRole')}</span>
            <select
              value={role}
              onChange={(e) => navigate(withParams({ role: e.target.value, unit: null }), { replace: true })}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {t(`scorecard_${r}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {unit ? (
        <UnitCard node={node} month={month} role={role} unit={unit} ctx={ctx} />
      ) : (
        <League node={node} month={month} role={role} ctx={ctx} />
      )}
    </div>
  );
}

function League({
  node,
  month,
  role,
  ctx,
}: {
  node: string;
  month: string;
  role: ScorecardRole;
  ctx: ViewContext;
}) {
  const t = useT();
  const query = useQuery(scorecardsQuery(node, month, role));
  const title = `${t('scorecards')} · ${t(`scorecard_${role}`)} · ${ctx.org.name(node, ctx.lang)} · ${month}`;
  return (
    <Panel title={title} subtitle={t('scorecardHint')} className="league">
      <QueryState query={query} height={240}>
        {(data) => {
          const metrics = data.rows[0]?.items.map((i) => i.metric) ?? [];
          const columns: Column<ScoredUnit>[] = [
            {
              key: 'rank',
              label: t('rankCol'),
              numeric: true,
              value: (r) => r.rank,
              render: (r) => (r.rank === null ? '—' : `${r.rank} / ${r.of}`),
            },
            { key: 'name', label: t('name'), value: (r) => r.name },
            ...(data.rows.some((r) => r.store_type)
              ? [
                  {
                    key: 'type',
                    label: t('storeType'),
                    value: (r: ScoredUnit) => storeTypeName(r.store_type, ctx.lang),
                  },
                ]
              : []),
            ...(data.rows.some((r) => r.store)
              ? [
                  {
                    key: 'store',
                    label: t('store'),
                    value: (r: ScoredUnit) => (r.store ? ctx.org.name(r.store, ctx.lang) : ''),
                  },
                ]
              : []),
            {
              key: 'score',
              label: t('score'),
              numeric: true,
              value: (r) => r.score,
              render: (r) => <strong>{score(r.score)}</strong>,
            },
            ...metrics.map((id, i): Column<ScoredUnit> => ({
              key: id,
              label: `${ctx.metrics.get(id) ? pick(ctx.lang, ctx.metrics.get(id)!.name) : id}`,
              numeric: true,
              value: (r) => r.items[i]!.points,
              render: (r) => (
                <span title={`${t('attainment')} ${percent(r.items[i]!.attainment, ctx.lang)}`}>
                  {score(r.items[i]!.points)}
                  <small> · {percent(r.items[i]!.attainment, ctx.lang)}</small>
                </span>
              ),
              exportRaw: [
                { label: t('attainment'), value: (r) => r.items[i]!.attainment, format: 'percent' },
              ],
            })),
            {
              key: 'penalty',
              label: t('penalties'),
              numeric: true,
              value: (r) => r.adjustments.reduce((s, a) => s + a.points, 0),
            },
          ];
          return (
            <DataTable
              columns={columns}
              rows={data.rows}
              rowKey={(r) => r.id}
              rowHref={(r) => hrefTo(`/scorecards/${node}`, { role, unit: r.id })}
              exportName={`${t('scorecards')}-${t(`scorecard_${role}`)}-${ctx.org.name(node, ctx.lang)}-${month}`}

              caption={title}
            />
          );
        }}
      </QueryState>
    </Panel>
  );
}

function UnitCard({
  node,
  month,
  role,
  unit,
  ctx,
}: {
  node: string;
  month: string;
  role: ScorecardRole;
  unit: string;
  ctx: ViewContext;
}) {
  const t = useT();
  const query = useQuery(scorecardsQuery(node, month, role, unit));
  const option = useMemo(
    () =>
      query.data?.history &&
      trendOption(
        query.data.history.map((h) => ({ period: h.month, from: h.month, to: h.month, value: h.score })),
        { unit: 'count', lang: ctx.lang, actual: t('score'), lastYear: t('lastYear') },
      ),
    [query.data, ctx.lang, t],
  );
  return (
    <QueryState query={query} height={240}>
      {(data) => {
        const own = data.rows[0]!;
        const history = data.history ?? [];
        const metrics = own.items.map((i) => i.metric);
        return (
          <>
            <div className="kpi-head">
              <h2 className="scorecard-head" data-score={own.score ?? ''} data-rank={own.rank ?? ''}>
                {own.name} · {t(`scorecard_${role}`)} · {month}:{' '}
                <strong>
                  {t('score')} {score(own.score)}
                </strong>{' '}
                · {own.rank === null ? '—' : t('rankOfPeople', { rank: own.rank, of: data.of })}
              </h2>
            </div>
            {option && (
              <ChartPanel
                title={`${t('score')} · ${t('trend')}`}
                option={option}
                height={240}
                className="score-trend"
              />
            )}
            <Panel title={t('whatMovedScore')} className="score-history">
              <div className="target-table-wrap">
                <table className="data-table score-table">
                  <thead>
                    <tr>
                      <th>{t('month')}</th>
                      {metrics.map((id) => (
                        <th key={id} className="num">
                          {ctx.metrics.get(id) ? pick(ctx.lang, ctx.metrics.get(id)!.name) : id}
                        </th>
                      ))}
                      <th className="num">{t('penalties')}</th>
                      <th className="num">{t('score')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {history.map((h, k) => {
                      const before = history[k - 1];
                      return (
                        <tr key={h.month} data-month={h.month}>
                          <th>{h.month}</th>
                          {h.items.map((i, j) => {
                            const moved =
                              before && i.points !== null && before.items[j]!.points !== null
                                ? i.points - before.items[j]!.points!
                                : null;
                            return (
                              <td
                                key={i.metric}
                                className="num"
                                title={`${t('target')} ${formatValue(i.target, ctx.metrics.get(i.metric)?.unit ?? 'count', ctx.lang)} · ${t('value')} ${formatValue(i.actual, ctx.metrics.get(i.metric)?.unit ?? 'count', ctx.lang)}`}
                              >
                                {score(i.points)}
                                {moved !== null && moved !== 0 && (
                                  <small className={moved > 0 ? 'good' : 'bad'}>
                                    {' '}
                                    {moved > 0 ? '+' : '−'}
                                    {Math.abs(moved).toFixed(1)}
                                  </small>
                                )}
                              </td>
                            );
                          })}
                          <td className="num">{h.adjustments.reduce((s, a) => s + a.points, 0) || ''}</td>
                          <td className="num">
                            <strong>{score(h.score)}</strong>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <p className="note">{t('scorecardNote')}</p>
            </Panel>
          </>
        );
      }}
    </QueryState>
  );
}
