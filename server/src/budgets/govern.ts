// Which approved version is the budget of each month (app.budget_months), and the extract's
// budget.csv as a version of its own. Plain SQL over an executor, so the load's own transaction
// (a DuckDB connection) and the API's (knex) run the same statements.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Knex } from 'knex';
import { runQuery } from '../db/knex-duckdb.ts';

/** Runs one statement with `?` placeholders inside the caller's transaction; answers its rows. */
export type Sql = (sql: string, bindings?: unknown[]) => Promise<Record<string, unknown>[]>;

export const sqlOfConnection =
  (conn: DuckDBConnection): Sql =>
  async (sql, bindings = []) => {
    let n = 0;
    return (
      await runQuery(
        conn,
        sql.replace(/\?/g, () => `$${++n}`),
        bindings,
      )
    ).rows;
  };

export const sqlOfKnex =
  (knex: Knex | Knex.Transaction): Sql =>
  async (sql, bindings = []) =>
    ((await knex.raw(sql, bindings as Knex.RawBinding[])) as { rows: Record<string, unknown>[] }).rows;

/** The data's last day (the latest loaded extract's period_to): a month that ends on or before it is closed. */
export const DATA_TO_SQL = `(SELECT max(period_to) FROM etl.runs WHERE status = 'loaded')`;

/**
 * Makes `versionId` (approved) the budget of the months its lines cover, except months already
 * closed that another version governs: they keep the target they had. Versions that lose a
 * month to it are superseded. Answers the months it took.
 */
export async function govern(sql: Sql, versionId: number, actor: string, now: Date): Promise<string[]> {
  const taken = (await sql(
    `SELECT DISTINCT l.month, m.version_id AS previous
     FROM app.budget_lines l LEFT JOIN app.budget_months m ON m.month = l.month
     WHERE l.version_id = ?
       AND (m.version_id IS NULL OR (m.version_id <> ? AND last_day(l.month) > coalesce(${DATA_TO_SQL}, DATE '1900-01-01')))
     ORDER BY l.month`,
    [versionId, versionId],
  )) as { month: string; previous: number | null }[];
  for (const { month } of taken)
    await sql(`INSERT OR REPLACE INTO app.budget_months (month, version_id) VALUES (?::DATE, ?)`, [
      month,
      versionId,
    ]);
  const previous = [...new Set(taken.flatMap((t) => (t.previous === null ? [] : [Number(t.previous)])))];
  for (const id of previous) {
    await sql(
      `UPDATE app.budget_versions SET status = 'superseded', updated_at = ?, revision = revision + 1
       WHERE version_id = ? AND status = 'approved'`,
      [now, id],
    );
    await sql(
      `INSERT INTO app.budget_events (happened_at, actor, version_id, action, note) VALUES (?, ?, ?, 'supersede', ?)`,
      [now, actor, id, `by version ${versionId}`],
    );
  }
  return taken.map((t) => String(t.month).slice(0, 7));
}

/**
 * Inside a load's transaction: when fact_budget differs from the last imported version (or none
 * was imported), it becomes a new approved version named after the extract, governing its months
 * as an approval would. Answers the new version's id, or null when nothing changed.
 */
export async function importBudgetCsv(sql: Sql, extractId: string, now: Date): Promise<number | null> {
  const [last] = (await sql(
    `SELECT max(version_id) AS id FROM app.budget_versions WHERE source = 'import'`,
  )) as { id: number | null }[];
  const lastId = last?.id ?? null;
  const [diff] = (await sql(
    `SELECT (SELECT count(*) FROM (
               SELECT period, store_id, metric_id, target FROM fact_budget
               EXCEPT SELECT month, node_id, metric_id, target FROM app.budget_lines WHERE version_id = ?)) +
            (SELECT count(*) FROM (
               SELECT month, node_id, metric_id, target FROM app.budget_lines WHERE version_id = ?
               EXCEPT SELECT period, store_id, metric_id, target FROM fact_budget)) AS changed,
            (SELECT count(*) FROM fact_budget) AS rows`,
    [lastId, lastId],
  )) as { changed: number; rows: number }[];
  if (Number(diff!.changed) === 0 || Number(diff!.rows) === 0) return null;
  const [created] = (await sql(
    `INSERT INTO app.budget_versions
       (name, first_month, months, status, source, source_detail, author, created_at, updated_at)
     SELECT 'budget.csv · ' || ?, min(period), datediff('month', min(period), max(period)) + 1,
            'approved', 'import', ?, 'etl', ?, ?
     FROM fact_budget
     RETURNING version_id`,
    [extractId, extractId, now, now],
  )) as { version_id: number }[];
  const id = Number(created!.version_id);
  await sql(
    `INSERT INTO app.budget_lines (version_id, month, node_id, metric_id, target, set_by, set_at)
     SELECT ?, period, store_id, metric_id, target, 'etl', ? FROM fact_budget`,
    [id, now],
  );
  await sql(
    `INSERT INTO app.budget_events (happened_at, actor, version_id, action, note) VALUES (?, 'etl', ?, 'import', ?)`,
    [now, id, extractId],
  );
  await govern(sql, id, 'etl', now);
  return id;
}
