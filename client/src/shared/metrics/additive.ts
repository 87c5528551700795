// Whether a metric adds up across the units below: then the children's figures are shares of the
// parent's (mix donuts, share columns), and the parent's figure is no level to draw among them.
import type { MetricInfo } from './types.ts';

/** Units of amounts and counts; every other unit is a rate, a ratio or a duration. */
const AMOUNTS: ReadonlySet<MetricInfo['unit']> = new Set(['yuan', 'units', 'count']);

/** Flows (sum) add up; so do balances of amounts (stock value, floorplan), not balances of rates. */
export function isAdditive(metric: Pick<MetricInfo, 'kind' | 'unit'>): boolean {
  return metric.kind === 'sum' || (metric.kind === 'balance' && AMOUNTS.has(metric.unit));
}
