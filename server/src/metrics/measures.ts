// Measures: the additive building blocks of every metric. A measure is one aggregate over one
// fact source with one time rule, and it sums across stores, so any org or product roll-up is a
// GROUP BY over it and every ratio metric is a ratio of summed measures at every level.
// SQL fragments here are fixed text from this file (never request input), over the source alias `f`.
import type { StaffRole } from '../contract/vocabulary.ts';

export type SourceId =
  | 'vehicle_sales'
  | 'leads'
  | 'service_orders'
  | 'parts_sales'
  | 'vehicle_stock'
  | 'parts_stock'
  | 'gl'
  | 'receivables'
  | 'payables'
  | 'cash_flow'
  | 'balance_sheet'
  | 'oem_rebates';

export interface Source {
  /** The extract file the rows come from: what decides the data's coverage (coverage.ts). */
  file: string;
  /** FROM clause with alias f (joins to dimensions it needs, e.g. the account kind). */
  from: string;
  /** Column holding the store id. */
  store: string;
  /** Column holding the model id, for product filters and breakdowns; absent = not by product. */
  model?: string;
  /** Column naming the person who owns the row (a staff_id of dim_staff), and the role whose
   *  figures the rows make: absent = not by person. */
  staff?: { column: string; role: PersonRole };
}

/** The roles person-level figures are made for: sales and F&I and the funnel by the sales
 *  consultant, after-sales by the service advisor. */
export type PersonRole = Extract<StaffRole, 'sales_consultant' | 'service_advisor'>;

export const SOURCES: Record<SourceId, Source> = {
  vehicle_sales: {
    file: 'vehicle_sales.csv',
    from: 'fact_vehicle_sales f',
    store: 'f.store_id',
    model: 'f.model_id',
    staff: { column: 'f.salesperson', role: 'sales_consultant' },
  },
  leads: {
    file: 'leads.csv',
    from: 'fact_leads f',
    store: 'f.store_id',
    model: 'f.model_id',
    staff: { column: 'f.consultant_id', role: 'sales_consultant' },
  },
  service_orders: {
    file: 'service_orders.csv',
    from: 'fact_service_orders f',
    store: 'f.store_id',
    staff: { column: 'f.advisor_id', role: 'service_advisor' },
  },
  parts_sales: { file: 'parts_sales.csv', from: 'fact_parts_sales f', store: 'f.store_id' },
  vehicle_stock: {
    file: 'vehicle_stock.csv',
    from: 'fact_vehicle_stock f',
    store: 'f.store_id',
    model: 'f.model_id',
  },
  parts_stock: { file: 'parts_stock.csv', from: 'fact_parts_stock f', store: 'f.store_id' },
  gl: {
    file: 'gl_monthly.csv',
    from: 'fact_gl_monthly f JOIN dim_account a ON a.account_code = f.account_code',
    store: 'f.store_id',
  },
  receivables: { file: 'receivables.csv', from: 'fact_receivables f', store: 'f.store_id' },
  payables: { file: 'payables.csv', from: 'fact_payables f', store: 'f.store_id' },
  cash_flow: { file: 'cash_flow.csv', from: 'fact_cash_flow f', store: 'f.store_id' },
  balance_sheet: { file: 'balance_sheet.csv', from: 'fact_balance_sheet f', store: 'f.store_id' },
  // Optional (extract format 2): without the file, the rebate metrics have no data.
  oem_rebates: { file: 'oem_rebates.csv', from: 'fact_oem_rebates f', store: 'f.store_id' },
};

/**
 * How a measure's rows are chosen for a period [from, to]:
 * - flow: dated rows within the period (`date` names the date column);
 * - last_30_days: dated rows in the 30 days to the period end;
 * - monthly: monthly rows (`period` column = month start) of every month the period touches, each
 *   counted for the share of its days inside the period (`@share`: 1 for a whole month);
 * - at_end: rows open at the period end: `opened` ≤ end and, if given, `closed` empty or after it
 *   (VINs in stock; receivable/payable documents, whose expressions take the unsettled part);
 * - month_end_avg_open: like at_end, at each month end within the period, averaged;
 * - snapshot_at_end: month-end snapshot rows of the last month end ≤ period end;
 * - snapshot_month_end_avg: month-end snapshot rows of every month end within the period, averaged;
 * - held_days: VIN-days held within the period (for floor-plan interest);
 * - sold_new_12_36m: new sales 12–36 months before the period end (for the return rate).
 */
