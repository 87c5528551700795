// Metric ids and their domains, as in the KPI dictionary (docs/metrics.md), and the few extra
// metrics beyond it. The ETL validates budget.csv against the dictionary ids; the metric catalog
// builds on both lists and must declare every id in them.

export const METRIC_DOMAINS = ['sales', 'fi', 'funnel', 'aftersales', 'inventory', 'finance'] as const;
export type MetricDomain = (typeof METRIC_DOMAINS)[number];

export const METRIC_IDS_BY_DOMAIN = {
  sales: [
    'new_units',
    'used_units',
    'vehicle_revenue',
    'new_gross_profit',
    'new_gross_per_unit',
    'accessory_per_unit',
    'used_new_ratio',
    'trade_in_rate',
    'discount_rate',
    'rebate_income',
    'new_gross_incl_rebate_per_unit',
  ],
  fi: ['finance_penetration', 'insurance_penetration', 'fi_income_per_unit'],
  funnel: ['leads', 'visit_rate', 'visit_to_order_rate', 'lead_to_order_rate', 'test_drive_rate'],
  aftersales: [
    'repair_orders',
    'aftersales_revenue',
    'aftersales_gross_profit',
    'revenue_per_ro',
    'effective_labour_rate',
    'hours_per_ro',
    'customer_pay_share',
    'fixed_absorption',
    'return_rate',
    'parts_turnover',
    'obsolete_parts_share',
  ],
  inventory: [
    'new_stock_units',
    'stock_value',
    'inventory_coefficient',
    'aged_stock_share_90',
    'new_days_supply',
    'floorplan_balance',
    'floorplan_interest',
  ],
  finance: [
    'revenue',
    'gross_profit',
    'net_profit',
    'net_margin',
    'expense_to_gross',
    'operating_cash_flow',
    'dso',
    'dio',
    'dpo',
    'cash_conversion_cycle',
    'overdue_receivables_share',
    'debt_to_asset',
    'current_ratio',
    'rebate_receivable',
    'rebate_days_outstanding',
  ],
} as const satisfies Record<MetricDomain, readonly string[]>;

/** An id of the KPI dictionary: budget.csv may target these, and the catalog must declare each. */
export type DictionaryMetricId = (typeof METRIC_IDS_BY_DOMAIN)[MetricDomain][number];

/** The KPI dictionary's ids, in dictionary order. */
export const METRIC_IDS: readonly DictionaryMetricId[] = METRIC_DOMAINS.flatMap(
  (d) => METRIC_IDS_BY_DOMAIN[d],
);

/**
 * Metrics beyond the dictionary: the department gross profits of the operating driver tree
 * (经营决策树; docs/metrics.md, "Driver-tree metrics"). Declared in the catalog like any metric and
 * granted by the same domains, but not targets for budget.csv.
 */
export const EXTRA_METRIC_IDS_BY_DOMAIN = {
  sales: ['used_gross_profit', 'used_gross_per_unit', 'new_gross_incl_rebate'],
  fi: ['fi_income'],
  funnel: [],
  aftersales: ['service_gross_profit', 'parts_gross_profit'],
  inventory: [],
  finance: ['gross_profit_incl_rebates'],
} as const satisfies Record<MetricDomain, readonly string[]>;

export type ExtraMetricId = (typeof EXTRA_METRIC_IDS_BY_DOMAIN)[MetricDomain][number];

export const EXTRA_METRIC_IDS: readonly ExtraMetricId[] = METRIC_DOMAINS.flatMap(
  (d) => EXTRA_METRIC_IDS_BY_DOMAIN[d],
);

/** Every metric id the catalog declares: the dictionary's and the extra ones. */
export type MetricId = DictionaryMetricId | ExtraMetricId;
