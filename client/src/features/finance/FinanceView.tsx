// Finance and cash-flow risk: stock and turnover, the cash conversion cycle, operating cash flow,
// leverage and overdue receivables (with their ageing on the period's last day and the largest
// overdue documents), and the operating driver tree of gross profit. Comparisons read as
// server/src/contract/compare.ts defines them (through shared/format.ts), never recomputed here.
import './finance.css';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useViewContext, visibleMetrics, type ViewContext } from '../../shared/context.ts';
import { hrefTo, navigate } from '../../shared/router.ts';
import { cashCycleOption, cashFlowOption } from '../../shared/charts/options.ts';
import { KpiCard } from '../../shared/components/KpiCard.tsx';
import { ChartPanel, Panel } from '../../shared/components/Panel.tsx';
import { Loading, QueryState } from '../../shared/components/States.tsx';
import { MetricInfoButton } from '../../shared/components/MetricInfo.tsx';
import { describeBudget, describeComparison, formatKpiValue, formatValue } from '../../shared/format.ts';
import { pick, useT } from '../../shared/i18n.ts';
import { trailingYear } from '../../shared/period.ts';
import { toneOf } from '../../shared/status.ts';
import { timeseriesQuery, useKpi, useMonthly } from '../../shared/metrics/api.ts';
import type { KpiResponse } from '../../shared/metrics/types.ts';
import { ChildrenRanking } from '../../shared/panels/ChildrenRanking.tsx';
import { AgeingPanels, RebateAgeingPanel } from './AgeingPanel.tsx';
import { DRIVER_TREE, treeMetrics, visibleTree, type DriverNode } from './driver-tree.ts';

export const FINANCE_METRICS = [
  'inventory_coefficient',
  'aged_stock_share_90',
  'new_days_supply',
  'stock_value',
  'floorplan_balance',
  'dso',
  'dio',
  'dpo',
  'cash_conversion_cycle',
  'operating_cash_flow',
  'debt_to_asset',
  'current_ratio',
  'overdue_receivables_share',
  'rebate_receivable',
  'rebate_days_outstanding',
] as const;

export default function FinanceView({ node }: { node: string }) {
  const ctx = useViewContext();
  const cards = visibleMetrics(FINANCE_METRICS, ctx.metrics);
  const kpi = useKpi(
    node,
    cards.map((m) => m.id),
    ctx.period,
  );
  const sparks = useMonthly(
    node,
    cards.map((m) => m.id),
    trailingYear(ctx.period),
  );
  const overdue = ctx.metrics.get('overdue_receivables_share');
  const aged = ctx.metrics.get('aged_stock_share_90');
  // Receivables are finance data: a grant without the finance domain is not shown their ageing.
  const receivables = [...ctx.metrics.values()].some((m) => m.domain === 'finance');
  return (
    <div className="view finance" data-view="finance">
      <QueryState query={kpi} height={180}>
        {(data) => (
          <section
            className="kpi-grid"
            aria-label={pick(ctx.lang, { zh: '财务指标', en: 'Finance metrics' })}
          >
            {/* Each card opens its metric across the units below. */}
            {cards.map((m, i) => (
              <KpiCard
                key={m.id}
                metric={m}
                kpi={data.metrics[m.id]}
                compare={ctx.compare}
                spark={sparks[i]}
                href={hrefTo(`/drill/${node}`, { metric: m.id })}
              />
            ))}
          </section>
        )}
      </QueryState>
      <div className="grid-1-1">
        {ctx.metrics.has('operating_cash_flow') && <CashFlowPanel node={node} ctx={ctx} />}
        {ctx.metrics.has('cash_conversion_cycle') && <CashCyclePanel node={node} ctx={ctx} />}
      </div>
      {receivables && <AgeingPanels node={node} ctx={ctx} />}
      {receivables && <RebateAgeingPanel node={node} ctx={ctx} />}
      <div className="grid-1-1">
        {overdue && <ChildrenRanking node={node} metric={overdue} ctx={ctx} view="drill" withTable />}
        {aged && <ChildrenRanking node={node} metric={aged} ctx={ctx} view="drill" withTable />}
      </div>
      <DriverTreePanel node={node} ctx={ctx} />
    </div>
  );
}

function CashFlowPanel({ node, ctx }: { node: string; ctx: ViewContext }) {
  const t = useT();
  const series = useQuery(timeseriesQuery(node, 'operating_cash_flow', trailingYear(ctx.period)));
  const option = useMemo(
    () => series.data && cashFlowOption(series.data.points, { lang: ctx.lang, name: t('cashFlowTrend') }),
    [series.data, ctx.lang, t],
  );
  if (!option)
    return (
      <Panel title={t('cashFlowTrend')}>
        <QueryState query={series} height={280}>
          {() => null}
        </QueryState>
      </Panel>
    );
  return <ChartPanel title={t('cashFlowTrend')} option={option} height={280} />;
}

const CYCLE = ['dio', 'dso', 'dpo', 'cash_conversion_cycle'] as const;

