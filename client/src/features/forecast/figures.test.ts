import { describe, expect, it } from 'vitest';
import { againstActuals, fromFirstFigure, memberRow, totalOf } from './figures.ts';

const point = (period: string, value: number) => ({
  period,
  value,
  lo80: value - 1,
  hi80: value + 1,
  lo95: value - 2,
  hi95: value + 2,
});

describe('forecast figures', () => {
  it('totals the next months, and says nothing where the forecast does not reach', () => {
    const points = [point('2026-11', 10), point('2026-12', 20), point('2027-01', 30.5)];
    expect(totalOf(points, 1)).toBe(10);
    expect(totalOf(points, 3)).toBe(60.5);
    expect(totalOf(points, 12)).toBeNull();
    expect(totalOf([], 1)).toBeNull();
  });

  it('names a member in the page’s language and carries its method and backtest', () => {
    const m = {
      id: 'R1',
      name: '华东区',
      name_en: 'East',
      method: 'bottom_up' as const,
      festival: true,
      backtest: { mase: 0.8, rmsse: 0.9, bias: -0.02 },
      points: [point('2026-11', 1), point('2026-12', 2), point('2027-01', 3)],
    };
    expect(memberRow(m, 'en')).toEqual({
      id: 'R1',
      name: 'East',
      next3: 6,
      next12: null,
      method: 'bottom_up',
      mase: 0.8,
      bias: -0.02,
    });
    expect(memberRow({ ...m, name_en: null }, 'en').name).toBe('华东区');
  });

  it('draws the actuals from the data’s first month, gaps after it kept', () => {
    const months = [
      { period: '2026-06', value: null },
      { period: '2026-07', value: 3 },
      { period: '2026-08', value: null },
      { period: '2026-09', value: 4 },
    ];
    expect(fromFirstFigure(months).map((m) => m.period)).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(fromFirstFigure([{ period: '2026-06', value: null }])).toHaveLength(1);
  });

  it('sets an earlier forecast against the actuals: no data is no data, never an error of −100%', () => {
    const rows = againstActuals(
      [point('2026-05', 110), point('2026-06', 90), point('2026-07', 5), point('2026-08', -50)],
      [
        { period: '2026-05', value: 100 },
        { period: '2026-06', value: null },
        { period: '2026-07', value: 0 },
        { period: '2026-08', value: -40 },
      ],
    );
    // A loss: the miss in money, not a share of the loss.
    expect(rows.map((r) => [r.period, r.forecast, r.actual, r.error, r.gap])).toEqual([
      ['2026-05', 110, 100, 0.1, 10],
      ['2026-06', 90, null, null, null],
      ['2026-07', 5, 0, null, 5],
      ['2026-08', -50, -40, null, -10],
    ]);
    expect(rows[0]).toMatchObject({ lo80: 109, hi80: 111 });
  });
});
