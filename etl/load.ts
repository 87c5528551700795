// Loads one extract into the warehouse: all files in one transaction, rows checked by
// DuckDB SQL, rejected rows kept with their reasons, the run recorded. A refused extract
// leaves every warehouse table as it was and is itself recorded as a refused run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { importBudgetCsv, sqlOfConnection } from '../server/src/budgets/govern.ts';
import { runQuery } from '../server/src/db/knex-duckdb.ts';
import type { Warehouse } from '../server/src/db/warehouse.ts';
import { checkFile, ExtractRefused, transcodeGbk, type ExtractFile } from './extract.ts';
import { FILE_SPECS } from './jobs/index.ts';
import { readManifest, type Manifest } from './manifest.ts';
import { refreshDerived } from './refresh.ts';
import type { FileSpec } from './spec.ts';
import { checkSql, ident, RAW_TABLE } from './validate-sql.ts';

export interface FileStats {
  read: number;
  loaded: number;
  rejected: number;
  /** Rows loaded with a warning (a staff_id staff.csv does not hold, a policy renewed that the warehouse does not hold). */
  warned: number;
}

/** A rejected row, or a loaded row with a warning: where it is and why. */
export interface RejectSummary {
  file: string;
  line: number;
  column: string | null;
  reason: string;
}

export interface LoadResult {
  run_id: number;
  extract_id: string | null;
  status: 'loaded' | 'refused';
  message?: string;
  files: Record<string, FileStats>;
  rejects: RejectSummary[];
  /** The first rows loaded with a warning (all of them are in etl.warnings). */
  warnings: RejectSummary[];
  duration_ms: number;
}

export interface Progress {
  file: string;
  index: number;
  total: number;
  phase: 'checking' | 'reading' | 'validating' | 'loading' | 'refreshing';
}

export interface LoadOptions {
  onProgress?: (progress: Progress) => void;
  /** Wraps the COMMIT: the server holds its requests back for that moment (db/read-gate.ts). */
  aroundCommit?: (commit: () => Promise<void>) => Promise<void>;
}

/** How many rejected rows, and rows with a warning, a load's answer lists (all are kept in etl.*). */
const ROWS_IN_RESULT = 100;

