// The landing (预计完成) of a metric as the cards, the wall and the phone report show it: the
// /api/landing period of the kind the user reads (a custom range reads as its year), its words
// and its colour. The colour is the card's budget colour (compare.ts budgetStatus) with the
// landing in place of the actual, so a landing under budget reads as a result under budget would.
// Pure: the request is use-landing.ts's.
import { compareWithTarget } from '../../../../server/src/contract/compare.ts';
import type { LandingPeriod, LandingResponse } from '../../../../server/src/contract/forecast.ts';
import { LANDING_METRICS } from '../../../../server/src/contract/vocabulary.ts';
import { describeBudget, formatValue } from '../format.ts';
import { translate, type Lang } from '../i18n.ts';
import type { MetricInfo } from '../metrics/types.ts';
import type { PeriodKind } from '../period.ts';
import { budgetTone, type Tone } from '../status.ts';

export type LandingItem = LandingResponse['items'][number];
export type LandingKind = LandingPeriod['kind'];

const LANDING: ReadonlySet<string> = new Set(LANDING_METRICS);

/** Whether the metric has a landing (its store forecasts are computed after every load). */
export const hasLanding = (id: string): boolean => LANDING.has(id);

/** The metrics among `ids` that have a landing, in their order. */
export const landingMetrics = (ids: readonly string[]): string[] => ids.filter(hasLanding);

/** The landing period that goes with the period the user reads: a custom range reads as its year. */
export const landingKind = (kind: PeriodKind): LandingKind => (kind === 'custom' ? 'year' : kind);

export interface LandingText {
  /** The line: "2026年Q4预计完成 97.0%", or "2026年11月预计 2,531台" without a target. */
  text: string;
  /** The figures behind it: actual to date, forecast of the rest, landing and target. */
  title: string;
  tone: Tone;
  period: LandingPeriod;
}

/**
 * The landing of `kind` in words; null where there is none (the period began before the data).
 * `short`: the phone's form — the month or quarter without its year, figures without their unit.
 */
export function describeLanding(
  item: LandingItem | undefined,
  kind: LandingKind,
  metric: Pick<MetricInfo, 'unit' | 'direction' | 'thresholds'>,
  lang: Lang,
  short = false,
): LandingText | null {
  const period = item?.periods.find((p) => p.kind === kind);
  if (!item || !period || period.landing === null) return null;
  const value = (x: number | null) => formatValue(x, metric.unit, lang);
  const label = short ? shortLabel(period, lang) : period.label[lang];
  const budget = compareWithTarget(period.landing, period.target);
  // As the cards read a result: attainment, or the gap where attainment means nothing (a loss
  // against a profit budget), or the landing itself without a budget.
  const against = describeBudget(budget, metric.unit, lang, short);
  const text =
    against.kind === 'attainment'
      ? translate(lang, short ? 'landingShort' : 'landingAttainment', { period: label, figure: against.text })
      : against.kind === 'variance'
        ? translate(lang, short ? 'landingShort' : 'landingValue', { period: label, figure: against.text })
        : translate(lang, short ? 'landingShort' : 'landingValue', {
            period: label,
            figure: formatValue(period.landing, metric.unit, lang, short),
          });
  const title = translate(lang, 'landingTitle', {
    period: period.label[lang],
    landing: value(period.landing),
    dataTo: item.data_to,
    actual: value(period.actual),
    forecast: value(period.forecast),
    target: period.target === null ? translate(lang, 'noBudget') : value(period.target),
  });
  return { text, title, tone: budgetTone(metric, budget), period };
}

/** 11月 / Nov, Q4, 2026年 / 2026: the phone's column has room for little more than the figure. */
function shortLabel(period: LandingPeriod, lang: Lang): string {
  const [year, month] = period.from.split('-').map(Number) as [number, number];
  if (period.kind === 'month')
    return translate(lang, 'landingMonth', {
      n: month,
      name: new Date(year, month - 1, 1).toLocaleString('en-US', { month: 'short' }),
    });
  if (period.kind === 'quarter') return `Q${Math.ceil(month / 3)}`;
  return translate(lang, 'landingYear', { n: year });
}
