// Overview of one org node: KPI cards coloured by the chosen comparison (with a legend of what the
// colours mean), the trend of the chosen KPI against last year, its budget and its threshold
// levels, how the units below rank on it — stores like with like, by store type — with the chosen
// comparison beside each (a store sees its rank among its peers instead), and the open risk alerts.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useViewContext, visibleMetrics, type Compare, type ViewContext } from '../../app/context.ts';
import { followLink, hrefTo, navigate, useLocation, withParams } from '../../app/router.ts';
import { rankingOption, trendOption, type LevelLine } from '../../shared/charts/options.ts';
import { DataTable, type Column } from '../../shared/components/DataTable.tsx';
import { KpiCard } from '../../shared/components/KpiCard.tsx';
import { StatusLegend } from '../../shared/components/Legend.tsx';
import type { CellFormat } from '../../shared/export.ts';
import { ChartPanel, Panel } from '../../shared/components/Panel.tsx';
import { QueryState } from '../../shared/components/States.tsx';
import { describeBudget, describeComparison, formatDelta, formatValue } from '../../shared/format.ts';
import { pick, translate, useT, type Lang } from '../../shared/i18n.ts';
import { periodLabel, trailingYear } from '../../shared/period.ts';
import { budgetTone, cardStatus, comparisonTone, toneOf, type Status } from '../../shared/status.ts';
import { isAdditive } from '../metrics/additive.ts';
import { breakdownQuery, rankQuery, timeseriesQuery, useKpi, useMonthly } from '../metrics/api.ts';
import { isStoreType, peerGroupText, STORE_TYPES, storeTypeName } from '../metrics/names.ts';
import type { BreakdownRow, KpiValue, MetricInfo } from '../metrics/types.ts';
import { OpenAlertsPanel } from '../risk/OpenAlertsPanel.tsx';

/** The overview's cards, in reading order; each user sees those of their domains. */
export const OVERVIEW_METRICS = [
  'new_units',
  'new_gross_incl_rebate_per_unit',
  'used_units',
  'aftersales_revenue',
  'finance_penetration',
  'net_profit',
  'inventory_coefficient',
  'aged_stock_share_90',
  'operating_cash_flow',
  'overdue_receivables_share',
] as const;

export default function OverviewView({ node }: { node: string }) {
  const t = useT();
  const ctx = useViewContext();
  const { params } = useLocation();
  const cards = visibleMetrics(OVERVIEW_METRICS, ctx.metrics);
  const chosen = ctx.metrics.get(params.get('metric') ?? '') ?? cards[0];
  const kpi = useKpi(
    node,
    cards.map((m) => m.id),
    ctx.period,
  );
  // Sparklines are asked for alongside the KPIs, not after them.
  const sparks = useMonthly(
    node,
    cards.map((m) => m.id),
    trailingYear(ctx.period),
  );

  return (
    <div className="view overview" data-view="overview">
      <QueryState query={kpi} height={180}>
        {(data) => (
          <>
            <section className="kpi-section" aria-labelledby="kpi-heading">
              <div className="kpi-head">
                <h2 id="kpi-heading" data-period={ctx.period.key}>
                  {ctx.org.name(node, ctx.lang)} · {periodLabel(ctx.period, ctx.lang)}
                  <span className="kpi-head-compare">
                    {' '}
                    · {t('comparedWith', { compare: t(ctx.compare) })}
                  </span>
                </h2>
              </div>
              <div className="kpi-grid">
                {cards.map((m, i) => (
                  <KpiCard
                    key={m.id}
                    metric={m}
                    kpi={data.metrics[m.id]}
                    compare={ctx.compare}
                    spark={sparks[i]}
                    selected={m.id === chosen?.id}
                    onSelect={() => navigate(withParams({ metric: m.id }), { replace: true })}
                  />
                ))}
              </div>
              {cards.length > 0 && <StatusLegend compare={ctx.compare} />}
            </section>
            {chosen && (
              <div className="grid-2-1">
                <TrendPanel node={node} metric={chosen} ctx={ctx} />
                <OpenAlertsPanel node={node} />
              </div>
            )}
            {chosen && <ChildrenRanking node={node} metric={chosen} ctx={ctx} view="overview" withTable />}
          </>
        )}
      </QueryState>
    </div>
  );
}

