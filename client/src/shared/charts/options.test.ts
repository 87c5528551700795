import { describe, expect, it } from 'vitest';
import { cashCycleOption, cashFlowOption, COLORS, mixOption, rankingOption, trendOption } from './options.ts';

describe('chart options', () => {
  it('draws the trend and last year as two lines over the same months', () => {
    const option = trendOption(
      [
        { period: '2026-09', value: 10, yoy: 8 },
        { period: '2026-10', value: 12, yoy: null },
      ],
      { unit: 'yuan', lang: 'zh', actual: '实际', lastYear: '去年同期' },
    );
    expect(option.xAxis.data).toEqual(['2026-09', '2026-10']);
    expect(option.series[0]!.data).toEqual([10, 12]);
    expect(option.series[1]!.data).toEqual([8, null]);
    expect(option.yAxis.axisLabel.formatter(12345)).toBe('1.2万');
  });

  it('leaves months without data as gaps (null, never 0, never joined) and draws the budget and threshold levels', () => {
    const option = trendOption(
      [
        { period: '2026-07', value: null, yoy: null, target: 0.2 },
        { period: '2026-08', value: 0.18, yoy: null, target: 0.2 },
        { period: '2026-09', value: 0.21, yoy: 0.19, target: null },
      ],
      {
        unit: 'percent',
        lang: 'en',
        actual: 'Actual',
        lastYear: 'Last year',
        budget: 'Budget',
        levels: [
          { value: 0.15, name: 'Warning level 15.0%', status: 'warning' },
          { value: 0.25, name: 'Critical level 25.0%', status: 'critical' },
        ],
      },
    );
    expect(option.series.map((x) => x.name)).toEqual([
      'Actual',
      'Last year',
      'Budget',
      'Warning level 15.0%',
      'Critical level 25.0%',
    ]);
    expect(option.series[0]!.data).toEqual([null, 0.18, 0.21]);
    expect(option.series.every((x) => !('connectNulls' in x) || x.connectNulls === false)).toBe(true);
    expect(option.series[2]!.data).toEqual([0.2, 0.2, null]);
    expect(option.series[3]!.data).toEqual([0.15, 0.15, 0.15]);
    expect(option.legend.data).toContain('Budget');
    // Without targets (a product filter), no budget line.
    expect(
      trendOption([{ period: '2026-09', value: 1 }], {
        unit: 'units',
        lang: 'zh',
        actual: 'a',
        lastYear: 'b',
        budget: 'c',
      }).series.map((x) => x.name),
    ).toEqual(['a', 'b']);
  });

  it('puts the first ranking row at the top and keeps ids for drilling', () => {
    const option = rankingOption(
      [
        { id: 'D1', name: '豪华', value: 30, status: 'critical' },
        { id: 'D2', name: '合资', value: 20 },
      ],
      { unit: 'units', lang: 'zh', name: '新车销量' },
    );
    expect(option.yAxis.data).toEqual(['合资', '豪华']);
    expect(option.series[0]!.data.map((d) => d.id)).toEqual(['D2', 'D1']);
    expect(option.series[0]!.data[1]!.itemStyle.color).toBe(COLORS.critical);
    expect('markLine' in option.series[0]!).toBe(false);
  });

  it('leaves zero and missing values out of a mix', () => {
    const option = mixOption(
      [
        { id: 'a', name: 'A', value: 3 },
        { id: 'b', name: 'B', value: 0 },
        { id: 'c', name: 'C', value: null },
      ],
      { unit: 'units', lang: 'en', name: 'mix' },
    );
    expect(option.series[0]!.data).toEqual([{ id: 'a', name: 'A', value: 3 }]);
  });

  it('colours negative cash flow red', () => {
    const option = cashFlowOption(
      [
        { period: '2026-09', value: -1 },
        { period: '2026-10', value: 2 },
      ],
      { lang: 'zh', name: 'OCF' },
    );
    expect(option.series[0]!.data.map((d) => d.itemStyle.color)).toEqual([COLORS.critical, COLORS.good]);
  });

  it('draws payables days below the axis in the cash cycle', () => {
    const option = cashCycleOption([{ period: '2026-10', dio: 50, dso: 20, dpo: 30, ccc: 40 }], {
      lang: 'zh',
      names: { dio: 'DIO', dso: 'DSO', dpo: 'DPO', ccc: 'CCC' },
    });
    expect(option.series.map((s) => s.data[0])).toEqual([50, 20, -30, 40]);
  });
});