export type TimeRule =
  | { kind: 'flow'; date: string }
  | { kind: 'last_30_days'; date: string }
  | { kind: 'monthly'; period: string }
  | { kind: 'at_end'; opened: string; closed?: string }
  | { kind: 'month_end_avg_open'; opened: string }
  | { kind: 'snapshot_at_end'; snapshot: string; monthStart?: boolean }
  | { kind: 'snapshot_month_end_avg'; snapshot: string; monthStart?: boolean }
  | { kind: 'held_days'; opened: string; closed: string }
  | { kind: 'sold_new_12_36m'; date: string };

export interface Measure {
  source: SourceId;
  time: TimeRule;
  /** An aggregate expression over `f`; `@start` and `@end` stand for the period's first and last day,
   *  `@share` for the part of a monthly row's month inside the period. */
  expr: string;
  /** Days of history before its date that the measure's meaning depends on (parts unmoved for a
   *  year), so it has a value only where the data covers them too. */
  lookbackDays?: number;
}

const sale = (expr: string): Measure => ({
  source: 'vehicle_sales',
  time: { kind: 'flow', date: 'f.sale_date' },
  expr,
});
const lead = (expr: string): Measure => ({
  source: 'leads',
  time: { kind: 'flow', date: 'f.created_date' },
  expr,
});
const ro = (expr: string): Measure => ({
  source: 'service_orders',
  time: { kind: 'flow', date: 'f.close_date' },
  expr,
});
const partsLine = (expr: string): Measure => ({
  source: 'parts_sales',
  time: { kind: 'flow', date: 'f.sale_date' },
  expr,
});
const gl = (kind: string): Measure => ({
  source: 'gl',
  time: { kind: 'monthly', period: 'f.period' },
  expr: `sum(f.amount * @share) FILTER (WHERE a.kind = '${kind}')`,
});
const stockAtEnd = (expr: string): Measure => ({
  source: 'vehicle_stock',
  time: { kind: 'at_end', opened: 'f.stock_in_date', closed: 'f.stock_out_date' },
  expr,
});
const bsAtEnd = (line: string): Measure => ({
  source: 'balance_sheet',
  time: { kind: 'snapshot_at_end', snapshot: 'f.period', monthStart: true },
  expr: `sum(f.amount) FILTER (WHERE f.line = '${line}')`,
});
const bsAvg = (filter: string): Measure => ({
  source: 'balance_sheet',
  time: { kind: 'snapshot_month_end_avg', snapshot: 'f.period', monthStart: true },
  expr: `sum(f.amount) FILTER (WHERE ${filter})`,
});

/** Open amount of a receivable or payable document at the date `@end`: the unsettled part
 *  (0 once fully settled; a part-settled document stays open for the rest). */
const openAmount = `CASE WHEN f.settled_date IS NOT NULL AND f.settled_date <= @end THEN f.amount - f.settled_amount ELSE f.amount END`;
const docOpenAt = (source: 'receivables' | 'payables', expr: string, avg: boolean): Measure => ({
  source,
  time: avg ? { kind: 'month_end_avg_open', opened: 'f.doc_date' } : { kind: 'at_end', opened: 'f.doc_date' },
  expr,
});

const openOf = (filter: string) => `sum(${openAmount}) FILTER (WHERE ${filter})`;
/** A department's revenue less its cost of sales, or its expenses, from the ledger. */
const glGross = (department: string): Measure => ({
  source: 'gl',
  time: { kind: 'monthly', period: 'f.period' },
  expr: `sum(CASE a.kind WHEN 'revenue' THEN f.amount ELSE -f.amount END * @share) FILTER (WHERE a.kind IN ('revenue', 'cogs') AND a.department = '${department}')`,
});
const glExpense = (department: string): Measure => ({
  source: 'gl',
  time: { kind: 'monthly', period: 'f.period' },
  expr: `sum(f.amount * @share) FILTER (WHERE a.kind = 'expense' AND a.department = '${department}')`,
});

