import { describe, expect, it } from 'vitest';
import {
  defaultPeriodKey,
  isPartial,
  parsePeriod as parseWith,
  periodChoices,
  periodKeyOf,
  periodLabel,
  trailingYear,
} from './period.ts';

const START = '2024-11-01';
const END = '2026-10-31';
const parsePeriod = (key: string | null, end = END) => parseWith(key, START, end);

describe('period in the URL', () => {
  it('defaults to the latest month with data', () => {
    expect(parsePeriod(null, END)).toEqual({
      kind: 'month',
      key: '2026-10',
      from: '2026-10-01',
      to: '2026-10-31',
    });
    expect(parsePeriod('garbage', '2026-10-15')).toMatchObject({
      key: '2026-10',
      from: '2026-10-01',
      to: '2026-10-15',
    });
  });
  it('reads months, quarters, years and ranges, capped at the last day of data', () => {
    expect(parsePeriod('2026-02', END)).toMatchObject({
      kind: 'month',
      from: '2026-02-01',
      to: '2026-02-28',
    });
    expect(parsePeriod('2026Q3', END)).toMatchObject({
      kind: 'quarter',
      from: '2026-07-01',
      to: '2026-09-30',
    });
    expect(parsePeriod('2026Q4', END)).toMatchObject({
      kind: 'quarter',
      from: '2026-10-01',
      to: '2026-10-31',
    });
    expect(parsePeriod('2026', END)).toMatchObject({ kind: 'year', from: '2026-01-01', to: '2026-10-31' });
    expect(parsePeriod('2025-12-15_2026-01-10', END)).toMatchObject({
      kind: 'custom',
      from: '2025-12-15',
      to: '2026-01-10',
    });
  });
  it('ignores periods after the data and reversed ranges', () => {
    expect(parsePeriod('2026-11', END).key).toBe('2026-10');
    expect(parsePeriod('2027', END).key).toBe('2026-10');
    expect(parsePeriod('2026-03-01_2026-02-01', END).key).toBe('2026-10');
  });
  it('rejects months that do not exist', () => {
    expect(parsePeriod('2026-13', END).key).toBe('2026-10');
    expect(parsePeriod('2026-00', END).key).toBe('2026-10');
    expect(parsePeriod('2025-12', END)).toMatchObject({
      kind: 'month',
      from: '2025-12-01',
      to: '2025-12-31',
    });
  });
  it('ignores periods before the data and starts the others no earlier than it', () => {
    expect(parsePeriod('2024-10', END).key).toBe('2026-10');
    expect(parsePeriod('2024Q3', END).key).toBe('2026-10');
    expect(parsePeriod('2023', END).key).toBe('2026-10');
    expect(parsePeriod('2024-01-01_2024-10-31', END).key).toBe('2026-10');
    expect(parsePeriod('2024', END)).toMatchObject({
      kind: 'year',
      key: '2024',
      from: '2024-11-01',
      to: '2024-12-31',
    });
    expect(parsePeriod('2024-10-15_2024-11-15', END)).toMatchObject({
      kind: 'custom',
      from: '2024-11-01',
      to: '2024-11-15',
    });
  });
  it('names the month, quarter or year that holds a day', () => {
    expect(periodKeyOf('month', '2026-10-15')).toBe('2026-10');
    expect(periodKeyOf('quarter', '2026-10-15')).toBe('2026Q4');
    expect(periodKeyOf('year', '2026-10-15')).toBe('2026');
  });
  it('offers choices newest first', () => {
    expect(periodChoices('quarter', '2026-01-01', END)).toEqual(['2026Q4', '2026Q3', '2026Q2', '2026Q1']);
    expect(periodChoices('year', '2024-11-01', END)).toEqual(['2026', '2025', '2024']);
  });
  it('labels whole periods in both languages', () => {
    expect(periodLabel(parsePeriod('2026-10', END), 'zh')).toBe('2026年10月');
    expect(periodLabel(parsePeriod('2026-10', END), 'en')).toBe('Oct 2026');
    expect(periodLabel(parsePeriod('2026Q3', END), 'zh')).toBe('2026年第3季度');
    expect(periodLabel(parsePeriod('2026Q3', END), 'en')).toBe('2026 Q3');
    expect(periodLabel(parsePeriod('2025', END), 'zh')).toBe('2025年');
    expect(periodLabel(parsePeriod('2025', END), 'en')).toBe('2025');
    expect(isPartial(parsePeriod('2025', END))).toBe(false);
  });
  it('says what a period cut short by the data holds', () => {
    // A year to date, a quarter to date, a month to date.
    expect(periodLabel(parsePeriod('2026', END), 'zh')).toBe('2026年1–10月');
    expect(periodLabel(parsePeriod('2026', END), 'en')).toBe('Jan–Oct 2026');
    expect(periodLabel(parsePeriod('2026Q4', END), 'zh')).toBe('2026年Q4至今');
    expect(periodLabel(parsePeriod('2026Q4', END), 'en')).toBe('2026 Q4 to date');
    expect(periodLabel(parsePeriod('2026-10', '2026-10-15'), 'zh')).toBe('2026年10月1–15日');
    expect(periodLabel(parsePeriod('2026-10', '2026-10-15'), 'en')).toBe('1–15 Oct 2026');
    expect(periodLabel(parsePeriod('2026', '2026-10-15'), 'zh')).toBe('2026年1月1日–10月15日');
    expect(periodLabel(parsePeriod('2026', '2026-10-15'), 'en')).toBe('1 Jan – 15 Oct 2026');
    // Periods that begin before the data: the months it holds.
    expect(periodLabel(parsePeriod('2024', END), 'zh')).toBe('2024年11–12月');
    expect(periodLabel(parsePeriod('2024', END), 'en')).toBe('Nov–Dec 2024');
    expect(periodLabel(parsePeriod('2024Q4', END), 'zh')).toBe('2024年11–12月');
    expect(periodLabel(parseWith('2026', '2026-01-01', '2026-01-31'), 'en')).toBe('Jan 2026');
    expect([parsePeriod('2026'), parsePeriod('2026Q4'), parsePeriod('2024Q4')].every(isPartial)).toBe(true);
  });
  it('opens the quarter picker on the last complete quarter', () => {
    expect(defaultPeriodKey('quarter', START, END)).toBe('2026Q3');
    expect(defaultPeriodKey('quarter', START, '2026-09-30')).toBe('2026Q3');
    expect(defaultPeriodKey('quarter', '2026-10-01', END)).toBe('2026Q4'); // no complete quarter with data
    expect(defaultPeriodKey('month', START, END)).toBe('2026-10');
    expect(defaultPeriodKey('year', START, END)).toBe('2026');
  });
  it('sends the period cut to the data, so last year is compared over the same days', () => {
    expect(parsePeriod('2026', '2026-10-15')).toMatchObject({ from: '2026-01-01', to: '2026-10-15' });
    expect(parsePeriod('2026Q4', '2026-11-20')).toMatchObject({ from: '2026-10-01', to: '2026-11-20' });
  });
  it('takes the trailing twelve months for trends', () => {
    expect(trailingYear(parsePeriod('2026-10', END))).toEqual({ from: '2025-11-01', to: '2026-10-31' });
  });
});
