// Product drill for the metrics with a product dimension: imported/domestic → brand → series →
// model, at the current org node. The path taken is in the URL (`path=origin:imported|brand:宝马`);
// the deepest step filters the figures.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useViewContext, type ViewContext } from '../../shared/context.ts';
import { followLink, navigate, useLocation, withParams } from '../../shared/router.ts';
import { mixOption, rankingOption } from '../../shared/charts/options.ts';
import type { Comparison } from '../../../../server/src/contract/compare.ts';
import { DataTable, type Column } from '../../shared/components/DataTable.tsx';
import { ChartPanel, Panel } from '../../shared/components/Panel.tsx';
import { Empty, QueryState } from '../../shared/components/States.tsx';
import { describeComparison, formatPercent, formatValue } from '../../shared/format.ts';
import { pick, useT, type Lang } from '../../shared/i18n.ts';
import { periodLabel } from '../../shared/period.ts';
import { comparisonTone } from '../../shared/status.ts';
import { isAdditive } from '../../shared/metrics/additive.ts';
import { breakdownQuery } from '../../shared/metrics/api.ts';
import { brandName } from '../../shared/metrics/names.ts';
import type { BreakdownResponse, MetricInfo } from '../../shared/metrics/types.ts';
import { MetricSelect } from '../../shared/components/MetricSelect.tsx';
import { TrendPanel } from '../../shared/panels/TrendPanel.tsx';

const LEVELS = ['origin', 'brand', 'series', 'model'] as const;

const VALUE_NAMES: Record<string, { zh: string; en: string }> = {
  imported: { zh: '进口', en: 'Imported' },
  domestic: { zh: '国产', en: 'Domestic' },
  ice: { zh: '燃油', en: 'ICE' },
  hev: { zh: '混动', en: 'Hybrid' },
  phev: { zh: '插混', en: 'Plug-in hybrid' },
  bev: { zh: '纯电', en: 'Battery electric' },
};
/** A product group's name in the reader's language: origins, powertrains and brands have English names. */
const valueName = (name: string, lang: Lang, level?: string) =>
  VALUE_NAMES[name] ? pick(lang, VALUE_NAMES[name]) : level === 'brand' ? brandName(name, lang) : name;

export function parseProductPath(raw: string | null): { level: string; value: string; name: string }[] {
  if (!raw) return [];
  return raw
    .split('|')
    .slice(0, LEVELS.length)
    .flatMap((step, i) => {
      const [level, value, ...name] = step.split(':');
      return level !== undefined && level === LEVELS[i] && value
        ? [{ level, value, name: name.length ? name.join(':') : value }]
        : [];
    });
}

const pathParam = (steps: { level: string; value: string; name: string }[]) =>
  steps.length
    ? steps
        .map((s) => (s.name === s.value ? `${s.level}:${s.value}` : `${s.level}:${s.value}:${s.name}`))
        .join('|')
    : null;

export default function ProductView({ node }: { node: string }) {
  const t = useT();
  const ctx = useViewContext();
  const { params } = useLocation();
  const productMetrics = [...ctx.metrics.values()].filter((m) => m.breakdowns.includes('brand'));
  const metric =
    productMetrics.find((m) => m.id === params.get('metric')) ??
    productMetrics.find((m) => m.id === 'new_units') ??
    productMetrics[0];
  const path = parseProductPath(params.get('path'));
  const last = path.at(-1);
  const filter = last ? `${last.level}:${last.value}` : undefined;
  const nextLevel = LEVELS[path.length];

  if (!metric) return <Empty message={t('noProductMetric')} />;
  return (
    <div className="view product" data-view="product">
      <div className="view-controls">
        <MetricSelect
          value={metric.id}
          metrics={productMetrics}
          onChange={(id) => navigate(withParams({ metric: id }), { replace: true })}
        />
        <nav className="breadcrumb product-path" aria-label={t('product')}>
          <ol>
            {[{ level: 'all', value: '', name: t('allProducts') }, ...path].map((step, i) => (
              <li key={step.level} aria-current={i === path.length ? 'page' : undefined}>
                {i < path.length ? (
                  <a href={withParams({ path: pathParam(path.slice(0, i)) })} onClick={followLink}>
                    {i === 0 ? step.name : valueName(step.name, ctx.lang, step.level)}
                  </a>
                ) : (
                  <span>{i === 0 ? step.name : valueName(step.name, ctx.lang, step.level)}</span>
                )}
              </li>
            ))}
          </ol>
        </nav>
      </div>
      {nextLevel ? (
        <LevelBreakdown node={node} metric={metric} ctx={ctx} level={nextLevel} filter={filter} path={path} />
      ) : null}
      <div className="grid-1-1">
        <TrendPanel node={node} metric={metric} ctx={ctx} product={filter} />
        <MixPanel
          node={node}
          metric={metric}
          ctx={ctx}
          level="powertrain"
          filter={filter}
          title={t('powertrainMix')}
        />
      </div>
    </div>
  );
}

