// The metric catalog: every KPI of docs/metrics.md (the dictionary's and the driver-tree metrics
// beyond it, both listed in contract/metric-ids.ts), declared once as data. A metric is a formula over measures
// (measures.ts): a sum of measures, a ratio of two sums of measures (always Σ numerator /
// Σ denominator, at every level), or a combination of other metrics.
// validateCatalog() checks it when the server starts.
import {
  EXTRA_METRIC_IDS,
  EXTRA_METRIC_IDS_BY_DOMAIN,
  METRIC_DOMAINS,
  METRIC_IDS,
  METRIC_IDS_BY_DOMAIN,
  type MetricDomain,
  type MetricId,
} from '../contract/metric-ids.ts';
import type { Direction, Thresholds, Unit } from '../contract/compare.ts';
import type { AGGREGATION_KINDS } from '../contract/vocabulary.ts';
import { MEASURES, SOURCES, type MeasureId, type PersonRole } from './measures.ts';

// Units, thresholds and directions mean the same to the API, the risk engine and the client.
export type { Thresholds, Unit } from '../contract/compare.ts';

/** A signed sum of measures, e.g. { gl_revenue: 1, gl_cogs: -1 }. */
export type Terms = Partial<Record<MeasureId, number>>;

/** What a ratio is multiplied by, from the period: its days, 365 / days, its months, or a constant. */
export type Scale =
  { per: 'days' } | { per: 'annualised' } | { per: 'months' } | { per: 'constant'; value: number };

export type Formula =
  | { kind: 'sum'; terms: Terms }
  | { kind: 'ratio'; numerator: Terms; denominator: Terms; scale?: Scale }
  | { kind: 'derived'; metrics: Partial<Record<MetricId, number>> };

/** Aggregation kind as the KPI dictionary names it (what the number means over time and org). */
export type AggregationKind = (typeof AGGREGATION_KINDS)[number];

export interface MetricDefinition {
  id: MetricId;
  name: { zh: string; en: string };
  domain: MetricDomain;
  unit: Unit;
  direction: Direction;
  kind: AggregationKind;
  formula: Formula;
  thresholds?: Thresholds;
}

const sum = (terms: Terms): Formula => ({ kind: 'sum', terms });
const ratio = (numerator: Terms, denominator: Terms, scale?: Scale): Formula => ({
  kind: 'ratio',
  numerator,
  denominator,
  ...(scale ? { scale } : {}),
});
const up = 'higher_is_better' as const;
const down = 'lower_is_better' as const;

