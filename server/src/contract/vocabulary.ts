// The fixed sets of values the API speaks in, as plain constants: the zod schemas (contract/*.ts)
// and the server build on them, and the client imports them without bundling zod.

export const UNITS = [
  'units',
  'count',
  'yuan',
  'yuan_per_unit',
  'yuan_per_ro',
  'yuan_per_hour',
  'hours',
  'percent',
  'multiple',
  'days',
  'turns_per_year',
] as const;

export const DIRECTIONS = ['higher_is_better', 'lower_is_better'] as const;

/** Aggregation kind as the KPI dictionary names it (what the number means over time and org). */
export const AGGREGATION_KINDS = ['sum', 'ratio', 'balance', 'avg-balance', 'derived'] as const;

export const ORG_LEVELS = ['group', 'division', 'region', 'store'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/** staff: one person of a store (a staff_id of staff.csv), who reads their own figures only. */
export const ROLES = ['group', 'division', 'region', 'store', 'finance', 'special', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** Product dimensions a product-aware metric can be filtered or broken down by. */
export const PRODUCT_LEVELS = ['origin', 'brand', 'series', 'model', 'powertrain'] as const;
export type ProductLevel = (typeof PRODUCT_LEVELS)[number];

/** The roles staff.csv knows (docs/extract-format.md). */
export const STAFF_ROLES = [
  'sales_consultant',
  'service_advisor',
  'fi_specialist',
  'parts_specialist',
  'store_manager',
  'other',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The key under which person-level figures put facts naming no staff member, or one staff.csv
 *  does not hold (未匹配). Not a valid staff id: staff.csv ids never start with '~'. */
export const UNASSIGNED_STAFF = '~unassigned';

/** What /api/breakdown splits a metric by: child org nodes, the stores' provinces, a product level,
 *  or the people of a store (the sales consultants or service advisors who own the facts). */
export const BREAKDOWN_BY = ['children', 'province', ...PRODUCT_LEVELS, 'staff'] as const;
export type BreakdownBy = (typeof BREAKDOWN_BY)[number];

export const GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Grain = (typeof GRAINS)[number];

/** Comparisons a KPI request may ask for: previous period (环比), same period last year (同比), budget. */
export const COMPARE_KINDS = ['prev', 'yoy', 'budget'] as const;
export type CompareKind = (typeof COMPARE_KINDS)[number];

/**
 * Why a figure is missing:
 * - no_data: the period (or the comparison period) is not wholly inside the data's coverage;
 * - base_not_positive: a relative change on a zero or negative base means nothing (the delta stands);
 * - percentage_points: a percentage changes by points (the delta), never by a percentage of itself;
 * - no_target: no budget, or a zero or negative one (the variance stands where there is a target).
 */
export const MISSING_REASONS = ['no_data', 'base_not_positive', 'percentage_points', 'no_target'] as const;

export const ALERT_LEVELS = ['warning', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export const ALERT_STATUSES = ['open', 'closed'] as const;

/** value: the metric itself; attainment: actual / budget; yoy_change: (v − last year) / |last year|;
 *  peer_deviation: (v − median of the level's nodes) / their median absolute deviation. */
export const RULE_COMPARISONS = ['value', 'attainment', 'yoy_change', 'peer_deviation'] as const;
export type RuleComparison = (typeof RULE_COMPARISONS)[number];

export const RULE_SOURCES = ['industry', 'suggested', 'custom'] as const;

export const TASK_STATUSES = ['plan', 'do', 'check', 'act', 'closed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_EVENT_KINDS = [
  'created',
  'transition',
  'action',
  'comment',
  'escalation',
  'check',
  'reassigned',
] as const;

/** What a person's job is called on tasks, alerts and the board: their staff.csv role, or the role of
 *  their user (a node owner without a user: the level of the node they own). */
export const PERSON_TITLES = [
  ...STAFF_ROLES,
  'group',
  'division',
  'region',
  'store',
  'finance',
  'special',
] as const;
export type PersonTitle = (typeof PERSON_TITLES)[number];

/** Days past the due (or expected) date of an open receivable or rebate. */
export const AGEING_BUCKETS = ['not_due', 'd0_30', 'd31_60', 'd61_90', 'd90_plus'] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number];

/** The driver bridges of /api/bridge, in the order the analysis view shows them. */
export const BRIDGE_KINDS = [
  'net_profit',
  'operating_cash_flow',
  'new_gross',
  'used_gross',
  'aftersales_gross',
] as const;
export type BridgeKind = (typeof BRIDGE_KINDS)[number];

/** The metric each bridge explains (an explanation of the metric shows its bridge). */
export const BRIDGE_METRICS = {
  net_profit: 'net_profit',
  operating_cash_flow: 'operating_cash_flow',
  new_gross: 'new_gross_profit',
  used_gross: 'used_gross_profit',
  aftersales_gross: 'aftersales_gross_profit',
} as const satisfies Record<BridgeKind, string>;

/** The metrics whose landing (预计完成) the cards, the wall and the phone report show; their store
 *  forecasts are computed after every load. */
export const LANDING_METRICS = ['new_units', 'vehicle_revenue', 'aftersales_revenue', 'net_profit'] as const;

/** The key figures, in reading order: the overview's cards and the monthly review's first table. */
export const KEY_FIGURES = [
  'new_units',
  'new_gross_incl_rebate_per_unit',
  'used_units',
  'aftersales_revenue',
  'finance_penetration',
  'net_profit',
  'inventory_coefficient',
  'aged_stock_share_90',
  'operating_cash_flow',
  'overdue_receivables_share',
] as const;

/** The daily report's figures counted day by day (they have a "yesterday"), then those read for the month to date. */
export const DAILY_FLOWS = [
  'new_units',
  'new_gross_profit',
  'used_units',
  'aftersales_revenue',
  'repair_orders',
  'finance_penetration',
] as const;
export const DAILY_MONTH_FIGURES = ['net_profit', 'inventory_coefficient', 'operating_cash_flow'] as const;
