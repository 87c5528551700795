// Requests and answers of /api/explain: how much of a metric's change each unit below contributed,
// for additive metrics exactly the units' own changes, for ratios split into rate and mix effects
// that add up exactly to the parent's change (docs/metrics.md).
import { z } from 'zod';
import { bilingual, metricId, nodeRef, unit } from './metrics.ts';
import { date, text } from './params.ts';
import { BRIDGE_KINDS } from './vocabulary.ts';

export type { BridgeKind } from './vocabulary.ts';

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
  name_en: z.string().nullable(),
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
  /** The change in words, with the units that explain most of it. */
  text: bilingual,
  /** no_data: the period lies outside the data; no_target: against the budget, the node has none. */
  reason: z.enum(['no_data', 'no_target']).optional(),
});

export type ExplainResponse = z.output<typeof explainResponse>;
export type ExplainedUnit = z.output<typeof explainedUnit>;

// ---- /api/bridge

// Variance bridges (from the base's figure to the period's): vehicle gross by volume, model mix
// and gross per unit; after-sales gross by repair orders and gross per order. Composition bridges
// (what the period's figure is made of, each step beside its base): net profit from the
// departments' gross through rebates and expenses; operating cash flow from net profit through the
// working capital (indirect method). The kinds are vocabulary.ts's BRIDGE_KINDS.

export const BRIDGE_STEP_IDS = [
  'volume',
  'mix',
  'rate',
  'gross_new',
  'gross_used',
  'gross_service',
  'gross_parts',
  'gross_fi',
  'rebates',
  'expense_new',
  'expense_used',
  'expense_service',
  'expense_parts',
  'expense_admin',
  'receivables_customer',
  'receivables_bank',
  'receivables_insurer',
  'receivables_oem',
  'vehicle_stock',
  'parts_stock',
  'other_current_assets',
  'payables',
  'other',
] as const;
export type BridgeStepId = (typeof BRIDGE_STEP_IDS)[number];

export const bridgeQuery = z
  .object({
    kind: z.enum(BRIDGE_KINDS, { error: `must be one of ${BRIDGE_KINDS.join(', ')}` }),
    node: text(),
    from: date,
    to: date,
    compare: z.enum(['prev', 'yoy', 'budget'], { error: 'must be prev, yoy or budget' }),
  })
  .strict();

export const bridgeStep = z.strictObject({
  id: z.enum(BRIDGE_STEP_IDS),
  label: bilingual,
  value: z.number(),
  /** Composition bridges: the same step in the base period (null against a budget, which is not set per step). */
  base: num.optional(),
});

export const bridgeResponse = z.strictObject({
  kind: z.enum(BRIDGE_KINDS),
  label: bilingual,
  /** variance: from the base's figure to the period's; composition: the period's figure built up from its parts. */
  shape: z.enum(['variance', 'composition']),
  node: nodeRef,
  compare: z.enum(['prev', 'yoy', 'budget']),
  from: z.string(),
  to: z.string(),
  base_from: z.string(),
  base_to: z.string(),
  /** What the first bar is (the base's figure; net profit for the cash-flow bridge); null: the bridge starts at zero. */
  start_label: bilingual.nullable(),
  end_label: bilingual,
  /** The steps add up exactly from `start` to `end`. */
  start: num,
  steps: z.array(bridgeStep),
  end: num,
  /** Composition bridges: the start and end of the same bridge in the base period (the budget's end where set). */
  base_start: num.optional(),
  base_end: num.optional(),
  /** no_data: a period outside the data; no_target: no budget for the node. */
  reason: z.enum(['no_data', 'no_target']).optional(),
});
export type BridgeResponse = z.output<typeof bridgeResponse>;
export type BridgeStep = z.output<typeof bridgeStep>;

// ---- /api/commentary

export const commentaryQuery = z.object({ node: text(), from: date, to: date }).strict();

export const commentaryResponse = z.strictObject({
  node: nodeRef,
  from: z.string(),
  to: z.string(),
  /** One paragraph per key metric (and one for the open critical risks), in the order to read them. */
  sections: z.array(
    z.strictObject({
      /** The metric the paragraph explains; `risks` for the open critical risks. */
      metric: z.union([metricId, z.literal('risks')]),
      text: bilingual,
    }),
  ),
});
export type CommentaryResponse = z.output<typeof commentaryResponse>;
