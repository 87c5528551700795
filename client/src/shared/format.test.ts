import { describe, expect, it } from 'vitest';
import { compareWith, compareWithTarget, type Unit } from '../../../server/src/contract/compare.ts';
import {
  describeBudget,
  describeComparison,
  formatBudget,
  formatComparison,
  formatDelta,
  formatKpiValue,
  formatPercent,
  formatPoints,
  formatRelative,
  formatValue,
  formatYuan,
  MINUS,
} from './format.ts';

const m = (text: string) => text.replace(/-/g, MINUS); // expected figures are written with a hyphen; the screen uses the minus sign

describe('amounts', () => {
  it('uses 亿 and 万 in Chinese', () => {
    expect(formatYuan(123_456_789, 'zh')).toBe('1.23亿元');
    expect(formatYuan(4_567_000, 'zh')).toBe('456.7万元');
    expect(formatYuan(-35_000, 'zh')).toBe(m('-3.5万元'));
    expect(formatYuan(8_900, 'zh')).toBe('8,900元');
  });
  it('uses ¥ with B/M/K in English', () => {
    expect(formatYuan(1_234_000_000, 'en')).toBe('¥1.23B');
    expect(formatYuan(-4_567_000, 'en')).toBe(m('-¥4.57M'));
    expect(formatYuan(56_700, 'en')).toBe('¥56.7K');
  });
  it('chooses the unit after rounding: nothing reads 10000.0万 or ¥1000.0K', () => {
    expect(formatYuan(99_999_999, 'zh')).toBe('1.00亿元');
    expect(formatYuan(99_994_999, 'zh')).toBe('9999.5万元');
    expect(formatYuan(999_999, 'en')).toBe('¥1.00M');
    expect(formatYuan(999_940, 'en')).toBe('¥999.9K');
    expect(formatYuan(999_999_999, 'en')).toBe('¥1.00B');
    expect(formatYuan(8_900, 'en')).toBe('¥8,900');
  });
  it('never shows a signed zero', () => {
    expect(formatYuan(-0.4, 'zh')).toBe('0元');
    expect(formatYuan(-0.4, 'en')).toBe('¥0');
  });
});

describe('metric values', () => {
  it('formats each unit, with English unit names', () => {
    expect(formatValue(0.5354, 'percent', 'zh')).toBe('53.5%');
    expect(formatValue(1.526, 'multiple', 'zh')).toBe('1.53×');
    expect(formatValue(45.26, 'days', 'zh')).toBe('45.3天');
    expect(formatValue(45.26, 'days', 'en')).toBe('45.3 days');
    expect(formatValue(1234, 'units', 'zh')).toBe('1,234台');
    expect(formatValue(1234, 'units', 'en')).toBe('1,234 units');
    expect(formatValue(-6461.4, 'yuan_per_unit', 'zh')).toBe(m('-6,461元/台'));
    expect(formatValue(-6461.4, 'yuan_per_unit', 'en')).toBe(m('-¥6,461/unit'));
    expect(formatValue(8.25, 'turns_per_year', 'en')).toBe('8.3×/yr');
  });
  it('shows a value that rounds to zero without a sign', () => {
    expect(formatValue(-0.0004, 'percent', 'zh')).toBe('0.0%');
    expect(formatValue(-0.004, 'days', 'en')).toBe('0.0 days');
    expect(formatValue(-0.3, 'yuan_per_unit', 'zh')).toBe('0元/台');
    expect(formatPercent(-0.0001)).toBe('0.0%');
  });
  it('shows a dash for a missing value, and "no data" outside the data\'s coverage', () => {
    expect(formatValue(null, 'percent', 'zh')).toBe('—');
    expect(formatValue(Number.NaN, 'yuan', 'en')).toBe('—');
    expect(formatKpiValue({ value: null, reason: 'no_data' }, 'yuan', 'zh')).toBe('无数据');
    expect(formatKpiValue({ value: null, reason: 'no_data' }, 'yuan', 'en')).toBe('no data');
    expect(formatKpiValue({ value: null }, 'percent', 'en')).toBe('—');
    expect(formatKpiValue({ value: 12 }, 'units', 'zh')).toBe('12台');
  });
});