/** The metric's own levels on its value (warning, critical), as lines across a trend. */
export function levelLines(metric: MetricInfo, lang: Lang): LevelLine[] {
  const own = metric.thresholds;
  if (!own || own.basis !== 'value') return [];
  const line = (status: 'warning' | 'critical', value: number, label: string): LevelLine => ({
    status,
    value,
    name: `${label} ${formatValue(value, metric.unit, lang)}`,
  });
  if (own.critical === undefined) return [line('warning', own.warning, translate(lang, 'warningLevel'))];
  if (own.critical === own.warning)
    return [
      line(
        'critical',
        own.critical,
        `${translate(lang, 'warningLevel')}/${translate(lang, 'criticalLevel')}`,
      ),
    ];
  return [
    line('warning', own.warning, translate(lang, 'warningLevel')),
    line('critical', own.critical, translate(lang, 'criticalLevel')),
  ];
}

/** The chosen KPI month by month over the last 12 months: last year dashed, the budget dotted, its threshold levels; gaps where there is no data. */
export function TrendPanel({
  node,
  metric,
  ctx,
  product,
}: {
  node: string;
  metric: MetricInfo;
  ctx: ViewContext;
  product?: string;
}) {
  const t = useT();
  const series = useQuery(
    timeseriesQuery(node, metric.id, trailingYear(ctx.period), { product, withYoy: true, withBudget: true }),
  );
  const option = useMemo(
    () =>
      series.data &&
      trendOption(series.data.points, {
        unit: metric.unit,
        lang: ctx.lang,
        actual: t('value'),
        lastYear: t('lastYear'),
        budget: t('budgetLine'),
        levels: levelLines(metric, ctx.lang),
      }),
    [series.data, metric, ctx.lang], // t follows ctx.lang
  );
  const title = `${pick(ctx.lang, metric.name)} · ${t('trend')}`;
  if (!option)
    return (
      <Panel title={title} className="trend">
        <QueryState query={series} height={300}>
          {() => null}
        </QueryState>
      </Panel>
    );
  return <ChartPanel title={title} option={option} height={300} className="trend" />;
}

interface RankedRow {
  id: string;
  name: string;
  storeType: string | null;
  value: number | null;
  kpi: KpiValue | undefined;
  status: Status;
  rank: number | null;
}

/** Sorted best first by the metric's direction, missing values last. */
function byDirection(metric: MetricInfo) {
  const lowerFirst = metric.direction === 'lower_is_better';
  return (a: { value: number | null }, b: { value: number | null }) =>
    a.value === b.value
      ? 0
      : a.value === null
        ? 1
        : b.value === null
          ? -1
          : lowerFirst
            ? a.value - b.value
            : b.value - a.value;
}

/**
 * Which store type a ranking of stores shows (`stype` in the URL): the largest group unless the
 * user chose another, or all of them; null when the units are not stores or all of one type.
 */
export function useStoreTypeFilter(rows: readonly Pick<BreakdownRow, 'store_type'>[] | undefined) {
  const { params } = useLocation();
  const counts = new Map<string, number>();
  for (const r of rows ?? []) if (r.store_type) counts.set(r.store_type, (counts.get(r.store_type) ?? 0) + 1);
  const types = [...counts.keys()].sort(
    (a, b) =>
      counts.get(b)! - counts.get(a)! || STORE_TYPES.indexOf(a as never) - STORE_TYPES.indexOf(b as never),
  );
  if (types.length < 2) return { types, counts, chosen: types[0] ?? null, filtering: false };
  const asked = params.get('stype');
  const chosen = asked === 'all' ? 'all' : asked && counts.has(asked) ? asked : types[0]!;
  return { types, counts, chosen, filtering: true };
}

