// The forecasting engine's parts, on series worked out by hand (methods, accuracy, the festival)
// and on synthetic series whose truth is known (the engine's choice and intervals).
import { describe, expect, it } from 'vitest';
import { backtest, choose, familyBest, type Backtest } from './accuracy.ts';
import { adjustForFestival } from './calendar.ts';
import { forecastFamily, forecastSeries, type SeriesForecast } from './engine.ts';
import { currentPeriods, forecastOfRest } from './landing.ts';
import { normalQuantile, replenish } from './replenishment.ts';
import { bottomUp } from './hierarchy.ts';
import { forecastFamilyOnAllCores } from './pool.ts';
import { forecastWith } from './methods.ts';

/** Spring Festival months of the years the tests use (2023 Jan 22, 2024 Feb 10, 2025 Jan 29, 2026 Feb 17, 2027 Feb 6). */
const FESTIVAL = new Map([
  [2022, 2],
  [2023, 1],
  [2024, 2],
  [2025, 1],
  [2026, 2],
  [2027, 2],
]);

describe('methods', () => {
  it('naive and seasonal naive repeat the last month and the same month a year before', () => {
    const y = Array.from({ length: 14 }, (_, i) => i + 1); // 1 … 14
    expect(forecastWith('naive', y, 3)).toEqual([14, 14, 14]);
    expect(forecastWith('seasonal_naive', y, 3)).toEqual([3, 4, 5]);
  });

  it('Croston, SBA and TSB as their recursions give by hand', () => {
    // Demand 2 after 2 months, then 4 after 3: size 2 → 2.2, interval 2 → 2.1 (α 0.1).
    const y = [0, 2, 0, 0, 4];
    expect(forecastWith('croston', y, 2)[0]).toBeCloseTo(2.2 / 2.1, 10);
    expect(forecastWith('sba', y, 1)[0]).toBeCloseTo(0.95 * (2.2 / 2.1), 10);
    // TSB: probability 1/2 at the first demand, then 0.45, 0.405, 0.4645; size 2 → 2.2.
    expect(forecastWith('tsb', y, 1)[0]).toBeCloseTo(0.4645 * 2.2, 10);
    expect(forecastWith('croston', [0, 0, 0], 1)).toEqual([0]);
  });

  it('MSTL follows a trend and a yearly season', () => {
    const truth = (i: number) => 100 + 2 * i + 30 * Math.sin((2 * Math.PI * i) / 12);
    const y = Array.from({ length: 36 }, (_, i) => truth(i));
    const forecast = forecastWith('mstl', y, 12);
    forecast.forEach((v, h) => expect(Math.abs(v - truth(36 + h)) / truth(36 + h)).toBeLessThan(0.05));
  });
});

