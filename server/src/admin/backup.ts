// Backup and restore of the whole database: the warehouse tables, the ETL record and the app state
// (users, kiosks, rules, alerts, tasks and their audit trail). A backup is DuckDB's EXPORT
// DATABASE (schema, load script and one Parquet file per table, from one consistent snapshot)
// plus backup.json with the row count of every table. A restore imports it into a new file,
// checks every count, and only then puts the file in place, keeping the one it replaces.
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Knex } from 'knex';
import { runQuery } from '../db/knex-duckdb.ts';
import { currentDataVersion } from '../etl-runs/service.ts';

const FORMAT = 'cockpit-backup/1';

export class BackupError extends Error {}

export interface BackupManifest {
  format: typeof FORMAT;
  created_at: string;
  data_version: { run_id: number | null; extract_id: string | null; period_to: string | null };
  /** Row count of every table, by schema.table. */
  tables: Record<string, number>;
}

/** DuckDB takes these paths as literals, not parameters: quote them. */
const literal = (path: string) => `'${resolve(path).replaceAll("'", "''")}'`;

const TABLES_SQL = `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
  WHERE table_type = 'BASE TABLE' AND table_catalog = current_database() ORDER BY 1`;

async function countRows(
  run: (sql: string) => Promise<Record<string, unknown>[]>,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { name } of (await run(TABLES_SQL)) as { name: string }[]) {
    const [schema, table] = name.split('.') as [string, string];
    counts[name] = Number((await run(`SELECT count(*) AS n FROM "${schema}"."${table}"`))[0]!.n);
  }
  return counts;
}

/** Writes a backup into `out`, which must not exist yet or be empty. */
export async function backupTo(knex: Knex, out: string): Promise<BackupManifest> {
  if (existsSync(out) && !statSync(out).isDirectory())
    throw new BackupError(`${out} is a file: give a folder for the backup`);
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new BackupError(`${out} is not empty: choose a new folder for the backup`);
  mkdirSync(out, { recursive: true });
  // One transaction: the export and the counts see the same snapshot, even while loads go on.
  const manifest = await knex.transaction(async (trx) => {
    await trx.raw(`EXPORT DATABASE ${literal(out)} (FORMAT parquet)`);
    const version = await currentDataVersion(trx);
    const tables = await countRows(async (sql) => (await trx.raw(sql)).rows);
    return {
      format: FORMAT,
      created_at: new Date().toISOString(),
      data_version: { run_id: version.run_id, extract_id: version.extract_id, period_to: version.period_to },
      tables,
    } satisfies BackupManifest;
  });
  writeFileSync(`${out}/backup.json`, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/**
 * Restoring under a process that holds the file would pull the file from under it: refuse. A file
 * that does not open for another reason (a damaged one) is what a restore is for: go on.
 */
async function ensureNotHeld(path: string): Promise<void> {
  try {
    (await DuckDBInstance.create(path)).closeSync(); // closing also folds its log into the file
  } catch (err) {
    const text = String((err as Error).message);
    if (!/lock/i.test(text)) return;
    const pid = /PID (\d+)/.exec(text)?.[1];
    throw new BackupError(
      `database ${path} is in use by another process${pid ? ` (PID ${pid})` : ''}: stop the server before restoring`,
    );
  }
}

function readManifest(dir: string): BackupManifest {
  const path = `${dir}/backup.json`;
  if (!existsSync(path)) throw new BackupError(`${dir} is not a backup: it has no backup.json`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BackupError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (manifest?.format !== FORMAT || typeof manifest.tables !== 'object')
    throw new BackupError(`${path} is not a ${FORMAT} manifest`);
  for (const file of ['schema.sql', 'load.sql'])
    if (!existsSync(`${dir}/${file}`))
      throw new BackupError(`${dir} lacks ${file}: the backup is incomplete`);
  return manifest;
}

/**
 * Restores `dir` as the database at `dbPath` (which no process may hold). The file it replaces is
 * kept beside it as `<file>.before-restore-<time>`. Returns that name (null if there was none).
 */
export async function restoreFrom(
  dir: string,
  dbPath: string,
): Promise<{ manifest: BackupManifest; kept: string | null }> {
  const manifest = readManifest(dir);
  const target = resolve(dbPath);
  if (existsSync(target)) await ensureNotHeld(target);
  const staging = `${target}.restoring`;
  for (const f of [staging, `${staging}.wal`]) rmSync(f, { force: true });
  const instance = await DuckDBInstance.create(staging);
  try {
    const conn = await instance.connect();
    try {
      // A backup's scripts run as SQL: let them read the backup folder and nothing else.
      await conn.run(`SET allowed_directories = [${literal(dir)}]`);
      await conn.run('SET enable_external_access = false');
      await conn.run(`IMPORT DATABASE ${literal(dir)}`);
      const counts = await countRows(async (sql) => (await runQuery(conn, sql)).rows);
      const differing = Object.keys({ ...manifest.tables, ...counts }).filter(
        (t) => manifest.tables[t] !== counts[t],
      );
      if (differing.length) {
        throw new BackupError(
          `the backup does not restore as recorded: ${differing.map((t) => `${t} has ${counts[t] ?? 'no table'} rows, backup.json says ${manifest.tables[t] ?? 'no table'}`).join('; ')}`,
        );
      }
      await conn.run('CHECKPOINT');
    } finally {
      conn.closeSync();
    }
  } catch (err) {
    instance.closeSync();
    for (const f of [staging, `${staging}.wal`]) rmSync(f, { force: true });
    if (err instanceof BackupError) throw err;
    throw new BackupError(`cannot import ${dir}: ${String((err as Error).message).split('\n')[0]}`);
  }
  instance.closeSync();
  // The old file is kept under a second name (a hard link), and the restored one then replaces it
  // in one rename: at no moment is there no database at the path.
  let kept: string | null = null;
  if (existsSync(target)) {
    kept = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    // A log left by a crash belongs to the old file, and must not be replayed into the new one.
    if (existsSync(`${target}.wal`)) renameSync(`${target}.wal`, `${kept}.wal`);
    linkSync(target, kept);
  }
  renameSync(staging, target);
  return { manifest, kept };
}
