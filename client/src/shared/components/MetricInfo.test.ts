import { describe, expect, it } from 'vitest';
import { groupRows } from './table-groups.ts';
import { thresholdLines } from './MetricInfo.tsx';

describe("a metric's thresholds in words", () => {
  it('names each level with its comparison and unit', () => {
    expect(
      thresholdLines(
        { op: '>', warning: 0.2, critical: 0.35, basis: 'value', source: 'suggested' },
        'percent',
        'zh',
      ),
    ).toEqual(['预警：> 20.0%', '严重：> 35.0%']);
    expect(
      thresholdLines({ op: '>', warning: 60, basis: 'value', source: 'industry' }, 'days', 'en'),
    ).toEqual(['Warning: > 60.0 days']);
  });
  it('says how many months in a row a level needs, and reads attainment thresholds as attainment of budget', () => {
    expect(
      thresholdLines(
        {
          op: '<',
          warning: 0,
          critical: 0,
          basis: 'value',
          periods: { warning: 2, critical: 3 },
          source: 'suggested',
        },
        'yuan',
        'zh',
      ),
    ).toEqual(['预警：< 0元，连续 2 个月', '严重：< 0元，连续 3 个月']);
    expect(
      thresholdLines(
        { op: '<', warning: 0.9, critical: 0.8, basis: 'attainment', source: 'industry' },
        'units',
        'en',
      ),
    ).toEqual(['Warning: attainment of budget < 90.0%', 'Critical: attainment of budget < 80.0%']);
  });
  it('has nothing to say without thresholds', () => {
    expect(thresholdLines(null, 'yuan', 'zh')).toEqual([]);
  });
});

describe('rows in groups', () => {
  const rows = [
    { id: 1, key: 'S1|dso', money: 5 },
    { id: 2, key: 'S2|dso', money: 9 },
    { id: 3, key: 'S1|dso', money: 7 },
    { id: 4, key: 'S3|dio', money: null },
  ];
  it('keeps the order of the first rows and puts the others after the first of their group', () => {
    expect(groupRows(rows, (r) => r.key).map((g) => g.map((r) => r.id))).toEqual([[1, 3], [2], [4]]);
  });
  it('sorts groups by their first rows only', () => {
    const byMoney = (a: (typeof rows)[number], b: (typeof rows)[number]) => (b.money ?? -1) - (a.money ?? -1);
    expect(groupRows(rows, (r) => r.key, byMoney).map((g) => g.map((r) => r.id))).toEqual([[2], [1, 3], [4]]);
  });
});