export function StoreTypeFilter({ filter }: { filter: ReturnType<typeof useStoreTypeFilter> }) {
  const t = useT();
  const { lang } = useViewContext();
  if (!filter.filtering) return null;
  const total = [...filter.counts.values()].reduce((a, b) => a + b, 0);
  const choices = [...filter.types, 'all'];
  return (
    <span className="segmented store-types" role="group" aria-label={t('storeType')}>
      {choices.map((type) => (
        <button
          key={type}
          type="button"
          data-store-type={type}
          aria-pressed={type === filter.chosen}
          className={type === filter.chosen ? 'active' : undefined}
          onClick={() => navigate(withParams({ stype: type }), { replace: true })}
        >
          {type === 'all' ? translate(lang, 'allTypes') : storeTypeName(type, lang)} (
          {type === 'all' ? total : filter.counts.get(type)})
        </button>
      ))}
    </span>
  );
}

/** The chosen comparison of one unit, in words, and the numbers a table sorts and exports it by. */
export function comparisonCells(metric: MetricInfo, compare: Compare, lang: Lang) {
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
    translate(lang, key, vars);
  // A difference is in the metric's unit, or in points for a percentage.
  const deltaFormat: CellFormat = metric.unit === 'percent' ? 'points' : metric.unit;
  if (compare === 'budget') {
    const label = t('attainment');
    return {
      label,
      text: (kpi: KpiValue | undefined) => describeBudget(kpi?.budget, metric.unit, lang),
      raw: [
        {
          label: t('exportShownRaw', { label }),
          format: 'percent' as CellFormat,
          value: (kpi: KpiValue | undefined) => kpi?.budget?.attainment ?? null,
        },
        {
          label: t('exportShownRaw', { label: t('variance') }),
          format: deltaFormat,
          value: (kpi: KpiValue | undefined) => kpi?.budget?.variance ?? null,
        },
      ],
      tone: (kpi: KpiValue | undefined) => budgetTone(metric, kpi?.budget),
    };
  }
  const label = t(compare);
  return {
    label,
    text: (kpi: KpiValue | undefined) => describeComparison(kpi?.[compare], metric.unit, lang),
    raw: [
      {
        label: t('exportDelta', { label }),
        format: deltaFormat,
        value: (kpi: KpiValue | undefined) => kpi?.[compare]?.delta ?? null,
      },
      {
        label: t('exportChange', { label }),
        format: 'change' as CellFormat,
        value: (kpi: KpiValue | undefined) => kpi?.[compare]?.change ?? null,
      },
    ],
    tone: (kpi: KpiValue | undefined) => comparisonTone(metric, kpi?.[compare]),
  };
}

/**
 * The units one level down ranked on the metric, each bar coloured as its card would be for the
 * chosen comparison; click a bar to open that unit. Stores are ranked among their own type.
 * `withTable` adds the units as a table below the chart (rank, figure, the chosen comparison; links
 * for keyboards, and an export). A store sees its rank among its peers.
 */
