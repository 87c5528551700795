// A store's people on a person-level metric: the sales consultants on the sales, F&I and funnel
// metrics, the service advisors on the repair-order metrics (the server decides who is listed).
// The drill at a store shows them all (bars and a table); the store's overview the top and bottom
// three. Facts naming nobody known are "unassigned": not ranked, but said, so the people and it add
// up to the store.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { UNASSIGNED_STAFF, type StaffRole } from '../../../../server/src/contract/vocabulary.ts';
import { rankingOption } from '../charts/options.ts';
import { comparisonCells } from '../comparison-cells.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { ChartPanel, Panel } from '../components/Panel.tsx';
import { Empty, QueryState } from '../components/States.tsx';
import type { ViewContext } from '../context.ts';
import { formatValue } from '../format.ts';
import { pick, useT } from '../i18n.ts';
import { peopleQuery } from '../metrics/api.ts';
import type { BreakdownRow, KpiValue, MetricInfo } from '../metrics/types.ts';
import { periodLabel } from '../period.ts';
import { followLink, hrefTo, navigate } from '../router.ts';
import { cardStatus, type Status } from '../status.ts';

interface PersonRow {
  id: string;
  name: string;
  role: StaffRole;
  value: number | null;
  kpi: KpiValue;
  status: Status;
  rank: number | null;
}

/** Whether the metric has figures by person (its breakdowns list `staff`). */
export const isPersonLevel = (metric: MetricInfo) => metric.breakdowns.includes('staff');

/** A person's page: their figures at their store. */
export const personHref = (store: string, staff: string, metric?: string) =>
  hrefTo(`/person/${store}`, { staff, metric });

/** The people ranked best first by the metric's direction (no value last), and the unassigned row. */
function rankPeople(rows: BreakdownRow[], metric: MetricInfo, ctx: ViewContext) {
  const people = rows.filter((r) => r.id !== UNASSIGNED_STAFF);
  const lowerFirst = metric.direction === 'lower_is_better';
  const sorted = [...people].sort((a, b) =>
    a.value === b.value
      ? a.name.localeCompare(b.name)
      : a.value === null
        ? 1
        : b.value === null
          ? -1
          : lowerFirst
            ? a.value - b.value
            : b.value - a.value,
  );
  const ranked: PersonRow[] = sorted.map((r, i) => {
    const kpi: KpiValue = { value: r.value, unit: metric.unit, prev: r.prev, yoy: r.yoy };
    return {
      id: r.id,
      name: r.name,
      role: r.role ?? 'other',
      value: r.value,
      kpi,
      status: cardStatus(metric, kpi, ctx.compare),
      rank: r.value === null ? null : i + 1,
    };
  });
  return { ranked, unassigned: rows.find((r) => r.id === UNASSIGNED_STAFF) ?? null };
}

function UnassignedNote({
  row,
  metric,
  ctx,
}: {
  row: BreakdownRow | null;
  metric: MetricInfo;
  ctx: ViewContext;
}) {
  const t = useT();
  if (!row || !row.value) return null;
  return (
    <p className="unassigned-note" data-unassigned={row.value}>
      {t('unassignedNote', { value: formatValue(row.value, metric.unit, ctx.lang) })}
    </p>
  );
}

/** Every person of the store on the metric: bars (click for the person) and a table. */
export function PeopleRanking({
  store,
  metric,
  ctx,
}: {
  store: string;
  metric: MetricInfo;
  ctx: ViewContext;
}) {
  const t = useT();
  const personLevel = isPersonLevel(metric);
  const query = useQuery({ ...peopleQuery(store, metric.id, ctx.period), enabled: personLevel });
  const people = useMemo(
    () => query.data && rankPeople(query.data.rows, metric, ctx),
    [query.data, metric, ctx],
  );
  const option = useMemo(
    () =>
      people &&
      rankingOption(people.ranked, { unit: metric.unit, lang: ctx.lang, name: pick(ctx.lang, metric.name) }),
    [people, metric, ctx.lang],
  );
  const title = `${t('peopleRanking')} · ${pick(ctx.lang, metric.name)} · ${periodLabel(ctx.period, ctx.lang)}`;
  if (!personLevel)
    return (
      <Panel title={title} className="people">
        <Empty message={t('notPersonLevel', { metric: pick(ctx.lang, metric.name) })} />
      </Panel>
    );
  if (!people || !option)
    return (
      <Panel title={title} className="people">
        <QueryState query={query} height={240}>
          {() => null}
        </QueryState>
      </Panel>
    );
  if (people.ranked.length === 0)
    return (
      <Panel title={title} className="people">
        <Empty message={t('noPeople')} />
        <UnassignedNote row={people.unassigned} metric={metric} ctx={ctx} />
      </Panel>
    );
  const href = (id: string) => personHref(store, id, metric.id);
  return (
    <ChartPanel
      title={title}
      subtitle={t('personHint')}
      option={option}
      height={Math.max(200, 30 * people.ranked.length + 40)}
      onItemClick={(item) => item.id && navigate(href(item.id))}
      className="people"
    >
      <UnassignedNote row={people.unassigned} metric={metric} ctx={ctx} />
      <PeopleTable rows={people.ranked} metric={metric} ctx={ctx} href={href} exportName={title} />
    </ChartPanel>
  );
}

