// A KPI card: the value, its status from the metric's thresholds, the change against the previous
// period and last year, budget attainment, and a 12-month sparkline. A card either chooses the
// view's metric (a toggle button, `onSelect`) or opens another page (a link, `href`).
import { useMemo } from 'react';
import type { Compare } from '../../app/context.ts';
import { followLink } from '../../app/router.ts';
import type { KpiValue, MetricInfo } from '../../features/metrics/types.ts';
import { attainmentIsGood, attainmentOf } from '../attainment.ts';
import { Chart } from '../charts/Chart.tsx';
import { sparklineOption } from '../charts/options.ts';
import { formatChange, formatPercent, formatValue } from '../format.ts';
import { pick, useLang, useT } from '../i18n.ts';
import { isImprovement, statusOf, toneClass } from '../status.ts';

export function KpiCard({ metric, kpi, compare, spark, selected, onSelect, href }: {
  metric: MetricInfo;
  kpi: KpiValue | undefined;
  compare: Compare;
  /** The trailing 12 months, oldest first: the sparkline, and the months that consecutive-period thresholds need. */
  spark?: { period: string; value: number | null }[];
  selected?: boolean;
  onSelect?: () => void;
  href?: string;
}) {
  const t = useT();
  const lang = useLang();
  const status = statusOf(metric.thresholds, kpi, spark?.map((p) => p.value));
  const tone = (change: number | null | undefined) => toneClass(isImprovement(change, metric.direction));
  const attainment = attainmentOf(kpi?.budget);
  const sparkOption = useMemo(() => (spark && spark.length > 1 ? sparklineOption(spark, status) : null), [spark, status]);
  const body = (
    <>
      <span className="kpi-name">
        <span className={`status-dot ${status}`} aria-label={status === 'none' ? undefined : t(status)} role={status === 'none' ? undefined : 'img'} />
        {pick(lang, metric.name)}
      </span>
      <span className="kpi-value" data-value={kpi?.value ?? ''}>{formatValue(kpi?.value, metric.unit, lang)}</span>
      <span className="kpi-compare">
        <span className={`${tone(kpi?.prev?.change)}${compare === 'prev' ? ' emphasis' : ''}`} data-compare="prev">
          {t('prev')} {formatChange(kpi?.value ?? null, kpi?.prev?.value ?? null, metric.unit, lang)}
        </span>
        <span className={`${tone(kpi?.yoy?.change)}${compare === 'yoy' ? ' emphasis' : ''}`} data-compare="yoy">
          {t('yoy')} {formatChange(kpi?.value ?? null, kpi?.yoy?.value ?? null, metric.unit, lang)}
        </span>
        {kpi?.budget?.target !== null && kpi?.budget?.target !== undefined && (
          <span className={`${toneClass(attainmentIsGood(attainment, metric.direction))}${compare === 'budget' ? ' emphasis' : ''}`} data-compare="budget">
            {t('attainment')} {formatPercent(attainment)}
          </span>
        )}
      </span>
      {sparkOption && (
        <span className="kpi-spark">
          <Chart option={sparkOption} height={36} label={`${pick(lang, metric.name)} ${t('trend')}`} />
        </span>
      )}
    </>
  );
  const className = `kpi-card status-${status}${selected ? ' selected' : ''}`;
  if (href) return <a className={className} href={href} onClick={followLink} data-metric={metric.id}>{body}</a>;
  return <button type="button" className={className} onClick={onSelect} aria-pressed={selected} data-metric={metric.id}>{body}</button>;
}