export const METRICS: readonly MetricDefinition[] = [
  // Sales — 新车/二手车销售
  {
    id: 'new_units',
    name: { zh: '新车销量', en: 'New vehicles sold' },
    domain: 'sales',
    unit: 'units',
    direction: up,
    kind: 'sum',
    formula: sum({ new_units: 1 }),
    thresholds: { op: '<', warning: 0.9, critical: 0.8, basis: 'attainment', source: 'suggested' },
  },
  {
    id: 'used_units',
    name: { zh: '二手车销量', en: 'Used vehicles sold' },
    domain: 'sales',
    unit: 'units',
    direction: up,
    kind: 'sum',
    formula: sum({ used_units: 1 }),
  },
  {
    id: 'vehicle_revenue',
    name: { zh: '整车收入', en: 'Vehicle revenue' },
    domain: 'sales',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ vehicle_revenue: 1 }),
  },
  {
    id: 'new_gross_profit',
    name: { zh: '新车毛利', en: 'New-vehicle gross profit' },
    domain: 'sales',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ new_gross_profit: 1 }),
  },
  {
    id: 'new_gross_per_unit',
    name: { zh: '新车单车毛利', en: 'Gross per new vehicle' },
    domain: 'sales',
    unit: 'yuan_per_unit',
    direction: up,
    kind: 'ratio',
    formula: ratio({ new_gross_profit: 1 }, { new_units: 1 }),
    thresholds: { op: '<', warning: 0, basis: 'value', source: 'industry' },
  },
  {
    id: 'used_gross_profit',
    name: { zh: '二手车毛利', en: 'Used-vehicle gross profit' },
    domain: 'sales',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ used_gross_profit: 1 }),
  },
  {
    id: 'used_gross_per_unit',
    name: { zh: '二手车单车毛利', en: 'Gross per used vehicle' },
    domain: 'sales',
    unit: 'yuan_per_unit',
    direction: up,
    kind: 'ratio',
    formula: ratio({ used_gross_profit: 1 }, { used_units: 1 }),
  },
  {
    id: 'accessory_per_unit',
    name: { zh: '精品单车产值', en: 'Accessories per new vehicle' },
    domain: 'sales',
    unit: 'yuan_per_unit',
    direction: up,
    kind: 'ratio',
    formula: ratio({ new_accessory_revenue: 1 }, { new_units: 1 }),
  },
  {
    id: 'used_new_ratio',
    name: { zh: '二手新车比', en: 'Used-to-new ratio' },
    domain: 'sales',
    unit: 'multiple',
    direction: up,
    kind: 'ratio',
    formula: ratio({ used_units: 1 }, { new_units: 1 }),
    thresholds: { op: '<', warning: 0.3, basis: 'value', source: 'suggested' },
  },
  {
    id: 'trade_in_rate',
    name: { zh: '置换率', en: 'Trade-in rate' },
    domain: 'sales',
    unit: 'percent',
    direction: up,
    kind: 'ratio',
    formula: ratio({ new_trade_ins: 1 }, { new_units: 1 }),
  },
  {
    id: 'discount_rate',
    name: { zh: '优惠率', en: 'Discount rate' },
    domain: 'sales',
    unit: 'percent',
    direction: down,
    kind: 'ratio',
    formula: ratio({ new_discount: 1 }, { new_list_price: 1 }),
    thresholds: { op: '>', warning: 0.12, basis: 'value', source: 'suggested' },
  },
  // OEM rebates (厂家返利): the half of new-car profit the showroom price does not show.
  {
    id: 'rebate_income',
    name: { zh: '厂家返利收入', en: 'OEM rebate income' },
    domain: 'sales',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ rebate_income: 1 }),
  },
  {
    id: 'new_gross_incl_rebate',
    name: { zh: '新车综合毛利', en: 'New-vehicle gross incl. rebates' },
    domain: 'sales',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ new_gross_profit: 1, rebate_income: 1 }),
  },
  {
    id: 'new_gross_incl_rebate_per_unit',
    name: { zh: '新车单车综合毛利', en: 'Gross per new vehicle incl. rebates' },
    domain: 'sales',
    unit: 'yuan_per_unit',
    direction: up,
    kind: 'ratio',
    formula: ratio({ new_gross_profit: 1, rebate_income: 1 }, { new_units: 1 }),
    thresholds: { op: '<', warning: 0, basis: 'value', source: 'suggested' },
  },

  // Finance & insurance — 金融保险
  {
    id: 'finance_penetration',
    name: { zh: '金融渗透率', en: 'Finance penetration' },
    domain: 'fi',
    unit: 'percent',
    direction: up,
    kind: 'ratio',
    formula: ratio({ new_financed: 1 }, { new_units: 1 }),
    thresholds: { op: '<', warning: 0.4, basis: 'value', source: 'suggested' },
  },
  {
    id: 'insurance_penetration',
    name: { zh: '保险渗透率', en: 'Insurance penetration' },
    domain: 'fi',
    unit: 'percent',
    direction: up,
    kind: 'ratio',
    formula: ratio({ new_insured: 1 }, { new_units: 1 }),
    thresholds: { op: '<', warning: 0.6, basis: 'value', source: 'suggested' },
  },
  {
    id: 'fi_income_per_unit',
    name: { zh: '单车金融保险收益', en: 'F&I income per vehicle' },
    domain: 'fi',
    unit: 'yuan_per_unit',
    direction: up,
    kind: 'ratio',
    formula: ratio({ fi_income: 1 }, { all_units: 1 }),
  },
  {
    id: 'fi_income',
    name: { zh: '金融保险收益', en: 'F&I income' },
    domain: 'fi',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ fi_income: 1 }),
  },

  // Customer funnel — 集客漏斗
  {
    id: 'leads',
    name: { zh: '线索量', en: 'Leads' },
    domain: 'funnel',
    unit: 'count',
    direction: up,
    kind: 'sum',
    formula: sum({ leads: 1 }),
  },
  {
    id: 'visit_rate',
    name: { zh: '到店率', en: 'Lead-to-visit rate' },
    domain: 'funnel',
    unit: 'percent',
    direction: up,
    kind: 'ratio',
    formula: ratio({ visits: 1 }, { leads: 1 }),
    thresholds: { op: '<', warning: 0.3, basis: 'value', source: 'industry' },
  },
  {
    id: 'visit_to_order_rate',
    name: { zh: '进店成交率', en: 'Visit-to-order rate' },
    domain: 'funnel',
    unit: 'percent',
    direction: up,
    kind: 'ratio',
    formula: ratio({ visits_ordered: 1 }, { visits: 1 }),
    thresholds: { op: '<', warning: 0.35, basis: 'value', source: 'suggested' },
  },
  {
    id: 'lead_to_order_rate',
    name: { zh: '线索成交率', en: 'Lead-to-order rate' },
    domain: 'funnel',
    unit: 'percent',
    direction: up,
    kind: 'ratio',
    formula: ratio({ leads_ordered: 1 }, { leads: 1 }),
  },
  {
    id: 'test_drive_rate',
    name: { zh: '试驾率', en: 'Test-drive rate' },
    domain: 'funnel',
    unit: 'percent',
    direction: up,
    kind: 'ratio',
    formula: ratio({ test_drives: 1 }, { visits: 1 }),
  },

  // After-sales & parts — 售后/配件
  {
    id: 'repair_orders',
    name: { zh: '进厂台次', en: 'Repair orders' },
    domain: 'aftersales',
    unit: 'count',
    direction: up,
    kind: 'sum',
    formula: sum({ repair_orders: 1 }),
  },
  {
    id: 'aftersales_revenue',
    name: { zh: '售后产值', en: 'After-sales revenue' },
    domain: 'aftersales',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ ro_labour_revenue: 1, parts_revenue: 1 }),
  },
  {
    id: 'aftersales_gross_profit',
    name: { zh: '售后毛利', en: 'After-sales gross profit' },
    domain: 'aftersales',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ ro_labour_gross_profit: 1, parts_gross_profit: 1 }),
  },
  {
    id: 'service_gross_profit',
    name: { zh: '维修工时毛利', en: 'Service labour gross profit' },
    domain: 'aftersales',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ ro_labour_gross_profit: 1 }),
  },
  {
    id: 'parts_gross_profit',
    name: { zh: '配件毛利', en: 'Parts gross profit' },
    domain: 'aftersales',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ parts_gross_profit: 1 }),
  },
  {
    id: 'revenue_per_ro',
    name: { zh: '单车产值', en: 'Revenue per repair order' },
    domain: 'aftersales',
    unit: 'yuan_per_ro',
    direction: up,
    kind: 'ratio',
    formula: ratio({ ro_revenue: 1 }, { repair_orders: 1 }),
  },
  {
    id: 'effective_labour_rate',
    name: { zh: '有效工时单价', en: 'Effective labour rate' },
    domain: 'aftersales',
    unit: 'yuan_per_hour',
    direction: up,
    kind: 'ratio',
    formula: ratio({ ro_labour_revenue: 1 }, { ro_labour_hours: 1 }),
  },
  {
    id: 'hours_per_ro',
    name: { zh: '单台工时', en: 'Hours per repair order' },
    domain: 'aftersales',
    unit: 'hours',
    direction: up,
    kind: 'ratio',
    formula: ratio({ ro_labour_hours: 1 }, { repair_orders: 1 }),
  },
  {
    id: 'customer_pay_share',
    name: { zh: '客户付费占比', en: 'Customer-pay share' },
    domain: 'aftersales',
    unit: 'percent',
    direction: up,
    kind: 'ratio',
    formula: ratio({ ro_customer_revenue: 1 }, { ro_revenue: 1 }),
  },
  {
    id: 'fixed_absorption',
    name: { zh: '零服吸收率', en: 'Fixed absorption' },
    domain: 'aftersales',
    unit: 'percent',
    direction: up,
    kind: 'ratio',
    formula: ratio({ ro_labour_gross_profit: 1, parts_gross_profit: 1 }, { gl_expense: 1 }),
    thresholds: { op: '<', warning: 0.8, critical: 0.6, basis: 'value', source: 'industry' },
  },
  {
    id: 'return_rate',
    name: { zh: '回厂率', en: 'Customer return rate' },
    domain: 'aftersales',
    unit: 'percent',
    direction: up,
    kind: 'ratio',
    formula: ratio({ sold_new_12_36m_returned: 1 }, { sold_new_12_36m: 1 }),
    thresholds: { op: '<', warning: 0.5, basis: 'value', source: 'suggested' },
  },
  {
    id: 'parts_turnover',
    name: { zh: '配件周转次数', en: 'Parts turns (annualised)' },
    domain: 'aftersales',
    unit: 'turns_per_year',
    direction: up,
    kind: 'ratio',
    formula: ratio({ parts_cost: 1 }, { parts_stock_value_avg: 1 }, { per: 'annualised' }),
    thresholds: { op: '<', warning: 6, basis: 'value', source: 'suggested' },
  },
  {
    id: 'obsolete_parts_share',
    name: { zh: '呆滞件占比', en: 'Obsolete parts share' },
    domain: 'aftersales',
    unit: 'percent',
    direction: down,
    kind: 'balance',
    formula: ratio({ obsolete_parts_value_end: 1 }, { parts_stock_value_end: 1 }),
    thresholds: { op: '>', warning: 0.05, basis: 'value', source: 'suggested' },
  },

  // Vehicle inventory — 库存
  {
    id: 'new_stock_units',
    name: { zh: '新车库存台数', en: 'New vehicles in stock' },
    domain: 'inventory',
    unit: 'units',
    direction: down,
    kind: 'balance',
    formula: sum({ new_stock_units: 1 }),
  },
  {
    id: 'stock_value',
    name: { zh: '库存金额', en: 'Stock value' },
    domain: 'inventory',
    unit: 'yuan',
    direction: down,
    kind: 'balance',
    formula: sum({ stock_value: 1 }),
  },
  {
    id: 'inventory_coefficient',
    name: { zh: '库存系数', en: 'Inventory coefficient' },
    domain: 'inventory',
    unit: 'multiple',
    direction: down,
    kind: 'ratio',
    formula: ratio({ new_stock_units: 1 }, { new_units: 1 }, { per: 'months' }),
    thresholds: { op: '>', warning: 1.5, critical: 2.0, basis: 'value', source: 'industry' },
  },
  {
    id: 'aged_stock_share_90',
    name: { zh: '库龄>90天占比', en: 'Stock aged over 90 days' },
    domain: 'inventory',
    unit: 'percent',
    direction: down,
    kind: 'balance',
    formula: ratio({ aged_stock_units_90: 1 }, { stock_units: 1 }),
    thresholds: { op: '>', warning: 0.15, critical: 0.25, basis: 'value', source: 'suggested' },
  },
  {
    id: 'new_days_supply',
    name: { zh: '新车库存天数', en: "New-vehicle days' supply" },
    domain: 'inventory',
    unit: 'days',
    direction: down,
    kind: 'ratio',
    formula: ratio({ new_stock_units: 1 }, { new_units_last_30_days: 1 }, { per: 'constant', value: 30 }),
    thresholds: { op: '>', warning: 60, basis: 'value', source: 'industry' },
  },
  {
    id: 'floorplan_balance',
    name: { zh: '库存融资余额', en: 'Floor-plan balance' },
    domain: 'inventory',
    unit: 'yuan',
    direction: down,
    kind: 'balance',
    formula: sum({ floorplan_balance: 1 }),
  },
  {
    id: 'floorplan_interest',
    name: { zh: '库存融资利息', en: 'Floor-plan interest' },
    domain: 'inventory',
    unit: 'yuan',
    direction: down,
    kind: 'sum',
    formula: sum({ floorplan_interest: 1 }),
  },

  // Finance & cash-flow risk — 财务与资金风险
  {
    id: 'revenue',
    name: { zh: '营业收入', en: 'Revenue' },
    domain: 'finance',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ gl_revenue: 1 }),
  },
  {
    id: 'gross_profit',
    name: { zh: '毛利', en: 'Gross profit' },
    domain: 'finance',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ gl_revenue: 1, gl_cogs: -1 }),
  },
  {
    id: 'gross_profit_incl_rebates',
    name: { zh: '经营毛利（含返利）', en: 'Gross profit incl. rebates' },
    domain: 'finance',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ gl_revenue: 1, gl_cogs: -1, gl_new_other_income: 1 }),
  },
  {
    id: 'net_profit',
    name: { zh: '净利润', en: 'Net profit' },
    domain: 'finance',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ gl_revenue: 1, gl_other_income: 1, gl_cogs: -1, gl_expense: -1 }),
    thresholds: { op: '<', warning: 0, basis: 'value', source: 'suggested' },
  },
  {
    id: 'net_margin',
    name: { zh: '净利率', en: 'Net margin' },
    domain: 'finance',
    unit: 'percent',
    direction: up,
    kind: 'ratio',
    formula: ratio({ gl_revenue: 1, gl_other_income: 1, gl_cogs: -1, gl_expense: -1 }, { gl_revenue: 1 }),
    thresholds: { op: '<', warning: 0.01, critical: 0, basis: 'value', source: 'industry' },
  },
  {
    id: 'expense_to_gross',
    name: { zh: '费用毛利比', en: 'Expenses to gross profit' },
    domain: 'finance',
    unit: 'percent',
    direction: down,
    kind: 'ratio',
    formula: ratio({ gl_expense: 1 }, { gl_revenue: 1, gl_cogs: -1 }),
    thresholds: { op: '>', warning: 0.9, critical: 1.0, basis: 'value', source: 'suggested' },
  },
  {
    id: 'operating_cash_flow',
    name: { zh: '经营现金流', en: 'Operating cash flow' },
    domain: 'finance',
    unit: 'yuan',
    direction: up,
    kind: 'sum',
    formula: sum({ operating_cash_flow: 1 }),
    thresholds: {
      op: '<',
      warning: 0,
      critical: 0,
      basis: 'value',
      periods: { warning: 2, critical: 3 },
      source: 'suggested',
    },
  },
  {
    id: 'dso',
    name: { zh: '应收账款周转天数', en: 'Days sales outstanding' },
    domain: 'finance',
    unit: 'days',
    direction: down,
    kind: 'ratio',
    formula: ratio({ receivables_avg: 1 }, { gl_revenue: 1 }, { per: 'days' }),
    thresholds: { op: '>', warning: 30, basis: 'value', source: 'suggested' },
  },
  {
    id: 'dio',
    name: { zh: '存货周转天数', en: 'Days inventory outstanding' },
    domain: 'finance',
    unit: 'days',
    direction: down,
    kind: 'ratio',
    formula: ratio({ inventory_avg: 1 }, { gl_cogs: 1 }, { per: 'days' }),
    thresholds: { op: '>', warning: 60, basis: 'value', source: 'suggested' },
  },
  {
    id: 'dpo',
    name: { zh: '应付账款周转天数', en: 'Days payables outstanding' },
    domain: 'finance',
    unit: 'days',
    direction: up,
    kind: 'ratio',
    formula: ratio({ open_payables_avg: 1 }, { gl_cogs: 1 }, { per: 'days' }),
  },
  {
    id: 'cash_conversion_cycle',
    name: { zh: '现金周期', en: 'Cash conversion cycle' },
    domain: 'finance',
    unit: 'days',
    direction: down,
    kind: 'derived',
    formula: { kind: 'derived', metrics: { dio: 1, dso: 1, dpo: -1 } },
    thresholds: { op: '>', warning: 60, basis: 'value', source: 'suggested' },
  },
  {
    id: 'overdue_receivables_share',
    name: { zh: '逾期应收占比', en: 'Overdue receivables share' },
    domain: 'finance',
    unit: 'percent',
    direction: down,
    kind: 'balance',
    formula: ratio({ overdue_receivables: 1 }, { open_receivables: 1 }),
    thresholds: { op: '>', warning: 0.2, critical: 0.35, basis: 'value', source: 'suggested' },
  },
  {
    id: 'debt_to_asset',
    name: { zh: '资产负债率', en: 'Debt-to-asset ratio' },
    domain: 'finance',
    unit: 'percent',
    direction: down,
    kind: 'balance',
    formula: ratio({ total_liabilities: 1 }, { total_assets: 1 }),
    thresholds: { op: '>', warning: 0.8, critical: 0.85, basis: 'value', source: 'industry' },
  },
  {
    id: 'rebate_receivable',
    name: { zh: '返利应收余额', en: 'OEM rebates receivable' },
    domain: 'finance',
    unit: 'yuan',
    direction: down,
    kind: 'balance',
    formula: sum({ rebate_receivable: 1 }),
  },
  {
    id: 'rebate_days_outstanding',
    name: { zh: '返利回款天数', en: 'Rebate days outstanding' },
    domain: 'finance',
    unit: 'days',
    direction: down,
    kind: 'ratio',
    formula: ratio({ rebate_receivable: 1 }, { rebate_income: 1 }, { per: 'days' }),
    thresholds: { op: '>', warning: 120, critical: 180, basis: 'value', source: 'suggested' },
  },
  {
    id: 'current_ratio',
    name: { zh: '流动比率', en: 'Current ratio' },
    domain: 'finance',
    unit: 'multiple',
    direction: up,
    kind: 'balance',
    formula: ratio({ current_assets: 1 }, { current_liabilities: 1 }),
    thresholds: { op: '<', warning: 1.0, critical: 0.8, basis: 'value', source: 'suggested' },
  },
];

