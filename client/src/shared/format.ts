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
import {
  formatDelta,
  formatPoints,
  formatRelative,
  formatValue,
  withSign,
} from '../../../server/src/contract/numbers.ts';
import { translate, type Lang } from './i18n.ts';

export type { Unit };
export {
  formatDelta,
  formatPoints,
  formatRelative,
  formatValue,
  formatYuan,
  MINUS,
} from '../../../server/src/contract/numbers.ts';

const DASH = '—';

const finite = (value: number | null | undefined): value is number =>
  value !== null && value !== undefined && Number.isFinite(value);

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
