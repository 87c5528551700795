// The chosen KPI month by month over the last 12 months, with last year, the budget and the
// metric's threshold levels: the overview, the drill and the product view show it. A metric that
// can be forecast has its next 6 months drawn on, with their intervals, when the trend reaches
// the data's last whole month (the forecast's first month is the one after it).
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { trendOption, type ForecastOverlay, type LevelLine } from '../charts/options.ts';
import { ChartPanel, Panel } from '../components/Panel.tsx';
import { QueryState } from '../components/States.tsx';
import type { ViewContext } from '../context.ts';
import { forecastQuery, trendForecastQuery, type ForecastResponse } from '../forecast/api.ts';
import { isComputing } from '../forecast/Computing.tsx';
import { methodName } from '../forecast/forecastable.ts';
import { formatValue } from '../format.ts';
import { pick, translate, useT, type Lang } from '../i18n.ts';
import { trendQuery } from '../metrics/api.ts';
import type { MetricInfo } from '../metrics/types.ts';

/** Whether the backtest measured the forecast's intervals (too short a history has none). */
export const hasIntervals = (forecast: ForecastResponse): boolean =>
  forecast.points.some((p) => p.lo80 !== null);

/** The forecast drawn on a chart: its line named in the legend, with its method in the tooltip. */
export function forecastOverlay(
  forecast: ForecastResponse,
  lang: Lang,
  options: { band95?: boolean } = {},
): ForecastOverlay {
  return {
    points: forecast.points,
    name: translate(lang, 'forecast'),
    tooltipName: translate(lang, 'forecastWithMethod', { method: methodName(forecast.method, lang) }),
    band80: translate(lang, 'band80'),
    band95: options.band95 === false ? undefined : translate(lang, 'band95'),
  };
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
  staff,
}: {
  node: string;
  metric: MetricInfo;
  ctx: ViewContext;
  product?: string;
  /** One person's own figures (no budget line: targets are per store). */
  staff?: string;
}) {
  const t = useT();
  const series = useQuery(trendQuery(node, metric.id, ctx.period, { product, staff }));
  // Asked for beside the actuals, never before them: the actual line draws without waiting.
  const forecastOptions = trendForecastQuery(node, metric, ctx, { product, staff });
  const withForecast = forecastOptions !== null;
  const forecast = useQuery({
    ...(forecastOptions ?? forecastQuery({ metric: metric.id, node })),
    enabled: withForecast,
  });
  const shownForecast = withForecast ? forecast.data : undefined;
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
        forecast: shownForecast && forecastOverlay(shownForecast, ctx.lang),
      }),
    [series.data, shownForecast, metric, ctx.lang, t],
  );
  const title = `${pick(ctx.lang, metric.name)} · ${t('trend')}`;
  const subtitle = !withForecast
    ? undefined
    : isComputing(forecast)
      ? t('forecastPending')
      : shownForecast?.points.length
        ? t(hasIntervals(shownForecast) ? 'trendWithForecast' : 'trendForecastNoIntervals', {
            months: shownForecast.points.length,
          })
        : undefined;
  if (!option)
    return (
      <Panel title={title} className="trend">
        <QueryState query={series} height={300}>
          {() => null}
        </QueryState>
      </Panel>
    );
  return <ChartPanel title={title} subtitle={subtitle} option={option} height={300} className="trend" />;
}
