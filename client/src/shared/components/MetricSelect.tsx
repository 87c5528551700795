// The metric picker of the drill and product views: the user's metrics, grouped by domain.
import { useViewContext } from '../context.ts';
import { pick, useT } from '../i18n.ts';
import type { MetricInfo } from '../metrics/types.ts';

const DOMAIN_NAMES: Record<string, { zh: string; en: string }> = {
  sales: { zh: '销售', en: 'Sales' },
  fi: { zh: '金融保险', en: 'F&I' },
  funnel: { zh: '集客漏斗', en: 'Funnel' },
  aftersales: { zh: '售后配件', en: 'After-sales' },
  inventory: { zh: '库存', en: 'Inventory' },
  finance: { zh: '财务资金', en: 'Finance' },
};

/** One metric among `metrics`, grouped by domain. */
export function MetricSelect({
  value,
  metrics,
  onChange,
}: {
  value: string;
  metrics: MetricInfo[];
  onChange: (id: string) => void;
}) {
  const t = useT();
  const { lang } = useViewContext();
  const domains = [...new Set(metrics.map((m) => m.domain))];
  return (
    <label className="metric-select">
      <span>{t('metric')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {domains.map((d) => (
          <optgroup key={d} label={pick(lang, DOMAIN_NAMES[d] ?? { zh: d, en: d })}>
            {metrics
              .filter((m) => m.domain === d)
              .map((m) => (
                <option key={m.id} value={m.id}>
                  {pick(lang, m.name)}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
