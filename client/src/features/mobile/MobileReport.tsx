// The phone daily report (运营快报, /m/NODE): the last day with data, the month to date and its
// budget attainment for the key metrics (with the current month's landing, 预计完成, under it where
// the metric has one), the caller's open tasks, and the units below. Every metric row opens the
// drill view; every unit opens its own report. One column, 390 px wide.
import { useQuery } from '@tanstack/react-query';
import { addDays, format } from 'date-fns';
import { useMemo } from 'react';
import { useViewContext, visibleMetrics } from '../../shared/context.ts';
import { followLink, hrefTo, withParams } from '../../shared/router.ts';
import type { SessionUser } from '../../shared/api/session.ts';
import { ErrorState } from '../../shared/components/States.tsx';
import { LandingLine } from '../../shared/components/LandingLine.tsx';
import { hasLanding } from '../../shared/forecast/landing.ts';
import { useLanding, type Landing } from '../../shared/forecast/use-landing.ts';
import { describeBudget, describeComparison, formatKpiValue, formatValue } from '../../shared/format.ts';
import { pick, useT } from '../../shared/i18n.ts';
import { parsePeriod, periodLabel } from '../../shared/period.ts';
import { budgetTone, cardStatus, comparisonTone } from '../../shared/status.ts';
import { breakdownQuery, useKpi } from '../../shared/metrics/api.ts';
import type { KpiValue, MetricInfo } from '../../shared/metrics/types.ts';
import { tasksQuery } from '../../shared/risk/api.ts';
import { formatDay } from '../../shared/risk/alerts.ts';
import './mobile.css';
import { DAILY_FLOWS, DAILY_MONTH_FIGURES } from '../../../../server/src/contract/vocabulary.ts';

/** Metrics counted day by day: they have a "yesterday". The others are read for the month. */
const DAILY = DAILY_FLOWS;
const MONTHLY = DAILY_MONTH_FIGURES;

export default function MobileReport({ node, user }: { node: string; user: SessionUser }) {
  const t = useT();
  const ctx = useViewContext();
  const { lang, dataTo, dataFrom, org } = ctx;
  const daily = visibleMetrics(DAILY, ctx.metrics);
  const all = [...daily, ...visibleMetrics(MONTHLY, ctx.metrics)];
  const day = { from: dataTo, to: dataTo };
  // The month of the last day with data, to that day (and from the first day of data, if later).
  const monthPeriod = parsePeriod(dataTo.slice(0, 7), dataFrom, dataTo);
  const month = { from: monthPeriod.from, to: monthPeriod.to };
  const dayKpi = useKpi(
    node,
    daily.map((m) => m.id),
    day,
  );
  const monthKpi = useKpi(
    node,
    all.map((m) => m.id),
    month,
  );
  // One request for every row's landing; the rows draw without waiting for it.
  const landing = useLanding(
    node,
    all.map((m) => m.id),
  );
  const isYesterday = dataTo === format(addDays(new Date(), -1), 'yyyy-MM-dd');
  const name = org.name(node, lang);
  const chain = org.chain(node).filter((n) => n.in_scope);
  const parent = chain.at(-2);

  return (
    <div className="mobile-report" data-view="mobile">
      <header className="m-header">
        <div className="m-title">
          {parent && (
            <a
              className="m-back"
              href={hrefTo(`/m/${parent.node_id}`)}
              onClick={followLink}
              aria-label={org.name(parent.node_id, lang)}
            >
              ‹
            </a>
          )}
          <h1>{t('dailyReport')}</h1>
          <a className="m-lang" href={withParams({ lang: lang === 'zh' ? 'en' : null })} onClick={followLink}>
            {t('language')}
          </a>
        </div>
        <p className="m-sub">
          <strong>{name}</strong> · {periodLabel(monthPeriod, lang)} · {t('wallDataAsOf', { date: dataTo })}
        </p>
      </header>

      {monthKpi.isError ? (
        <ErrorState error={monthKpi.error} retry={() => void monthKpi.refetch()} />
      ) : (
        <section className="m-section" aria-labelledby="m-metrics">
          <h2 id="m-metrics">{t('tapToDrill')}</h2>
          <table className="m-metrics">
            <thead>
              <tr>
                <th scope="col">{t('metric')}</th>
                <th scope="col">{isYesterday ? t('lastDay') : `${t('latestDay')} ${dataTo.slice(5)}`}</th>
                <th scope="col">{t('monthToDate')}</th>
                <th scope="col">{t('vsTarget')}</th>
              </tr>
            </thead>
            <tbody>
              {all.map((m) => (
                <MetricRow
                  key={m.id}
                  node={node}
                  metric={m}
                  day={daily.includes(m) ? dayKpi.data?.metrics[m.id] : undefined}
                  month={monthKpi.data?.metrics[m.id]}
                  monthKey={dataTo.slice(0, 7)}
                  landing={landing}
                />
              ))}
            </tbody>
          </table>
        </section>
      )}

      {!monthKpi.isError && <MyTasks node={node} user={user} />}
      {!monthKpi.isError && <UnitsBelow node={node} period={month} />}

      <footer className="m-footer">
        <a href={hrefTo(`/overview/${node}`)} onClick={followLink}>
          {t('fullCockpit')} ›
        </a>
      </footer>
    </div>
  );
}

