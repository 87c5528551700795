import type { CellFormat } from './export.ts';
import type { Compare } from './context.ts';
import { describeBudget, describeComparison } from './format.ts';
import { translate, type Lang } from './i18n.ts';
import type { KpiValue, MetricInfo } from './metrics/types.ts';
import { budgetTone, comparisonTone } from './status.ts';

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
    text: (kpi: KpiValue | undefined) => describeComparison(kpi?.[compare], metric, lang),
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
