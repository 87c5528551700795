// How the units one level down rank on a metric (a store: its rank among its peers): the
// overview, the drill and the finance view show it.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { rankingOption } from '../charts/options.ts';
import { comparisonCells } from '../comparison-cells.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { ChartPanel, Panel } from '../components/Panel.tsx';
import { QueryState } from '../components/States.tsx';
import { StoreTypeFilter, useStoreTypeFilter } from '../components/StoreTypeFilter.tsx';
import type { ViewContext } from '../context.ts';
import { formatDelta, formatValue } from '../format.ts';
import { pick, useT } from '../i18n.ts';
import { isAdditive } from '../metrics/additive.ts';
import { childrenRankingQuery, rankQuery } from '../metrics/api.ts';
import { isStoreType, peerGroupText, storeTypeName } from '../metrics/names.ts';
import type { KpiValue, MetricInfo } from '../metrics/types.ts';
import { periodLabel } from '../period.ts';
import { followLink, hrefTo, navigate } from '../router.ts';
import { cardStatus, toneOf, type Status } from '../status.ts';

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
 * The units one level down ranked on the metric, each bar coloured as its card would be for the
 * chosen comparison; click a bar to open that unit. Stores are ranked among their own type.
 * `withTable` adds the units as a table below the chart (rank, figure, the chosen comparison; links
 * for keyboards, and an export). A store sees its rank among its peers. `prefetch` is called with a
 * unit the pointer or the focus rests on, so its page is on its way before the click.
 */
export function ChildrenRanking({
  node,
  metric,
  ctx,
  view,
  withTable = false,
  withLinks = false,
  prefetch,
}: {
  node: string;
  metric: MetricInfo;
  ctx: ViewContext;
  view: 'overview' | 'drill';
  withTable?: boolean;
  /** Only the units as links below the chart (for keyboards), where no table lists them. */
  withLinks?: boolean;
  prefetch?: (id: string) => void;
}) {
  const t = useT();
  const level = ctx.org.byId.get(node)?.level;
  const isStore = level === 'store';
  // One request: the units' figures with their comparisons.
  const rows = useQuery({
    ...childrenRankingQuery(node, metric.id, ctx.period),
    enabled: !isStore,
  });
  const children = useMemo(
    () => (rows.data?.rows ?? []).filter((r) => ctx.org.byId.get(r.id)?.in_scope !== false),
    [rows.data, ctx.org],
  );
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
  }, [rows.data, children, metric, ctx.lang, ctx.org, ctx.compare, filter.chosen, filter.filtering]);

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
      onItemHover={(item) => item.id && prefetch?.(item.id)}
      className="ranking"
    >
      {withLinks && !withTable && (
        <ol className="ranking-links" aria-label={t('rankingTable')}>
          {ranked.map((r) => (
            <li key={r.id}>
              <a
                href={href(r.id)}
                onClick={followLink}
                onMouseEnter={() => prefetch?.(r.id)}
                onFocus={() => prefetch?.(r.id)}
              >
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
          prefetch={prefetch}
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
  prefetch,
  noData,
  showType,
  exportName,
}: {
  rows: RankedRow[];
  metric: MetricInfo;
  ctx: ViewContext;
  href: (id: string) => string;
  prefetch?: (id: string) => void;
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
        onRowIntent={prefetch && ((r) => prefetch(r.id))}
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
