// Requests and answers of /api/budgets: rolling budget versions (预算滚动制定), their lines, their
// allocation top-down and their approval bottom-up.
import { z } from 'zod';
import { nodeRef } from './metrics.ts';
import { text } from './params.ts';

export const BUDGET_STATUSES = ['draft', 'submitted', 'approved', 'superseded'] as const;
/** A node's part of a version: open (its managers edit it), submitted, approved by the level above, or returned to it. */
export const PART_STATUSES = ['open', 'submitted', 'approved', 'returned'] as const;
export const BUDGET_SOURCES = ['import', 'forecast', 'actuals', 'version', 'rollforward'] as const;
/** How a version's lines are first filled: the forecast, last year's actuals × (1 + growth), or another version. */
export const BUDGET_SEEDS = ['forecast', 'actuals', 'version'] as const;
/** How a node's target is split among the units below: by their share of last year, of the forecast, equally, or as typed in. */
export const ALLOCATION_METHODS = ['last_year', 'forecast', 'equal', 'manual'] as const;
/** What a transition asks for: a version or a node's part submitted, approved, or returned (to draft) with a note. */
export const BUDGET_TRANSITIONS = ['submitted', 'approved', 'returned'] as const;

/** Lines a version plans that are no metric of the catalog: drivers, and expenses. */
export const PLAN_ONLY_METRICS = [
  {
    id: 'aftersales_revenue_per_ro',
    name: { zh: '单台次售后产值', en: 'After-sales revenue per repair order' },
    domain: 'aftersales',
    unit: 'yuan',
    kind: 'ratio',
  },
  {
    id: 'fi_income_per_contract',
    name: { zh: '单笔金融保险收入', en: 'F&I income per finance contract' },
    domain: 'fi',
    unit: 'yuan',
    kind: 'ratio',
  },
  { id: 'expenses', name: { zh: '费用', en: 'Expenses' }, domain: 'finance', unit: 'yuan', kind: 'sum' },
] as const;

/** The metrics a version plans, each driver before its result: those of the extract's budget.csv and the drivers. */
export const PLANNED_METRICS = [
  'new_units',
  'new_gross_per_unit',
  'new_gross_profit',
  'used_units',
  'vehicle_revenue',
  'leads',
  'repair_orders',
  'aftersales_revenue_per_ro',
  'aftersales_revenue',
  'aftersales_gross_profit',
  'finance_penetration',
  'fi_income_per_contract',
  'fi_income',
  'insurance_penetration',
  'revenue',
  'gross_profit',
  'expense_to_gross',
  'expenses',
  'net_profit',
] as const;

/**
 * Driver-based lines: a result is the product of its drivers for the same store and month,
 * recomputed when one changes. Expenses are a share of gross profit where the share is planned,
 * else a fixed amount.
 */
export const BUDGET_DRIVERS = [
  { result: 'new_gross_profit', inputs: ['new_units', 'new_gross_per_unit'] },
  { result: 'aftersales_revenue', inputs: ['repair_orders', 'aftersales_revenue_per_ro'] },
  { result: 'fi_income', inputs: ['new_units', 'finance_penetration', 'fi_income_per_contract'] },
  { result: 'expenses', inputs: ['gross_profit', 'expense_to_gross'] },
] as const;

/** Most months a version plans, and most cells one write may carry. */
export const MAX_BUDGET_MONTHS = 24;
export const MAX_BUDGET_CELLS = 2000;

const month = text(7).regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
const num = z.number().nullable();
const amount = z.number({ error: 'must be a number' }).min(-1e12).max(1e12);

export const budgetPart = z.strictObject({
  node: nodeRef,
  status: z.enum(PART_STATUSES),
  note: z.string().nullable(),
  actor: z.string().nullable(),
  at: z.string().nullable(),
});

export const budgetVersion = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  first_month: z.string(),
  months: z.number().int(),
  status: z.enum(BUDGET_STATUSES),
  source: z.enum(BUDGET_SOURCES),
  source_detail: z.string().nullable(),
  author: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Bumped by every change of the version's status: a transition sent with an older one answers 409. */
  revision: z.number().int(),
  /** Why it was last returned. */
  note: z.string().nullable(),
  /** The months whose budget it is. */
  governs: z.array(z.string()),
  /** Who must act next: the version submitted by finance or approved by the group, a part
   *  approved by the level above or revised by its own managers. */
  waiting_for: z.array(
    z.strictObject({
      action: z.enum(['submit', 'approve', 'revise']),
      /** The node whose part it is; null: the whole version. */
      part: z.string().nullable(),
      /** A node (its managers act) or a role (finance, group). */
      by: z.string(),
    }),
  ),
});

export const budgetsResponse = z.strictObject({ versions: z.array(budgetVersion) });

export const budgetDetail = budgetVersion.extend({
  /** The parts of the nodes in the caller's scope below the group, with their status. */
  parts: z.array(budgetPart),
});

