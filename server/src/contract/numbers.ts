// Figures in words, as people in a dealer group read them — amounts in 元 with 万/亿 in Chinese
// (¥ with K/M/B in English), differences signed with a typeset minus, nothing that rounds to zero
// with a sign. Shared by the client's screens and the server's written commentary, so a number in
// a sentence reads exactly as on the card beside it.
import type { Unit } from './compare.ts';

export type Lang = 'zh' | 'en';

const DASH = '—';
/** The minus sign of typeset figures (not a hyphen). */
export const MINUS = '−';

/** A whole number grouped by thousands (the same in zh-CN and en-US). Not Intl.NumberFormat: its
 *  format() cost ~18 ms of a page's first draw, where the charts' labels ask for many figures. */
const group = (value: number) => value.toFixed(0).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Whether a formatted figure shows nothing but zeros (so it must not carry a sign). */
const showsZero = (text: string) => !/[1-9]/.test(text);

/** `text` is the magnitude as shown; the sign goes in front unless the magnitude shows as zero. */
export const withSign = (negative: boolean, text: string, plus = false) =>
  showsZero(text) ? text : negative ? `${MINUS}${text}` : plus ? `+${text}` : text;

/** An amount in yuan: 1.23亿 / 456.7万 / 8,900 (zh); ¥1.23B / ¥4.57M / ¥45.6K / ¥8,900 (en). The unit
 *  is chosen after rounding, so 99,999,999 reads 1.00亿, not 10000.0万. */
export function formatYuan(value: number, lang: Lang, withUnit = true): string {
  const abs = Math.abs(value);
  /** Whether `abs` in units of `size`, rounded to `digits`, reaches 1 of `next` (10,000 万 = 1 亿). */
  const reaches = (size: number, digits: number, next: number) =>
    Number((abs / size).toFixed(digits)) >= next / size;
  let text: string;
  if (lang === 'zh') {
    text =
      abs >= 1e8 || reaches(1e4, 1, 1e8)
        ? `${(abs / 1e8).toFixed(2)}亿`
        : abs >= 1e4
          ? `${(abs / 1e4).toFixed(1)}万`
          : group(abs);
    if (withUnit) text += '元';
  } else {
    const scaled =
      abs >= 1e9 || reaches(1e6, 2, 1e9)
        ? `${(abs / 1e9).toFixed(2)}B`
        : abs >= 1e6 || reaches(1e3, 1, 1e6)
          ? `${(abs / 1e6).toFixed(2)}M`
          : abs >= 1e4
            ? `${(abs / 1e3).toFixed(1)}K`
            : group(abs);
    text = `¥${scaled}`;
  }
  return withSign(value < 0, text);
}

const SUFFIX: Record<Unit, { zh: string; en: string }> = {
  units: { zh: '台', en: ' units' },
  count: { zh: '', en: '' },
  yuan: { zh: '元', en: '' },
  yuan_per_unit: { zh: '元/台', en: '/unit' },
  yuan_per_ro: { zh: '元/台次', en: '/RO' },
  yuan_per_hour: { zh: '元/工时', en: '/hour' },
  hours: { zh: '工时', en: ' h' },
  percent: { zh: '', en: '' },
  multiple: { zh: '', en: '' },
  days: { zh: '天', en: ' days' },
  turns_per_year: { zh: '次/年', en: '×/yr' },
};

/** The magnitude of a value with its unit, unsigned. */
function magnitude(abs: number, unit: Unit, lang: Lang, short: boolean): string {
  const suffix = short ? '' : SUFFIX[unit][lang];
  switch (unit) {
    case 'yuan':
      return formatYuan(abs, lang, !short);
    case 'yuan_per_unit':
    case 'yuan_per_ro':
    case 'yuan_per_hour':
      return lang === 'zh' ? `${group(abs)}${suffix}` : `¥${group(abs)}${suffix}`;
    case 'percent':
      return `${(abs * 100).toFixed(1)}%`;
    case 'multiple':
      return `${abs.toFixed(2)}${short ? '' : '×'}`;
    case 'units':
    case 'count':
      return `${group(abs)}${suffix}`;
    case 'days':
    case 'turns_per_year':
      return `${abs.toFixed(1)}${suffix}`;
    case 'hours':
      return `${abs.toFixed(2)}${suffix}`;
  }
}

/** A difference in the metric's unit, always signed: +12台, −287万元, −¥2.87M; 0 without a sign. */
export function formatDelta(delta: number, unit: Unit, lang: Lang, short = false): string {
  if (unit === 'percent') return formatPoints(delta, lang);
  return withSign(delta < 0, magnitude(Math.abs(delta), unit, lang, short), true);
}

/** A difference of percentages, in points: +1.4个百分点 / +1.4 pp (0.014 = 1.4 points). */
export function formatPoints(delta: number, lang: Lang): string {
  return `${withSign(delta < 0, (Math.abs(delta) * 100).toFixed(1), true)}${lang === 'zh' ? '个百分点' : ' pp'}`;
}

/** A relative change: +3.2%, −12.5%; 0.0% without a sign. */
export function formatRelative(change: number): string {
  return withSign(change < 0, `${(Math.abs(change) * 100).toFixed(1)}%`, true);
}

/** A metric's value with its unit. `short` drops the unit word (for axes and tight tables). */
export function formatValue(value: number | null | undefined, unit: Unit, lang: Lang, short = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return withSign(value < 0, magnitude(Math.abs(value), unit, lang, short));
}
