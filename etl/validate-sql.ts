// Turns a FileSpec into the SQL that checks every row of a staged file. The raw file is staged
// as all-VARCHAR (so a bad value becomes a reject with a reason, not a failed read); this query
// casts each column and gives every row either NULL or the first problem found:
// {column, reason}. Identifiers come only from the specs; no data is spliced into SQL text.
import { SQL_TYPES, type ColumnSpec, type FileSpec } from './spec.ts';

export const RAW_TABLE = 'etl_raw';

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

const REFERENCES = {
  store: `(SELECT node_id FROM dim_org WHERE level = 'store')`,
  model: `(SELECT model_id FROM dim_product)`,
  account: `(SELECT account_code FROM dim_account)`,
} as const;

function castExpression(column: ColumnSpec): string {
  const raw = `r.${ident(column.name)}`;
  switch (column.type) {
    case 'text':
      return raw;
    case 'hashed':
      return `md5(${raw})`;
    case 'date':
      // try_cast alone accepts '2024-1-2' and '2024-01-02 10:00'; the extract format is YYYY-MM-DD.
      return `CASE WHEN length(${raw}) = 10 THEN try_cast(${raw} AS DATE) END`;
    case 'period':
      return `CASE WHEN length(${raw}) = 7 THEN try_cast(${raw} || '-01' AS DATE) END`;
    case 'flag':
      return `CASE ${raw} WHEN '1' THEN true WHEN '0' THEN false END`;
    case 'number':
      return `CASE WHEN isfinite(try_cast(${raw} AS DOUBLE)) THEN try_cast(${raw} AS DOUBLE) END`;
    default:
      return `try_cast(${raw} AS ${SQL_TYPES[column.type]})`;
  }
}

const NOT_VALID: Record<ColumnSpec['type'], string> = {
  text: 'not valid',
  hashed: 'not valid',
  date: 'not a valid date (YYYY-MM-DD)',
  period: 'not a valid period (YYYY-MM)',
  amount: 'not a number',
  quantity: 'not a number',
  rate: 'not a number',
  number: 'not a number',
  flag: 'not 0 or 1',
};

/** The checks of one column, in the order they are reported: missing, malformed, out of range. */
function columnChecks(column: ColumnSpec): [string, string][] {
  const name = ident(column.name);
  const raw = `t.${ident('raw$' + column.name)}`;
  const typed = `t.${name}`;
  const checks: [string, string][] = [];
  if (column.required) checks.push([`${raw} IS NULL`, literal('required value is empty')]);
  if (column.type !== 'text' && column.type !== 'hashed') {
    checks.push([
      `${raw} IS NOT NULL AND ${typed} IS NULL`,
      `${literal(NOT_VALID[column.type] + ': "')} || ${raw} || '"'`,
    ]);
  }
  if (column.oneOf) {
    const list = column.oneOf.map(literal).join(', ');
    checks.push([
      `${typed} NOT IN (${list})`,
      `'unknown value "' || ${typed} || '" (expected ${column.oneOf.join(', ').replace(/'/g, "''")})'`,
    ]);
  }
  if (column.min !== undefined)
    checks.push([`${typed} < ${column.min}`, `'must be ≥ ${column.min}, is ' || ${typed}`]);
  if (column.max !== undefined)
    checks.push([`${typed} > ${column.max}`, `'must be ≤ ${column.max}, is ' || ${typed}`]);
  if (column.ref) {
    checks.push([
      `${typed} IS NOT NULL AND ${typed} NOT IN ${REFERENCES[column.ref]}`,
      `'unknown ${column.name} "' || ${typed} || '"'`,
    ]);
  }
  return checks;
}

/** SELECT _line, typed columns…, reject STRUCT(column, reason) over the staged rows.
 *  `firstRowId` is the staged table's smallest rowid: rows keep file order, but inside a
 *  transaction DuckDB numbers them from a large offset rather than 0. */
export function checkSql(spec: FileSpec, firstRowId: number): string {
  const casts = spec.columns.map(
    (c) => `${castExpression(c)} AS ${ident(c.name)}, r.${ident(c.name)} AS ${ident('raw$' + c.name)}`,
  );
  const keyText = spec.key.map((k) => `t.${ident('raw$' + k)}`).join(` || '/' || `);
  const checks: [string, string, string][] = [];
  for (const column of spec.columns) {
    for (const [when, reason] of columnChecks(column)) checks.push([when, column.name, reason]);
  }
  checks.push([
    `dup.first_line IS NOT NULL AND t._line > dup.first_line`,
    spec.key.join('/'),
    `'duplicate ${spec.key.join('/')} "' || ${keyText} || '" (first on line ' || dup.first_line || ')'`,
  ]);
  for (const rule of spec.rules ?? []) checks.push([rule.violated, rule.column, rule.reason]);
  const reject = checks
    .map(([when, column, reason]) => `WHEN ${when} THEN {'column': ${literal(column)}, 'reason': ${reason}}`)
    .join('\n      ');
  const rawKey = spec.key.map((k) => `r.${ident(k)}`).join(', ');
  return `WITH dup AS (
  -- Grouping 8-byte hashes of the natural key is far cheaper than grouping the keys themselves;
  -- only rows whose hash repeats are then grouped by the real key.
  SELECT ${rawKey}, min(r.rowid) - ${firstRowId} + 2 AS first_line
  FROM ${RAW_TABLE} r
  WHERE hash(${rawKey}) IN (SELECT hash(${rawKey}) FROM ${RAW_TABLE} r GROUP BY 1 HAVING count(*) > 1)
  GROUP BY ALL HAVING count(*) > 1
), typed AS (
  SELECT r.rowid - ${firstRowId} + 2 AS _line, ${casts.join(',\n    ')}
  FROM ${RAW_TABLE} r
)
SELECT t._line, ${spec.columns.map((c) => `t.${ident(c.name)}`).join(', ')},
  CASE
      ${reject}
  END AS reject
FROM typed t
LEFT JOIN dup ON ${spec.key.map((k) => `dup.${ident(k)} = t.${ident('raw$' + k)}`).join(' AND ')}
${spec.joins ?? ''}`;
}
