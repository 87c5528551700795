import { describe, expect, it } from 'vitest';
import { scheduleInWords } from './schedule.ts';

describe('scheduleInWords', () => {
  it('says the simple schedules in words, in both languages', () => {
    expect(scheduleInWords('0 8 * * 1', 'zh')).toBe('每周一 08:00');
    expect(scheduleInWords('0 8 * * 1', 'en')).toBe('Mondays 08:00');
    expect(scheduleInWords('0 8 * * *', 'zh')).toBe('每天 08:00');
    expect(scheduleInWords('0 8 1 * *', 'zh')).toBe('每月1日 08:00');
    expect(scheduleInWords('0 8 1 * *', 'en')).toBe('Day 1 of each month 08:00');
    expect(scheduleInWords('30 7 * * 1-5', 'zh')).toBe('工作日 07:30');
    expect(scheduleInWords(' 5 18 * * 0 ', 'zh')).toBe('每周日 18:05');
    expect(scheduleInWords('0 9 * * 7', 'en')).toBe('Sundays 09:00');
  });

  it('leaves anything else to the cron itself', () => {
    for (const cron of [
      '*/15 * * * *',
      '0 8 * 1 *',
      '0 8 1 * 1',
      '0 8,20 * * *',
      '0 8 * * MON',
      '61 8 * * *',
      '0 8 * *',
    ])
      expect(scheduleInWords(cron, 'zh'), cron).toBeNull();
  });
});
