// A subscription's schedule (a 5-field cron) in words where it is simple — every day, a weekday
// each week, weekdays, a day each month, at a fixed time — else null (the cron is shown as it is).
import { translate, type Lang } from '../../shared/i18n.ts';

/** The schedules the form offers, and the one each report kind starts with. */
export const SCHEDULE_PRESETS = ['0 8 * * *', '0 8 * * 1', '0 8 1 * *'] as const;
export const DEFAULT_SCHEDULE = {
  monthly: '0 8 1 * *',
  weekly: '0 8 * * 1',
  daily: '0 8 * * *',
  risk: '0 8 * * *',
} as const;

const WEEKDAYS = [
  'subWeekly_0',
  'subWeekly_1',
  'subWeekly_2',
  'subWeekly_3',
  'subWeekly_4',
  'subWeekly_5',
  'subWeekly_6',
] as const;

const whole = (s: string | undefined, max: number): number | null =>
  s !== undefined && /^\d{1,2}$/.test(s) && Number(s) <= max ? Number(s) : null;

export function scheduleInWords(cron: string, lang: Lang): string | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [min, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const m = whole(min, 59);
  const h = whole(hour, 23);
  if (m === null || h === null || month !== '*') return null;
  const time = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  if (dom === '*') {
    if (dow === '*') return translate(lang, 'subDaily', { time });
    if (dow === '1-5') return translate(lang, 'subWeekdays', { time });
    const day = whole(dow, 7);
    return day === null ? null : translate(lang, WEEKDAYS[day % 7]!, { time });
  }
  const day = whole(dom, 31);
  if (day === null || day === 0 || dow !== '*') return null;
  return translate(lang, 'subMonthly', { day, time });
}