describe('accuracy', () => {
  it('MASE, RMSSE and bias by hand', () => {
    // Origins 6 and 7: the naive says 6 and 7, it was 7 and 8; in-sample naive errors are all 1.
    const [r] = backtest(['naive'], [1, 2, 3, 4, 5, 6, 7, 8], { origins: 2, horizon: 1, minTrain: 6 });
    expect(r!.mase).toBe(1);
    expect(r!.rmsse).toBe(1);
    expect(r!.bias).toBeCloseTo(-2 / 15, 12);
    expect(r!.errorsByStep).toEqual([[-1, -1]]);
    // An origin every other month: 4 and 6 of the last four.
    const [every] = backtest(['naive'], [1, 2, 3, 4, 5, 7, 7, 9], {
      origins: 4,
      horizon: 1,
      minTrain: 4,
      every: 2,
    });
    expect(every!.errorsByStep).toEqual([[-1, 0]]);
  });

  it('never chooses on MASE alone a method whose forecasts are biased', () => {
    const result = (method: Backtest['method'], mase: number, bias: number): Backtest => ({
      method,
      mase,
      rmsse: mase,
      bias,
      festival: false,
      actual: 100,
      originsFromEnd: [],
      errorsByStep: [],
    });
    expect(choose([result('croston', 0.7, -0.6), result('tsb', 0.9, 0.05)]).method).toBe('tsb');
    expect(choose([result('croston', 0.7, -0.6), result('tsb', 0.9, 0.4)]).method).toBe('tsb');
    expect(choose([result('naive', 1.1, 0), result('ets', 0.8, 0.1)]).method).toBe('ets');
    // The family's method holds unless this series' own backtest halves its error.
    const own = [result('ets', 0.8, 0), result('sba', 0.5, 0)];
    expect(choose(own, 'ets').method).toBe('ets');
    expect(choose([result('ets', 0.8, 0), result('sba', 0.3, 0)], 'ets').method).toBe('sba');
    expect(familyBest([own, [result('ets', 0.9, 0), result('sba', 1.5, 0)]])).toBe('ets');
    // The family's method stands on a series where it is biased; a switch must be unbiased itself.
    expect(choose([result('ets', 0.8, 0.5), result('sba', 0.7, 0)], 'ets').method).toBe('ets');
    expect(choose([result('ets', 0.8, 0), result('sba', 0.3, 0.5)], 'ets').method).toBe('ets');
    // A method biased over the whole family (−40% here: −60% on 100, −20% on 100) is never its method.
    expect(
      familyBest([
        [result('sba', 0.5, -0.6), result('tsb', 0.9, 0)],
        [result('sba', 0.5, -0.2), result('tsb', 0.9, 0)],
      ]),
    ).toBe('tsb');
    expect(familyBest([[{ ...result('sba', 0.5, 0), festival: true }, result('sba', 0.6, 0)]])).toBe(
      'sba+festival',
    );
  });
});

describe('the Spring Festival', () => {
  // January's share of January + February: 0.75 and 0.70 in festival-in-January years, 0.60 and
  // 0.55 in festival-in-February years; 0.65 on average.
  const series = {
    start: '2023-01',
    values: [
      [150, 50],
      [120, 80],
      [140, 60],
      [110, 90],
    ].flatMap(([jan, feb]) => [jan!, feb!, ...Array(10).fill(100)]),
  };

  it('splits each year at the average share, and a forecast at its own year’s', () => {
    const { values, restore } = adjustForFestival(series, FESTIVAL);
    expect(values[0]).toBeCloseTo(130, 10);
    expect(values[1]).toBeCloseTo(70, 10);
    expect(values[12]).toBeCloseTo(130, 10);
    expect(values.slice(3, 12)).toEqual(Array(9).fill(100));
    // 2027's festival is in February: 0.575 of a January + February of 200.
    const back = restore('2027-01', [130, 70, 100]);
    expect(back[0]).toBeCloseTo(115, 10);
    expect(back[1]).toBeCloseTo(85, 10);
    expect(back[2]).toBe(100);
    // A flat forecast keeps its January + February whole (200), split as 2027's festival says.
    const flat = restore('2027-01', [100, 100]);
    expect(flat[0]! + flat[1]!).toBeCloseTo(200, 10);
    expect(flat[0]).toBeCloseTo(115, 10);
  });

  it('keeps each year whole when a month sold nothing (a part)', () => {
    const part = { start: '2023-01', values: [0, 10, ...Array(10).fill(1), 6, 4] };
    const { values } = adjustForFestival(part, FESTIVAL);
    // Shares 0 (2023) and 0.6 (2024): average 0.3; each year's 10 kept, split 3 / 7.
    expect(values[0]! + values[1]!).toBeCloseTo(10, 10);
    expect(values[0]).toBeCloseTo(3, 10);
    expect(values[12]! + values[13]!).toBeCloseTo(10, 10);
  });
});

