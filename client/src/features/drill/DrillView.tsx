// Org drill: one metric across the units one level down (bars, click to go down), and a sortable
// table of those units with the metric's comparisons and attainment beside the domain's key figures.
import { useQueries } from '@tanstack/react-query';
import { useViewContext, visibleMetrics, type ViewContext } from '../../app/context.ts';
import { hrefTo, navigate, useLocation, withParams } from '../../app/router.ts';
import { attainmentOf } from '../../shared/attainment.ts';
import { DataTable, type Column } from '../../shared/components/DataTable.tsx';
import { Panel } from '../../shared/components/Panel.tsx';
import { Empty, ErrorState, Loading } from '../../shared/components/States.tsx';
import { changeOf, formatChange, formatPercent, formatValue } from '../../shared/format.ts';
import { pick, useT } from '../../shared/i18n.ts';
import { kpiQuery } from '../metrics/api.ts';
import type { KpiResponse, MetricInfo } from '../metrics/types.ts';
import { ChildrenRanking, TrendPanel } from '../overview/OverviewView.tsx';

/** Key figures shown beside the chosen metric, by its domain. */
const DOMAIN_COLUMNS: Record<string, string[]> = {
  sales: ['new_units', 'new_gross_per_unit', 'used_units', 'discount_rate'],
  fi: ['finance_penetration', 'insurance_penetration', 'fi_income_per_unit'],
  funnel: ['leads', 'visit_rate', 'visit_to_order_rate'],
  aftersales: ['repair_orders', 'aftersales_revenue', 'revenue_per_ro', 'fixed_absorption'],
  inventory: ['new_stock_units', 'inventory_coefficient', 'aged_stock_share_90', 'new_days_supply'],
  finance: ['revenue', 'net_profit', 'net_margin', 'dso', 'overdue_receivables_share'],
};

const DOMAIN_NAMES: Record<string, { zh: string; en: string }> = {
  sales: { zh: '销售', en: 'Sales' }, fi: { zh: '金融保险', en: 'F&I' }, funnel: { zh: '集客漏斗', en: 'Funnel' },
  aftersales: { zh: '售后配件', en: 'After-sales' }, inventory: { zh: '库存', en: 'Inventory' }, finance: { zh: '财务资金', en: 'Finance' },
};

export function MetricSelect({ value, metrics, onChange }: { value: string; metrics: MetricInfo[]; onChange: (id: string) => void }) {
  const t = useT();
  const { lang } = useViewContext();
  const domains = [...new Set(metrics.map((m) => m.domain))];
  return (
    <label className="metric-select">
      <span>{t('metric')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {domains.map((d) => (
          <optgroup key={d} label={pick(lang, DOMAIN_NAMES[d] ?? { zh: d, en: d })}>
            {metrics.filter((m) => m.domain === d).map((m) => <option key={m.id} value={m.id}>{pick(lang, m.name)}</option>)}
          </optgroup>
        ))}
      </select>
    </label>
  );
}

export default function DrillView({ node }: { node: string }) {
  const ctx = useViewContext();
  const { params } = useLocation();
  const all = [...ctx.metrics.values()];
  const metric = ctx.metrics.get(params.get('metric') ?? '') ?? all[0];
  if (!metric) return <Empty />;
  return (
    <div className="view drill" data-view="drill">
      <div className="view-controls">
        <MetricSelect value={metric.id} metrics={all} onChange={(id) => navigate(withParams({ metric: id }), { replace: true })} />
      </div>
      <div className="grid-1-1">
        <ChildrenRanking node={node} metric={metric} ctx={ctx} view="drill" />
        <TrendPanel node={node} metric={metric} ctx={ctx} />
      </div>
      <ChildrenTable node={node} metric={metric} ctx={ctx} />
    </div>
  );
}

interface Row {
  id: string;
  name: string;
  data: KpiResponse | undefined;
}

function ChildrenTable({ node, metric, ctx }: { node: string; metric: MetricInfo; ctx: ViewContext }) {
  const t = useT();
  const children = ctx.org.children(node).filter((n) => n.in_scope);
  const others = visibleMetrics(DOMAIN_COLUMNS[metric.domain] ?? [], ctx.metrics).filter((m) => m.id !== metric.id);
  const ids = [metric.id, ...others.map((m) => m.id)];
  const results = useQueries({ queries: children.map((c) => kpiQuery(c.node_id, ids, ctx.period)) });

  if (ctx.org.byId.get(node)?.level === 'store') return <Panel title={t('rankingTable')}><Empty message={t('storeIsLeaf')} /></Panel>;
  const failed = results.find((r) => r.isError);
  const name = pick(ctx.lang, metric.name);
  const rows: Row[] = children.map((c, i) => ({ id: c.node_id, name: ctx.org.name(c.node_id, ctx.lang), data: results[i]?.data }));
  const v = (row: Row, id: string) => row.data?.metrics[id]?.value ?? null;
  const main = (row: Row) => row.data?.metrics[metric.id];
  const base = (row: Row) => main(row)?.[ctx.compare as 'yoy' | 'prev']?.value ?? null;

  const columns: Column<Row>[] = [
    { key: 'name', label: t('name'), value: (r) => r.name },
    { key: 'value', label: name, numeric: true, value: (r) => v(r, metric.id), render: (r) => formatValue(v(r, metric.id), metric.unit, ctx.lang) },
    ctx.compare === 'budget'
      ? { key: 'target', label: t('target'), numeric: true, value: (r) => main(r)?.budget?.target ?? null, render: (r) => formatValue(main(r)?.budget?.target, metric.unit, ctx.lang) }
      : { key: 'base', label: t(ctx.compare === 'yoy' ? 'lastYear' : 'prev'), numeric: true, value: base, render: (r) => formatValue(base(r), metric.unit, ctx.lang) },
    ctx.compare === 'budget'
      ? { key: 'attainment', label: t('attainment'), numeric: true, value: (r) => attainmentOf(main(r)?.budget), render: (r) => formatPercent(attainmentOf(main(r)?.budget)) }
      // Sorted and exported as shown: relative, or in points for percentages.
      : { key: 'change', label: t(ctx.compare), numeric: true, value: (r) => changeOf(v(r, metric.id), base(r), metric.unit), render: (r) => formatChange(v(r, metric.id), base(r), metric.unit, ctx.lang) },
    ...others.map((m): Column<Row> => ({ key: m.id, label: pick(ctx.lang, m.name), numeric: true, value: (r) => v(r, m.id), render: (r) => formatValue(v(r, m.id), m.unit, ctx.lang) })),
  ];

  return (
    <Panel title={t('rankingTable')} subtitle={t('drillHint')}>
      {failed ? (
        <ErrorState error={failed.error} retry={() => void failed.refetch()} />
      ) : results.some((r) => r.isPending) ? (
        <Loading height={160} />
      ) : rows.length === 0 ? (
        <Empty />
      ) : (
        <DataTable
          key={`${metric.id}/${ctx.compare}`} // its sort starts afresh when the columns change
          columns={columns}
          rows={rows}
          rowKey={(r) => r.id}
          rowHref={(r) => hrefTo(`/drill/${r.id}`, { metric: metric.id })}
          exportName={`${ctx.org.name(node, ctx.lang)}-${name}-${ctx.period.key}`}
          initialSort={{ key: 'value', dir: metric.direction === 'lower_is_better' ? 'asc' : 'desc' }}
          caption={t('rankingTable')}
        />
      )}
    </Panel>
  );
}