export const METRIC_BY_ID = new Map<string, MetricDefinition>(METRICS.map((m) => [m.id, m]));

/** The measures a metric is computed from, through derived metrics too. */
export function measuresOf(metric: MetricDefinition): MeasureId[] {
  const f = metric.formula;
  if (f.kind === 'sum') return Object.keys(f.terms) as MeasureId[];
  if (f.kind === 'ratio')
    return [...new Set([...Object.keys(f.numerator), ...Object.keys(f.denominator)])] as MeasureId[];
  return [...new Set(Object.keys(f.metrics).flatMap((id) => measuresOf(METRIC_BY_ID.get(id)!)))];
}

/** A metric can be cut by product only if every measure it uses has a model column. */
export function supportsProduct(metric: MetricDefinition): boolean {
  return measuresOf(metric).every((m) => SOURCES[MEASURES[m].source].model !== undefined);
}

/**
 * The role whose people a metric can be cut by: every measure it uses comes from a source naming
 * a person of that role, over dated rows (a balance or a look-back window belongs to the store,
 * not to whoever sold or wrote the row). Null when the metric is not a person-level figure.
 */
export function personRoleOf(metric: MetricDefinition): PersonRole | null {
  const roles = new Set(
    measuresOf(metric).map((m) => {
      const measure = MEASURES[m];
      const staff = SOURCES[measure.source].staff;
      const dated = measure.time.kind === 'flow' || measure.time.kind === 'last_30_days';
      return staff && dated ? staff.role : null;
    }),
  );
  const [role] = roles;
  return roles.size === 1 && role ? role : null;
}