describe('forecastSeries', () => {
  const festival = FESTIVAL;

  it('a seasonal series: beats the seasonal naive in the backtest, and the intervals widen with the horizon', () => {
    const y = Array.from(
      { length: 36 },
      (_, i) => 100 + 2 * i + 30 * Math.sin((2 * Math.PI * i) / 12) + ((i * 7919) % 11) - 5,
    );
    const f = forecastSeries({ start: '2023-11', values: y }, { horizon: 12, nonNegative: true, festival });
    expect(f.points[0]!.period).toBe('2026-11');
    expect(f.points.at(-1)!.period).toBe('2027-10');
    expect(f.backtest.mase!).toBeLessThan(1);
    for (const p of f.points) {
      expect(p.lo95!).toBeLessThanOrEqual(p.lo80!);
      expect(p.lo80!).toBeLessThanOrEqual(p.value);
      expect(p.hi80!).toBeLessThanOrEqual(p.hi95!);
    }
    expect(f.points[11]!.hi95! - f.points[11]!.lo95!).toBeGreaterThan(
      f.points[0]!.hi95! - f.points[0]!.lo95!,
    );
    // No interval narrows further ahead (the last steps have fewer backtest errors to measure by).
    const above = f.points.map((p) => p.hi95! - p.value);
    above.slice(1).forEach((w, h) => expect(w).toBeGreaterThanOrEqual(above[h]! - 1e-9));
  });

  it('an intermittent part: an intermittent method, never below zero', () => {
    const y = Array.from({ length: 36 }, (_, i) => (i % 5 === 2 ? 1 + (i % 3) : 0));
    const f = forecastSeries({ start: '2023-11', values: y }, { horizon: 6, nonNegative: true, festival });
    expect(['croston', 'sba', 'tsb', 'naive', 'seasonal_naive']).toContain(f.method);
    expect(f.method).not.toBe('ets');
    for (const p of f.points) expect(p.lo95!).toBeGreaterThanOrEqual(0);
  });
});

describe('on all cores', () => {
  it('gives the same forecasts as on one thread, the family chosen over every share', async () => {
    const family = Array.from({ length: 240 }, (_, k) => ({
      start: '2024-01',
      values: Array.from({ length: 30 }, (_, i) => ((i * 7 + k) % 5 === 0 ? 1 + (k % 3) : 0)),
    }));
    const options = { horizon: 6, nonNegative: true, festival: FESTIVAL };
    const threaded = await forecastFamilyOnAllCores(family, options, 2);
    expect(threaded).toEqual(forecastFamily(family, options));
    expect(threaded).toHaveLength(240);
  });
});

describe('bottom-up', () => {
  const options = { horizon: 12, nonNegative: true, festival: FESTIVAL };
  const wave = (base: number, i: number) => base + 10 * Math.sin((2 * Math.PI * i) / 12) + ((i * 31) % 7);
  // Two stores from November 2023, one opened in November 2024: all end in October 2026.
  const stores = [
    { start: '2023-11', values: Array.from({ length: 36 }, (_, i) => wave(100, i)) },
    { start: '2023-11', values: Array.from({ length: 36 }, (_, i) => wave(60, i + 3)) },
    { start: '2024-11', values: Array.from({ length: 24 }, (_, i) => wave(30, i)) },
  ];

  it("a node's forecast is its members' summed, judged on the sum's own errors", () => {
    const forecasts = forecastFamily(stores, options);
    const node = bottomUp(
      stores.map((history, i) => ({ history, forecast: forecasts[i]! })),
      true,
    );
    expect(node.method).toBe('bottom_up');
    node.points.forEach((p, h) => {
      expect(p.period).toBe(forecasts[0]!.points[h]!.period);
      expect(p.value).toBeCloseTo(
        forecasts.reduce((s, f) => s + f.points[h]!.value, 0),
        9,
      );
      expect(p.lo95!).toBeLessThanOrEqual(p.value);
    });
    // The origins all three were backtested from; at each, the sum of their errors.
    const common = node.errors.originsFromEnd;
    expect(common.length).toBeGreaterThan(0);
    const k = common[0]!;
    const errorAt = (f: (typeof forecasts)[number], h: number) =>
      f.errors.errorsByStep[h]![f.errors.originsFromEnd.indexOf(k)]!;
    expect(node.errors.errorsByStep[0]![0]).toBeCloseTo(
      forecasts.reduce((s, f) => s + errorAt(f, 0), 0),
      9,
    );
    expect(node.backtest.mase).not.toBeNull();
  });
});

