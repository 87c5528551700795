// A hand-made monthly and weekly report turned into tables: which columns, how each cell reads
// (a change on a zero base is shown as the delta, a percentage's change in points) and its colour.
import { describe, expect, it } from 'vitest';
import { reportTables } from './report-tables.ts';
import type { ReportResponse } from './reports.ts';
import { formatCell, xlsxSheet } from './tables.ts';

const catalog = {
  new_units: { name: { zh: '新车销量', en: 'New vehicles' }, unit: 'units', direction: 'higher_is_better' },
  finance_penetration: {
    name: { zh: '金融渗透率', en: 'Finance penetration' },
    unit: 'percent',
    direction: 'higher_is_better',
  },
  aged_stock_share_90: {
    name: { zh: '库龄>90天占比', en: 'Aged stock > 90 days' },
    unit: 'percent',
    direction: 'lower_is_better',
  },
} as ReportResponse['catalog'];

const monthly = {
  kind: 'monthly',
  node: { id: 'R1', name: '华东区', level: 'region' },
  from: '2025-03-01',
  to: '2025-03-31',
  data_to: '2025-03-31',
  catalog,
  figures: {
    from: '2025-03-01',
    to: '2025-03-31',
    metrics: ['new_units', 'finance_penetration', 'aged_stock_share_90'],
    values: {
      new_units: {
        value: 95,
        unit: 'units',
        budget: { target: 100, variance: -5, attainment: 0.95 },
        yoy: {
          value: 0,
          delta: 95,
          change: null,
          reason: 'base_not_positive',
          from: '2024-03-01',
          to: '2024-03-31',
        },
      },
      finance_penetration: {
        value: 0.5,
        unit: 'percent',
        budget: { target: 0.45, variance: 0.05, attainment: 1.111 },
        yoy: {
          value: 0.52,
          delta: -0.02,
          change: null,
          reason: 'percentage_points',
          from: '2024-03-01',
          to: '2024-03-31',
        },
      },
      aged_stock_share_90: {
        value: 0.2,
        unit: 'percent',
        budget: { target: 0.1, variance: 0.1, attainment: 2 },
        yoy: {
          value: 0.1,
          delta: 0.1,
          change: null,
          reason: 'percentage_points',
          from: '2024-03-01',
          to: '2024-03-31',
        },
      },
    },
  },
} as ReportResponse;

describe('reportTables', () => {
  it('lays out key figures against budget and last year, each cell in its own unit', () => {
    const [figures] = reportTables(monthly, 'zh');
    expect(figures!.header).toEqual(['指标', '实际', '预算', '完成率', '去年同期', '同比']);
    const shown = figures!.rows.map((row, r) =>
      row.map((cell, c) => formatCell(cell, figures!.cellFormats![r]![c], 'zh')),
    );
    expect(shown).toEqual([
      // Last year sold nothing: no relative change, the delta instead.
      ['新车销量', '95台', '100台', '95.0%', '0台', '+95台'],
      ['金融渗透率', '50.0%', '45.0%', '111.1%', '52.0%', '−2.0个百分点'],
      ['库龄>90天占比', '20.0%', '10.0%', '200.0%', '10.0%', '+10.0个百分点'],
    ]);
    // 95 % of budget: amber; 111 % of a higher-is-better budget: green; twice a lower-is-better one: red.
    expect(figures!.tones!.map((t) => t[3])).toEqual(['warning', 'good', 'critical']);
    // Against last year: up is good for sales, up is bad for aged stock.
    expect(figures!.tones!.map((t) => t[5])).toEqual(['good', 'warning', 'warning']);
    // In the workbook a column of several units names each cell's unit in its number format.
    const sheet = xlsxSheet(figures!).data;
    expect(sheet[1]![5]).toMatchObject({ value: 95, format: '+#,##0;-#,##0;#,##0' });
    expect(sheet[2]![5]).toMatchObject({
      value: -2,
      format: '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"',
    });
    expect(sheet[2]![1]).toMatchObject({ value: 0.5, format: '0.0%' });
  });

  it('says by how much a loss misses a positive budget, not a negative percentage', () => {
    const loss = {
      ...monthly,
      catalog: {
        net_profit: { name: { zh: '净利润', en: 'Net profit' }, unit: 'yuan', direction: 'higher_is_better' },
      },
      figures: {
        ...monthly.figures!,
        metrics: ['net_profit'],
        values: {
          net_profit: {
            value: -603_000,
            unit: 'yuan',
            budget: { target: 851_000, variance: -1_454_000, attainment: -0.7086 },
          },
        },
      },
    } as ReportResponse;
    const [figures] = reportTables(loss, 'zh');
    expect(formatCell(figures!.rows[0]![3]!, figures!.cellFormats![0]![3], 'zh')).toBe('−145.4万元');
    expect(figures!.tones![0]![3]).toBe('critical');
  });

  it('reads a week against the 7 days before, without a budget', () => {
    const weekly = {
      ...monthly,
      kind: 'weekly',
      figures: {
        ...monthly.figures!,
        metrics: ['new_units'],
        values: {
          new_units: {
            value: 12,
            unit: 'units',
            prev: { value: 10, delta: 2, change: 0.2, from: '2025-03-18', to: '2025-03-24' },
          },
        },
      },
    } as ReportResponse;
    const [figures] = reportTables(weekly, 'en');
    expect(figures!.header).toEqual([
      'Metric',
      'Actual',
      'Previous 7 days',
      'vs previous',
      'Last year',
      'vs last year',
    ]);
    // No last year in the data: no data, not 0.
    expect(figures!.rows).toEqual([['New vehicles', 12, 10, 0.2, null, null]]);
    expect(formatCell(0.2, figures!.cellFormats![0]![3], 'en')).toBe('+20.0%');
  });
});