/** Checks the catalog's own consistency; the server refuses to start if this throws. */
export function validateCatalog(metrics: readonly MetricDefinition[] = METRICS): void {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const metric of metrics) {
    if (ids.has(metric.id)) problems.push(`${metric.id}: declared twice`);
    ids.add(metric.id);
    const listed = METRIC_DOMAINS.find((d) =>
      [...METRIC_IDS_BY_DOMAIN[d], ...EXTRA_METRIC_IDS_BY_DOMAIN[d]].includes(metric.id),
    );
    if (listed !== metric.domain)
      problems.push(
        `${metric.id}: domain ${metric.domain}, but contract/metric-ids.ts lists it under ${listed ?? 'no domain'}`,
      );
    const f = metric.formula;
    const measureIds = f.kind === 'derived' ? [] : measuresOf(metric);
    for (const m of measureIds) if (!(m in MEASURES)) problems.push(`${metric.id}: unknown measure ${m}`);
    if (f.kind === 'sum' && measureIds.length === 0) problems.push(`${metric.id}: empty sum`);
    if (f.kind === 'derived') {
      for (const id of Object.keys(f.metrics)) {
        const used = metrics.find((m) => m.id === id);
        if (!used) problems.push(`${metric.id}: unknown metric ${id}`);
        else if (used.formula.kind === 'derived')
          problems.push(`${metric.id}: derived from derived metric ${id}`);
      }
    }
    const t = metric.thresholds;
    if (t?.critical !== undefined && (t.op === '<' ? t.critical > t.warning : t.critical < t.warning)) {
      problems.push(`${metric.id}: critical level ${t.critical} is milder than warning ${t.warning}`);
    }
  }
  for (const id of METRIC_IDS)
    if (!ids.has(id)) problems.push(`${id}: in the KPI dictionary but not in the catalog`);
  for (const id of EXTRA_METRIC_IDS)
    if (!ids.has(id))
      problems.push(`${id}: an extra metric id (contract/metric-ids.ts) but not in the catalog`);
  if (problems.length) throw new Error(`metric catalog is invalid:\n  ${problems.join('\n  ')}`);
}