export const newBudgetBody = z
  .object({
    name: text(80),
    first_month: month,
    months: z.int().min(1).max(MAX_BUDGET_MONTHS).default(12),
    seed: z.enum(BUDGET_SEEDS, { error: `must be one of ${BUDGET_SEEDS.join(', ')}` }),
    /** actuals: last year's figure × (1 + growth) for flows and balances (rates are copied). */
    growth: z.number({ error: 'must be a number' }).min(-0.9).max(10).default(0),
    /** version: the version whose lines are copied (its months that fall in the horizon). */
    from_version: z.int().min(1).optional(),
  })
  .strict();

export const budgetLinesQuery = z
  .object({ node: text(), metric: text(), from: month.optional(), to: month.optional() })
  .strict();

export const budgetCell = z.strictObject({
  target: num,
  /** Computed from its drivers (changed through them). */
  derived: z.boolean(),
  /** 0: no line yet. Sent back with a change: a line changed since answers 409. */
  revision: z.number().int(),
  locked: z.boolean(),
  set_by: z.string().nullable(),
});

export const budgetRow = z.strictObject({
  id: z.string(),
  name: z.string(),
  level: nodeRef.shape.level,
  /** Whether the caller may change this row's lines now. */
  editable: z.boolean(),
  /** A store's own lines; above a store, the sum of its stores' (rates: their mean), revision 0. */
  months: z.record(z.string(), budgetCell),
  /** What it did in the same month a year before (null: outside the data). */
  last_year: z.record(z.string(), num),
  /** The forecast of the month (null: none, or the month has data). */
  forecast: z.record(z.string(), num),
});

/** Whether the forecast column is there: ready, still being computed (ask again), or none for this metric. */
export const FORECAST_STATES = ['ready', 'pending', 'none'] as const;

export const budgetLinesResponse = z.strictObject({
  version: z.strictObject({
    id: z.number().int(),
    status: z.enum(BUDGET_STATUSES),
    revision: z.number().int(),
  }),
  metric: z.enum(PLANNED_METRICS),
  /** A result's drivers: its lines are their product where all are planned. */
  drivers: z.array(z.enum(PLANNED_METRICS)),
  node: nodeRef,
  /** Additive: the units add up to the node; a rate is set, not summed. */
  additive: z.boolean(),
  months: z.array(z.string()),
  /** The node's own target, set from above (revision 0: none set). */
  node_target: z.record(z.string(), budgetCell),
  rows: z.array(budgetRow),
  /** Σ of the rows per month (rates: their mean). */
  totals: z.record(z.string(), num),
  /** Additive, where the node has a target set: Σ rows − the node's target (0: they add up). */
  gaps: z.record(z.string(), num),
  forecast: z.enum(FORECAST_STATES),
  /** A result's drivers as planned for each unit (driver → unit → month → value; above a store,
   *  the stores' sum or, for a rate, their mean): shown above the result. */
  driver_values: z.record(z.string(), z.record(z.string(), z.record(z.string(), num))),
});

export const budgetLinesBody = z
  .object({
    metric: text(),
    cells: z
      .array(
        z.strictObject({
          node: text(),
          month,
          value: amount,
          /** The revision the change was made on (0: the line did not exist). */
          revision: z.int().min(0),
          locked: z.boolean().optional(),
        }),
      )
      .min(1, 'must hold at least one cell')
      .max(MAX_BUDGET_CELLS),
  })
  .strict();

export const budgetLinesWritten = z.strictObject({
  lines: z.array(
    z.strictObject({ node: z.string(), month: z.string(), target: z.number(), revision: z.number().int() }),
  ),
});

/** What a 409 on a write says changed: each line as it now is, and who changed it. */
export const budgetConflict = z.strictObject({
  node: z.string(),
  month: z.string(),
  metric: z.string(),
  yours: z.number().int(),
  revision: z.number().int(),
  target: num,
  set_by: z.string().nullable(),
  set_at: z.string().nullable(),
});

export const allocateBody = z
  .object({
    node: text(),
    metric: text(),
    from: month,
    to: month,
    method: z.enum(ALLOCATION_METHODS, { error: `must be one of ${ALLOCATION_METHODS.join(', ')}` }),
    /** The node's target for each month: set first (else the one set before is split). */
    total: amount.optional(),
    /** manual: each unit's part, typed in (locks it). */
    cells: z
      .array(z.strictObject({ node: text(), value: amount }))
      .max(500)
      .default([]),
  })
  .strict();

export const transitionBudgetBody = z
  .object({
    to: z.enum(BUDGET_TRANSITIONS, { error: `must be one of ${BUDGET_TRANSITIONS.join(', ')}` }),
    /** A node's part; without it, the whole version. */
    node: text().optional(),
    note: text(500).optional(),
    /** The version's revision the caller saw (the whole version only). */
    revision: z.int().min(1).optional(),
  })
  .strict();

export type BudgetVersion = z.output<typeof budgetVersion>;
export type BudgetDetail = z.output<typeof budgetDetail>;
export type BudgetLines = z.output<typeof budgetLinesResponse>;
export type BudgetConflict = z.output<typeof budgetConflict>;
