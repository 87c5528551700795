// The chosen KPI month by month over the last 12 months, with last year, the budget and the
// metric's threshold levels: the overview, the drill and the product view show it.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { trendOption, type LevelLine } from '../charts/options.ts';
import { ChartPanel, Panel } from '../components/Panel.tsx';
import { QueryState } from '../components/States.tsx';
import type { ViewContext } from '../context.ts';
import { formatValue } from '../format.ts';
import { pick, translate, useT, type Lang } from '../i18n.ts';
import { trendQuery } from '../metrics/api.ts';
import type { MetricInfo } from '../metrics/types.ts';

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
    [series.data, metric, ctx.lang, t],
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
