// One wall page: big-number tiles against target (with the month's landing, 预计完成, where the
// metric has one), the map of China coloured by a KPI, the units below ranked, and the trend.
// Every panel keeps its last figures while they are fetched again.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useAppData } from '../../shared/context.ts';
import { Chart } from '../../shared/charts/Chart.tsx';
import {
  describeBudget,
  describeComparison,
  formatDelta,
  formatKpiValue,
  formatValue,
} from '../../shared/format.ts';
import { pick, useLang, useT } from '../../shared/i18n.ts';
import { LandingLine } from '../../shared/components/LandingLine.tsx';
import { landingQuery } from '../../shared/forecast/api.ts';
import { landingKind, landingMetrics, type LandingKind } from '../../shared/forecast/landing.ts';
import { landingOf, type Landing } from '../../shared/forecast/use-landing.ts';
import { trailingYear, type Period } from '../../shared/period.ts';
import { budgetTone, cardStatus, comparisonTone, toneOf, valueStatus } from '../../shared/status.ts';
import { breakdownQuery, kpiQuery, rankQuery, timeseriesQuery } from '../../shared/metrics/api.ts';
import type { KpiValue, MetricInfo, RankResponse } from '../../shared/metrics/types.ts';
import { peerGroupText } from '../../shared/metrics/names.ts';
import type { WallPage } from './pages.ts';
import { mapOption, wallRankingOption, wallTrendOption } from './wall-options.ts';

/**
 * The queries a page reads (the next page is prefetched with them). A store has no units below: it
 * shows its peer rank. When a load moves the period on, the old figures stay until the new ones
 * are in (keepPreviousData), so the screen never blanks.
 */
export function pageQueries(page: WallPage, period: Period, isStore: boolean) {
  const keep = { placeholderData: keepPreviousData };
  return {
    kpi: { ...kpiQuery(page.node, page.tiles, period), ...keep },
    provinces: { ...breakdownQuery(page.node, page.map, 'province', period), ...keep },
    ranking: { ...breakdownQuery(page.node, page.rank, 'children', period), ...keep, enabled: !isStore },
    peerRank: { ...rankQuery(page.node, page.rank, period), ...keep, enabled: isStore },
    trend: { ...timeseriesQuery(page.node, page.trend, trailingYear(period), { withYoy: true }), ...keep },
    // A refusal (a kiosk token the server does not yet let read /api/landing) is not asked again
    // at every rotation: only after the next load.
    landing: {
      ...landingQuery(page.node, landingMetrics(page.tiles)),
      ...keep,
      retryOnMount: false,
      enabled: landingMetrics(page.tiles).length > 0,
    },
  };
}

