// Org drill: one metric across the units one level down (bars, click to go down), and a sortable
// table of those units with the chosen comparison (budget, 同比 or 环比, in the words of
// compare.ts) beside the domain's key figures. Stores are listed by store type, like with like.
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useViewContext, type ViewContext } from '../../shared/context.ts';
import { hrefTo, navigate, useLocation, withParams } from '../../shared/router.ts';
import { DataTable, type Column } from '../../shared/components/DataTable.tsx';
import { Panel } from '../../shared/components/Panel.tsx';
import { Empty, ErrorState, Loading } from '../../shared/components/States.tsx';
import { formatKpiValue, formatValue } from '../../shared/format.ts';
import { pick, useT } from '../../shared/i18n.ts';
import { periodLabel } from '../../shared/period.ts';
import type { KpiResponse, MetricInfo } from '../../shared/metrics/types.ts';
import { storeTypeName } from '../../shared/metrics/names.ts';
import { comparisonCells } from '../../shared/comparison-cells.ts';
import { MetricSelect } from '../../shared/components/MetricSelect.tsx';
import { StoreTypeFilter, useStoreTypeFilter } from '../../shared/components/StoreTypeFilter.tsx';
import { ChildrenRanking } from '../../shared/panels/ChildrenRanking.tsx';
import { PeopleRanking } from '../../shared/panels/PeopleRanking.tsx';
import { TrendPanel } from '../../shared/panels/TrendPanel.tsx';
import { childQueries, companionMetrics, drillMetric, prefetchDrill } from './queries.ts';

export default function DrillView({ node }: { node: string }) {
  const ctx = useViewContext();
  const { params } = useLocation();
  const queryClient = useQueryClient();
  const all = [...ctx.metrics.values()];
  const metric = drillMetric(ctx, params);
  if (!metric) return <Empty />;
  const prefetch = (id: string) => void prefetchDrill(queryClient, id, ctx, params);
  // Below a store: its people (sales consultants, service advisors) on the metric.
  const atStore = ctx.org.byId.get(node)?.level === 'store';
  return (
    <div className="view drill" data-view="drill">
      <div className="view-controls">
        <MetricSelect
          value={metric.id}
          metrics={all}
          onChange={(id) => navigate(withParams({ metric: id }), { replace: true })}
        />
      </div>
      {atStore ? (
        <div className="grid-1-1">
          <PeopleRanking store={node} metric={metric} ctx={ctx} />
          <TrendPanel node={node} metric={metric} ctx={ctx} />
        </div>
      ) : (
        <>
          <div className="grid-1-1">
            <ChildrenRanking node={node} metric={metric} ctx={ctx} view="drill" prefetch={prefetch} />
            <TrendPanel node={node} metric={metric} ctx={ctx} />
          </div>
          <ChildrenTable node={node} metric={metric} ctx={ctx} prefetch={prefetch} />
        </>
      )}
    </div>
  );
}

interface Row {
  id: string;
  name: string;
  storeType: string | null;
  data: KpiResponse | undefined;
}

function ChildrenTable({
  node,
  metric,
  ctx,
  prefetch,
}: {
  node: string;
  metric: MetricInfo;
  ctx: ViewContext;
  prefetch: (id: string) => void;
}) {
  const t = useT();
  const children = ctx.org.children(node).filter((n) => n.in_scope);
  const others = companionMetrics(metric, ctx);
  const results = useQueries({ queries: childQueries(node, metric, ctx) });
  // Stores are compared like with like: the same store type as the ranking above.
  const filter = useStoreTypeFilter(children);
  const failed = results.find((r) => r.isError);
  const name = pick(ctx.lang, metric.name);
  const rows: Row[] = children
    .map((c, i) => ({
      id: c.node_id,
      name: ctx.org.name(c.node_id, ctx.lang),
      storeType: c.store_type,
      data: results[i]?.data,
    }))
    .filter((r) => !filter.filtering || filter.chosen === 'all' || r.storeType === filter.chosen);
  const kpi = (row: Row, id: string) => row.data?.metrics[id];
  const v = (row: Row, id: string) => kpi(row, id)?.value ?? null;
  const main = (row: Row) => kpi(row, metric.id);
  const cmp = comparisonCells(metric, ctx.compare, ctx.lang);
  /** A value, or "无数据" where the period lies outside the data's coverage. */
  const valueColumn = (m: MetricInfo, key: string, label: string): Column<Row> => ({
    key,
    label,
    numeric: true,
    value: (r) => v(r, m.id),
    render: (r) => formatKpiValue(kpi(r, m.id), m.unit, ctx.lang),
    exportAs: (r) => v(r, m.id) ?? (kpi(r, m.id)?.reason === 'no_data' ? t('noData') : null),
  });
  const base = (row: Row) =>
    ctx.compare === 'budget'
      ? (main(row)?.budget?.target ?? null)
      : (main(row)?.[ctx.compare]?.value ?? null);

  const columns: Column<Row>[] = [
    { key: 'name', label: t('name'), value: (r) => r.name },
    ...(filter.filtering && filter.chosen === 'all'
      ? [{ key: 'type', label: t('storeType'), value: (r: Row) => storeTypeName(r.storeType, ctx.lang) }]
      : []),
    valueColumn(metric, 'value', name),
    {
      key: 'base',
      label: t(ctx.compare === 'budget' ? 'target' : ctx.compare === 'yoy' ? 'lastYear' : 'prevPeriod'),
      numeric: true,
      value: base,
      render: (r) =>
        ctx.compare === 'budget' && base(r) === null
          ? t('noBudget')
          : formatValue(base(r), metric.unit, ctx.lang),
    },
    // Sorted by the number shown (a change, points, or the delta where no change is defined); exported as shown, with the raw numbers.
    {
      key: 'compare',
      label: cmp.label,
      numeric: true,
      value: (r) => cmp.text(main(r)).sort,
      render: (r) => (
        <span className={cmp.tone(main(r))} data-compare={ctx.compare}>
          {cmp.text(main(r)).text}
        </span>
      ),
      exportAs: (r) => cmp.text(main(r)).text,
      exportRaw: cmp.raw.map((x) => ({
        label: x.label,
        format: x.format,
        value: (r: Row) => x.value(main(r)),
      })),
    },
    ...others.map((m) => valueColumn(m, m.id, pick(ctx.lang, m.name))),
  ];

  return (
    <Panel
      title={`${t('rankingTable')} · ${periodLabel(ctx.period, ctx.lang)}`}
      subtitle={
        <>
          {t('drillHint')}
          <StoreTypeFilter filter={filter} />
        </>
      }
    >
      {failed ? (
        <ErrorState error={failed.error} retry={() => void failed.refetch()} />
      ) : results.some((r) => r.isPending) ? (
        <Loading height={160} />
      ) : rows.length === 0 ? (
        <Empty />
      ) : (
        <DataTable
          key={`${metric.id}/${ctx.compare}/${filter.chosen}`} // its sort starts afresh when the columns change
          columns={columns}
          rows={rows}
          rowKey={(r) => r.id}
          rowHref={(r) => hrefTo(`/drill/${r.id}`, { metric: metric.id })}
          onRowIntent={(r) => prefetch(r.id)}
          exportName={`${ctx.org.name(node, ctx.lang)}-${name}-${periodLabel(ctx.period, ctx.lang)}`}
          initialSort={{ key: 'value', dir: metric.direction === 'lower_is_better' ? 'asc' : 'desc' }}
          caption={t('rankingTable')}
        />
      )}
    </Panel>
  );
}
