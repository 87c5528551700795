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
 * Makes `versionId` (approved) govern the months its lines cover: those still open, and any no
 * version governs yet; a closed month keeps the target it had. A store and metric the version does
 * not plan keep the line of the version approved before (approved_budget). An import
 * (`overPlans: false`) leaves alone the months a version approved in the product governs: a changed
 * budget.csv does not undo the group's plan. Versions no longer the latest of any month are
 * superseded. Answers the months it took.
 */
export async function govern(
  sql: Sql,
  versionId: number,
  actor: string,
  now: Date,
  overPlans = true,
): Promise<string[]> {
  const taken = (await sql(
    `SELECT DISTINCT l.month
     FROM app.budget_lines l
     WHERE l.version_id = ?
       AND (last_day(l.month) > coalesce(${DATA_TO_SQL}, DATE '1900-01-01')
            OR NOT EXISTS (SELECT 1 FROM app.budget_months m WHERE m.month = l.month))
       AND (? OR NOT EXISTS (
             SELECT 1 FROM app.budget_months m JOIN app.budget_versions v USING (version_id)
             WHERE m.month = l.month AND v.source <> 'import'))
     ORDER BY l.month`,
    [versionId, overPlans],
  )) as { month: string }[];
  for (const { month } of taken)
    await sql(`INSERT INTO app.budget_months (month, version_id) VALUES (?::DATE, ?)`, [month, versionId]);
  const superseded = (await sql(
    `UPDATE app.budget_versions v SET status = 'superseded', updated_at = ?, revision = revision + 1
     WHERE v.status = 'approved' AND v.version_id <> ?
       AND NOT EXISTS (
         SELECT 1 FROM app.budget_months m
         WHERE m.version_id = v.version_id
           AND m.seq = (SELECT max(n.seq) FROM app.budget_months n WHERE n.month = m.month))
     RETURNING v.version_id`,
    [now, versionId],
  )) as { version_id: number }[];
  for (const { version_id: id } of superseded)
    await sql(
      `INSERT INTO app.budget_events (happened_at, actor, version_id, action, note) VALUES (?, ?, ?, 'supersede', ?)`,
      [now, actor, id, `by version ${versionId}`],
    );
  return taken.map((t) => String(t.month).slice(0, 7));
}

/**
 * Inside a load's transaction: when fact_budget differs from the last imported version (or none
 * was imported), it becomes a new approved version named after the extract, governing its months
 * as an approval would, except those the product's own plans govern. Answers the new version's
 * id, or null when nothing changed.
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
  await govern(sql, id, 'etl', now, false);
  return id;
}