/** The wall's scale: 1 at 1920×1080, 2 at 3840×2160 (the root font size that wall.css sets, over 16 px). */
function useWallScale(): number {
  const read = () => parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 || 1;
  const [scale, setScale] = useState(read);
  useEffect(() => {
    const update = () => setScale(read());
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, []);
  return scale;
}

export function WallBody({ page, period }: { page: WallPage; period: Period }) {
  const { metrics, orgIndex } = useAppData();
  const isStore = orgIndex.byId.get(page.node)?.level === 'store';
  const queries = pageQueries(page, period, isStore);
  const kpi = useQuery(queries.kpi);
  const provinces = useQuery(queries.provinces);
  const ranking = useQuery(queries.ranking);
  const peerRank = useQuery(queries.peerRank);
  const trend = useQuery(queries.trend);
  const landing = landingOf(useQuery(queries.landing));
  const s = useWallScale();
  const metric = (id: string) => metrics.get(id)!;
  return (
    <main className="wall-body">
      <Tiles
        tiles={page.tiles.map(metric)}
        values={kpi.data?.metrics}
        landing={landing}
        kind={landingKind(period.kind)}
      />
      <MapPanel node={page.node} metric={metric(page.map)} rows={provinces.data?.rows} s={s} />
      <div className="wall-side">
        {isStore ? (
          <PeerRank metric={metric(page.rank)} rank={peerRank.data} />
        ) : (
          <RankingPanel metric={metric(page.rank)} rows={ranking.data?.rows} s={s} />
        )}
        <TrendPanel metric={metric(page.trend)} points={trend.data?.points} s={s} />
      </div>
    </main>
  );
}

/**
 * Six big numbers against the budget: the value, the target with attainment where it is defined
 * (the variance where the budget is zero or negative), the landing where the metric has one, 同比
 * and 环比 in compare.ts's words. A tile's colour is its card's for the budget (the metric's own
 * levels included).
 */
function Tiles({
  tiles,
  values,
  landing,
  kind,
}: {
  tiles: MetricInfo[];
  values: Record<string, KpiValue> | undefined;
  landing: Landing;
  kind: LandingKind;
}) {
  const withLanding = new Set(landingMetrics(tiles.map((m) => m.id)));
  const t = useT();
  const lang = useLang();
  return (
    <section className="wall-tiles" aria-label={t('wallOperations')}>
      {tiles.map((m) => {
        const kpi = values?.[m.id];
        const budget = describeBudget(kpi?.budget, m.unit, lang);
        const target = kpi?.budget?.target ?? null;
        const attainment = budget.kind === 'attainment' ? kpi!.budget!.attainment! : null;
        const status = kpi ? cardStatus(m, kpi, 'budget') : 'no_data';
        const shown = formatKpiValue(kpi, m.unit, lang);
        return (
          <div key={m.id} className={`wall-tile status-${status}`} data-metric={m.id} data-status={status}>
            <span className="tile-name">{pick(lang, m.name)}</span>
            <span className={`tile-value${shown.length > 8 ? ' long' : ''}`} data-value={kpi?.value ?? ''}>
              {shown}
            </span>
            {target !== null ? (
              <>
                <span className="tile-target">
                  {t('target')} {formatValue(target, m.unit, lang)}
                  <b className={budgetTone(m, kpi?.budget)} data-compare="budget">
                    {' '}
                    {budget.text}
                  </b>
                </span>
                {attainment !== null && (
                  <span className="tile-bar" aria-hidden="true">
                    <span style={{ width: `${Math.min(100, Math.max(0, attainment * 100))}%` }} />
                  </span>
                )}
              </>
            ) : (
              <span className="tile-target">
                {t('target')} · {t('noBudget')}
              </span>
            )}
            {withLanding.has(m.id) && (
              <LandingLine landing={landing} metric={m} kind={kind} className="tile-landing" />
            )}
            <span className="tile-compare">
              {(['yoy', 'prev'] as const).map((c) => (
                <span key={c} className={comparisonTone(m, kpi?.[c])} data-compare={c}>
                  {t(c)} {describeComparison(kpi?.[c], m, lang).text}
                </span>
              ))}
            </span>
          </div>
        );
      })}
    </section>
  );
}

/** The map's code and shapes load once, on the first page that draws it. */
function useChinaMap() {
  const [centres, setCentres] = useState<Map<string, [number, number]> | null>(null);
  useEffect(() => {
    let live = true;
    void import('./china-map.ts').then((m) => live && setCentres(m.PROVINCE_CENTRES));
    return () => {
      live = false;
    };
  }, []);
  return centres;
}

function MapPanel({
  node,
  metric,
  rows,
  s,
}: {
  node: string;
  metric: MetricInfo;
  rows: { id: string; value: number | null }[] | undefined;
  s: number;
}) {
  const t = useT();
  const lang = useLang();
  const { orgIndex } = useAppData();
  const centres = useChinaMap();
  const stores = useMemo(() => {
    const count = new Map<string, number>();
    for (const n of orgIndex.byId.values()) {
      if (n.level === 'store' && n.province && orgIndex.chain(n.node_id).some((a) => a.node_id === node))
        count.set(n.province, (count.get(n.province) ?? 0) + 1);
    }
    return count;
  }, [orgIndex, node]);
  const option = useMemo(
    () =>
      centres &&
      rows &&
      mapOption({
        rows,
        stores,
        centres,
        unit: metric.unit,
        lang,
        name: pick(lang, metric.name),
        direction: metric.direction,
        s,
        storesLabel: (n) => t('wallStores', { n }),
      }),
    [centres, rows, stores, metric, lang, s, t],
  );
  const title = t('wallMap', { metric: pick(lang, metric.name) });
  return (
    <section className="wall-panel wall-map" data-panel="map" aria-label={title}>
      <h2>{title}</h2>
      <div className="wall-chart">{option && <Chart option={option} height="100%" label={title} />}</div>
    </section>
  );
}

function RankingPanel({
  metric,
  rows,
  s,
}: {
  metric: MetricInfo;
  rows: { id: string; value: number | null }[] | undefined;
  s: number;
}) {
  const t = useT();
  const lang = useLang();
  const { orgIndex } = useAppData();
  const option = useMemo(() => {
    if (!rows) return null;
    const lowerFirst = metric.direction === 'lower_is_better';
    const sorted = [...rows].sort((a, b) =>
      a.value === null ? 1 : b.value === null ? -1 : lowerFirst ? a.value - b.value : b.value - a.value,
    );
    return wallRankingOption(
      sorted.map((r) => ({
        id: r.id,
        name: orgIndex.name(r.id, lang),
        value: r.value,
        status: valueStatus(metric, r.value),
      })),
      { unit: metric.unit, lang, s },
    );
  }, [rows, metric, orgIndex, lang, s]);
  const title = `${t('childrenRanking')} · ${pick(lang, metric.name)}`;
  return (
    <section className="wall-panel" data-panel="ranking" aria-label={title}>
      <h2>{title}</h2>
      <div className="wall-chart">{option && <Chart option={option} height="100%" label={title} />}</div>
    </section>
  );
}

function PeerRank({ metric, rank }: { metric: MetricInfo; rank: RankResponse | undefined }) {
  const t = useT();
  const lang = useLang();
  const title = `${t('peerRank')} · ${pick(lang, metric.name)}`;
  return (
    <section className="wall-panel" data-panel="ranking" aria-label={title}>
      <h2>{title}</h2>
      <div className="wall-peer-rank">
        {rank && <em>{peerGroupText(rank, lang)}</em>}
        <strong>{rank?.rank ? t('rankOf', { rank: rank.rank, of: rank.of }) : '—'}</strong>
        <span>{formatValue(rank?.value, metric.unit, lang)}</span>
        {rank && rank.gap.median !== null && (
          <small>
            {t('gapMedian')}{' '}
            <b className={toneOf(rank.gap.median, metric.direction)}>
              {formatDelta(rank.gap.median, metric.unit, lang)}
            </b>
            {rank.gap.top_quartile !== null && (
              <>
                {' '}
                · {t('gapTopQuartile')}{' '}
                <b className={toneOf(rank.gap.top_quartile, metric.direction)}>
                  {formatDelta(rank.gap.top_quartile, metric.unit, lang)}
                </b>
              </>
            )}
          </small>
        )}
      </div>
    </section>
  );
}

function TrendPanel({
  metric,
  points,
  s,
}: {
  metric: MetricInfo;
  points: { period: string; value: number | null; yoy?: number | null }[] | undefined;
  s: number;
}) {
  const t = useT();
  const lang = useLang();
  const option = useMemo(
    () =>
      points &&
      wallTrendOption(points, { unit: metric.unit, lang, s, actual: t('value'), lastYear: t('lastYear') }),
    [points, metric, lang, s, t],
  );
  const title = `${pick(lang, metric.name)} · ${t('trend')}`;
  return (
    <section className="wall-panel" data-panel="trend" aria-label={title}>
      <h2>{title}</h2>
      <div className="wall-chart">{option && <Chart option={option} height="100%" label={title} />}</div>
    </section>
  );
}
