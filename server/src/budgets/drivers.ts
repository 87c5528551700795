// Driver-based planning (contract/budgets.ts BUDGET_DRIVERS): a result line is the product of its
// drivers' lines for the same store and month, recomputed whenever a driver changes. Each identity
// holds for actuals too, so a version seeded from last year computes last year's results: the
// plan-only drivers are read with formulas that make it so.
import { BUDGET_DRIVERS, PLAN_ONLY_METRICS } from '../contract/budgets.ts';
import { METRIC_BY_ID, type Formula, type MetricDefinition } from '../metrics/catalog.ts';

/** How last year's value of each plan-only line is read. */
const PLAN_ONLY_FORMULAS: Record<(typeof PLAN_ONLY_METRICS)[number]['id'], Formula> = {
  // All of after-sales revenue (labour and parts, counter sales included) per RO, so that ROs × it is
  // after-sales revenue (the catalog's revenue_per_ro counts repair-order revenue only).
  aftersales_revenue_per_ro: {
    kind: 'ratio',
    numerator: { ro_labour_revenue: 1, parts_revenue: 1 },
    denominator: { repair_orders: 1 },
  },
  fi_income_per_contract: { kind: 'ratio', numerator: { fi_income: 1 }, denominator: { new_financed: 1 } },
  expenses: { kind: 'sum', terms: { gl_expense: 1 } },
};

/** Read like a catalog metric (measures, evaluation), though their ids are the plan's own. */
const PLAN_ONLY_BY_ID = new Map<string, MetricDefinition>(
  PLAN_ONLY_METRICS.map((m) => [
    m.id,
    {
      ...m,
      direction: m.id === 'expenses' ? 'lower_is_better' : 'higher_is_better',
      formula: PLAN_ONLY_FORMULAS[m.id],
    } as unknown as MetricDefinition,
  ]),
);

/** A planned line's definition: the catalog's, or a plan-only line's. */
export const planMetric = (id: string): MetricDefinition | undefined =>
  METRIC_BY_ID.get(id) ?? PLAN_ONLY_BY_ID.get(id);

export type Driver = (typeof BUDGET_DRIVERS)[number];

export const driverOf = (result: string): Driver | undefined =>
  BUDGET_DRIVERS.find((d) => d.result === result);

/** The results a change of `metric` recomputes. */
export const resultsOf = (metric: string): Driver[] =>
  BUDGET_DRIVERS.filter((d) => (d.inputs as readonly string[]).includes(metric));

/** A result from its drivers' values; null while any is missing. */
export function derive(driver: Driver, valueOf: (metric: string) => number | undefined): number | null {
  let product = 1;
  for (const input of driver.inputs) {
    const value = valueOf(input);
    if (value === undefined) return null;
    product *= value;
  }
  return product;
}

/** What each planned rate is a rate of: its stores combine as Σ rate × weight ÷ Σ weight, the
 *  weight the product of these lines (F&I income per contract: per financed car). */
export const RATE_WEIGHTS: Record<string, readonly string[]> = {
  new_gross_per_unit: ['new_units'],
  finance_penetration: ['new_units'],
  insurance_penetration: ['new_units'],
  fi_income_per_contract: ['new_units', 'finance_penetration'],
  aftersales_revenue_per_ro: ['repair_orders'],
  expense_to_gross: ['gross_profit'],
};