function PeopleTable({
  rows,
  metric,
  ctx,
  href,
  exportName,
}: {
  rows: PersonRow[];
  metric: MetricInfo;
  ctx: ViewContext;
  href: (id: string) => string;
  exportName: string;
}) {
  const t = useT();
  // The chosen comparison, as everywhere (a person's budget is their own target: 目标分解).
  const cmp = comparisonCells(metric, ctx.compare, ctx.lang);
  const columns: Column<PersonRow>[] = [
    {
      key: 'name',
      label: t('name'),
      value: (r) => r.name,
      render: (r) => (
        <>
          <span className={`status-dot ${r.status}`} aria-label={t(r.status)} role="img" /> {r.name}
        </>
      ),
    },
    { key: 'rank', label: t('rankCol'), numeric: true, value: (r) => r.rank },
    { key: 'role', label: t('jobTitle'), value: (r) => t(r.role as StaffRole) },
    {
      key: 'value',
      label: pick(ctx.lang, metric.name),
      numeric: true,
      value: (r) => r.value,
      render: (r) => formatValue(r.value, metric.unit, ctx.lang),
    },
    {
      key: 'compare',
      label: cmp.label,
      numeric: true,
      value: (r) => cmp.text(r.kpi).sort,
      render: (r) => <span className={cmp.tone(r.kpi)}>{cmp.text(r.kpi).text}</span>,
      exportAs: (r) => cmp.text(r.kpi).text,
    },
  ];
  return (
    <DataTable
      key={`${metric.id}/${ctx.compare}`}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.id}
      rowHref={(r) => href(r.id)}
      exportName={exportName}
      caption={t('peopleRanking')}
    />
  );
}

/** The store overview's people panel: the top and bottom three on the chosen metric, and a link to all. */
export function PeoplePanel({ store, metric, ctx }: { store: string; metric: MetricInfo; ctx: ViewContext }) {
  const t = useT();
  const personLevel = isPersonLevel(metric);
  const query = useQuery({ ...peopleQuery(store, metric.id, ctx.period), enabled: personLevel });
  const title = `${t('peoplePanel')} · ${pick(ctx.lang, metric.name)}`;
  if (!personLevel)
    return (
      <Panel title={title} className="people-panel">
        <Empty message={t('notPersonLevel', { metric: pick(ctx.lang, metric.name) })} />
      </Panel>
    );
  return (
    <Panel
      title={title}
      className="people-panel"
      subtitle={
        <a href={hrefTo(`/drill/${store}`, { metric: metric.id })} onClick={followLink}>
          {t('allPeople')}
        </a>
      }
    >
      <QueryState query={query} height={160}>
        {(data) => {
          const { ranked, unassigned } = rankPeople(data.rows, metric, ctx);
          const valued = ranked.filter((r) => r.rank !== null);
          if (valued.length === 0) return <Empty message={t('noPeople')} />;
          const top = valued.slice(0, 3);
          const bottom = valued.length > 3 ? valued.slice(-Math.min(3, valued.length - 3)) : [];
          const list = (rows: PersonRow[], which: 'top' | 'bottom') => (
            <ol className={`people-list ${which}`} data-people={which}>
              {rows.map((r) => (
                <li key={r.id} value={r.rank ?? undefined}>
                  <a href={personHref(store, r.id, metric.id)} onClick={followLink}>
                    {r.name}
                  </a>
                  <span className="num">{formatValue(r.value, metric.unit, ctx.lang)}</span>
                </li>
              ))}
            </ol>
          );
          return (
            <>
              <h3>{t('topPerformers')}</h3>
              {list(top, 'top')}
              {bottom.length > 0 && (
                <>
                  <h3>{t('bottomPerformers')}</h3>
                  {list(bottom, 'bottom')}
                </>
              )}
              <UnassignedNote row={unassigned} metric={metric} ctx={ctx} />
            </>
          );
        }}
      </QueryState>
    </Panel>
  );
}
