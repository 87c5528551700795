// Requests and answers of the finance endpoints: /api/receivables/ageing, /api/rebates/ageing.
import { z } from 'zod';
import { nodeRef } from './metrics.ts';
import { date, text } from './params.ts';
import { AGEING_BUCKETS } from './vocabulary.ts';

export const ageingQuery = z.object({ node: text(), date }).strict();

/** Open amounts of one group of items (or of all: 'all'), split by days past the due date. */
const buckets = {
  open: z.number(),
  overdue: z.number(),
  ...(Object.fromEntries(AGEING_BUCKETS.map((b) => [b, z.number()])) as Record<
    (typeof AGEING_BUCKETS)[number],
    z.ZodNumber
  >),
};

/** An overdue item in the largest-overdue list: where, due when, how much is open, how late. */
const overdue = {
  store_id: z.string(),
  store_name: z.string(),
  due_date: z.string(),
  open_amount: z.number(),
  days_overdue: z.int(),
};

const head = {
  node: nodeRef,
  as_of: z.string(),
  /** The extract does not cover the date (nothing is made up). */
  reason: z.literal('no_data').optional(),
};

export const receivablesAgeingRow = z.strictObject({
  /** customer, oem, bank, insurer; 'all' in the total. */
  counterparty_type: z.string(),
  ...buckets,
});
export const overdueDocument = z.strictObject({
  doc_no: z.string(),
  counterparty: z.string(),
  counterparty_type: z.string(),
  doc_date: z.string(),
  ...overdue,
});
export const receivablesAgeingResponse = z.strictObject({
  ...head,
  by_type: z.array(receivablesAgeingRow),
  total: receivablesAgeingRow.nullable(),
  largest: z.array(overdueDocument),
});

export const rebatesAgeingRow = z.strictObject({ brand: z.string(), ...buckets });
export const overdueRebate = z.strictObject({
  rebate_id: z.string(),
  brand: z.string(),
  /** volume, target, special, csi. */
  kind: z.string(),
  /** The month it was earned (YYYY-MM). */
  period: z.string(),
  ...overdue,
});
export const rebatesAgeingResponse = z.strictObject({
  ...head,
  by_brand: z.array(rebatesAgeingRow),
  total: rebatesAgeingRow.nullable(),
  largest: z.array(overdueRebate),
});

export type ReceivablesAgeingRow = z.output<typeof receivablesAgeingRow>;
export type OverdueDocument = z.output<typeof overdueDocument>;
export type ReceivablesAgeingResponse = z.output<typeof receivablesAgeingResponse>;
export type RebatesAgeingRow = z.output<typeof rebatesAgeingRow>;
export type OverdueRebate = z.output<typeof overdueRebate>;
export type RebatesAgeingResponse = z.output<typeof rebatesAgeingResponse>;
