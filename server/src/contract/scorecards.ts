// Requests and answers of /api/scorecards: monthly assessment (绩效考核) as data — per role, the
// metrics with their weights, how attainment becomes points, and bonus or penalty items — and the
// scores, league tables and a unit's last months computed from actuals and targets.
import { z } from 'zod';
import { metricId } from './metrics.ts';
import { text } from './params.ts';

/** Whom a scorecard assesses: managers of org units, and the people of a store. */
export const SCORECARD_ROLES = [
  'region_manager',
  'store_manager',
  'sales_consultant',
  'service_advisor',
  'fi_specialist',
] as const;
export type ScorecardRole = (typeof SCORECARD_ROLES)[number];

const month = text(7).regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');

/** Attainment (actual / target; target / actual where lower is better) → points: none below `gate`,
 *  proportional up to `cap`, capped there. 100 × weight at 100% attainment. */
export const scoring = z.strictObject({
  kind: z.literal('linear'),
  gate: z.number().min(0).max(1),
  cap: z.number().min(1).max(2),
});

export const scorecardItem = z.strictObject({
  metric: metricId,
  /** A share of the score: the items' weights add up to 1. */
  weight: z.number().gt(0).max(1),
  scoring,
});

/** Points added per event in the month: e.g. −5 for each PDCA task of theirs that ran overdue. */
export const scorecardAdjustment = z.strictObject({
  kind: z.literal('overdue_task'),
  points: z.number().min(-50).max(50),
});

export const scorecardDefinition = z.strictObject({
  role: z.enum(SCORECARD_ROLES),
  items: z.array(scorecardItem).min(1).max(12),
  adjustments: z.array(scorecardAdjustment).max(4),
});
export const definitionsResponse = z.strictObject({ definitions: z.array(scorecardDefinition) });
export const definitionBody = scorecardDefinition.omit({ role: true }).strict();

export const scorecardsQuery = z
  .object({
    node: text(),
    /** The month scored, YYYY-MM. */
    period: month,
    /** Default: sales consultants at a store, store managers above. */
    role: z.enum(SCORECARD_ROLES, { error: `must be one of ${SCORECARD_ROLES.join(', ')}` }).optional(),
    /** One unit's scorecard (a node id or a staff id) over the `months` up to `period`. */
    unit: text().optional(),
    months: z.coerce.number().int().min(1).max(12).default(12),
  })
  .strict();

const num = z.number().nullable();
export const scoredItem = z.strictObject({
  metric: metricId,
  weight: z.number(),
  actual: num,
  target: num,
  attainment: num,
  /** null: no actual or no target this month (the item is left out and the others' weights rescaled). */
  points: num,
});
export const scoredUnit = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** The store a person works at. */
  store: z.string().nullable(),
  /** A store's type (4s, non4s, used_car, other): stores are ranked among their own type. */
  store_type: z.string().nullable(),
  month: z.string(),
  /** Σ item points + adjustments; null when items with a target carry less than half the weight. */
  score: num,
  /** Among the units of the same peer group (a store's type; all people of the role). */
  rank: z.int().nullable(),
  /** Units scored in that peer group. */
  of: z.int(),
  items: z.array(scoredItem),
  adjustments: z.array(
    z.strictObject({ kind: z.literal('overdue_task'), count: z.int(), points: z.number() }),
  ),
});
export const scorecardsResponse = z.strictObject({
  role: z.enum(SCORECARD_ROLES),
  month: z.string(),
  /** Units scored in the league (a staff user: how many people of their role at their store). */
  of: z.int(),
  rows: z.array(scoredUnit),
  /** With `unit`: its card month by month, oldest first. */
  history: z.array(scoredUnit).optional(),
});

export type ScorecardDefinition = z.output<typeof scorecardDefinition>;
export type ScoredUnit = z.output<typeof scoredUnit>;
export type ScorecardsResponse = z.output<typeof scorecardsResponse>;
