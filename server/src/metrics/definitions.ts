// Each metric's definition in words, built from its formula (never written twice): what its
// measures are, how they combine, and when a balance is read. Shown one click away on every card
// and table header, with the unit, direction and thresholds (and their source) the catalog gives.
import type { MetricInfo } from '../contract/metrics.ts';
import { PRODUCT_LEVELS } from '../contract/vocabulary.ts';
import {
  METRIC_BY_ID,
  METRICS,
  personRoleOf,
  supportsProduct,
  type MetricDefinition,
  type Terms,
} from './catalog.ts';
import type { MeasureId } from './measures.ts';

type Text = { zh: string; en: string };

export const MEASURE_LABELS: Record<MeasureId, Text> = {
  new_units: { zh: '新车销售台数', en: 'new vehicles sold' },
  used_units: { zh: '二手车销售台数', en: 'used vehicles sold' },
  all_units: { zh: '整车销售台数', en: 'vehicles sold' },
  vehicle_revenue: { zh: '整车售价', en: 'vehicle prices' },
  new_gross_profit: { zh: '新车（售价 − 成本）', en: 'new vehicles (price − cost)' },
  used_gross_profit: { zh: '二手车（售价 − 成本）', en: 'used vehicles (price − cost)' },
  new_accessory_revenue: { zh: '新车精品收入', en: 'accessory revenue on new vehicles' },
  new_trade_ins: { zh: '有置换的新车台数', en: 'new vehicles with a trade-in' },
  new_discount: { zh: '新车优惠', en: 'discounts on new vehicles' },
  new_list_price: { zh: '新车（售价 + 优惠）', en: 'new vehicles (price + discount)' },
  new_financed: { zh: '贷款购买的新车台数', en: 'new vehicles financed' },
  new_insured: { zh: '带保险收入的新车台数', en: 'new vehicles with insurance income' },
  fi_income: { zh: '金融及保险收入', en: 'finance and insurance income' },
  new_units_last_30_days: {
    zh: '期末前30天新车销量',
    en: 'new vehicles sold in the 30 days to the period end',
  },
  leads: { zh: '线索数', en: 'leads' },
  visits: { zh: '到店线索数', en: 'leads that visited' },
  visits_ordered: { zh: '到店且成交的线索数', en: 'visits that ordered' },
  leads_ordered: { zh: '成交线索数', en: 'leads that ordered' },
  test_drives: { zh: '试驾数', en: 'test drives' },
  repair_orders: { zh: '结算工单数', en: 'repair orders closed' },
  ro_labour_revenue: { zh: '工时收入', en: 'labour revenue' },
  ro_labour_gross_profit: { zh: '工时（收入 − 成本）', en: 'labour (revenue − cost)' },
  ro_revenue: { zh: '工单（工时 + 配件）收入', en: 'repair-order revenue (labour + parts)' },
  ro_customer_revenue: { zh: '客户付费工单收入', en: 'customer-pay repair-order revenue' },
  ro_labour_hours: { zh: '工时数', en: 'labour hours' },
  parts_revenue: { zh: '配件销售收入', en: 'parts revenue' },
  parts_cost: { zh: '配件销售成本', en: 'parts cost of sales' },
  parts_gross_profit: { zh: '配件（收入 − 成本）', en: 'parts (revenue − cost)' },
  parts_stock_value_avg: { zh: '月末配件库存金额的平均', en: 'average month-end parts stock value' },
  parts_stock_value_end: { zh: '期末配件库存金额', en: 'parts stock value at the period end' },
  obsolete_parts_value_end: {
    zh: '期末365天以上未动配件金额',
    en: 'parts unmoved for 365 days, at the period end',
  },
  sold_new_12_36m: {
    zh: '期末前12–36个月售出的新车（VIN）',
    en: 'new vehicles (VINs) sold 12–36 months before the period end',
  },
  sold_new_12_36m_returned: {
    zh: '其中近12个月回厂的VIN',
    en: 'of them, VINs with a repair order in the last 12 months',
  },
  new_stock_units: { zh: '期末新车库存台数', en: 'new vehicles in stock at the period end' },
  stock_units: {
    zh: '期末库存台数（新车 + 二手车）',
    en: 'vehicles in stock at the period end (new and used)',
  },
  stock_value: { zh: '期末库存采购成本', en: 'purchase cost of stock at the period end' },
  aged_stock_units_90: {
    zh: '期末库龄超过90天的台数',
    en: 'vehicles in stock over 90 days at the period end',
  },
  aged_stock_value_90: {
    zh: '期末库龄超过90天的采购成本',
    en: 'purchase cost of stock over 90 days at the period end',
  },
  new_stock_value: { zh: '期末新车库存采购成本', en: 'purchase cost of new stock at the period end' },
  floorplan_balance: { zh: '期末库存融资金额', en: 'floor-plan amount of stock at the period end' },
  floorplan_interest: {
    zh: '融资金额 × 利率 × 期内在库天数 / 365',
    en: 'floor-plan amount × rate × days held in the period / 365',
  },
  gl_revenue: { zh: '总账收入科目', en: 'ledger revenue accounts' },
  gl_cogs: { zh: '总账成本科目', en: 'ledger cost-of-sales accounts' },
  gl_expense: { zh: '总账费用科目', en: 'ledger expense accounts' },
  gl_other_income: { zh: '总账其他收入科目（含厂家返利）', en: 'ledger other income (incl. OEM rebates)' },
  gl_new_other_income: {
    zh: '总账新车部门其他收入（厂家返利）',
    en: 'ledger other income of the new-car department (OEM rebates)',
  },
  operating_cash_flow: { zh: '经营活动现金流量', en: 'operating cash flows' },
  gl_gross_new: { zh: '总账新车部门收入 − 成本', en: 'ledger new-vehicle revenue − cost' },
  gl_gross_used: { zh: '总账二手车部门收入 − 成本', en: 'ledger used-vehicle revenue − cost' },
  gl_gross_service: { zh: '总账维修收入 − 成本', en: 'ledger service revenue − cost' },
  gl_gross_parts: { zh: '总账配件收入 − 成本', en: 'ledger parts revenue − cost' },
  gl_gross_fi: { zh: '总账金融保险收入', en: 'ledger F&I revenue' },
  gl_expense_new: { zh: '总账新车部门费用', en: 'ledger new-vehicle expenses' },
  gl_expense_used: { zh: '总账二手车部门费用', en: 'ledger used-vehicle expenses' },
  gl_expense_service: { zh: '总账售后服务费用', en: 'ledger service expenses' },
  gl_expense_parts: { zh: '总账配件部门费用', en: 'ledger parts expenses' },
  gl_expense_admin: { zh: '总账管理、财务费用及税金', en: 'ledger overheads, interest and taxes' },
  receivables_avg: {
    zh: '月末应收账款（资产负债表）的平均',
    en: 'average month-end receivables (balance sheet)',
  },
  inventory_avg: {
    zh: '月末存货（整车 + 配件）的平均',
    en: 'average month-end inventory (vehicles + parts)',
  },
  open_payables_avg: { zh: '月末未付应付单据的平均', en: 'average month-end open payables' },
  open_receivables: { zh: '期末未收应收单据', en: 'open receivables at the period end' },
  overdue_receivables: { zh: '期末已过到期日的未收应收', en: 'open receivables past due at the period end' },
  rebate_income: { zh: '按归属月份的厂家返利', en: 'OEM rebates by the month earned' },
  rebate_receivable: { zh: '期末未收回的厂家返利', en: 'OEM rebates not yet received at the period end' },
  total_liabilities: { zh: '期末负债合计', en: 'total liabilities at the period end' },
  open_receivables_customer: { zh: '期末未收客户应收', en: 'open customer receivables at the period end' },
  open_receivables_bank: { zh: '期末未收银行按揭款', en: 'open bank (loan) receivables at the period end' },
  open_receivables_insurer: { zh: '期末未收保险公司款', en: 'open insurer receivables at the period end' },
  open_receivables_oem: {
    zh: '期末未收厂家款（返利）',
    en: 'open OEM receivables (rebates) at the period end',
  },
  open_payables: { zh: '期末未付应付单据', en: 'open payables at the period end' },
  vehicle_inventory_end: {
    zh: '期末整车存货（资产负债表）',
    en: 'vehicle inventory at the period end (balance sheet)',
  },
  parts_inventory_end: {
    zh: '期末配件存货（资产负债表）',
    en: 'parts inventory at the period end (balance sheet)',
  },
  other_current_assets_end: {
    zh: '期末流动资产 − 货币资金 − 应收账款 − 存货（预付款等）',
    en: 'current assets − cash − receivables − inventory at the period end (prepayments…)',
  },
  total_assets: { zh: '期末资产合计', en: 'total assets at the period end' },
  current_assets: { zh: '期末流动资产', en: 'current assets at the period end' },
  current_liabilities: { zh: '期末流动负债', en: 'current liabilities at the period end' },
};

