// A KPI card: the value, its status from the metric's thresholds, the change against the previous
// period and last year, budget attainment, and a 12-month sparkline.
import { useMemo } from 'react';
import type { Compare } from '../../app/context.ts';
import type { KpiValue, MetricInfo } from '../../features/metrics/types.ts';
import { Chart } from '../charts/Chart.tsx';
import { sparklineOption } from '../charts/options.ts';
import { formatChange, formatPercent, formatValue } from '../format.ts';
import { pick, useLang, useT } from '../i18n.ts';
import { isImprovement, statusOf } from '../status.ts';

export function KpiCard({ metric, kpi, compare, spark, selected, onSelect }: {
  metric: MetricInfo;
  kpi: KpiValue | undefined;
  compare: Compare;
  spark?: { period: string; value: number | null }[];
  selected?: boolean;
  onSelect?: () => void;
}) {
  const t = useT();
  const lang = useLang();
  const status = statusOf(metric.thresholds, kpi);
  const tone = (change: number | null | undefined) => {
    const good = isImprovement(change, metric.direction);
    return good === null ? 'flat' : good ? 'up-good' : 'down-bad';
  };
  const attainment = kpi?.budget?.attainment ?? null;
  const sparkOption = useMemo(() => (spark && spark.length > 1 ? sparklineOption(spark, status) : null), [spark, status]);
  return (
    <button
      type="button"
      className={`kpi-card status-${status}${selected ? ' selected' : ''}`}
      onClick={onSelect}
      aria-pressed={selected}
      data-metric={metric.id}
    >
      <span className="kpi-name">
        <span className={`status-dot ${status}`} aria-label={status === 'none' ? undefined : t(status)} role={status === 'none' ? undefined : 'img'} />
        {pick(lang, metric.name)}
      </span>
      <span className="kpi-value" data-value={kpi?.value ?? ''}>{formatValue(kpi?.value, metric.unit, lang)}</span>
      <span className="kpi-compare">
        <span className={`${tone(kpi?.prev?.change)}${compare === 'prev' ? ' emphasis' : ''}`}>
          {t('prev')} {formatChange(kpi?.value ?? null, kpi?.prev?.value ?? null, metric.unit, lang)}
        </span>
        <span className={`${tone(kpi?.yoy?.change)}${compare === 'yoy' ? ' emphasis' : ''}`}>
          {t('yoy')} {formatChange(kpi?.value ?? null, kpi?.yoy?.value ?? null, metric.unit, lang)}
        </span>
        {kpi?.budget?.target !== null && kpi?.budget?.target !== undefined && (
          <span className={`${attainment === null ? 'flat' : (metric.direction === 'higher_is_better' ? attainment >= 1 : attainment <= 1) ? 'up-good' : 'down-bad'}${compare === 'budget' ? ' emphasis' : ''}`}>
            {t('attainment')} {formatPercent(attainment)}
          </span>
        )}
      </span>
      {sparkOption && (
        <span className="kpi-spark">
          <Chart option={sparkOption} height={36} label={`${pick(lang, metric.name)} ${t('trend')}`} />
        </span>
      )}
    </button>
  );
}