function CashCyclePanel({ node, ctx }: { node: string; ctx: ViewContext }) {
  const t = useT();
  const results = useQueries({
    queries: CYCLE.map((id) => timeseriesQuery(node, id, trailingYear(ctx.period))),
  });
  const failed = results.find((r) => r.isError);
  const [dio, dso, dpo, ccc] = results.map((r) => r.data?.points);
  const option = useMemo(() => {
    if (!dio || !dso || !dpo || !ccc) return null;
    return cashCycleOption(
      dio.map((p, i) => ({
        period: p.period,
        dio: p.value,
        dso: dso[i]?.value ?? null,
        dpo: dpo[i]?.value ?? null,
        ccc: ccc[i]?.value ?? null,
      })),
      {
        lang: ctx.lang,
        names: {
          dio: 'DIO',
          dso: 'DSO',
          dpo: 'DPO',
          ccc: pick(ctx.lang, ctx.metrics.get('cash_conversion_cycle')!.name),
        },
      },
    );
  }, [dio, dso, dpo, ccc, ctx.lang, ctx.metrics]); // recomputed when any series arrives
  if (!option)
    return (
      <Panel title={t('cashCycle')}>
        {failed ? (
          <QueryState query={failed} height={280}>
            {() => null}
          </QueryState>
        ) : (
          <Loading height={280} />
        )}
      </Panel>
    );
  return <ChartPanel title={t('cashCycle')} option={option} height={280} />;
}

function DriverTreePanel({ node, ctx }: { node: string; ctx: ViewContext }) {
  const t = useT();
  const tree = visibleTree(DRIVER_TREE, (id) => ctx.metrics.has(id));
  const ids = treeMetrics(tree ?? { metric: '' }).filter(Boolean);
  const kpi = useKpi(node, ids, ctx.period);
  if (!tree) return null;
  return (
    <Panel title={t('driverTree')} subtitle={t('driverTreeHint')} className="driver-tree-panel">
      <QueryState query={kpi} height={260}>
        {(data) => (
          <div className="driver-tree" role="tree" aria-label={t('driverTree')}>
            <DriverBranch branch={tree} data={data} node={node} ctx={ctx} depth={0} />
          </div>
        )}
      </QueryState>
    </Panel>
  );
}

/**
 * What the departments do not explain: gross profit including rebates minus the departments' gross
 * profits (accessories and other income the DMS does not attribute to a vehicle or an order).
 */
function Remainder({ parent, data, ctx }: { parent: DriverNode; data: KpiResponse; ctx: ViewContext }) {
  const t = useT();
  const value = (id: string) => data.metrics[id]?.value ?? null;
  const parts = (parent.children ?? []).map((c) => value(c.metric));
  const total = value(parent.metric);
  if (
    total === null ||
    parts.some((p) => p === null) ||
    parent.children!.length < DRIVER_TREE.children!.length
  )
    return null;
  const rest = total - parts.reduce((a: number, b) => a + b!, 0);
  return (
    <div className="driver-branch depth-1" role="treeitem">
      <div className="driver-node remainder" data-metric="remainder">
        <span className="driver-name">{t('otherGross')}</span>
        <span className="driver-value">{formatValue(rest, 'yuan', ctx.lang)}</span>
        <span className="driver-compare flat">{t('otherGrossHint')}</span>
      </div>
    </div>
  );
}

function DriverBranch({
  branch,
  data,
  node,
  ctx,
  depth,
}: {
  branch: DriverNode;
  data: KpiResponse;
  node: string;
  ctx: ViewContext;
  depth: number;
}) {
  const t = useT();
  const metric = ctx.metrics.get(branch.metric)!;
  const kpi = data.metrics[branch.metric];
  const budget = describeBudget(kpi?.budget, metric.unit, ctx.lang, true);
  return (
    <div
      className={`driver-branch depth-${depth}`}
      role="treeitem"
      aria-expanded={branch.children?.length ? true : undefined}
    >
      <button
        type="button"
        className="driver-node"
        data-metric={metric.id}
        onClick={() => navigate(hrefTo(`/drill/${node}`, { metric: metric.id }))}
      >
        <span className="driver-name">
          {pick(ctx.lang, metric.name)}
          <MetricInfoButton metric={metric} />
        </span>
        <span className="driver-value">{formatKpiValue(kpi, metric.unit, ctx.lang)}</span>
        <span className={`driver-compare ${toneOf(kpi?.budget?.variance, metric.direction)}`}>
          {budget.kind === 'attainment' ? `${t('vsBudget')} ${budget.text}` : budget.text}
        </span>
        <span className={`driver-compare ${toneOf(kpi?.yoy?.delta, metric.direction)}`}>
          {t('vsLastYear')} {describeComparison(kpi?.yoy, metric, ctx.lang, true).text}
        </span>
      </button>
      {branch.children && branch.children.length > 0 && (
        <div className={`driver-children relation-${branch.relation}`} role="group">
          {branch.children.map((c) => (
            <DriverBranch key={c.metric} branch={c} data={data} node={node} ctx={ctx} depth={depth + 1} />
          ))}
          {branch.relation === 'sum' && <Remainder parent={branch} data={data} ctx={ctx} />}
        </div>
      )}
    </div>
  );
}
