import { describe, expect, it } from 'vitest';
import { changeOf, formatChange, formatValue, formatYuan } from './format.ts';

describe('amounts', () => {
  it('uses 亿 and 万 in Chinese', () => {
    expect(formatYuan(123_456_789, 'zh')).toBe('1.23亿元');
    expect(formatYuan(4_567_000, 'zh')).toBe('456.7万元');
    expect(formatYuan(-35_000, 'zh')).toBe('-3.5万元');
    expect(formatYuan(8_900, 'zh')).toBe('8,900元');
  });
  it('uses ¥ with B/M/K in English', () => {
    expect(formatYuan(1_234_000_000, 'en')).toBe('¥1.23B');
    expect(formatYuan(-4_567_000, 'en')).toBe('-¥4.57M');
    expect(formatYuan(56_700, 'en')).toBe('¥56.7K');
  });
});

describe('metric values', () => {
  it('formats each unit', () => {
    expect(formatValue(0.5354, 'percent', 'zh')).toBe('53.5%');
    expect(formatValue(1.526, 'multiple', 'zh')).toBe('1.53×');
    expect(formatValue(45.26, 'days', 'zh')).toBe('45.3天');
    expect(formatValue(45.26, 'days', 'en')).toBe('45.3 days');
    expect(formatValue(1234, 'units', 'zh')).toBe('1,234台');
    expect(formatValue(-6461.4, 'yuan_per_unit', 'zh')).toBe('-6,461元/台');
    expect(formatValue(-6461.4, 'yuan_per_unit', 'en')).toBe('-¥6,461/unit');
  });
  it('shows a dash for a missing value', () => {
    expect(formatValue(null, 'percent', 'zh')).toBe('—');
    expect(formatValue(Number.NaN, 'yuan', 'en')).toBe('—');
  });
});

describe('changes', () => {
  it('is relative for amounts and in points for percentages', () => {
    expect(formatChange(110, 100, 'units', 'zh')).toBe('+10.0%');
    expect(formatChange(-50, -100, 'yuan', 'zh')).toBe('+50.0%');
    expect(formatChange(0.25, 0.2, 'percent', 'zh')).toBe('+5.0个百分点');
    expect(formatChange(0.18, 0.2, 'percent', 'en')).toBe('-2.0pp');
    expect(formatChange(5, 0, 'units', 'en')).toBe('—');
  });
  it('gives the number it shows, for sorting and export', () => {
    expect(changeOf(110, 100, 'units')).toBeCloseTo(0.1);
    expect(changeOf(0.25, 0.2, 'percent')).toBeCloseTo(0.05);
    expect(changeOf(5, 0, 'units')).toBeNull();
    expect(changeOf(null, 1, 'yuan')).toBeNull();
  });
});
