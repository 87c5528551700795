// The written commentary's sentences, put together from figures only (never free text): every
// number in them is a figure of an explanation or a bridge, formatted as the screens format it
// (contract/numbers.ts), and a comparison reads as contract/compare.ts defines it — no relative
// change on a zero or negative base (the money delta and 由盈转亏 instead), percentages in points.
import {
  CASH_FLOW_METRICS,
  compareWith,
  compareWithTarget,
  round,
  signMove,
  type SignMove,
} from '../contract/compare.ts';
import type { BridgeResponse, ExplainResponse } from '../contract/explain.ts';
import type { Bilingual, Unit } from '../contract/metrics.ts';
import { formatDelta, formatRelative, formatValue } from '../contract/numbers.ts';

export type { Lang } from '../contract/numbers.ts';
import type { Lang } from '../contract/numbers.ts';
type Sentence = (lang: Lang) => string;

/** Both languages of a sentence. */
export const bilingual = (sentence: Sentence): Bilingual => ({ zh: sentence('zh'), en: sentence('en') });

/** The parts of a list joined as each language joins them. */
const list = (parts: string[], lang: Lang) => parts.join(lang === 'zh' ? '、' : ', ');

/** A unit's name in the language, where it has one in English. */
const nameIn = (unit: { name: string; name_en?: string | null }, lang: Lang) =>
  (lang === 'en' && unit.name_en) || unit.name;

/** A share as a whole percentage (63%). */
const share = (fraction: number) => `${(fraction * 100).toFixed(0)}%`;

const MOVES: Record<SignMove, Bilingual> = {
  turned_to_loss: { zh: '由盈转亏', en: 'turned to a loss' },
  turned_to_profit: { zh: '扭亏为盈', en: 'turned to a profit' },
  loss_widened: { zh: '亏损扩大', en: 'loss widened' },
  loss_narrowed: { zh: '亏损收窄', en: 'loss narrowed' },
};
const CASH_MOVES: Record<SignMove, Bilingual> = {
  turned_to_loss: { zh: '由净流入转为净流出', en: 'turned to a net outflow' },
  turned_to_profit: { zh: '转为净流入', en: 'turned to a net inflow' },
  loss_widened: { zh: '净流出扩大', en: 'net outflow widened' },
  loss_narrowed: { zh: '净流出收窄', en: 'net outflow narrowed' },
};

const AGAINST: Record<'prev' | 'yoy', Bilingual> = {
  prev: { zh: '环比', en: 'on the previous period' },
  yoy: { zh: '同比', en: 'on last year' },
};

export interface Named {
  id: string;
  name: Bilingual;
  unit: Unit;
}

/**
 * A value against its base: "同比 −12.0%（−410台）", "同比由盈转亏（−287万元）", "同比 +1.4个百分点";
 * the English puts the comparison after ("−12.0% on last year (−410 units)").
 */
export function versus(metric: Named, value: number, base: number, compare: 'prev' | 'yoy', lang: Lang) {
  const c = compareWith(metric.unit, value, base);
  const delta = formatDelta(c.delta!, metric.unit, lang);
  const move = signMove(metric.unit, value, base);
  const words = AGAINST[compare][lang];
  if (move) {
    const moved = (CASH_FLOW_METRICS.has(metric.id) ? CASH_MOVES : MOVES)[move][lang];
    return lang === 'zh' ? `${words}${moved}（${delta}）` : `${moved} ${words} (${delta})`;
  }
  if (c.delta === 0) return lang === 'zh' ? `${words}持平` : `unchanged ${words}`;
  const figure = c.change !== null && value >= 0 ? `${formatRelative(c.change)}（${delta}）` : delta;
  return lang === 'zh' ? `${words} ${figure}` : `${figure.replace('（', ' (').replace('）', ')')} ${words}`;
}

/** Against a budget: "预算完成 95.3%（−61台）", or the variance where attainment means nothing. */
export function versusBudget(metric: Named, value: number, target: number, lang: Lang) {
  const b = compareWithTarget(value, target);
  const variance = formatDelta(b.variance!, metric.unit, lang);
  if (b.attainment !== null && b.attainment >= 0) {
    const attained = `${(b.attainment * 100).toFixed(1)}%`;
    return lang === 'zh' ? `预算完成 ${attained}（${variance}）` : `${attained} of budget (${variance})`;
  }
  return lang === 'zh' ? `较预算 ${variance}` : `${variance} against budget`;
}