function termsText(terms: Terms, lang: 'zh' | 'en'): string {
  return Object.entries(terms)
    .map(
      ([id, coef], i) =>
        `${i === 0 ? (coef! < 0 ? '−' : '') : coef! < 0 ? ' − ' : ' + '}${MEASURE_LABELS[id as MeasureId][lang]}`,
    )
    .join('');
}

const SCALE_TEXT = {
  days: { zh: ' × 期间天数', en: ' × days in the period' },
  annualised: { zh: ' × 365 / 期间天数', en: ' × 365 / days in the period' },
  months: { zh: ' × 期间月数', en: ' × months in the period' },
} as const;

/** The formula in words, e.g. "Σ 新车（售价 − 成本） ÷ Σ 新车销售台数". */
export function definitionOf(metric: MetricDefinition): Text {
  const f = metric.formula;
  const text = (lang: 'zh' | 'en') => {
    if (f.kind === 'sum') return `Σ ${termsText(f.terms, lang)}`;
    if (f.kind === 'derived') {
      return Object.entries(f.metrics)
        .map(
          ([id, coef], i) => `${i === 0 ? '' : coef! < 0 ? ' − ' : ' + '}${METRIC_BY_ID.get(id)!.name[lang]}`,
        )
        .join('');
    }
    const scale = !f.scale
      ? ''
      : f.scale.per === 'constant'
        ? ` × ${f.scale.value}`
        : SCALE_TEXT[f.scale.per][lang];
    const wrap = (terms: Terms) =>
      Object.keys(terms).length > 1 ? `(${termsText(terms, lang)})` : termsText(terms, lang);
    return `Σ ${wrap(f.numerator)} ÷ Σ ${wrap(f.denominator)}${scale}`;
  };
  return { zh: text('zh'), en: text('en') };
}

/** The catalog as GET /api/metrics gives it: the metrics of the caller's domains, with their definitions. */
export function metricInfos(domains: readonly string[]): MetricInfo[] {
  return METRICS.filter((m) => domains.includes(m.domain)).map((m) => ({
    id: m.id,
    name: m.name,
    domain: m.domain,
    unit: m.unit,
    direction: m.direction,
    kind: m.kind,
    thresholds: m.thresholds ?? null,
    definition: definitionOf(m),
    breakdowns: [
      'children',
      'province',
      ...(supportsProduct(m) ? PRODUCT_LEVELS : []),
      ...(personRoleOf(m) ? (['staff'] as const) : []),
    ],
  }));
}
