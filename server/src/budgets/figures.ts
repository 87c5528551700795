// What a budget line is planned from: each unit's actual of the same month a year before, and the
// forecast of the month (store series of the forecasting engine, summed over a unit's stores).
import { METRIC_BY_ID, type MetricDefinition } from '../metrics/catalog.ts';
import { evaluateMetric, measuresFor, type Grouping } from '../metrics/compiler.ts';
import type { Scope, VettedNode } from '../scope/scope.ts';
import type { ForecastService } from '../forecast/service.ts';
import { isForecastable } from '../forecast/series.ts';
import type { Org } from './access.ts';
import { addMonths, lastDay, monthBucket } from './months.ts';

/** unit → month → value (null: no data). */
export type Figures = Map<string, Map<string, number | null>>;

/**
 * Each unit's actual in the month a year before each of `months`: the units are the node's
 * children (`by: children`), its stores (`store`) or the node itself (`none`). A month outside the
 * data's coverage, or before a unit opened, is no data; a month the data covers in which an open
 * unit has no rows is a zero (a rate: no rate).
 */
export async function lastYear(
  scope: Scope,
  org: Org,
  node: VettedNode,
  metric: MetricDefinition,
  months: readonly string[],
  by: Grouping & { by: 'children' | 'store' | 'none' },
): Promise<Figures> {
  const coverage = await scope.coverage();
  const buckets = months
    .map((m) => ({ ...monthBucket(addMonths(m, -12)), key: m }))
    .filter((b) => coverage.covers(metric, b));
  const out: Figures = new Map();
  if (buckets.length === 0) return out;
  const values = await scope.measures(node, {
    measures: measuresFor([metric]),
    periods: buckets,
    grouping: by,
  });
  const units =
    by.by === 'none'
      ? [org.byId.get(node.node_id)!]
      : by.by === 'children'
        ? org.children(node.node_id)
        : org.stores(node.node_id).map((id) => org.byId.get(id)!);
  for (const unit of units) {
    const byMonth = values.get(by.by === 'none' ? '' : unit.node_id);
    const row = new Map<string, number | null>();
    for (const b of buckets) {
      if (unit.opened_on && unit.opened_on > b.to) row.set(b.key, null);
      else row.set(b.key, evaluateMetric(metric, byMonth?.get(b.key) ?? {}, b));
    }
    out.set(unit.node_id, row);
  }
  return out;
}

/** The month end the forecasts start after: the data's last whole month. */
export function forecastOrigin(dataTo: string): string {
  return lastDay(dataTo.slice(0, 7)) === dataTo ? dataTo : lastDay(addMonths(dataTo.slice(0, 7), -1));
}

/**
 * Each store's forecast of each of `months` after the data's last whole month, for a metric the
 * engine forecasts. `wait`: until the family is computed (seeding a version); else what is ready
 * now (a grid's column), with `pending` set while it is not.
 */
export async function storeForecasts(
  forecasts: ForecastService,
  metric: MetricDefinition,
  dataTo: string,
  months: readonly string[],
  wait: boolean,
): Promise<{ figures: Figures; pending: boolean }> {
  const figures: Figures = new Map();
  // The engine forecasts the catalog's flows (a plan-only line has no family of its own).
  if (!METRIC_BY_ID.has(metric.id) || !isForecastable(metric)) return { figures, pending: false };
  const asOf = forecastOrigin(dataTo);
  const id = { kind: 'metric' as const, metric, level: null };
  let state = await forecasts.family(id, asOf);
  while (wait && state.status === 'pending') {
    await forecasts.idle();
    state = await forecasts.family(id, asOf);
  }
  if (state.status !== 'ready') return { figures, pending: state.status === 'pending' };
  const wanted = new Set(months);
  for (const member of state.family.members) {
    const row = new Map<string, number | null>();
    for (const p of member.forecast.points) if (wanted.has(p.period)) row.set(p.period, p.value);
    figures.set(member.series.store, row);
  }
  return { figures, pending: false };
}