function LevelBreakdown({
  node,
  metric,
  ctx,
  level,
  filter,
  path,
}: {
  node: string;
  metric: MetricInfo;
  ctx: ViewContext;
  level: string;
  filter?: string;
  path: { level: string; value: string; name: string }[];
}) {
  const t = useT();
  // The groups with their previous period and last year (budgets are not set by product).
  const query = useQuery(breakdownQuery(node, metric.id, level, ctx.period, filter, true));
  const levelName = t(level as 'origin');
  const canGoDown = LEVELS.indexOf(level as (typeof LEVELS)[number]) < LEVELS.length - 1;
  // One step down: a model's id means nothing to a reader, so its name goes into the URL too.
  const stepHref = (id: string, name: string) =>
    withParams({ path: pathParam([...path, { level, value: id, name: level === 'model' ? name : id }]) });
  const option = useMemo(
    () =>
      query.data &&
      rankingOption(
        query.data.rows
          .slice(0, 25)
          .map((r) => ({ id: r.id, name: valueName(r.name, ctx.lang, level), value: r.value })),
        { unit: metric.unit, lang: ctx.lang, name: pick(ctx.lang, metric.name) },
      ),
    [query.data, metric, ctx.lang, level],
  );
  const title = `${pick(ctx.lang, metric.name)} · ${levelName} · ${periodLabel(ctx.period, ctx.lang)}`;
  const comparisons = { kind: ctx.compare === 'budget' ? ('yoy' as const) : ctx.compare };
  return (
    <>
      <div className="grid-1-1">
        {option ? (
          <ChartPanel
            title={title}
            subtitle={canGoDown ? t('drillHint') : undefined}
            option={option}
            height={Math.max(220, 30 * Math.min(25, query.data!.rows.length) + 40)}
            onItemClick={canGoDown ? (item) => item.id && navigate(stepHref(item.id, item.name)) : undefined}
            className="ranking"
          />
        ) : (
          <Panel title={title}>
            <QueryState query={query} height={220}>
              {() => null}
            </QueryState>
          </Panel>
        )}
        <MixPanel
          node={node}
          metric={metric}
          ctx={ctx}
          level={level}
          filter={filter}
          title={`${t('mix')} · ${levelName}`}
        />
      </div>
      <Panel
        title={`${levelName} · ${t('rankingTable')}`}
        subtitle={ctx.compare === 'budget' ? t('noBudgetByProduct') : undefined}
      >
        <QueryState query={query} isEmpty={(d) => d.rows.length === 0}>
          {(d) => (
            <LevelTable
              data={d}
              metric={metric}
              ctx={ctx}
              level={level}
              rowHref={canGoDown ? stepHref : undefined}
              comparisons={comparisons}
            />
          )}
        </QueryState>
      </Panel>
    </>
  );
}

type LevelRow = BreakdownResponse['rows'][number] & { comparison: Comparison | undefined };