describe('signed figures', () => {
  it('signs a delta, and leaves one that rounds to zero unsigned', () => {
    expect(formatDelta(12, 'units', 'zh')).toBe('+12台');
    expect(formatDelta(-2_870_000, 'yuan', 'zh')).toBe(m('-287.0万元'));
    expect(formatDelta(-2_870_000, 'yuan', 'en')).toBe(m('-¥2.87M'));
    expect(formatDelta(-0.2, 'units', 'zh')).toBe('0台');
    expect(formatDelta(0.00004, 'percent', 'zh')).toBe('0.0个百分点');
  });
  it('gives percentages in points and changes as percentages, never −0.0', () => {
    expect(formatPoints(0.014, 'zh')).toBe('+1.4个百分点');
    expect(formatPoints(-0.014, 'en')).toBe(m('-1.4 pp'));
    expect(formatPoints(-0.0004, 'en')).toBe('0.0 pp');
    expect(formatRelative(0.032)).toBe('+3.2%');
    expect(formatRelative(-0.125)).toBe(m('-12.5%'));
    expect(formatRelative(-0.0004)).toBe('0.0%');
    expect(formatRelative(0.0004)).toBe('0.0%');
  });
});

/** A metric of this unit, as the catalog gives it (its id picks the words for a move across zero). */
const metric = (unit: Unit, id = 'net_profit') => ({ id, unit });

