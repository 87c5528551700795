// Requests and answers of /api/targets: the targets of a node's units below (its children, or a
// store's people) month by month, and their allocation.
import { z } from 'zod';
import { metricId, nodeRef, staffRole, unit } from './metrics.ts';
import { text } from './params.ts';

/** How a parent's target is split among its units: by their share of the last N months' actuals,
 *  evenly, by headcount, or as typed in. */
export const TARGET_METHODS = ['share', 'equal', 'headcount', 'manual'] as const;
export const TARGETS_BY = ['children', 'staff'] as const;
/** Most months one grid shows. */
export const MAX_TARGET_MONTHS = 12;

const month = text(7).regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
const num = z.number().nullable();

export const targetsQuery = z
  .object({
    node: text(),
    metric: text(),
    from: month,
    to: month,
    /** children (default above a store) or staff (default at a store). */
    by: z.enum(TARGETS_BY, { error: 'must be children or staff' }).optional(),
  })
  .strict();

/** One unit's target of one month: where it comes from, and whether a hand set it (locked). */
export const targetCell = z.strictObject({
  target: num,
  locked: z.boolean(),
  /** set: in the product; budget: budget.csv; derived: from the units below (a sum, or their mean rate). */
  source: z.enum(['set', 'budget', 'derived']).nullable(),
});

export const targetRow = z.strictObject({
  id: z.string(),
  name: z.string(),
  role: staffRole.nullable().optional(),
  months: z.record(z.string(), targetCell),
});

export const targetsResponse = z.strictObject({
  metric: metricId,
  node: nodeRef,
  by: z.enum(TARGETS_BY),
  unit,
  /** Additive (the units add up to the parent) or a rate (set, not summed). */
  additive: z.boolean(),
  months: z.array(z.string()),
  parent: z.record(z.string(), targetCell),
  rows: z.array(targetRow),
  /** Additive: Σ units − the parent's target, per month (0: they add up); null for a rate or without a parent target. */
  gaps: z.record(z.string(), num),
});

export const targetsBody = z
  .object({
    node: text(),
    metric: text(),
    month,
    by: z.enum(TARGETS_BY, { error: 'must be children or staff' }).optional(),
    /** The node's own target for the month: only for a caller whose scope covers the node's parent (the group for itself). */
    total: z.number({ error: 'must be a number' }).min(-1e12).max(1e12).optional(),
    method: z.enum(TARGET_METHODS, { error: `must be one of ${TARGET_METHODS.join(', ')}` }),
    /** share: the months of actuals before `month` the shares come from. */
    months: z.int().min(1).max(12).default(3),
    /** Cells set by hand (a value locks the cell unless locked: false), and locks set or lifted. */
    cells: z
      .array(
        z.strictObject({
          id: text(),
          value: z.number({ error: 'must be a number' }).min(-1e12).max(1e12).optional(),
          locked: z.boolean().optional(),
        }),
      )
      .max(500)
      .default([]),
  })
  .strict();

export type TargetsResponse = z.output<typeof targetsResponse>;
export type TargetsBody = z.output<typeof targetsBody>;
export type TargetCell = z.output<typeof targetCell>;
export type TargetMethod = (typeof TARGET_METHODS)[number];
