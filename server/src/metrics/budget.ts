// Budget targets (fact_budget: store × month × metric) for a node and period. A month the period
// covers only in part counts pro rata by days, so a month-to-date view compares with the
// month-to-date share of the target. Sum metrics add targets up; for ratios and balances the
// target is the mean of the store-month targets.
import type { Knex } from 'knex';
import type { MetricDefinition } from './catalog.ts';
import type { Period } from './periods.ts';

export async function queryTargets(knex: Knex, node: string, metrics: readonly MetricDefinition[], period: Period): Promise<Map<string, number>> {
  if (metrics.length === 0) return new Map();
  const rows = (await knex('fact_budget as b')
    .join('org_closure as scope', 'scope.descendant_id', 'b.store_id')
    .where('scope.ancestor_id', node)
    .whereIn('b.metric_id', metrics.map((m) => m.id))
    .whereBetween('b.period', [knex.raw(`date_trunc('month', ?::DATE)`, [period.from]), knex.raw('?::DATE', [period.to])])
    .groupBy('b.metric_id')
    .select(
      'b.metric_id',
      knex.raw(
        `sum(b.target * (least(last_day(b.period), ?::DATE) - greatest(b.period, ?::DATE) + 1) / (last_day(b.period) - b.period + 1)) AS prorated`,
        [period.to, period.from],
      ),
      knex.raw('avg(b.target) AS mean'),
    )) as { metric_id: string; prorated: number; mean: number }[];
  const targets = new Map<string, number>();
  for (const row of rows) {
    const metric = metrics.find((m) => m.id === row.metric_id)!;
    targets.set(row.metric_id, metric.kind === 'sum' ? Number(row.prorated) : Number(row.mean));
  }
  return targets;
}
