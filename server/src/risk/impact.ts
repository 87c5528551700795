// Money at stake (元) of an alert, where it can be estimated from the figures of the month judged:
// what the breach ties up or loses, measured from the warning level where the metric is a rate.
// The risk centre sorts alerts of one level by it. Metrics not listed here have none (NULL).
import type { MeasureId } from '../metrics/measures.ts';
import { daysIn, type Period } from '../metrics/periods.ts';

export interface ImpactInput {
  /** The node's measures in the month judged. */
  m: Partial<Record<MeasureId, number>>;
  /** The metric's value that month. */
  value: number;
  /** The warning level in the metric's unit (null where the rule cannot express it so). */
  warning: number | null;
  /** The metric's values over the run of breach months, oldest first (flows lost month by month). */
  breachValues: number[];
  month: Period;
}

interface ImpactRule {
  measures: MeasureId[];
  yuan(input: ImpactInput): number | null;
}

const get = (m: ImpactInput['m'], id: MeasureId) => m[id] ?? 0;
/** Days' worth of a flow above the warning level: the money a turnover figure ties up beyond it. */
const excessDays = (flow: MeasureId) => ({
  measures: [flow],
  yuan: ({ m, value, warning, month }: ImpactInput) =>
    warning === null ? null : ((value - warning) * get(m, flow)) / daysIn(month),
});
const lost = {
  measures: [],
  yuan: ({ breachValues }: ImpactInput) => -breachValues.reduce((sum, v) => sum + Math.min(0, v), 0),
};

export const IMPACT: Partial<Record<string, ImpactRule>> = {
  overdue_receivables_share: {
    measures: ['overdue_receivables'],
    yuan: ({ m }) => get(m, 'overdue_receivables'),
  },
  aged_stock_share_90: { measures: ['aged_stock_value_90'], yuan: ({ m }) => get(m, 'aged_stock_value_90') },
  // Stock beyond the warning depth, at its cost.
  inventory_coefficient: {
    measures: ['new_stock_value'],
    yuan: ({ m, value, warning }) =>
      warning === null || value <= 0 ? null : (get(m, 'new_stock_value') * (value - warning)) / value,
  },
  new_days_supply: {
    measures: ['new_stock_value'],
    yuan: ({ m, value, warning }) =>
      warning === null || value <= 0 ? null : (get(m, 'new_stock_value') * (value - warning)) / value,
  },
  obsolete_parts_share: {
    measures: ['obsolete_parts_value_end'],
    yuan: ({ m }) => get(m, 'obsolete_parts_value_end'),
  },
  // Cash that did not come in, and losses, over the months in breach.
  operating_cash_flow: lost,
  net_profit: lost,
  new_gross_per_unit: {
    measures: ['new_gross_profit'],
    yuan: ({ m }) => -Math.min(0, get(m, 'new_gross_profit')),
  },
  dso: excessDays('gl_revenue'),
  dio: excessDays('gl_cogs'),
  cash_conversion_cycle: excessDays('gl_cogs'),
  debt_to_asset: {
    measures: ['total_liabilities', 'total_assets'],
    yuan: ({ m, warning }) =>
      warning === null ? null : get(m, 'total_liabilities') - warning * get(m, 'total_assets'),
  },
  current_ratio: {
    measures: ['current_assets', 'current_liabilities'],
    yuan: ({ m, warning }) =>
      warning === null ? null : warning * get(m, 'current_liabilities') - get(m, 'current_assets'),
  },
  net_margin: {
    measures: ['gl_revenue'],
    yuan: ({ m, value, warning }) => (warning === null ? null : (warning - value) * get(m, 'gl_revenue')),
  },
  expense_to_gross: {
    measures: ['gl_expense', 'gl_revenue', 'gl_cogs'],
    yuan: ({ m, warning }) =>
      warning === null ? null : get(m, 'gl_expense') - warning * (get(m, 'gl_revenue') - get(m, 'gl_cogs')),
  },
  fixed_absorption: {
    measures: ['gl_expense', 'ro_labour_gross_profit', 'parts_gross_profit'],
    yuan: ({ m, warning }) =>
      warning === null
        ? null
        : warning * get(m, 'gl_expense') - get(m, 'ro_labour_gross_profit') - get(m, 'parts_gross_profit'),
  },
  rebate_days_outstanding: excessDays('rebate_income'),
  discount_rate: {
    measures: ['new_list_price'],
    yuan: ({ m, value, warning }) => (warning === null ? null : (value - warning) * get(m, 'new_list_price')),
  },
};

/** The money at stake, rounded to the yuan; null where it cannot be estimated or is not positive. */
export function impactYuan(metricId: string, input: ImpactInput): number | null {
  const rule = IMPACT[metricId];
  const yuan = rule?.yuan(input) ?? null;
  return yuan === null || !Number.isFinite(yuan) || yuan <= 0 ? null : Math.round(yuan);
}
