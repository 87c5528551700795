// A knex client for DuckDB. knex has no DuckDB dialect, but DuckDB speaks PostgreSQL's SQL
// closely enough that knex's PostgreSQL query compiler works; only the driver side is ours:
// connections come from one shared DuckDBInstance (so reads on other connections keep running
// while a load commits, thanks to DuckDB's MVCC), and results are turned into plain JS values.
import { createRequire } from 'node:module';
import knexFactory, { type Knex } from 'knex';
import {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  listValue,
  type DuckDBValue,
  type DuckDBValueConverter,
  type JS,
} from '@duckdb/node-api';

const require = createRequire(import.meta.url);
// knex ships its dialects as CommonJS classes without type declarations.
const ClientPG = require('knex/lib/dialects/postgres/index.js') as new (config: unknown) => object;

export type SqlValue = string | number | boolean | null | SqlValue[] | { [key: string]: SqlValue };

/** BIGINT/HUGEINT → number when exact, else string; DECIMAL → number; DATE → 'YYYY-MM-DD';
 *  TIMESTAMP → ISO string. Everything else as @duckdb/node-api's JS converter does it. */
export const plainValueConverter: DuckDBValueConverter<JS> = (value, type, converter) => {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT: {
      const big = value as bigint;
      return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(big)
        : big.toString();
    }
    case DuckDBTypeId.DATE:
      return String(value);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S: {
      const date = JSDuckDBValueConverter(value, type, converter) as Date;
      return date.toISOString();
    }
    default:
      return JSDuckDBValueConverter(value, type, converter);
  }
};

export interface QueryResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

/** Run one statement with positional `$1` bindings and return plain rows. */
export async function runQuery(
  conn: DuckDBConnection,
  sql: string,
  bindings: unknown[] = [],
): Promise<QueryResult> {
  const values = bindings.map(toDuckDBValue);
  const reader = await conn.runAndReadAll(sql, values.length ? values : undefined);
  const rows = reader.convertRowObjects(plainValueConverter) as Record<string, unknown>[];
  // DML statements answer with one column "Count" holding the affected row count.
  const names = reader.columnNames();
  const isCount = names.length === 1 && names[0] === 'Count' && /^\s*(insert|update|delete)/i.test(sql);
  return { rows: isCount ? [] : rows, rowCount: isCount ? Number(rows[0]?.Count ?? 0) : rows.length };
}

function toDuckDBValue(value: unknown): DuckDBValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  )
    return value;
  if (Array.isArray(value) && value.length > 0) return listValue(value.map(toDuckDBValue));
  throw new TypeError(`cannot bind a value of type ${typeof value}`);
}

interface QueryObject {
  sql: string;
  bindings?: unknown[];
  method?: string;
  output?: (this: unknown, response: unknown) => unknown;
  pluck?: string;
  response?: QueryResult;
}

interface DuckDBClientConfig {
  connection: { instance: DuckDBInstance };
}

class DuckDBKnexClient extends (ClientPG as new (config: unknown) => Record<string, unknown>) {
  declare config: DuckDBClientConfig;

  constructor(config: DuckDBClientConfig) {
    super(config);
  }

  driverName = 'duckdb';

  _driver() {
    return {};
  }

  async acquireRawConnection(): Promise<DuckDBConnection> {
    return this.config.connection.instance.connect();
  }

  async destroyRawConnection(connection: DuckDBConnection): Promise<void> {
    connection.closeSync();
  }

  validateConnection(): boolean {
    return true;
  }

  async _query(connection: DuckDBConnection, obj: QueryObject): Promise<QueryObject> {
    if (!obj.sql) throw new Error('The query is empty');
    obj.response = await runQuery(connection, obj.sql, obj.bindings ?? []);
    return obj;
  }

  processResponse(obj: QueryObject, runner: unknown): unknown {
    const resp = obj.response!;
    if (obj.output) return obj.output.call(runner, resp);
    if (obj.method === 'raw') return resp;
    if (obj.method === 'first') return resp.rows[0];
    if (obj.method === 'pluck') return resp.rows.map((row) => row[obj.pluck!]);
    if (obj.method === 'select') return resp.rows;
    if (obj.method === 'insert' || obj.method === 'update' || obj.method === 'del') {
      return resp.rows.length ? resp.rows : resp.rowCount;
    }
    return resp.rows;
  }
}

/** A knex instance whose pool hands out connections to `instance`. */
export function createKnex(instance: DuckDBInstance, poolMax = 4): Knex {
  return knexFactory({
    client: DuckDBKnexClient as unknown as typeof knexFactory.Client,
    connection: { instance } as unknown as Knex.StaticConnectionConfig,
    pool: { min: 0, max: poolMax },
  });
}
