// date-fns for the server, loaded through require, one function's file at a time: Node 26's ESM
// loader parses the package's 190 KB package.json again for each of its ~300 files (about 4 s of
// CPU at every start of the server or a CLI); its CommonJS loader reads it once, and the whole
// package (the index) costs ~130 ms to load where the functions used here cost ~40 ms.
import { createRequire } from 'node:module';
import type * as DateFns from 'date-fns';

const require = createRequire(import.meta.url);
const load = <K extends keyof typeof DateFns>(name: K): (typeof DateFns)[K] =>
  (require(`date-fns/${name}`) as Pick<typeof DateFns, K>)[name];

export const addDays = load('addDays');
export const addMonths = load('addMonths');
export const addYears = load('addYears');
export const differenceInCalendarDays = load('differenceInCalendarDays');
export const endOfMonth = load('endOfMonth');
export const endOfQuarter = load('endOfQuarter');
export const endOfWeek = load('endOfWeek');
export const endOfYear = load('endOfYear');
export const format = load('format');
export const getDaysInMonth = load('getDaysInMonth');
export const isLastDayOfMonth = load('isLastDayOfMonth');
export const max = load('max');
export const min = load('min');
export const parseISO = load('parseISO');
export const startOfDay = load('startOfDay');
export const startOfMonth = load('startOfMonth');
export const startOfQuarter = load('startOfQuarter');
export const startOfWeek = load('startOfWeek');
export const startOfYear = load('startOfYear');
export const subDays = load('subDays');
export const subMonths = load('subMonths');
