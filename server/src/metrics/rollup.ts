// The store × month roll-up (agg_store_month): each measure whose value over whole months follows
// from its value in each month (every time rule but sold_new_12_36m), per store and month, over the
// months of the loaded data. It is computed by the compiler's own fact queries, one month at a
// time, so it means exactly what they mean; the compiler then answers whole-month requests (the
// overview's cards, sparklines and trends, rankings, the risk evaluation) from stores × months
// rows instead of the fact tables.
// It is rebuilt after each load has committed, apart from the load's transaction (the load's
// speed is its own), and tagged with the run it was built from and its measures' definitions: a
// reader uses it only while that run is the data version it reads and the definitions are this
// release's, and reads the facts until then.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { currentDataVersion } from '../etl-runs/service.ts';
import { logger } from '../logger.ts';
import {
  bySourceAndRule,
  factQuery,
  isRolledUp,
  monthsColumn,
  ROLLUP_TABLE,
  type RollupInfo,
} from './compiler.ts';
import { MEASURES, type MeasureId } from './measures.ts';
import { bucketsOf, monthStartsOf, type Bucket } from './periods.ts';

const META_TABLE = 'agg_store_month_meta';

/** The measures the roll-up holds. */
const ROLLED = (Object.keys(MEASURES) as MeasureId[]).filter((id) => isRolledUp(MEASURES[id].time));

/**
 * What the roll-up's columns mean, as a hash of the measures' definitions (and a version for the
 * compiler's own SQL around them): a roll-up built with other definitions is not read.
 */
const DEFINITION = createHash('sha256')
  .update(JSON.stringify({ compiler: 1, measures: ROLLED.map((id) => [id, MEASURES[id]]) }))
  .digest('hex')
  .slice(0, 16);

/** The roll-up, if it was built from `runId` (the data version the caller reads); else null. */
export async function rollupOf(knex: Knex, runId: number | null): Promise<RollupInfo | null> {
  if (runId === null) return null;
  const meta = (await knex(META_TABLE).first('run_id', 'month_from', 'month_to', 'definition')) as
    { run_id: number; month_from: string; month_to: string; definition: string | null } | undefined;
  return meta && Number(meta.run_id) === runId && meta.definition === DEFINITION
    ? { from: meta.month_from, to: meta.month_to }
    : null;
}

/** Rebuilds the roll-up from the current data version, in one transaction; null when nothing is loaded. */
export async function buildRollup(
  knex: Knex,
): Promise<{ info: RollupInfo; rows: number; ms: number } | null> {
  const started = performance.now();
  // The version and the facts are read in the same transaction: the tag is the data it holds.
  const info = await knex.transaction(async (trx) => {
    const version = await currentDataVersion(trx);
    if (version.run_id === null || !version.data_from || !version.period_to) return null;
    // Whole months only: a month the data covers in part is read from the facts.
    const months = bucketsOf({ from: version.data_from, to: version.period_to }, 'month').filter(
      (b) => monthStartsOf(b) !== null,
    );
    if (months.length === 0) return null;
    const roots = (await trx('dim_org').whereNull('parent_id').pluck('node_id')) as string[];
    await trx.raw('CREATE OR REPLACE TABLE ?? AS ?', [ROLLUP_TABLE, rollupQuery(trx, roots, months)]);
    const built: RollupInfo = { from: months[0]!.from, to: months.at(-1)!.from };
    await trx(META_TABLE).delete();
    await trx(META_TABLE).insert({
      run_id: version.run_id,
      month_from: built.from,
      month_to: built.to,
      definition: DEFINITION,
    });
    return built;
  });
  if (!info) return null;
  const rows = Number(((await knex(ROLLUP_TABLE).count({ n: '*' })) as { n: number }[])[0]!.n);
  return { info, rows, ms: Math.round(performance.now() - started) };
}

/** Builds in this process run one after another (a load's and a server start's may meet). */
let building: Promise<unknown> = Promise.resolve();

/** Builds the roll-up unless it holds the current data version already (checked in its turn). */
export function buildRollupIfStale(knex: Knex): Promise<void> {
  const run = building.then(async () => {
    if (await rollupOf(knex, (await currentDataVersion(knex)).run_id)) return;
    const built = await buildRollup(knex);
    if (built) logger.info(built, `rollup built: ${built.rows} store-months in ${built.ms} ms`);
  });
  building = run.catch(() => undefined);
  return run;
}

/** One row per store and month, a column per measure (NULL where a source has no rows that month). */
function rollupQuery(knex: Knex, roots: string[], months: Bucket[]): Knex.QueryBuilder {
  const groups = bySourceAndRule(ROLLED);
  let query = knex
    .with(
      'months',
      knex.raw(
        `SELECT * FROM (VALUES ${months.map(() => '(?::VARCHAR, ?::DATE)').join(', ')}) t(k, m)`,
        months.flatMap((m) => [m.key, m.from]),
      ),
    )
    .from('dim_org as s')
    .crossJoin(knex.raw('months as mo'))
    .where('s.level', 'store');
  const columns: Knex.Raw[] = [knex.raw('s.node_id AS store_id'), knex.raw('mo.m AS month')];
  groups.forEach((ids, i) => {
    const g = `g${i}`;
    const perRoot = roots.map((root) =>
      factQuery(knex, { measures: ids, node: root, periods: months, grouping: { by: 'store' } }, ids),
    );
    query = query
      .with(g, perRoot.length === 1 ? perRoot[0]! : knex.unionAll(perRoot, true))
      .leftJoin(g, function () {
        this.on(`${g}.group_key`, '=', 's.node_id').andOn(`${g}.period_key`, '=', 'mo.k');
      });
    for (const id of ids) {
      columns.push(knex.raw('?? AS ??', [`${g}.${id}`, id]));
      if (MEASURES[id].time.kind === 'snapshot_month_end_avg') {
        columns.push(knex.raw('?? AS ??', [`${g}.month_ends_with_data`, monthsColumn(id)]));
      }
    }
  });
  return query.select(columns);
}
