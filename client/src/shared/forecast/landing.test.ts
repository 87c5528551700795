import { describe, expect, it } from 'vitest';
import { describeLanding, landingKind, landingMetrics, type LandingItem } from './landing.ts';

const units = { unit: 'units', direction: 'higher_is_better', thresholds: null } as const;

/** Data to 31 October: November all forecast, Q4 with October actual, the year with ten months. */
const item: LandingItem = {
  metric: 'new_units',
  unit: 'units',
  data_to: '2026-10-31',
  as_of: '2026-10-31',
  method: 'bottom_up',
  periods: [
    {
      kind: 'month',
      from: '2026-11-01',
      to: '2026-11-30',
      label: { zh: '2026年11月', en: 'Nov 2026' },
      actual: 0,
      forecast: 2530.49,
      landing: 2530.49,
      target: null,
      attainment: null,
    },
    {
      kind: 'quarter',
      from: '2026-10-01',
      to: '2026-12-31',
      label: { zh: '2026年Q4', en: 'Q4 2026' },
      actual: 2815,
      forecast: 5258.9,
      landing: 8073.9,
      target: 8300,
      attainment: 8073.9 / 8300,
    },
    {
      kind: 'year',
      from: '2026-01-01',
      to: '2026-12-31',
      label: { zh: '2026年', en: '2026' },
      actual: null,
      forecast: 5258.9,
      landing: null,
      target: 30000,
      attainment: null,
    },
  ],
};

describe('landing', () => {
  it('reads the period kind the user picked; a custom range as its year', () => {
    expect(['month', 'quarter', 'year', 'custom'].map((k) => landingKind(k as never))).toEqual([
      'month',
      'quarter',
      'year',
      'year',
    ]);
  });

  it('asks only for the metrics that have a landing, in their order', () => {
    expect(landingMetrics(['net_profit', 'used_units', 'new_units', 'dso'])).toEqual([
      'net_profit',
      'new_units',
    ]);
  });

  it('says the attainment against budget, coloured as a result would be, with the figures behind it', () => {
    const q = describeLanding(item, 'quarter', units, 'zh')!;
    expect(q.text).toBe('2026年Q4预计完成 97.3%');
    expect(q.tone).toBe('down-warn'); // 90–100% of budget: a warning, as on the card
    expect(q.title).toBe(
      '2026年Q4预计完成 8,074台 = 截至 2026-10-31 实际 2,815台 + 其余预测 5,259台；目标 8,300台',
    );
    expect(describeLanding(item, 'quarter', units, 'en')!.text).toBe('Q4 2026 landing: 97.3% of budget');
    expect(describeLanding(item, 'quarter', { ...units, direction: 'lower_is_better' }, 'zh')!.tone).toBe(
      'up-good',
    );
  });

  it('says the landing figure without a target, and nothing where the period began before the data', () => {
    const m = describeLanding(item, 'month', units, 'zh')!;
    expect([m.text, m.tone]).toEqual(['2026年11月预计 2,530台', 'flat']);
    expect(m.title).toContain('目标 无预算');
    expect(describeLanding(item, 'year', units, 'zh')).toBeNull();
    expect(describeLanding(undefined, 'month', units, 'zh')).toBeNull();
  });

  it('says the gap, not a negative attainment, where a loss lands against a profit budget', () => {
    const loss: LandingItem = {
      ...item,
      metric: 'net_profit',
      unit: 'yuan',
      periods: [
        {
          ...item.periods[0]!,
          kind: 'month',
          landing: -830_000,
          actual: 0,
          forecast: -830_000,
          target: 11_400_000,
        },
      ],
    };
    const text = describeLanding(loss, 'month', { ...units, unit: 'yuan' }, 'zh')!.text;
    expect(text.replace('−', '-')).toBe('2026年11月预计 差额 -1223.0万元');
  });

  it("has a short form for the phone's narrow column", () => {
    expect(describeLanding(item, 'month', units, 'zh', true)!.text).toBe('11月预计 2,530');
    expect(describeLanding(item, 'month', units, 'en', true)!.text).toBe('Nov est. 2,530');
    expect(describeLanding(item, 'quarter', units, 'en', true)!.text).toBe('Q4 est. 97.3%');
  });
});