export function ChildrenRanking({
  node,
  metric,
  ctx,
  view,
  withTable = false,
  withLinks = false,
}: {
  node: string;
  metric: MetricInfo;
  ctx: ViewContext;
  view: 'overview' | 'drill';
  withTable?: boolean;
  /** Only the units as links below the chart (for keyboards), where no table lists them. */
  withLinks?: boolean;
}) {
  const t = useT();
  const level = ctx.org.byId.get(node)?.level;
  const isStore = level === 'store';
  // One request: the units' figures with their comparisons.
  const rows = useQuery({
    ...breakdownQuery(node, metric.id, 'children', ctx.period, undefined, true),
    enabled: !isStore,
  });
  const children = (rows.data?.rows ?? []).filter((r) => ctx.org.byId.get(r.id)?.in_scope !== false);
  const filter = useStoreTypeFilter(children);

  const ranked = useMemo((): RankedRow[] | null => {
    if (!rows.data) return null;
    const shown = children.filter(
      (r) => !filter.filtering || filter.chosen === 'all' || r.store_type === filter.chosen,
    );
    const sorted = [...shown].sort(byDirection(metric));
    return sorted.map((r, i) => {
      const kpi: KpiValue = { value: r.value, unit: metric.unit, prev: r.prev, yoy: r.yoy, budget: r.budget };
      return {
        id: r.id,
        name: ctx.org.name(r.id, ctx.lang),
        storeType: r.store_type ?? null,
        value: r.value,
        kpi,
        status: kpi ? cardStatus(metric, kpi, ctx.compare) : 'no_data',
        rank: r.value === null ? null : i + 1,
      };
    });
  }, [rows.data, metric, ctx.lang, ctx.org, ctx.compare, filter.chosen, filter.filtering]);

  const option = useMemo(() => {
    if (!ranked || !rows.data) return null;
    // The parent's figure is a level among its units only when they do not add up to it.
    const reference =
      !isAdditive(metric) && rows.data.total !== null && !filter.filtering
        ? { value: rows.data.total, label: ctx.org.name(node, ctx.lang) }
        : undefined;
    return rankingOption(ranked, {
      unit: metric.unit,
      lang: ctx.lang,
      name: pick(ctx.lang, metric.name),
      reference,
    });
  }, [ranked, rows.data, metric, ctx.lang, ctx.org, node, filter.filtering]);
  const href = (id: string) => hrefTo(`/${view}/${id}`, { metric: metric.id });

  if (isStore) return <StoreRank node={node} metric={metric} ctx={ctx} />;
  const typeNote =
    filter.chosen && filter.chosen !== 'all' && isStoreType(filter.chosen)
      ? ` · ${storeTypeName(filter.chosen, ctx.lang)}`
      : '';
  const title = `${t('childrenRanking')} · ${pick(ctx.lang, metric.name)}${typeNote} · ${periodLabel(ctx.period, ctx.lang)}`;
  if (!option || !ranked)
    return (
      <Panel title={title} className="ranking">
        <QueryState query={rows} height={240}>
          {() => null}
        </QueryState>
      </Panel>
    );
  return (
    <ChartPanel
      title={title}
      subtitle={
        <>
          {t('drillHint')}
          <StoreTypeFilter filter={filter} />
        </>
      }
      option={option}
      height={Math.max(200, 36 * ranked.length + 40)}
      onItemClick={(item) => item.id && navigate(href(item.id))}
      className="ranking"
    >
      {withLinks && !withTable && (
        <ol className="ranking-links" aria-label={t('rankingTable')}>
          {ranked.map((r) => (
            <li key={r.id}>
              <a href={href(r.id)} onClick={followLink}>
                {r.name}
              </a>{' '}
              {formatValue(r.value, metric.unit, ctx.lang)}
            </li>
          ))}
        </ol>
      )}
      {withTable && (
        <RankingTable
          rows={ranked}
          metric={metric}
          ctx={ctx}
          href={href}
          noData={rows.data?.reason === 'no_data'}
          showType={filter.filtering && filter.chosen === 'all'}
          exportName={title}
        />
      )}
    </ChartPanel>
  );
}

function RankingTable({
  rows,
  metric,
  ctx,
  href,
  noData,
  showType,
  exportName,
}: {
  rows: RankedRow[];
  metric: MetricInfo;
  ctx: ViewContext;
  href: (id: string) => string;
  noData: boolean;
  showType: boolean;
  exportName: string;
}) {
  const t = useT();
  const cmp = comparisonCells(metric, ctx.compare, ctx.lang);
  const name = pick(ctx.lang, metric.name);
  const shownValue = (r: RankedRow) =>
    r.value === null && (noData || r.kpi?.reason === 'no_data')
      ? t('noData')
      : formatValue(r.value, metric.unit, ctx.lang);
  const columns: Column<RankedRow>[] = [
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
    ...(showType
      ? [
          {
            key: 'type',
            label: t('storeType'),
            value: (r: RankedRow) => storeTypeName(r.storeType, ctx.lang),
          },
        ]
      : []),
    {
      key: 'value',
      label: name,
      numeric: true,
      value: (r) => r.value,
      render: shownValue,
      exportAs: (r) => r.value ?? (noData ? t('noData') : null),
    },
    {
      key: 'compare',
      label: cmp.label,
      numeric: true,
      value: (r) => cmp.text(r.kpi).sort,
      render: (r) => (
        <span className={cmp.tone(r.kpi)} data-compare={ctx.compare}>
          {r.kpi ? cmp.text(r.kpi).text : '…'}
        </span>
      ),
      exportAs: (r) => cmp.text(r.kpi).text,
      exportRaw: cmp.raw.map((x) => ({
        label: x.label,
        format: x.format,
        value: (r: RankedRow) => x.value(r.kpi),
      })),
    },
  ];
  return (
    <div className="ranking-table" data-compare={ctx.compare}>
      <DataTable
        key={`${metric.id}/${ctx.compare}`}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        rowHref={(r) => href(r.id)}
        exportName={exportName}
        caption={t('rankingTable')}
      />
    </div>
  );
}

