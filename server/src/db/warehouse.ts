// Opens the DuckDB warehouse file and brings its schema up to date from sql/NNN_*.sql.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Knex } from 'knex';
import { createKnex, runQuery } from './knex-duckdb.ts';

export const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../sql');

export interface Warehouse {
  path: string;
  instance: DuckDBInstance;
  knex: Knex;
  /** A dedicated connection, for work that must not share the pool (e.g. a load's transaction). */
  connect(): Promise<DuckDBConnection>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** DuckDB memory limit, e.g. '1GB'. Bounded so big loads spill to disk instead of growing RSS. */
  memoryLimit?: string;
  threads?: number;
  poolMax?: number;
}

/** Thrown when the database file cannot be opened: locked by another process, unwritable, corrupt. */
export class WarehouseOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WarehouseOpenError';
  }
}

/** DuckDB names a database after its file; these names would clash with our schemas. */
const RESERVED_FILE_NAMES = ['etl', 'app', 'main', 'memory', 'system', 'temp'];

export async function openWarehouse(path: string, options: OpenOptions = {}): Promise<Warehouse> {
  const stem = basename(path).replace(/\.[^.]*$/, '');
  if (RESERVED_FILE_NAMES.includes(stem.toLowerCase())) {
    throw new WarehouseOpenError(
      `database file name ${basename(path)} clashes with a schema name; choose another (not ${RESERVED_FILE_NAMES.join(', ')})`,
    );
  }
  let instance: DuckDBInstance;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const config: Record<string, string> = {};
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    instance = await DuckDBInstance.create(path, config);
  } catch (err) {
    throw new WarehouseOpenError(describeOpenError(path, err));
  }
  const conn = await instance.connect();
  try {
    await migrate(conn);
  } finally {
    conn.closeSync();
  }
  const knex = createKnex(instance, options.poolMax);
  return {
    path,
    instance,
    knex,
    connect: () => instance.connect(),
    async close() {
      await knex.destroy();
      instance.closeSync();
    },
  };
}

function describeOpenError(path: string, err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/lock/i.test(text)) {
    const pid = /PID (\d+)/.exec(text)?.[1];
    return `database ${path} is locked by another process${pid ? ` (PID ${pid})` : ''}; stop it (e.g. the server) or load through it`;
  }
  if (/permission|read-only|EACCES|EROFS/i.test(text))
    return `database ${path} is not writable: ${firstLine(text)}`;
  return `cannot open database ${path}: ${firstLine(text)}`;
}

const firstLine = (text: string) => text.split('\n')[0]!.trim();

/** Applies every sql/NNN_name.sql not yet applied, each in its own transaction, in order. */
export async function migrate(conn: DuckDBConnection): Promise<string[]> {
  await conn.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`);
  const applied = new Set(
    (await runQuery(conn, 'SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)),
  );
  const done: string[] = [];
  for (const file of migrationFiles()) {
    if (applied.has(file.version)) continue;
    await conn.run('BEGIN TRANSACTION');
    try {
      await conn.run(readFileSync(join(SQL_DIR, file.name), 'utf8'));
      await runQuery(conn, 'INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        file.version,
        file.name,
      ]);
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK');
      throw new Error(`migration ${file.name} failed: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
    done.push(file.name);
  }
  return done;
}

export function migrationFiles(): { version: number; name: string }[] {
  return readdirSync(SQL_DIR)
    .filter((name) => /^\d{3}_.+\.sql$/.test(name))
    .map((name) => ({ version: Number(name.slice(0, 3)), name }))
    .sort((a, b) => a.version - b.version);
}
