// The forecast view's figures from the API's answers: totals over the next months, each member's
// row, the actuals from the data's first month, and an earlier forecast month by month against
// what happened. Pure (figures.test.ts).
import type { ForecastMember, ForecastPoint } from '../../shared/forecast/api.ts';
import type { Lang } from '../../shared/i18n.ts';
import type { TimeseriesPoint } from '../../shared/metrics/types.ts';

/** The sum of the forecast's first `months` months; null when it does not reach that far (no history to forecast from). */
export function totalOf(points: readonly Pick<ForecastPoint, 'value'>[], months: number): number | null {
  if (points.length < months) return null;
  return points.slice(0, months).reduce((sum, p) => sum + p.value, 0);
}

export interface MemberRow {
  id: string;
  name: string;
  next3: number | null;
  next12: number | null;
  method: ForecastMember['method'];
  mase: number | null;
  bias: number | null;
}

export const memberRow = (m: ForecastMember, lang: Lang): MemberRow => ({
  id: m.id,
  name: lang === 'en' && m.name_en ? m.name_en : m.name,
  next3: totalOf(m.points, 3),
  next12: totalOf(m.points, 12),
  method: m.method,
  mase: m.backtest.mase,
  bias: m.backtest.bias,
});

/** The months from the first with a figure on (all of them if none has one). */
export function fromFirstFigure<P extends { value: number | null }>(points: readonly P[]): P[] {
  const first = points.findIndex((p) => p.value !== null);
  return points.slice(Math.max(first, 0));
}

export interface PastMonth {
  period: string;
  forecast: number;
  lo80: number | null;
  hi80: number | null;
  /** null where the data has no figure for the month: "no data", never 0. */
  actual: number | null;
  /** (forecast − actual) / actual; null without an actual, or with one of 0 or below (a share of a
   *  loss means nothing: `gap` says the miss in money). */
  error: number | null;
  /** forecast − actual in the metric's unit; null without an actual. */
  gap: number | null;
}

/** An earlier forecast month by month against the actuals of those months. */
export function againstActuals(
  points: readonly ForecastPoint[],
  actuals: readonly Pick<TimeseriesPoint, 'period' | 'value'>[],
): PastMonth[] {
  const actualOf = new Map(actuals.map((a) => [a.period, a.value]));
  return points.map((p) => {
    const actual = actualOf.get(p.period) ?? null;
    return {
      period: p.period,
      forecast: p.value,
      lo80: p.lo80,
      hi80: p.hi80,
      actual,
      error: actual === null || actual <= 0 ? null : (p.value - actual) / actual,
      gap: actual === null ? null : p.value - actual,
    };
  });
}
