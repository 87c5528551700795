// When a subscription runs: its 5-field cron read in its time zone by croner, the one reading the
// API checks a schedule with and the scheduler runs it by.
import { Cron } from 'croner';
import { HttpError } from '../errors.ts';

/** The cron of a schedule in a time zone, paused (nothing runs from it): 400 naming what is wrong. */
export function cronOf(schedule: string, timeZone: string): Cron {
  let cron: Cron;
  try {
    // Before croner: it reports an unknown zone only once it computes a time.
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new HttpError(400, 'invalid_body', `time_zone: "${timeZone}" is not a time zone`, 'time_zone');
  }
  try {
    cron = new Cron(schedule, { paused: true, timezone: timeZone, mode: '5-part' });
  } catch (err) {
    throw new HttpError(
      400,
      'invalid_body',
      `schedule: "${schedule}" is not a 5-field cron (minute hour day-of-month month day-of-week): ${err instanceof Error ? err.message.replace(/^CronPattern: /, '') : String(err)}`,
      'schedule',
    );
  }
  return cron;
}

/** The schedule's canonical time zone name ("asia/shanghai" → "Asia/Shanghai"). */
export const canonicalZone = (timeZone: string) =>
  new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;

/** The shortest time between two runs: a report is read by people, and each run prints a copy a recipient. */
export const MIN_INTERVAL_MINUTES = 60;

/** Checks a schedule: a valid cron in a valid zone that runs at all, at most hourly (else 400). */
export function checkSchedule(schedule: string, timeZone: string): void {
  const cron = cronOf(schedule, timeZone);
  const next = cron.nextRuns(24);
  if (next.length === 0)
    throw new HttpError(400, 'invalid_body', `schedule: "${schedule}" never runs`, 'schedule');
  const gaps = next.slice(1).map((d, i) => d.getTime() - next[i]!.getTime());
  if (gaps.some((gap) => gap < MIN_INTERVAL_MINUTES * 60_000))
    throw new HttpError(
      400,
      'invalid_body',
      `schedule: "${schedule}" runs more often than once an hour`,
      'schedule',
    );
}

/** The next `n` run times strictly after `from`, ISO with the zone's offset (2025-03-10T08:00:00+08:00). */
export function nextRuns(schedule: string, timeZone: string, n: number, from: Date = new Date()): string[] {
  return cronOf(schedule, timeZone)
    .nextRuns(n, from)
    .map((d) => isoInZone(d, timeZone));
}

/** An instant as ISO 8601 in a time zone, with its offset there (seconds precision). */
export function isoInZone(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const offset = Math.round((local - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${sign}${hh}:${mm}`;
}