/** The chosen comparison of each group (last year when the budget is chosen, as budgets are not set by product). */
const withComparisons = (rows: BreakdownResponse['rows'], kind: 'prev' | 'yoy'): LevelRow[] =>
  rows.map((r) => ({ ...r, comparison: r[kind] }));

function LevelTable({
  data,
  metric,
  ctx,
  level,
  rowHref,
  comparisons,
}: {
  data: BreakdownResponse;
  metric: MetricInfo;
  ctx: ViewContext;
  level: string;
  rowHref?: (id: string, name: string) => string;
  comparisons: { kind: 'prev' | 'yoy' };
}) {
  const t = useT();
  const additive = isAdditive(metric);
  const rows = useMemo(() => withComparisons(data.rows, comparisons.kind), [data.rows, comparisons.kind]);
  const label = t(comparisons.kind);
  const noData = data.reason === 'no_data';
  const columns: Column<LevelRow>[] = [
    { key: 'name', label: t(level as 'origin'), value: (r) => valueName(r.name, ctx.lang, level) },
    {
      key: 'value',
      label: pick(ctx.lang, metric.name),
      numeric: true,
      value: (r) => r.value,
      render: (r) => (r.value === null && noData ? t('noData') : formatValue(r.value, metric.unit, ctx.lang)),
      exportAs: (r) => r.value ?? (noData ? t('noData') : null),
    },
    ...(additive
      ? [
          {
            key: 'share',
            label: t('share'),
            numeric: true,
            value: (r: LevelRow) => (r.value !== null && data.total ? r.value / data.total : null),
            render: (r: LevelRow) =>
              formatPercent(r.value !== null && data.total ? r.value / data.total : null),
          },
        ]
      : []),
    {
      key: 'compare',
      label,
      numeric: true,
      value: (r) => describeComparison(r.comparison, metric, ctx.lang).sort,
      render: (r) => (
        <span className={comparisonTone(metric, r.comparison)} data-compare={comparisons.kind}>
          {describeComparison(r.comparison, metric, ctx.lang).text}
        </span>
      ),
      exportAs: (r) => describeComparison(r.comparison, metric, ctx.lang).text,
      exportRaw: [
        {
          label: t('exportDelta', { label }),
          format: metric.unit === 'percent' ? 'points' : metric.unit,
          value: (r) => r.comparison?.delta ?? null,
        },
        { label: t('exportChange', { label }), format: 'change', value: (r) => r.comparison?.change ?? null },
      ],
    },
  ];
  return (
    <DataTable<LevelRow>
      key={`${metric.id}/${comparisons.kind}`}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.id}
      rowHref={rowHref ? (r) => rowHref(r.id, r.name) : undefined}
      exportName={`${pick(ctx.lang, metric.name)}-${t(level as 'origin')}-${periodLabel(ctx.period, ctx.lang)}`}
    />
  );
}

/** A donut of shares: of the metric itself when it adds up, else of new vehicles sold (the volume mix). */
function MixPanel({
  node,
  metric,
  ctx,
  level,
  filter,
  title,
}: {
  node: string;
  metric: MetricInfo;
  ctx: ViewContext;
  level: string;
  filter?: string;
  title: string;
}) {
  const volume = isAdditive(metric) ? metric : (ctx.metrics.get('new_units') ?? metric);
  const query = useQuery(breakdownQuery(node, volume.id, level, ctx.period, filter));
  const option = useMemo(
    () =>
      query.data &&
      mixOption(
        query.data.rows.map((r) => ({ ...r, name: valueName(r.name, ctx.lang, level) })),
        { unit: volume.unit, lang: ctx.lang, name: pick(ctx.lang, volume.name) },
      ),
    [query.data, volume, ctx.lang, level],
  );
  const fullTitle = volume === metric ? title : `${title} (${pick(ctx.lang, volume.name)})`;
  if (!option)
    return (
      <Panel title={fullTitle}>
        <QueryState query={query} height={280}>
          {() => null}
        </QueryState>
      </Panel>
    );
  return <ChartPanel title={fullTitle} option={option} height={300} />;
}
