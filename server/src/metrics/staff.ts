// Who was at work when: staff.csv gives each person's hired_on and left_on (either may be empty:
// not given, or still employed). One rule for the queries and for rows already read.
import type { Knex } from 'knex';
import type { Period } from './periods.ts';

/** A where-clause for dim_staff (alias `table`): employed on some day of the period. */
export const atWorkIn =
  (period: Period, table = '') =>
  (q: Knex.QueryBuilder): void => {
    const col = (c: string) => (table ? `${table}.${c}` : c);
    void q
      .where((h) => h.whereNull(col('hired_on')).orWhere(col('hired_on'), '<=', period.to))
      .andWhere((l) => l.whereNull(col('left_on')).orWhere(col('left_on'), '>=', period.from));
  };

/** The same for a person already read. */
export const employedIn = (person: { hired_on: string | null; left_on: string | null }, period: Period) =>
  (person.hired_on === null || person.hired_on <= period.to) &&
  (person.left_on === null || person.left_on >= period.from);