function MetricRow({
  node,
  metric,
  day,
  month,
  monthKey,
  landing,
}: {
  node: string;
  metric: MetricInfo;
  day: KpiValue | undefined;
  month: KpiValue | undefined;
  monthKey: string;
  landing: Landing;
}) {
  const t = useT();
  const { lang } = useViewContext();
  // The phone report is read against the budget: its colour is the card's for the budget.
  const status = cardStatus(metric, month, 'budget');
  const budget = describeBudget(month?.budget, metric.unit, lang, true);
  const yoy = month?.yoy ? describeComparison(month.yoy, metric, lang, true) : null;
  const href = hrefTo(`/drill/${node}`, { metric: metric.id, p: monthKey });
  return (
    <tr data-metric={metric.id} className={`status-${status}`} data-status={status}>
      <th scope="row">
        <a href={href} onClick={followLink}>
          {pick(lang, metric.name)}
        </a>
      </th>
      <td data-value={day?.value ?? ''}>{day ? formatKpiValue(day, metric.unit, lang, true) : ''}</td>
      <td data-value={month?.value ?? ''}>
        {formatKpiValue(month, metric.unit, lang, true)}
        {yoy && (
          <small className={`m-yoy ${comparisonTone(metric, month?.yoy)}`} data-compare="yoy">
            {t('yoy')} {yoy.text}
          </small>
        )}
      </td>
      <td
        className={budget.kind === 'no_budget' ? 'm-none' : budgetTone(metric, month?.budget)}
        data-value={month?.budget?.attainment ?? ''}
        data-compare="budget"
      >
        {budget.text}
        {hasLanding(metric.id) && (
          <LandingLine landing={landing} metric={metric} kind="month" className="m-landing" short />
        )}
      </td>
    </tr>
  );
}

function MyTasks({ node, user }: { node: string; user: SessionUser }) {
  const t = useT();
  const { lang, org } = useViewContext();
  const mine = useQuery(tasksQuery({ node, mine: true, closed: false }));
  const all = useQuery(tasksQuery({ node, mine: false, closed: false }));
  const tasks = mine.data?.tasks ?? [];
  return (
    <section className="m-section" aria-labelledby="m-tasks">
      <h2 id="m-tasks">
        {t('myOpenTasks')}{' '}
        <span className="m-count" data-count={mine.data ? tasks.length : ''}>
          {mine.data ? tasks.length : '…'}
        </span>
      </h2>
      <ul className="m-tasks">
        {tasks.slice(0, 8).map((task) => (
          <li key={task.id} className={task.overdue ? 'overdue' : undefined}>
            <a href={hrefTo(`/task/${task.id}`)} onClick={followLink}>
              <span className={`m-level ${task.alert.level}`}>{t(task.alert.level)}</span>
              <span className="m-task-text">
                {org.byId.has(task.alert.node.id) ? org.name(task.alert.node.id, lang) : task.alert.node.name}{' '}
                · {task.alert.metric.name ? pick(lang, task.alert.metric.name) : task.alert.metric.id}
              </span>
              <span className="m-task-due">
                {t(`status_${task.status}`)} ·{' '}
                {task.overdue ? t('overdue') : t('dueOn', { date: formatDay(task.due_at).slice(5) })}
              </span>
            </a>
          </li>
        ))}
        {mine.data && tasks.length === 0 && <li className="m-none">{t('noTasks')}</li>}
      </ul>
      {all.data && user.role !== 'special' && (
        <a className="m-more" href={hrefTo(`/board/${node}`, { who: 'all' })} onClick={followLink}>
          {t('openTasksBelow')} {all.data.tasks.length} ›
        </a>
      )}
    </section>
  );
}

/** The units below, by new units this month; a tap opens that unit's report. */
function UnitsBelow({ node, period }: { node: string; period: { from: string; to: string } }) {
  const t = useT();
  const { lang, org, metrics } = useViewContext();
  const metric = metrics.get('new_units');
  const isStore = org.byId.get(node)?.level === 'store';
  const rows = useQuery({
    ...breakdownQuery(node, 'new_units', 'children', period),
    enabled: !!metric && !isStore,
  });
  const shown = useMemo(
    () => rows.data?.rows.filter((r) => org.byId.get(r.id)?.in_scope !== false) ?? [],
    [rows.data, org],
  );
  if (!metric || isStore || shown.length === 0) return null;
  return (
    <section className="m-section" aria-labelledby="m-units">
      <h2 id="m-units">
        {t('childrenRanking')} · {pick(lang, metric.name)}
      </h2>
      <ol className="m-units">
        {shown.map((r) => (
          <li key={r.id}>
            <a href={hrefTo(`/m/${r.id}`)} onClick={followLink} data-node={r.id}>
              <span>{org.name(r.id, lang)}</span>
              <strong>{formatValue(r.value, metric.unit, lang)}</strong>
            </a>
          </li>
        ))}
      </ol>
    </section>
  );
}