describe('bottom-up with a young store', () => {
  it('counts a member where it was not backtested with no error, so the node keeps its intervals', () => {
    const options = { horizon: 6, nonNegative: true, festival: FESTIVAL };
    const old = { start: '2023-11', values: Array.from({ length: 36 }, (_, i) => 100 + ((i * 37) % 11)) };
    // Opened four months before the end: backtested from the last month or two only.
    const young = { start: '2026-07', values: [5, 9, 12, 14] };
    const [a, b] = [forecastSeries(old, options), forecastSeries(young, options)];
    const node = bottomUp(
      [
        { history: old, forecast: a },
        { history: young, forecast: b },
      ],
      true,
    );
    const first = Math.max(...a.errors.originsFromEnd);
    expect(b.errors.originsFromEnd).not.toContain(first);
    expect(node.errors.originsFromEnd[0]).toBe(first);
    // At the old store's first origin, the sum's error is the old store's alone.
    expect(node.errors.errorsByStep[0]![0]).toBeCloseTo(a.errors.errorsByStep[0]![0]!, 9);
    expect(node.points.every((p) => p.lo80 !== null && p.hi95 !== null)).toBe(true);
  });
});

describe('replenishment and landing, by hand', () => {
  /** A forecast of 30 in November and 62 in December, its one-month-ahead errors 3, −4 and 0. */
  const forecast: SeriesForecast = {
    method: 'sba',
    festival: false,
    backtest: { mase: 1, rmsse: 1, bias: 0 },
    points: [
      { period: '2026-11', value: 30, lo80: null, hi80: null, lo95: null, hi95: null },
      { period: '2026-12', value: 62, lo80: null, hi80: null, lo95: null, hi95: null },
    ],
    errors: { originsFromEnd: [3, 2, 1], errorsByStep: [[3, -4, 0]], actual: 90 },
  };

  it('orders lead-time demand plus safety stock less stock on hand', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    // 45 days from 1 November: November's 30 days (30 × 30/30) and 15 of December's 31 (62 × 15/31).
    const r = replenish(forecast, { asOf: '2026-10-31', leadDays: 45, serviceLevel: 0.95, onHand: 20 });
    expect(r.lead_time_demand).toBeCloseTo(30 + 30, 9);
    // σ = √((9 + 16 + 0) / 3); over 45 days √1.5 of a month's.
    const safety = 1.644854 * Math.sqrt(25 / 3) * Math.sqrt(1.5);
    expect(r.safety_stock).toBeCloseTo(safety, 5);
    expect(r.suggested_order).toBe(Math.ceil(60 + safety - 20)); // 53
    expect(r.obsolete).toBe(false);
    expect(
      replenish(forecast, { asOf: '2026-10-31', leadDays: 10, serviceLevel: 0.95, onHand: 500 })
        .suggested_order,
    ).toBe(0);
    const none = replenish(null, { asOf: '2026-10-31', leadDays: 10, serviceLevel: 0.95, onHand: 4 });
    expect([none.suggested_order, none.obsolete]).toEqual([0, true]);
  });

  it('lands a period on the actual plus the forecast of its days after the data', () => {
    expect(currentPeriods('2026-10-31').map((p) => [p.kind, p.from, p.to])).toEqual([
      ['month', '2026-11-01', '2026-11-30'],
      ['quarter', '2026-10-01', '2026-12-31'],
      ['year', '2026-01-01', '2026-12-31'],
    ]);
    expect(forecastOfRest(forecast, '2026-10-31', { to: '2026-11-30' })).toBe(30);
    expect(forecastOfRest(forecast, '2026-10-31', { to: '2026-12-31' })).toBe(92);
    // Data to 20 November: November's last 10 of 30 days, then December.
    expect(currentPeriods('2026-11-20')[0]).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
    expect(forecastOfRest(forecast, '2026-11-20', { to: '2026-11-30' })).toBeCloseTo(10, 9);
    expect(forecastOfRest(forecast, '2026-11-20', { to: '2026-12-31' })).toBeCloseTo(72, 9);
  });
});
