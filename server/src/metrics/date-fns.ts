// date-fns for the server, loaded through require: Node 26's ESM loader parses the package's
// 190 KB package.json again for each of its ~300 files (about 4 s of CPU at every start of the
// server or a CLI); its CommonJS loader reads it once. Same functions, same types.
import { createRequire } from 'node:module';
import type * as DateFns from 'date-fns';

export const {
  addDays,
  addMonths,
  addYears,
  differenceInCalendarDays,
  endOfMonth,
  endOfQuarter,
  endOfWeek,
  endOfYear,
  format,
  isLastDayOfMonth,
  max,
  min,
  parseISO,
  startOfDay,
  startOfMonth,
  startOfQuarter,
  startOfWeek,
  startOfYear,
  subDays,
  subMonths,
} = createRequire(import.meta.url)('date-fns') as typeof DateFns;
