// Forecasts that add up: a node's (a region, a store's brands) is the sum of its members' — stores
// or products — month by month (bottom-up), so the levels never disagree. Its accuracy and its
// intervals are the sum's own: at each backtest origin and step the sum's error is the sum of the
// members' errors, so the node is judged on (and its intervals drawn from) exactly the forecasts it
// shows. A member not backtested from an origin (its history begins after it, or too close to it:
// a store opened since) counts there with no error — it sold nothing or next to nothing then — so
// one young store does not leave its region without intervals.
import { scaleOf } from './accuracy.ts';
import { monthAt, periodKey, type MonthlySeries } from './calendar.ts';
import { withIntervals, type SeriesForecast } from './engine.ts';

export function bottomUp(
  members: readonly { history: MonthlySeries; forecast: SeriesForecast }[],
  nonNegative: boolean,
): SeriesForecast {
  if (!members.length) throw new Error('a sum of no forecasts');
  const first = members[0]!.forecast.points;
  for (const { forecast } of members)
    if (forecast.points[0]?.period !== first[0]?.period || forecast.points.length !== first.length)
      throw new Error('members forecast different months');
  const value = first.map((_, h) => members.reduce((s, m) => s + m.forecast.points[h]!.value, 0));

  // The sum's backtest errors at every origin any member has, step by step.
  const origins = [...new Set(members.flatMap((m) => m.forecast.errors.originsFromEnd))].sort(
    (a, b) => b - a,
  );
  const steps = Math.max(0, ...members.map((m) => m.forecast.errors.errorsByStep.length));
  const errorsByStep = Array.from({ length: steps }, (_, h) =>
    origins.flatMap((k) => {
      // Origin k months before the end forecasts k steps: step h only where h < k.
      if (h >= k) return [];
      return [
        members.reduce((s, m) => {
          const j = m.forecast.errors.originsFromEnd.indexOf(k);
          return s + (j < 0 ? 0 : (m.forecast.errors.errorsByStep[h]?.[j] ?? 0));
        }, 0),
      ];
    }),
  );

  // The sum's history, month by month, for the scale its errors are measured by.
  const history = summed(members.map((m) => m.history));
  const trainEnd = history.values.length - (origins[0] ?? 0);
  const scale = origins.length ? scaleOf(history.values.slice(0, trainEnd)) : null;
  const all = errorsByStep.flat();
  const perStep = (f: (x: number) => number) => {
    const measured = errorsByStep.filter((e) => e.length);
    return measured.reduce((s, e) => s + e.reduce((a, v) => a + f(v), 0) / e.length, 0) / measured.length;
  };
  // What happened over the months each origin forecast (its first min(k, steps) months).
  const n = history.values.length;
  const actual = origins.reduce(
    (s, k) => s + history.values.slice(n - k, n - k + Math.min(k, steps)).reduce((a, v) => a + v, 0),
    0,
  );
  const error = all.reduce((a, v) => a + v, 0);
  return {
    method: 'bottom_up',
    festival: members.some((m) => m.forecast.festival),
    backtest: {
      mase: scale && all.length ? perStep(Math.abs) / scale.mae : null,
      rmsse: scale && all.length ? Math.sqrt(perStep((v) => v * v) / scale.mse) : null,
      bias: all.length && actual > 0 ? error / actual : null,
    },
    points: withIntervals(value, errorsByStep, first[0]!.period, nonNegative),
    errors: { originsFromEnd: origins, errorsByStep, actual },
  };
}

/** Series ending in the same month, summed month by month from the earliest start. */
function summed(series: readonly MonthlySeries[]): MonthlySeries {
  const index = (s: MonthlySeries) => {
    const { year, month } = monthAt(s.start, 0);
    return year * 12 + month - 1;
  };
  const start = Math.min(...series.map(index));
  const length = Math.max(...series.map((s) => index(s) - start + s.values.length));
  const values = Array<number>(length).fill(0);
  for (const s of series) s.values.forEach((v, i) => (values[index(s) - start + i]! += v));
  // (The month `start` months after January of year 0.)
  return { start: periodKey('0000-01', start), values };
}
