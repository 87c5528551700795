// Numbers as people in a dealer group read them: amounts in 元 with 万/亿 in Chinese (¥ with
// K/M/B in English), ratios as percentages, days and turns with their units. null is "—".
import type { Lang } from './i18n.ts';

export type Unit =
  | 'units' | 'count' | 'yuan' | 'yuan_per_unit' | 'yuan_per_ro' | 'yuan_per_hour' | 'hours'
  | 'percent' | 'multiple' | 'days' | 'turns_per_year';

const DASH = '—';

const group = (value: number, digits: number, lang: Lang) =>
  value.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** An amount in yuan: 1.23亿 / 456.7万 / 8,900 (zh); ¥1.23B / ¥4.57M / ¥8.9K (en). */
export function formatYuan(value: number, lang: Lang, withUnit = true): string {
  const abs = Math.abs(value);
  if (lang === 'zh') {
    const text = abs >= 1e8 ? `${(value / 1e8).toFixed(2)}亿` : abs >= 1e4 ? `${(value / 1e4).toFixed(1)}万` : group(value, 0, lang);
    return withUnit ? `${text}元` : text;
  }
  const sign = value < 0 ? '-' : '';
  const text = abs >= 1e9 ? `${(abs / 1e9).toFixed(2)}B` : abs >= 1e6 ? `${(abs / 1e6).toFixed(2)}M` : abs >= 1e4 ? `${(abs / 1e3).toFixed(1)}K` : group(abs, 0, lang);
  return `${sign}¥${text}`;
}

const SUFFIX: Record<Unit, { zh: string; en: string }> = {
  units: { zh: '台', en: '' },
  count: { zh: '', en: '' },
  yuan: { zh: '元', en: '' },
  yuan_per_unit: { zh: '元/台', en: '/unit' },
  yuan_per_ro: { zh: '元/台次', en: '/RO' },
  yuan_per_hour: { zh: '元/工时', en: '/hour' },
  hours: { zh: '工时', en: 'h' },
  percent: { zh: '', en: '' },
  multiple: { zh: '', en: '' },
  days: { zh: '天', en: ' days' },
  turns_per_year: { zh: '次/年', en: '×/yr' },
};

/** A metric's value with its unit. `short` drops the unit word (for axes and tight tables). */
export function formatValue(value: number | null | undefined, unit: Unit, lang: Lang, short = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const suffix = short ? '' : SUFFIX[unit][lang];
  switch (unit) {
    case 'yuan':
      return formatYuan(value, lang, !short);
    case 'yuan_per_unit':
    case 'yuan_per_ro':
    case 'yuan_per_hour':
      return lang === 'zh' ? `${group(value, 0, lang)}${suffix}` : `${value < 0 ? '-' : ''}¥${group(Math.abs(value), 0, lang)}${suffix}`;
    case 'percent':
      return `${(value * 100).toFixed(1)}%`;
    case 'multiple':
      return `${value.toFixed(2)}${short ? '' : '×'}`;
    case 'units':
    case 'count':
      return `${group(value, 0, lang)}${suffix}`;
    case 'days':
    case 'turns_per_year':
      return `${value.toFixed(1)}${suffix}`;
    case 'hours':
      return `${value.toFixed(2)}${suffix}`;
  }
}

/**
 * The change against a base: relative for amounts and counts (0.032 = +3.2%), the difference for
 * percentages (0.014 = +1.4 percentage points), where a relative change of a rate misleads.
 * Tables sort and export this number; formatChange shows it.
 */
export function changeOf(value: number | null, base: number | null, unit: Unit): number | null {
  if (value === null || base === null) return null;
  if (unit === 'percent') return value - base;
  return base === 0 ? null : (value - base) / Math.abs(base);
}

/** The change, signed: +3.2% for amounts and counts, +1.4pp / +1.4个百分点 for percentages. */
export function formatChange(value: number | null, base: number | null, unit: Unit, lang: Lang): string {
  const change = changeOf(value, base, unit);
  if (change === null) return DASH;
  const shown = (change * 100).toFixed(1);
  const sign = change >= 0 ? '+' : '';
  return unit === 'percent' ? `${sign}${shown}${lang === 'zh' ? '个百分点' : 'pp'}` : `${sign}${shown}%`;
}

export const formatPercent = (ratio: number | null | undefined): string =>
  ratio === null || ratio === undefined || !Number.isFinite(ratio) ? DASH : `${(ratio * 100).toFixed(1)}%`;
