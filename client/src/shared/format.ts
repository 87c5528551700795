// Numbers as people in a dealer group read them: amounts in 元 with 万/亿 in Chinese (¥ with
// K/M/B in English), ratios as percentages, days and turns with their units. What a comparison
// means (change, points, a move across zero, attainment, variance) is decided in
// server/src/contract/compare.ts; this file only puts it into words. A missing value is "—", a
// value outside the data's coverage "无数据 / no data", and nothing that rounds to zero carries a sign.
import {
  round,
  CASH_FLOW_METRICS,
  signMove,
  type BudgetComparison,
  type Comparison,
  type MissingReason,
  type SignMove,
  type Unit,
} from '../../../server/src/contract/compare.ts';
import { translate, type Lang } from './i18n.ts';

export type { Unit };

const DASH = '—';
/** The minus sign of typeset figures (not a hyphen). */
export const MINUS = '−';

/** A whole number grouped by thousands (the same in zh-CN and en-US). Not Intl.NumberFormat: its
 *  format() cost ~18 ms of a page's first draw, where the charts' labels ask for many figures. */
const group = (value: number) => value.toFixed(0).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Whether a formatted figure shows nothing but zeros (so it must not carry a sign). */
const showsZero = (text: string) => !/[1-9]/.test(text);

/** `text` is the magnitude as shown; the sign goes in front unless the magnitude shows as zero. */
const withSign = (negative: boolean, text: string, plus = false) =>
  showsZero(text) ? text : negative ? `${MINUS}${text}` : plus ? `+${text}` : text;

/** An amount in yuan: 1.23亿 / 456.7万 / 8,900 (zh); ¥1.23B / ¥4.57M / ¥8.9K (en). */
export function formatYuan(value: number, lang: Lang, withUnit = true): string {
  const abs = Math.abs(value);
  let text: string;
  if (lang === 'zh') {
    text =
      abs >= 1e8 ? `${(abs / 1e8).toFixed(2)}亿` : abs >= 1e4 ? `${(abs / 1e4).toFixed(1)}万` : group(abs);
    if (withUnit) text += '元';
  } else {
    text = `¥${abs >= 1e9 ? `${(abs / 1e9).toFixed(2)}B` : abs >= 1e6 ? `${(abs / 1e6).toFixed(2)}M` : abs >= 1e4 ? `${(abs / 1e3).toFixed(1)}K` : group(abs)}`;
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

const finite = (value: number | null | undefined): value is number =>
  value !== null && value !== undefined && Number.isFinite(value);

/** A metric's value with its unit. `short` drops the unit word (for axes and tight tables). */
export function formatValue(value: number | null | undefined, unit: Unit, lang: Lang, short = false): string {
  if (!finite(value)) return DASH;
  return withSign(value < 0, magnitude(Math.abs(value), unit, lang, short));
}

/**
 * A KPI's value: "无数据 / no data" when its period lies outside the data's coverage (never a dash
 * that reads like zero), a dash when there is no value for another reason (a ratio without a denominator).
 */
export function formatKpiValue(
  kpi: { value: number | null; reason?: MissingReason } | undefined,
  unit: Unit,
  lang: Lang,
  short = false,
): string {
  if (kpi && kpi.value === null && kpi.reason === 'no_data') return translate(lang, 'noData');
  return formatValue(kpi?.value, unit, lang, short);
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

export const formatPercent = (ratio: number | null | undefined): string =>
  !finite(ratio) ? DASH : withSign(ratio < 0, `${(Math.abs(ratio) * 100).toFixed(1)}%`);

/** How a comparison reads, and the number a table sorts and exports it by (the number shown). */
export interface ComparisonText {
  text: string;
  /** change (fraction) where a relative change is shown; else the delta (points as a fraction, or the unit's amount); null with nothing shown. */
  sort: number | null;
  kind: 'change' | 'points' | 'delta' | 'move' | 'none';
  move: SignMove | null;
}

/**
 * A comparison with the previous period or last year, in words:
 * - a relative change only where compare.ts defines one: +3.2%;
 * - a percentage in points: +1.4个百分点 / +1.4 pp;
 * - money that is or was negative by what happened and the delta: 由盈转亏 −287万元 / turned to loss −¥2.87M;
 * - any other zero or negative base (or a value that went below zero) by the delta: +5台;
 * - without a base or a value: 无可比数据 / no comparable data.
 */
export function describeComparison(
  c: Comparison | undefined,
  metric: { id: string; unit: Unit },
  lang: Lang,
  short = false,
): ComparisonText {
  const { unit } = metric;
  if (!c || c.delta === null || c.value === null)
    return { text: translate(lang, 'noComparable'), sort: null, kind: 'none', move: null };
  const current = round(c.value + c.delta);
  const move = signMove(unit, current, c.value);
  if (move)
    return {
      text: `${translate(lang, CASH_FLOW_METRICS.has(metric.id) ? `cash_${move}` : `move_${move}`)} ${formatDelta(c.delta, unit, lang, short)}`,
      sort: c.delta,
      kind: 'move',
      move,
    };
  if (c.change !== null && current >= 0)
    return { text: formatRelative(c.change), sort: c.change, kind: 'change', move: null };
  if (unit === 'percent')
    return { text: formatPoints(c.delta, lang), sort: c.delta, kind: 'points', move: null };
  return { text: formatDelta(c.delta, unit, lang, short), sort: c.delta, kind: 'delta', move: null };
}

export const formatComparison = (
  c: Comparison | undefined,
  metric: { id: string; unit: Unit },
  lang: Lang,
  short = false,
) => describeComparison(c, metric, lang, short).text;

/** How a budget comparison reads, and the number it sorts by. */
export interface BudgetText {
  text: string;
  sort: number | null;
  kind: 'attainment' | 'variance' | 'no_budget' | 'none';
}

/**
 * Against the budget: attainment where it is defined and the actual is not below zero (95.3%);
 * otherwise the variance in the metric's unit (差额 −287万元 / variance −¥2.87M); no budget or no
 * actual say so.
 */
export function describeBudget(
  b: BudgetComparison | undefined,
  unit: Unit,
  lang: Lang,
  short = false,
): BudgetText {
  if (!b || b.target === null) return { text: translate(lang, 'noBudget'), sort: null, kind: 'no_budget' };
  if (b.variance === null) return { text: translate(lang, 'noComparable'), sort: null, kind: 'none' };
  if (b.attainment !== null && b.attainment >= 0)
    return { text: formatPercent(b.attainment), sort: b.attainment, kind: 'attainment' };
  return {
    text: `${translate(lang, 'variance')} ${formatDelta(b.variance, unit, lang, short)}`,
    sort: b.variance,
    kind: 'variance',
  };
}

export const formatBudget = (b: BudgetComparison | undefined, unit: Unit, lang: Lang, short = false) =>
  describeBudget(b, unit, lang, short).text;
