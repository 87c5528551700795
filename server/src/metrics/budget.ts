// Budget targets (fact_budget: store × month × metric) for a node and period.
// - flows (sum metrics) add the targets up; a month the period covers only in part counts pro
//   rata by days, so a month-to-date view compares with the month-to-date share of the target;
// - balances that add across stores (stock units, stock value) add the stores' targets for the
//   period's last month: a balance is judged at the period end;
// - ratios take the mean of the store-month targets (a target rate is not additive).
import type { Knex } from 'knex';
import type { MetricDefinition } from './catalog.ts';
import type { Period } from './periods.ts';

export async function queryTargets(
  knex: Knex,
  node: string,
  metrics: readonly MetricDefinition[],
  period: Period,
): Promise<Map<string, number>> {
  return (await targetsByNode(knex, [node], metrics, period)).get(node) ?? new Map();
}

/** Targets of several nodes at once (risk evaluation judges every node of a level): node → metric → target. */
export async function targetsByNode(
  knex: Knex,
  nodes: readonly string[],
  metrics: readonly MetricDefinition[],
  period: Period,
): Promise<Map<string, Map<string, number>>> {
  if (metrics.length === 0 || nodes.length === 0) return new Map();
  const rows = (await knex('fact_budget as b')
    .join('org_closure as scope', 'scope.descendant_id', 'b.store_id')
    .whereIn('scope.ancestor_id', nodes)
    .whereIn(
      'b.metric_id',
      metrics.map((m) => m.id),
    )
    .whereBetween('b.period', [
      knex.raw(`date_trunc('month', ?::DATE)`, [period.from]),
      knex.raw('?::DATE', [period.to]),
    ])
    .groupBy('scope.ancestor_id', 'b.metric_id')
    .select(
      'scope.ancestor_id as node_id',
      'b.metric_id',
      knex.raw(
        `sum(b.target * (least(last_day(b.period), ?::DATE) - greatest(b.period, ?::DATE) + 1) / (last_day(b.period) - b.period + 1)) AS prorated`,
        [period.to, period.from],
      ),
      knex.raw('avg(b.target) AS mean'),
      knex.raw(`sum(b.target) FILTER (WHERE b.period = date_trunc('month', ?::DATE)) AS at_end`, [period.to]),
    )) as { node_id: string; metric_id: string; prorated: number; mean: number; at_end: number | null }[];
  const targets = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const metric = metrics.find((m) => m.id === row.metric_id)!;
    const byMetric = targets.get(row.node_id) ?? new Map<string, number>();
    targets.set(row.node_id, byMetric);
    if (metric.kind === 'sum') byMetric.set(row.metric_id, Number(row.prorated));
    else if (metric.kind === 'balance' && metric.formula.kind === 'sum') {
      if (row.at_end !== null) byMetric.set(row.metric_id, Number(row.at_end));
    } else byMetric.set(row.metric_id, Number(row.mean));
  }
  return targets;
}
