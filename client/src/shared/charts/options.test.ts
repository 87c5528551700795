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

  it('draws a forecast after the actuals: its line on from the last actual, its bands from its first month', () => {
    const option = trendOption(
      [
        { period: '2026-09', value: 10, yoy: 9 },
        { period: '2026-10', value: 12, yoy: 11 },
      ],
      {
        unit: 'units',
        lang: 'zh',
        actual: '实际',
        lastYear: '去年同期',
        forecast: {
          points: [
            { period: '2026-11', value: 13, lo80: 11, hi80: 15, lo95: 10, hi95: 16 },
            { period: '2026-12', value: 14, lo80: null, hi80: null, lo95: null, hi95: null },
          ],
          name: '预测',
          tooltipName: '预测（方法：SBA）',
          band80: '80%区间',
          band95: '95%区间',
        },
      },
    );
    expect(option.xAxis.data).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);
    const byId = Object.fromEntries(option.series.map((x) => [x.id, x]));
    expect(byId.actual!.data).toEqual([10, 12, null, null]);
    expect(byId['last-year']!.data).toEqual([9, 11, null, null]);
    expect(byId.forecast!.data).toEqual([null, 12, 13, 14]);
    // Each band: its low end, and its width stacked on it (whatever the signs).
    expect(byId['band80-low']!.data).toEqual([null, null, 11, null]);
    expect(byId.band80!.data).toEqual([null, null, 4, null]);
    expect(byId['band95-low']!.data).toEqual([null, null, 10, null]);
    expect(byId.band95!.data).toEqual([null, null, 6, null]);
    expect(byId.band80).toMatchObject({ stack: 'band80', stackStrategy: 'all' });
    expect(byId['band80-low']).toMatchObject({ stack: 'band80', stackStrategy: 'all' });
    expect(option.legend.data.map((x) => (typeof x === 'string' ? x : x.name))).toEqual([
      '实际',
      '去年同期',
      '预测',
      '80%区间',
      '95%区间',
    ]);
    // The tooltip names the method and the 80% interval in a forecast month, and lists no band.
    const tooltip = option.tooltip as { formatter: (params: object[]) => string };
    const param = (seriesId: string, seriesName: string, value: number | null, month: string) => ({
      seriesId,
      seriesName,
      value,
      marker: '',
      axisValue: month,
    });
    expect(
      tooltip.formatter([
        param('actual', '实际', null, '2026-11'),
        param('band80-low', '80%区间', 11, '2026-11'),
        param('forecast', '预测', 13, '2026-11'),
      ]),
    ).toBe('2026-11<br/>预测（方法：SBA）: <b>13台</b><br/>80%区间: 11台 – 15台');
    expect(
      tooltip.formatter([param('actual', '实际', 12, '2026-10'), param('forecast', '预测', 12, '2026-10')]),
    ).toBe('2026-10<br/>实际: <b>12台</b>');
  });

  it('draws no band, nor its legend, for an interval the backtest could not measure', () => {
    const option = trendOption([{ period: '2026-04', value: 5 }], {
      unit: 'units',
      lang: 'en',
      actual: 'Actual',
      forecast: {
        points: [{ period: '2026-05', value: 6, lo80: null, hi80: null, lo95: null, hi95: null }],
        name: 'Forecast',
        tooltipName: 'Forecast (method: sum of its stores)',
        band80: '80% interval',
      },
    });
    expect(option.series.map((x) => x.id)).toEqual(['actual', 'forecast']);
    expect(option.legend.data).toEqual(['Actual', 'Forecast']);
    expect(option.series[1]!.data).toEqual([5, 6]);
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
