// How an extract file is described to the loader: its columns with their types and checks,
// its natural key, and the business rules a row must keep. One spec per file, grouped by
// source domain in etl/jobs/. The loader turns a spec into DuckDB SQL (etl/validate-sql.ts).

/** text: as is; hashed: stored as md5 (customer ids never land in the warehouse in clear);
 *  period: YYYY-MM stored as the month's first day; amount/quantity/rate: decimals; flag: 0/1. */
export type ColumnType =
  'text' | 'hashed' | 'date' | 'period' | 'amount' | 'quantity' | 'rate' | 'number' | 'flag';

/** What a column's value must exist in: an org node of level store, any org node, a product, an account. */
export type Reference = 'store' | 'model' | 'account';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  required?: boolean;
  oneOf?: readonly string[];
  ref?: Reference;
  min?: number;
  max?: number;
  /** The extract format version that added the column (absent: 1). A file may leave such a column
   *  out (its values are then empty); a file of an earlier version may not have it. */
  since?: FormatVersion;
  /** Names a person of staff.csv. A value staff.csv does not hold still loads (the row's money and
   *  units are never lost) and is reported as a warning; person-level figures show it as
   *  unassigned. Checked only while the warehouse holds a staff list. */
  staff?: true;
  /** Names a row the warehouse should hold (`table`.`column`, checked after the file is loaded). A
   *  value it does not hold still loads and is reported as a warning ("unknown `what`"). */
  known?: { table: string; column: string; what: string };
}

export interface RuleSpec {
  /** The column the reason is reported against. */
  column: string;
  /** SQL over the typed row (alias `t`, plus any `joins` aliases) that is TRUE when the row breaks the rule. */
  violated: string;
  /** SQL string expression giving the reason, e.g. `'close_date before open_date'`. */
  reason: string;
}

export interface FileSpec {
  file: string;
  table: string;
  columns: readonly ColumnSpec[];
  key: readonly string[];
  rules?: readonly RuleSpec[];
  /** LEFT JOINs the rules need, e.g. the VIN's stock row for "sale before stock-in". */
  joins?: string;
  /** The extract format version that introduced the file (absent: 1). A manifest of an earlier
   *  version may not list it. */
  since?: FormatVersion;
  /** A full extract may leave the file out (the group's systems cannot export it): everything
   *  else loads, and the file's table is emptied, as a full extract replaces everything. */
  optional?: boolean;
}

/** The extract format versions this loader reads (docs/extract-format.md); absent in a manifest = 1. */
export const FORMAT_VERSIONS = [1, 2] as const;
export type FormatVersion = (typeof FORMAT_VERSIONS)[number];

export const SQL_TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  hashed: 'VARCHAR',
  date: 'DATE',
  period: 'DATE',
  amount: 'DECIMAL(18,2)',
  quantity: 'DECIMAL(12,2)',
  rate: 'DECIMAL(9,6)',
  number: 'DOUBLE',
  flag: 'BOOLEAN',
};