/** A store's place among its like-for-like peers: the group, rank, percentile and the gaps to the median and the top quartile; the peers themselves for a caller who may see them. */
function StoreRank({ node, metric, ctx }: { node: string; metric: MetricInfo; ctx: ViewContext }) {
  const t = useT();
  const ranking = useQuery(rankQuery(node, metric.id, ctx.period));
  return (
    <Panel
      title={`${t('peerRank')} · ${pick(ctx.lang, metric.name)} · ${periodLabel(ctx.period, ctx.lang)}`}
      className="ranking"
    >
      <QueryState query={ranking} height={120}>
        {(r) => (
          <div className="peer-rank" data-rank={r.rank ?? ''} data-of={r.of}>
            <p
              className="peer-group"
              data-store-type={r.peer_group.store_type ?? ''}
              data-brand={r.peer_group.brand ?? ''}
            >
              {peerGroupText(r, ctx.lang)}
            </p>
            <strong>
              {r.rank === null
                ? r.value === null
                  ? t('noData')
                  : '—'
                : t('rankOf', { rank: r.rank, of: r.of })}
            </strong>
            {r.percentile !== null && (
              <>
                <div className="meter" aria-hidden="true">
                  <span style={{ width: `${r.percentile}%` }} />
                </div>
                <span>{t('percentile', { p: `${Math.round(r.percentile)}%` })}</span>
              </>
            )}
            {r.value !== null && (
              <dl className="peer-gaps">
                <div>
                  <dt>{t('value')}</dt>
                  <dd>{formatValue(r.value, metric.unit, ctx.lang)}</dd>
                </div>
                {r.gap.median !== null && (
                  <div>
                    <dt>{t('gapMedian')}</dt>
                    <dd className={toneOf(r.gap.median, metric.direction)} data-gap="median">
                      {formatDelta(r.gap.median, metric.unit, ctx.lang)}
                    </dd>
                  </div>
                )}
                {r.gap.top_quartile !== null && (
                  <div>
                    <dt>{t('gapTopQuartile')}</dt>
                    <dd className={toneOf(r.gap.top_quartile, metric.direction)} data-gap="top_quartile">
                      {formatDelta(r.gap.top_quartile, metric.unit, ctx.lang)}
                    </dd>
                  </div>
                )}
              </dl>
            )}
            {r.peers && r.peers.length > 0 && (
              <table className="peer-list data-table">
                <caption>{t('peerList')}</caption>
                <thead>
                  <tr>
                    <th className="num">{t('rankCol')}</th>
                    <th>{t('name')}</th>
                    <th className="num">{pick(ctx.lang, metric.name)}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.peers.map((p, i) => (
                    <tr key={p.id} className={p.id === node ? 'own' : undefined} data-peer={p.id}>
                      <td className="num">{i + 1}</td>
                      <td>{ctx.org.byId.has(p.id) ? ctx.org.name(p.id, ctx.lang) : p.name}</td>
                      <td className="num">{formatValue(p.value, metric.unit, ctx.lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
      </QueryState>
    </Panel>
  );
}