export async function loadExtract(
  warehouse: Warehouse,
  sourceDir: string,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const started = new Date();
  const progress = options.onProgress ?? (() => {});
  const conn = await warehouse.connect();
  const scratch = mkdtempSync(join(tmpdir(), 'etl-'));
  let manifest: Manifest | null = null;
  try {
    manifest = readManifest(sourceDir);
    const names = FILE_SPECS.map((s) => s.file).filter((f) => f in manifest!.files);
    const files: ExtractFile[] = [];
    for (const [index, name] of names.entries()) {
      progress({ file: name, index, total: names.length, phase: 'checking' });
      files.push(await checkFile(sourceDir, manifest, name));
    }
    const runId = await nextRunId(conn);
    await conn.run('BEGIN TRANSACTION');
    try {
      // A full extract replaces everything: an optional file it leaves out leaves its table empty
      // (emptied first, so the files that name its rows are checked against what this extract holds).
      if (manifest.kind === 'full') {
        for (const spec of FILE_SPECS)
          if (!(spec.file in manifest.files)) await conn.run(`DELETE FROM ${spec.table}`);
      }
      const stats: Record<string, FileStats & { ms: number }> = {};
      for (const [index, file] of files.entries()) {
        const t0 = Date.now();
        const step = (phase: Progress['phase']) =>
          progress({ file: file.spec.file, index, total: files.length, phase });
        stats[file.spec.file] = {
          ...(await loadFile(conn, manifest, file, runId, scratch, step)),
          ms: Date.now() - t0,
        };
      }
      progress({ file: '', index: files.length, total: files.length, phase: 'refreshing' });
      await refreshDerived(conn);
      await recordCoverage(
        conn,
        manifest,
        files.map((f) => f.spec.file),
        runId,
      );
      const finished = new Date();
      await recordRun(
        conn,
        runId,
        sourceDir,
        manifest,
        'loaded',
        null,
        started,
        finished,
        Object.values(stats),
      );
      // A changed budget.csv becomes an approved budget version, with the data it belongs to.
      await importBudgetCsv(sqlOfConnection(conn), manifest.extract_id, finished);
      for (const file of files) {
        const s = stats[file.spec.file]!;
        await runQuery(
          conn,
          `INSERT INTO etl.run_files (run_id, file, sha256, bytes, rows_read, rows_loaded, rows_rejected, rows_warned, duration_ms)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [runId, file.spec.file, file.sha256, file.bytes, s.read, s.loaded, s.rejected, s.warned, s.ms],
        );
      }
      const commit = async () => void (await conn.run('COMMIT'));
      await (options.aroundCommit ? options.aroundCommit(commit) : commit());
      return {
        run_id: runId,
        extract_id: manifest.extract_id,
        status: 'loaded',
        files: Object.fromEntries(
          Object.entries(stats).map(([name, { read, loaded, rejected, warned }]) => [
            name,
            { read, loaded, rejected, warned },
          ]),
        ),
        rejects: await firstRows(conn, 'etl.rejects', runId),
        warnings: await firstRows(conn, 'etl.warnings', runId),
        duration_ms: finished.getTime() - started.getTime(),
      };
    } catch (err) {
      // After a failed COMMIT there is no transaction left to roll back; keep the first error.
      await conn.run('ROLLBACK').catch(() => {});
      throw err;
    }
  } catch (err) {
    const message = err instanceof ExtractRefused ? err.message : `load failed: ${firstLine(err)}`;
    const finished = new Date();
    const runId = await nextRunId(conn);
    await recordRun(conn, runId, sourceDir, manifest, 'refused', message, started, finished, []);
    return {
      run_id: runId,
      extract_id: manifest?.extract_id ?? null,
      status: 'refused',
      message,
      files: {},
      rejects: [],
      warnings: [],
      duration_ms: finished.getTime() - started.getTime(),
    };
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${RAW_TABLE}`).catch(() => {});
    conn.closeSync();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function loadFile(
  conn: DuckDBConnection,
  manifest: Manifest,
  file: ExtractFile,
  runId: number,
  scratch: string,
  step: (phase: Progress['phase']) => void,
): Promise<FileStats> {
  const { spec } = file;
  step('reading');
  const path =
    manifest.encoding === 'gbk'
      ? await transcodeGbk(file.path, join(scratch, spec.file), spec.file)
      : file.path;
  await stageRaw(conn, file, path);
  const staged = (
    await runQuery(conn, `SELECT count(*) AS n, coalesce(min(rowid), 0) AS first FROM ${RAW_TABLE}`)
  ).rows[0]!;
  const read = Number(staged.n);
  const firstRowId = Number(staged.first);
  if (read !== file.rows)
    throw new ExtractRefused(`${spec.file}: the manifest says ${file.rows} rows but the file has ${read}`);

  step('validating');
  if (manifest.kind === 'full') await conn.run(`DELETE FROM ${spec.table}`);
  // The checks are a query, not a table: valid rows go straight into the fact table, and the
  // query runs again for the rejects only when some rows were rejected (rare, and small).
  const checked = `(${checkSql(spec, firstRowId)})`;
  const columns = spec.columns.map((c) => ident(c.name)).join(', ');
  if (manifest.kind === 'incremental') {
    const match = spec.key.map((k) => `c.${ident(k)} = ${spec.table}.${ident(k)}`).join(' AND ');
    await conn.run(
      `DELETE FROM ${spec.table} WHERE EXISTS (SELECT 1 FROM ${checked} c WHERE c.reject IS NULL AND ${match})`,
    );
  }

  step('loading');
  const inserted = await runQuery(
    conn,
    `INSERT INTO ${spec.table} (${columns}, batch_id) SELECT ${columns}, $1 FROM ${checked} WHERE reject IS NULL`,
    [manifest.extract_id],
  );
  const rejected = read - inserted.rowCount;
  if (rejected > 0) {
    await runQuery(
      conn,
      `INSERT INTO etl.rejects
       SELECT $1, $2, $3, c._line, c.reject['column'], c.reject['reason'], to_json(r)::VARCHAR
       FROM ${checked} c JOIN ${RAW_TABLE} r ON r.rowid = c._line - 2 + ${firstRowId}
       WHERE c.reject IS NOT NULL`,
      [runId, manifest.extract_id, spec.file],
    );
  }
  return {
    read,
    loaded: inserted.rowCount,
    rejected,
    warned: await warnUnknownValues(conn, manifest, spec.file, spec.columns, runId, firstRowId),
  };
}

/**
 * Rows loaded that name something the warehouse does not hold: kept, and listed in etl.warnings
 * with file, line and value. A staff_id the staff list does not hold (nothing to check while there
 * is no staff list: an extract of format version 1, or a group that does not export staff.csv);
 * a column's `known` row (a renewal of a policy older than the extract) — checked after the file's
 * rows are in, so a file may name its own rows.
 */
async function warnUnknownValues(
  conn: DuckDBConnection,
  manifest: Manifest,
  file: string,
  columns: FileSpec['columns'],
  runId: number,
  firstRowId: number,
): Promise<number> {
  const checks: { column: string; table: string; key: string; reason: string }[] = [];
  if (columns.some((c) => c.staff)) {
    const { rows } = await runQuery(conn, 'SELECT count(*) AS n FROM dim_staff');
    if (Number(rows[0]!.n))
      for (const c of columns.filter((x) => x.staff))
        checks.push({
          column: c.name,
          table: 'dim_staff',
          key: 'staff_id',
          reason: `'unknown staff_id "' || %v || '" (not in staff.csv): loaded, counted as unassigned'`,
        });
  }
  for (const c of columns)
    if (c.known)
      checks.push({
        column: c.name,
        table: c.known.table,
        key: c.known.column,
        reason: `'unknown ${c.known.what} "' || %v || '": loaded'`,
      });
  let warned = 0;
  for (const check of checks) {
    const value = `r.${ident(check.column)}`;
    const line = `r.rowid - ${firstRowId} + 2`;
    const inserted = await runQuery(
      conn,
      `INSERT INTO etl.warnings
       SELECT $1, $2, $3, ${line}, $4, ${check.reason.replace('%v', value)}
       FROM ${RAW_TABLE} r
       WHERE ${value} IS NOT NULL AND ${value} NOT IN (SELECT ${ident(check.key)} FROM ${ident(check.table)})
         AND ${line} NOT IN (SELECT line FROM etl.rejects WHERE run_id = $1 AND file = $3)`,
      [runId, manifest.extract_id, file, check.column],
    );
    warned += inserted.rowCount;
  }
  return warned;
}

/** All columns as VARCHAR, so a malformed value becomes a reject with a reason rather than a
 *  failed read. Rows keep file order (preserve_insertion_order), so a row's line is its rowid's
 *  distance from the first rowid + 2 (the header is line 1). */
async function stageRaw(conn: DuckDBConnection, file: ExtractFile, path: string): Promise<void> {
  const columns = `{${file.header.map((c) => `'${c}': 'VARCHAR'`).join(', ')}}`;
  try {
    await runQuery(
      conn,
      `CREATE OR REPLACE TEMP TABLE ${RAW_TABLE} AS
       SELECT ${file.spec.columns
         .map((c) => (file.header.includes(c.name) ? ident(c.name) : `NULL::VARCHAR AS ${ident(c.name)}`))
         .join(', ')}
       FROM read_csv($1, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${columns})`,
      [path],
    );
  } catch (err) {
    throw new ExtractRefused(`${file.spec.file}: ${describeCsvError(err)}`);
  }
}

/** DuckDB's CSV errors are many lines long; keep what says where and what. */
function describeCsvError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = /CSV Error on Line: (\d+)/.exec(text)?.[1];
  const where = line ? `line ${line}: ` : '';
  const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(text);
  if (columns) return `${where}expected ${columns[1]} fields, found ${columns[2]}`;
  if (/Invalid unicode/i.test(text))
    return `${where}not valid UTF-8 — if the file is GBK-encoded, the manifest must say "encoding": "gbk"`;
  if (/unterminated quote/i.test(text)) return `${where}unterminated quoted field`;
  return `${where}cannot be read as CSV: ${firstLine(err).replace(/^.*Error: /, '')}`;
}

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();

async function nextRunId(conn: DuckDBConnection): Promise<number> {
  return Number(
    (await runQuery(conn, 'SELECT coalesce(max(run_id), 0) + 1 AS id FROM etl.runs')).rows[0]!.id,
  );
}

async function recordRun(
  conn: DuckDBConnection,
  runId: number,
  sourceDir: string,
  manifest: Manifest | null,
  status: LoadResult['status'],
  message: string | null,
  started: Date,
  finished: Date,
  stats: FileStats[],
): Promise<void> {
  const total = (key: keyof FileStats) => stats.reduce((sum, s) => sum + s[key], 0);
  await runQuery(
    conn,
    'INSERT INTO etl.runs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)',
    [
      runId,
      manifest?.extract_id ?? null,
      manifest?.kind ?? null,
      sourceDir,
      status,
      message,
      manifest?.period_from ?? null,
      manifest?.period_to ?? null,
      started.toISOString(),
      finished.toISOString(),
      finished.getTime() - started.getTime(),
      total('read'),
      total('loaded'),
      total('rejected'),
    ],
  );
}

/**
 * The window each file's data now covers: a full extract replaces it (a file it lacks covers
 * nothing any more), an incremental one extends it. Metrics read a period only where their
 * sources cover it (server/src/metrics/coverage.ts).
 */
async function recordCoverage(
  conn: DuckDBConnection,
  manifest: Manifest,
  files: readonly string[],
  runId: number,
): Promise<void> {
  if (manifest.kind === 'full') await conn.run('DELETE FROM etl.coverage');
  for (const file of files) {
    // An incremental that leaves days out would make them look covered (their flows 0): refused.
    const { rows } = await runQuery(
      conn,
      `SELECT covered_to::VARCHAR AS covered_to FROM etl.coverage WHERE file = $1 AND covered_to + 1 < $2::DATE`,
      [file, manifest.period_from],
    );
    if (rows.length) {
      throw new ExtractRefused(
        `${file}: the extract starts on ${manifest.period_from} but the loaded data ends on ${rows[0]!.covered_to}: load the days between first`,
      );
    }
    await runQuery(
      conn,
      `INSERT INTO etl.coverage VALUES ($1, $2::DATE, $3::DATE, $4)
       ON CONFLICT (file) DO UPDATE SET covered_from = least(covered_from, excluded.covered_from),
         covered_to = greatest(covered_to, excluded.covered_to), run_id = excluded.run_id`,
      [file, manifest.period_from, manifest.period_to, runId],
    );
  }
}

async function firstRows(
  conn: DuckDBConnection,
  table: 'etl.rejects' | 'etl.warnings',
  runId: number,
): Promise<RejectSummary[]> {
  const { rows } = await runQuery(
    conn,
    `SELECT r.file, r.line, r.column_name AS column, r.reason FROM ${table} r
     WHERE r.run_id = $1 ORDER BY r.file, r.line, r.column_name LIMIT ${ROWS_IN_RESULT}`,
    [runId],
  );
  return rows as unknown as RejectSummary[];
}