/**
 * The units that explain most of a change: the biggest movers the same way (up to three, each at
 * least a tenth of it), and the biggest the other way if it offsets a tenth or more:
 * "华南区 −260台（占变动 63%）、华东区 −120台（29%）；华北区 +50台部分抵消"; empty when no unit
 * stands out. Without shares (rates against their targets, which do not add up), the three
 * furthest off the same way.
 */
export function movers(
  unit: Unit,
  delta: number,
  rows: {
    name: string;
    name_en?: string | null;
    contribution: number | null;
    share_of_delta: number | null;
  }[],
  lang: Lang,
  /** Against a budget the change is the gap to it. */
  gap = false,
): string {
  if (!delta) return '';
  const known = rows.filter((r): r is typeof r & { contribution: number } => r.contribution !== null);
  const big = (r: (typeof known)[number]) => r.share_of_delta === null || Math.abs(r.share_of_delta) >= 0.1;
  const same = known.filter((r) => Math.sign(r.contribution) === Math.sign(delta) && big(r)).slice(0, 3);
  const against = known.find(
    (r) => Math.sign(r.contribution) === -Math.sign(delta) && r.share_of_delta !== null && big(r),
  );
  // Shares only where each is within the change: beyond it (units moving against each other) they
  // read as noise, and one left out would make the next look like the first.
  const withShares = same.every((r) => r.share_of_delta !== null && r.share_of_delta <= 1);
  const parts = same.map((r, i) => {
    const shown = `${nameIn(r, lang)} ${formatDelta(r.contribution, unit, lang)}`;
    if (!withShares) return shown;
    const of = share(r.share_of_delta!);
    const whole = gap ? { zh: '占差额 ', en: ' of the gap' } : { zh: '占变动 ', en: ' of the change' };
    return lang === 'zh'
      ? `${shown}（${i === 0 ? whole.zh : ''}${of}）`
      : `${shown} (${of}${i === 0 ? whole.en : ''})`;
  });
  if (!parts.length) return '';
  let text = list(parts, lang);
  if (against) {
    const shown = `${nameIn(against, lang)} ${formatDelta(against.contribution, unit, lang)}`;
    text += lang === 'zh' ? `；${shown}部分抵消` : `, partly offset by ${shown}`;
  }
  return text;
}

/** An explanation in a sentence: the change against its base and the units that explain it. */
export function explanationText(metric: Named, r: Omit<ExplainResponse, 'text'>): Bilingual {
  return bilingual((lang) => {
    const name = metric.name[lang];
    if (r.value === null) return lang === 'zh' ? `${name}：本期无数据。` : `${name}: no data for the period.`;
    const value = formatValue(r.value, metric.unit, lang);
    if (r.base === null) {
      const missing = r.compare === 'budget' ? ['无预算', 'no budget'] : ['无可比数据', 'no comparable data'];
      return lang === 'zh' ? `${name} ${value}，${missing[0]}。` : `${name} ${value}, ${missing[1]}.`;
    }
    const head =
      r.compare === 'budget'
        ? versusBudget(metric, r.value, r.base, lang)
        : versus(metric, r.value, r.base, r.compare, lang);
    // Without a decomposition (rates against budget), each unit's own distance from its target.
    const rows = r.children.map((c) =>
      r.decomposition === 'none' ? { ...c, contribution: c.delta, share_of_delta: null } : c,
    );
    const units = movers(metric.unit, r.delta!, rows, lang, r.compare === 'budget');
    const why = units ? (lang === 'zh' ? `，其中${units}` : `; ${units}`) : '';
    return lang === 'zh' ? `${name} ${value}，${head}${why}。` : `${name} ${value}, ${head}${why}.`;
  });
}

/** A bridge's steps that explain most of what it shows, biggest first: "销量影响 −300万元、单车毛利影响 −520万元". */
export function bridgeSteps(
  steps: { label: Bilingual; value: number }[],
  total: number,
  lang: Lang,
  count = 2,
): string {
  const chosen = steps
    .filter((s) => Math.sign(s.value) === Math.sign(total) && Math.abs(s.value) >= 0.1 * Math.abs(total))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
    .slice(0, count);
  return list(
    chosen.map((s) => `${s.label[lang]} ${formatDelta(s.value, 'yuan', lang)}`),
    lang,
  );
}

/** The steps of a composition bridge as changes against its base (what moved the figure). */
export function stepChanges(b: BridgeResponse): { label: Bilingual; value: number }[] {
  return b.steps.flatMap((s) =>
    s.base === null || s.base === undefined ? [] : [{ label: s.label, value: round(s.value - s.base) }],
  );
}
