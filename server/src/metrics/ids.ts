// Metric ids and their domains, as in the KPI dictionary (docs/metrics.md).
// The ETL validates budget.csv against these ids; the metric catalog builds on them.

export const METRIC_DOMAINS = ['sales', 'fi', 'funnel', 'aftersales', 'inventory', 'finance'] as const;
export type MetricDomain = (typeof METRIC_DOMAINS)[number];

export const METRIC_IDS_BY_DOMAIN = {
  sales: ['new_units', 'used_units', 'vehicle_revenue', 'new_gross_profit', 'new_gross_per_unit',
    'accessory_per_unit', 'used_new_ratio', 'trade_in_rate', 'discount_rate'],
  fi: ['finance_penetration', 'insurance_penetration', 'fi_income_per_unit'],
  funnel: ['leads', 'visit_rate', 'visit_to_order_rate', 'lead_to_order_rate', 'test_drive_rate'],
  aftersales: ['repair_orders', 'aftersales_revenue', 'aftersales_gross_profit', 'revenue_per_ro',
    'effective_labour_rate', 'hours_per_ro', 'customer_pay_share', 'fixed_absorption', 'return_rate',
    'parts_turnover', 'obsolete_parts_share'],
  inventory: ['new_stock_units', 'stock_value', 'inventory_coefficient', 'aged_stock_share_90',
    'new_days_supply', 'floorplan_balance', 'floorplan_interest'],
  finance: ['revenue', 'gross_profit', 'net_profit', 'net_margin', 'expense_to_gross',
    'operating_cash_flow', 'dso', 'dio', 'dpo', 'cash_conversion_cycle', 'overdue_receivables_share',
    'debt_to_asset', 'current_ratio'],
} as const satisfies Record<MetricDomain, readonly string[]>;

export type MetricId = (typeof METRIC_IDS_BY_DOMAIN)[MetricDomain][number];

export const METRIC_IDS: readonly MetricId[] = METRIC_DOMAINS.flatMap((d) => METRIC_IDS_BY_DOMAIN[d]);
