// Requests and answers of /api/explain: how much of a metric's change each unit below contributed,
// for additive metrics exactly the units' own changes, for ratios split into rate and mix effects
// that add up exactly to the parent's change (docs/metrics.md).
import { z } from 'zod';
import { metricId, nodeRef, unit } from './metrics.ts';
import { date, text } from './params.ts';

export const explainQuery = z
  .object({
    metric: text(),
    node: text(),
    from: date,
    to: date,
    compare: z.enum(['prev', 'yoy', 'budget'], { error: 'must be prev, yoy or budget' }),
  })
  .strict();

const num = z.number().nullable();

export const explainedUnit = z.strictObject({
  id: z.string(),
  name: z.string(),
  value: num,
  base: num,
  /** The unit's own change (value − base). */
  delta: num,
  /** Ratios: the part of the parent's change from the unit's own rate, at its average weight. */
  rate_effect: num.optional(),
  /** Ratios: the part from the unit's weight in the denominator moving, at its average rate less the parent's. */
  mix_effect: num.optional(),
  /** What the unit adds to the parent's change: its delta (additive), rate + mix effects (ratio). */
  contribution: num,
  /** contribution / the parent's delta; null when the parent did not move. */
  share_of_delta: num,
});

export const explainResponse = z.strictObject({
  metric: metricId,
  node: nodeRef,
  unit,
  compare: z.enum(['prev', 'yoy', 'budget']),
  from: z.string(),
  to: z.string(),
  /** The base period (prev, yoy); the period itself for a budget. */
  base_from: z.string(),
  base_to: z.string(),
  value: num,
  base: num,
  delta: num,
  /** additive: the units' deltas; ratio: rate and mix effects; none: a ratio against budget (no base weights) or a figure that does not split. */
  decomposition: z.enum(['additive', 'ratio', 'none']),
  children: z.array(explainedUnit),
  reason: z.literal('no_data').optional(),
});

export type ExplainResponse = z.output<typeof explainResponse>;
export type ExplainedUnit = z.output<typeof explainedUnit>;

// ---- /api/bridge

/** The bridges built so far: vehicle gross by volume, model mix and gross per unit; after-sales gross by repair orders and gross per order. */
export const BRIDGE_KIND_IDS = ['new_gross', 'used_gross', 'aftersales_gross'] as const;

export const bridgeQuery = z
  .object({
    kind: z.enum(BRIDGE_KIND_IDS, { error: `must be one of ${BRIDGE_KIND_IDS.join(', ')}` }),
    node: text(),
    from: date,
    to: date,
    compare: z.enum(['prev', 'yoy', 'budget'], { error: 'must be prev, yoy or budget' }),
  })
  .strict();

const bilingual = z.strictObject({ zh: z.string(), en: z.string() });
export const bridgeResponse = z.strictObject({
  kind: z.enum(BRIDGE_KIND_IDS),
  label: bilingual,
  node: nodeRef,
  compare: z.enum(['prev', 'yoy', 'budget']),
  from: z.string(),
  to: z.string(),
  base_from: z.string(),
  base_to: z.string(),
  /** The base's figure (the budget's, against it); the steps add up exactly from it to `end`. */
  start: num,
  steps: z.array(
    z.strictObject({ id: z.enum(['volume', 'mix', 'rate']), label: bilingual, value: z.number() }),
  ),
  end: num,
  /** no_data: a period outside the data; no_target: no budget for the node. */
  reason: z.enum(['no_data', 'no_target']).optional(),
});
export type BridgeResponse = z.output<typeof bridgeResponse>;