describe("comparisons (the API's, from compare.ts)", () => {
  it('shows a relative change where it is defined', () => {
    const c = compareWith('units', 110, 100);
    expect(describeComparison(c, metric('units'), 'zh')).toMatchObject({
      text: '+10.0%',
      sort: 0.1,
      kind: 'change',
    });
    expect(formatComparison(compareWith('yuan', 95, 100), metric('yuan'), 'en')).toBe(m('-5.0%'));
  });
  it('shows a change of a percentage in points', () => {
    const c = compareWith('percent', 0.25, 0.236);
    expect(c.reason).toBe('percentage_points');
    expect(describeComparison(c, metric('percent'), 'zh')).toMatchObject({
      text: '+1.4个百分点',
      kind: 'points',
    });
    expect(formatComparison(compareWith('percent', 0.18, 0.2), metric('percent'), 'en')).toBe(m('-2.0 pp'));
  });
  it('names a move across zero or within a loss, with the delta in money', () => {
    const toLoss = compareWith('yuan', -870_000, 2_000_000);
    expect(toLoss.change).not.toBeNull(); // defined on the positive base, and still not shown (it would read −143.5%)
    expect(formatComparison(toLoss, metric('yuan'), 'zh')).toBe(m('由盈转亏 -287.0万元'));
    expect(formatComparison(toLoss, metric('yuan'), 'en')).toBe(m('turned to loss -¥2.87M'));
    expect(formatComparison(compareWith('yuan', -3_000_000, -1_000_000), metric('yuan'), 'zh')).toBe(
      m('亏损扩大 -200.0万元'),
    );
    expect(formatComparison(compareWith('yuan', -1_000_000, -3_000_000), metric('yuan'), 'en')).toBe(
      'loss narrowed +¥2.00M',
    );
    expect(formatComparison(compareWith('yuan', 500_000, -300_000), metric('yuan'), 'zh')).toBe(
      '扭亏为盈 +80.0万元',
    );
    expect(formatComparison(compareWith('yuan_per_unit', -7379, -7107), metric('yuan_per_unit'), 'zh')).toBe(
      m('亏损扩大 -272元/台'),
    );
    expect(describeComparison(toLoss, metric('yuan'), 'zh')).toMatchObject({
      sort: -2_870_000,
      kind: 'move',
      move: 'turned_to_loss',
    });
  });
  it('shows the delta on a zero base where nothing crossed zero', () => {
    const c = compareWith('units', 5, 0);
    expect(c.reason).toBe('base_not_positive');
    expect(describeComparison(c, metric('units'), 'zh')).toMatchObject({
      text: '+5台',
      sort: 5,
      kind: 'delta',
    });
    expect(formatComparison(compareWith('yuan', 0, 0), metric('yuan'), 'zh')).toBe('0元');
    expect(formatComparison(compareWith('yuan', 120_000, 0), metric('yuan'), 'en')).toBe('+¥120.0K');
  });
  it('says when there is nothing to compare with', () => {
    expect(formatComparison(compareWith('units', 5, null), metric('units'), 'zh')).toBe('无可比数据');
    expect(formatComparison(compareWith('units', null, 5), metric('units'), 'en')).toBe('no comparable data');
    expect(describeComparison(undefined, metric('yuan'), 'zh')).toMatchObject({
      text: '无可比数据',
      sort: null,
      kind: 'none',
    });
  });
  it('rounds a tiny change to zero without a sign', () => {
    expect(formatComparison(compareWith('yuan', 999_999.7, 1_000_000), metric('yuan'), 'zh')).toBe('0.0%');
    expect(formatComparison(compareWith('percent', 0.2, 0.20001), metric('percent'), 'zh')).toBe(
      '0.0个百分点',
    );
  });
  it('names the moves of cash flow as net inflow and outflow, not profit and loss', () => {
    const cash = metric('yuan', 'operating_cash_flow');
    expect(formatComparison(compareWith('yuan', -50, 100), cash, 'zh')).toBe(m('由净流入转为净流出 -150元'));
    expect(formatComparison(compareWith('yuan', -50, -100), cash, 'zh')).toBe('净流出收窄 +50元');
    expect(formatComparison(compareWith('yuan', -150, -100), cash, 'en')).toBe(m('net outflow widened -¥50'));
    expect(formatComparison(compareWith('yuan', 30, -100), cash, 'en')).toBe('turned to net inflow +¥130');
  });
});

describe('budgets', () => {
  it('shows attainment against a positive target', () => {
    expect(describeBudget(compareWithTarget(950, 1000), 'units', 'zh')).toMatchObject({
      text: '95.0%',
      sort: 0.95,
      kind: 'attainment',
    });
  });
  it('shows the variance against a zero or negative budget', () => {
    expect(formatBudget(compareWithTarget(-2_870_000, 0), 'yuan', 'zh')).toBe(m('差额 -287.0万元'));
    expect(formatBudget(compareWithTarget(-3_870_000, -1_000_000), 'yuan', 'en')).toBe(m('variance -¥2.87M'));
    expect(formatBudget(compareWithTarget(500_000, -1_000_000), 'yuan', 'zh')).toBe('差额 +150.0万元');
    expect(describeBudget(compareWithTarget(-2_870_000, 0), 'yuan', 'zh')).toMatchObject({
      sort: -2_870_000,
      kind: 'variance',
    });
  });
  it('shows the variance, not a negative attainment, for a loss against a profit budget', () => {
    const b = compareWithTarget(-1_734_713.84, 12_839_782.65);
    expect(b.attainment).toBeLessThan(0);
    expect(formatBudget(b, 'yuan', 'zh')).toBe(m('差额 -1457.4万元'));
  });
  it('says when there is no budget or no actual', () => {
    expect(formatBudget(compareWithTarget(5, null), 'units', 'zh')).toBe('无预算');
    expect(formatBudget(undefined, 'units', 'en')).toBe('no budget');
    expect(formatBudget(compareWithTarget(null, 100), 'units', 'zh')).toBe('无可比数据');
  });
});