export const MEASURES = {
  // vehicle sales
  new_units: sale(`count(*) FILTER (WHERE f.sale_type = 'new')`),
  used_units: sale(`count(*) FILTER (WHERE f.sale_type = 'used')`),
  all_units: sale('count(*)'),
  vehicle_revenue: sale('sum(f.price)'),
  new_gross_profit: sale(`sum(f.price - f.cost) FILTER (WHERE f.sale_type = 'new')`),
  used_gross_profit: sale(`sum(f.price - f.cost) FILTER (WHERE f.sale_type = 'used')`),
  new_accessory_revenue: sale(`sum(f.accessory_revenue) FILTER (WHERE f.sale_type = 'new')`),
  new_trade_ins: sale(`count(*) FILTER (WHERE f.sale_type = 'new' AND f.trade_in)`),
  new_discount: sale(`sum(f.discount) FILTER (WHERE f.sale_type = 'new')`),
  new_list_price: sale(`sum(f.price + f.discount) FILTER (WHERE f.sale_type = 'new')`),
  new_financed: sale(`count(*) FILTER (WHERE f.sale_type = 'new' AND f.financed)`),
  new_insured: sale(`count(*) FILTER (WHERE f.sale_type = 'new' AND f.insurance_income > 0)`),
  fi_income: sale('sum(f.finance_income + f.insurance_income)'),
  new_units_last_30_days: {
    source: 'vehicle_sales',
    time: { kind: 'last_30_days', date: 'f.sale_date' },
    expr: `count(*) FILTER (WHERE f.sale_type = 'new')`,
  },
  // funnel
  leads: lead('count(*)'),
  visits: lead('count(f.visited_date)'),
  visits_ordered: lead('count(*) FILTER (WHERE f.visited_date IS NOT NULL AND f.order_no IS NOT NULL)'),
  leads_ordered: lead('count(f.order_no)'),
  test_drives: lead('count(*) FILTER (WHERE f.test_drive)'),
  // after-sales
  repair_orders: ro('count(*)'),
  ro_labour_revenue: ro('sum(f.labour_revenue)'),
  ro_labour_gross_profit: ro('sum(f.labour_revenue - f.labour_cost)'),
  ro_revenue: ro('sum(f.labour_revenue + f.parts_revenue)'),
  ro_customer_revenue: ro(`sum(f.labour_revenue + f.parts_revenue) FILTER (WHERE f.pay_type = 'customer')`),
  ro_labour_hours: ro('sum(f.labour_hours)'),
  parts_revenue: partsLine('sum(f.revenue)'),
  parts_cost: partsLine('sum(f.cost)'),
  parts_gross_profit: partsLine('sum(f.revenue - f.cost)'),
  parts_stock_value_avg: {
    source: 'parts_stock',
    time: { kind: 'snapshot_month_end_avg', snapshot: 'f.snapshot_date' },
    expr: 'sum(f.qty_on_hand * f.unit_cost)',
  },
  parts_stock_value_end: {
    source: 'parts_stock',
    time: { kind: 'snapshot_at_end', snapshot: 'f.snapshot_date' },
    expr: 'sum(f.qty_on_hand * f.unit_cost)',
  },
  obsolete_parts_value_end: {
    source: 'parts_stock',
    time: { kind: 'snapshot_at_end', snapshot: 'f.snapshot_date' },
    lookbackDays: 365,
    expr: `sum(f.qty_on_hand * f.unit_cost) FILTER (WHERE f.last_movement_date <= f.snapshot_date - INTERVAL 365 DAY)`,
  },
  sold_new_12_36m: {
    source: 'vehicle_sales',
    time: { kind: 'sold_new_12_36m', date: 'f.sale_date' },
    expr: 'count(DISTINCT f.vin)',
  },
  sold_new_12_36m_returned: {
    source: 'vehicle_sales',
    time: { kind: 'sold_new_12_36m', date: 'f.sale_date' },
    expr: `count(DISTINCT f.vin) FILTER (WHERE f.vin IN (SELECT vin FROM fact_service_orders WHERE open_date > @end - INTERVAL 12 MONTH AND open_date <= @end))`,
  },
  // vehicle inventory
  new_stock_units: stockAtEnd(`count(*) FILTER (WHERE f.stock_type = 'new')`),
  stock_units: stockAtEnd('count(*)'),
  stock_value: stockAtEnd('sum(f.purchase_cost)'),
  aged_stock_units_90: stockAtEnd(`count(*) FILTER (WHERE @end - f.stock_in_date > 90)`),
  aged_stock_value_90: stockAtEnd(`sum(f.purchase_cost) FILTER (WHERE @end - f.stock_in_date > 90)`),
  new_stock_value: stockAtEnd(`sum(f.purchase_cost) FILTER (WHERE f.stock_type = 'new')`),
  floorplan_balance: stockAtEnd('sum(f.floorplan_amount)'),
  floorplan_interest: {
    source: 'vehicle_stock',
    time: { kind: 'held_days', opened: 'f.stock_in_date', closed: 'f.stock_out_date' },
    // Days held within the period: from stock-in (or period start) to stock-out (or the day after period end).
    expr: 'sum(f.floorplan_amount * f.floorplan_rate * (least(coalesce(f.stock_out_date, @end + 1), @end + 1) - greatest(f.stock_in_date, @start)) / 365)',
  },
  // finance
  gl_revenue: gl('revenue'),
  gl_cogs: gl('cogs'),
  gl_expense: gl('expense'),
  gl_other_income: gl('other_income'),
  // The new-car department's other income: the OEM rebates as the ledger books them.
  gl_new_other_income: {
    source: 'gl',
    time: { kind: 'monthly', period: 'f.period' },
    expr: `sum(f.amount * @share) FILTER (WHERE a.kind = 'other_income' AND a.department = 'new')`,
  },
  // The profit-and-loss bridge's parts (bridge.ts): each department's gross and expenses as booked.
  gl_gross_new: glGross('new'),
  gl_gross_used: glGross('used'),
  gl_gross_service: glGross('service'),
  gl_gross_parts: glGross('parts'),
  gl_gross_fi: glGross('fi'),
  gl_expense_new: glExpense('new'),
  gl_expense_used: glExpense('used'),
  gl_expense_service: glExpense('service'),
  gl_expense_parts: glExpense('parts'),
  gl_expense_admin: glExpense('admin'),
  operating_cash_flow: {
    source: 'cash_flow',
    time: { kind: 'monthly', period: 'f.period' },
    expr: `sum(f.amount * @share) FILTER (WHERE f.category = 'operating')`,
  },
  receivables_avg: bsAvg(`f.line = 'receivables'`),
  inventory_avg: bsAvg(`f.line IN ('vehicle_inventory', 'parts_inventory')`),
  open_payables_avg: docOpenAt('payables', `sum(${openAmount})`, true),
  open_receivables: docOpenAt('receivables', `sum(${openAmount})`, false),
  overdue_receivables: docOpenAt('receivables', `sum(${openAmount}) FILTER (WHERE f.due_date < @end)`, false),
  // OEM rebates: income in the month they are earned on; receivable until received (a part
  // received leaves the rest open).
  rebate_income: {
    source: 'oem_rebates',
    time: { kind: 'monthly', period: 'f.period' },
    expr: 'sum(f.accrued_amount * @share)',
  },
  rebate_receivable: {
    source: 'oem_rebates',
    time: { kind: 'at_end', opened: 'f.period' },
    expr: 'sum(f.accrued_amount - CASE WHEN f.received_date IS NOT NULL AND f.received_date <= @end THEN f.received_amount ELSE 0 END)',
  },
  // The cash-flow bridge's working capital at a date (bridge.ts takes their changes): receivables
  // by counterparty type (the OEM's are its rebates), stock on the books, payables open.
  open_receivables_customer: docOpenAt('receivables', openOf(`f.counterparty_type = 'customer'`), false),
  open_receivables_bank: docOpenAt('receivables', openOf(`f.counterparty_type = 'bank'`), false),
  open_receivables_insurer: docOpenAt('receivables', openOf(`f.counterparty_type = 'insurer'`), false),
  open_receivables_oem: docOpenAt('receivables', openOf(`f.counterparty_type = 'oem'`), false),
  open_payables: docOpenAt('payables', `sum(${openAmount})`, false),
  vehicle_inventory_end: bsAtEnd('vehicle_inventory'),
  parts_inventory_end: bsAtEnd('parts_inventory'),
  // Prepayments (to the OEM, say) and other current assets: what the balance sheet's current assets
  // hold besides cash, receivables and stock.
  other_current_assets_end: {
    source: 'balance_sheet',
    time: { kind: 'snapshot_at_end', snapshot: 'f.period', monthStart: true },
    expr: `sum(CASE WHEN f.line = 'current_assets' THEN f.amount ELSE -f.amount END) FILTER (WHERE f.line IN ('current_assets', 'cash', 'receivables', 'vehicle_inventory', 'parts_inventory'))`,
  },
  total_liabilities: bsAtEnd('total_liabilities'),
  total_assets: bsAtEnd('total_assets'),
  current_assets: bsAtEnd('current_assets'),
  current_liabilities: bsAtEnd('current_liabilities'),
} as const satisfies Record<string, Measure>;

export type MeasureId = keyof typeof MEASURES;
