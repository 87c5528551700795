// Budget targets for a node and period, from effective_budget (store × month × metric: the approved
// budget version, where a target set in the product does not replace it; sql/018), and a person's
// from their own targets (app.targets).
// - flows (sum metrics) add the targets up; a month the period covers only in part counts pro
//   rata by days, so a month-to-date view compares with the month-to-date share of the target;
//   a period with a month the budget does not cover has no target;
// - balances that add across stores (stock units, stock value) add the stores' targets for the
//   period's last month: a balance is judged at the period end;
// - ratios take the mean of the store-month targets (a target rate is not additive), or of the
//   node's own rate targets where one was set for it.
import type { Knex } from 'knex';
import type { MetricDefinition } from './catalog.ts';
import type { Bucket, Period } from './periods.ts';

/** The periods as a table (k, p_from, p_to) to join targets' months with. */
const periodsTable = (knex: Knex, periods: readonly Bucket[]) =>
  knex.raw(
    `SELECT * FROM (VALUES ${periods.map(() => '(?::VARCHAR, ?::DATE, ?::DATE)').join(', ')}) t(k, p_from, p_to)`,
    periods.flatMap((p) => [p.key, p.from, p.to]),
  );

/** Σ of monthly targets, each month counted for the share of its days inside the period (fixed SQL over column names of this file). */
const prorated = (value: string, month: string) =>
  `sum(${value} * (least(last_day(${month}), p.p_to) - greatest(${month}, p.p_from) + 1) / (last_day(${month}) - ${month} + 1))`;

/** Node → metric → target, for one period. */
export type Targets = Map<string, Map<string, number>>;

/** Targets of several nodes at once (risk evaluation judges every node of a level), for one period. */
export async function targetsByNode(
  knex: Knex,
  nodes: readonly string[],
  metrics: readonly MetricDefinition[],
  period: Period,
): Promise<Targets> {
  return (await targetsByPeriod(knex, nodes, metrics, [{ ...period, key: '' }])).get('') ?? new Map();
}

/** Targets of several nodes for several periods in one query (a time series' months): period key → targets. */
export async function targetsByPeriod(
  knex: Knex,
  nodes: readonly string[],
  metrics: readonly MetricDefinition[],
  periods: readonly Bucket[],
): Promise<Map<string, Targets>> {
  if (metrics.length === 0 || nodes.length === 0 || periods.length === 0) return new Map();
  const rows = (await knex
    .with('periods', periodsTable(knex, periods))
    .from('effective_budget as b')
    .join('org_closure as scope', 'scope.descendant_id', 'b.store_id')
    .join('periods as p', knex.raw(`b.period BETWEEN date_trunc('month', p.p_from) AND p.p_to`))
    .whereIn('scope.ancestor_id', nodes)
    .whereIn(
      'b.metric_id',
      metrics.map((m) => m.id),
    )
    .groupBy('p.k', 'scope.ancestor_id', 'b.metric_id')
    .select(
      'p.k as period_key',
      'scope.ancestor_id as node_id',
      'b.metric_id',
      knex.raw(`${prorated('b.target', 'b.period')} AS prorated`),
      knex.raw('avg(b.target) AS mean'),
      knex.raw(`sum(b.target) FILTER (WHERE b.period = date_trunc('month', p.p_to)) AS at_end`),
      knex.raw('count(DISTINCT b.period) AS months'),
      knex.raw(
        `datediff('month', date_trunc('month', any_value(p.p_from)), date_trunc('month', any_value(p.p_to))) + 1 AS period_months`,
      ),
    )) as {
    period_key: string;
    node_id: string;
    metric_id: string;
    prorated: number;
    months: number;
    period_months: number;
    mean: number;
    at_end: number | null;
  }[];
  // Rate targets set for a node above the stores stand for it, instead of its stores' mean.
  const rates = metrics.filter((m) => m.kind === 'ratio');
  const own = rates.length
    ? ((await knex
        .with('periods', periodsTable(knex, periods))
        .from('app.targets as t')
        .join('dim_org as o', 'o.node_id', 't.node_id')
        .join('periods as p', knex.raw(`t.month BETWEEN date_trunc('month', p.p_from) AND p.p_to`))
        .where('t.staff_id', '')
        .whereNot('o.level', 'store')
        .whereIn('t.node_id', nodes)
        .whereIn(
          't.metric_id',
          rates.map((m) => m.id),
        )
        .groupBy('p.k', 't.node_id', 't.metric_id')
        .select('p.k as period_key', 't.node_id', 't.metric_id', knex.raw('avg(t.value) AS mean'))) as {
        period_key: string;
        node_id: string;
        metric_id: string;
        mean: number;
      }[])
    : [];
  const byPeriod = new Map<string, Targets>();
  for (const row of [
    ...rows,
    ...own.map((r) => ({ ...r, prorated: 0, at_end: null, months: 0, period_months: 0 })),
  ]) {
    const metric = metrics.find((m) => m.id === row.metric_id)!;
    const targets = byPeriod.get(row.period_key) ?? new Map<string, Map<string, number>>();
    byPeriod.set(row.period_key, targets);
    const byMetric = targets.get(row.node_id) ?? new Map<string, number>();
    targets.set(row.node_id, byMetric);
    // A flow's target for a period the budget covers only in part (a year whose last months have
    // none) is no target: a part passed off as the whole would inflate every attainment.
    if (metric.kind === 'sum') {
      if (Number(row.months) >= Number(row.period_months)) byMetric.set(row.metric_id, Number(row.prorated));
    } else if (metric.kind === 'balance' && metric.formula.kind === 'sum') {
      if (row.at_end !== null) byMetric.set(row.metric_id, Number(row.at_end));
    } else byMetric.set(row.metric_id, Number(row.mean));
  }
  return byPeriod;
}

/** People's own targets (app.targets) per period: period key → staff id → metric → target; flows pro rata, rates the mean. */
export async function personTargetsByPeriod(
  knex: Knex,
  staffIds: readonly string[],
  metrics: readonly MetricDefinition[],
  periods: readonly Bucket[],
): Promise<Map<string, Targets>> {
  const targetable = metrics.filter((m) => m.kind === 'sum' || m.kind === 'ratio');
  if (targetable.length === 0 || periods.length === 0 || staffIds.length === 0) return new Map();
  const rows = (await knex
    .with('periods', periodsTable(knex, periods))
    .from('app.targets as t')
    .join('periods as p', knex.raw(`t.month BETWEEN date_trunc('month', p.p_from) AND p.p_to`))
    .whereIn('t.staff_id', staffIds)
    .whereIn(
      't.metric_id',
      targetable.map((m) => m.id),
    )
    .groupBy('p.k', 't.staff_id', 't.metric_id')
    .select(
      'p.k as period_key',
      't.staff_id',
      't.metric_id',
      knex.raw(`${prorated('t.value', 't.month')} AS prorated`),
      knex.raw('avg(t.value) AS mean'),
    )) as { period_key: string; staff_id: string; metric_id: string; prorated: number; mean: number }[];
  const byPeriod = new Map<string, Targets>();
  for (const row of rows) {
    const metric = targetable.find((m) => m.id === row.metric_id)!;
    const byPerson = byPeriod.get(row.period_key) ?? new Map<string, Map<string, number>>();
    byPeriod.set(row.period_key, byPerson);
    const byMetric = byPerson.get(row.staff_id) ?? new Map<string, number>();
    byPerson.set(row.staff_id, byMetric);
    byMetric.set(row.metric_id, Number(metric.kind === 'sum' ? row.prorated : row.mean));
  }
  return byPeriod;
}
