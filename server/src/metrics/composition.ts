// Composition bridges: what a period's figure is made of, each step beside the same step in the
// base period.
// - Net profit = Σ departments' gross (revenue − cost of sales, as booked: the new-car department's
//   includes accessories, so it is not the new-vehicle gross of the sales, which is cars only) + OEM rebates (the new-car
//   department's other income) − each department's expenses + other income and expense.
// - Operating cash flow (indirect method) = net profit − Δ receivables (by counterparty type; the
//   OEM's are its rebates) − Δ vehicle and parts stock − Δ prepayments and other current assets
//   (the balance sheet's) + Δ payables + other.
// A period is taken month by month as the monthly books are: each month's flows and its balances'
// changes since the month end before, counted for the share of the month's days inside the period,
// so over whole months a change is simply the closing balance less the opening one. `other` is what
// the named steps leave (interest income; for cash, depreciation, customers' deposits, salaries and
// taxes owed): the steps add up exactly by construction, and each named one is checked against
// plain SQL.
import type { BridgeResponse, BridgeStepId } from '../contract/explain.ts';
import type { Bilingual } from '../contract/metrics.ts';
import type { MetricId } from '../contract/metric-ids.ts';
import type { Scope, VettedNode } from '../scope/scope.ts';
import type { MetricDefinition, Terms } from './catalog.ts';
import { measuresFor, termsValue } from './compiler.ts';
import type { MeasureId } from './measures.ts';
import { bucketsOf, daysIn, monthsEndingIn, type Bucket, type Period } from './periods.ts';

interface StepDefinition {
  id: BridgeStepId;
  label: Bilingual;
  /** Summed over the period (a flow), or the change of a balance over it. */
  flow?: Terms;
  change?: Terms;
}

interface Composition {
  label: Bilingual;
  /** The figure the bridge starts from (null: zero), and the one it ends at. */
  start: MetricId | null;
  end: MetricId;
  steps: StepDefinition[];
}

const OTHER: Record<'net_profit' | 'operating_cash_flow', Bilingual> = {
  net_profit: { zh: '其他收支', en: 'Other income and expense' },
  operating_cash_flow: {
    zh: '其他（折旧、预收、应付职工薪酬及税费等）',
    en: 'Other (depreciation, deposits, accruals…)',
  },
};

export const COMPOSITIONS = {
  net_profit: {
    label: { zh: '净利润', en: 'Net profit' },
    start: null,
    end: 'net_profit',
    steps: [
      {
        id: 'gross_new',
        label: { zh: '新车部门毛利（含精品）', en: 'New-vehicle dept. gross (incl. accessories)' },
        flow: { gl_gross_new: 1 },
      },
      {
        id: 'gross_used',
        label: { zh: '二手车部门毛利', en: 'Used-vehicle dept. gross' },
        flow: { gl_gross_used: 1 },
      },
      {
        id: 'gross_service',
        label: { zh: '维修工时毛利', en: 'Service labour gross' },
        flow: { gl_gross_service: 1 },
      },
      {
        id: 'gross_parts',
        label: { zh: '配件部门毛利', en: 'Parts dept. gross' },
        flow: { gl_gross_parts: 1 },
      },
      { id: 'gross_fi', label: { zh: '金融保险收入', en: 'F&I income' }, flow: { gl_gross_fi: 1 } },
      { id: 'rebates', label: { zh: '厂家返利', en: 'OEM rebates' }, flow: { gl_new_other_income: 1 } },
      {
        id: 'expense_new',
        label: { zh: '新车部门费用', en: 'New-vehicle expenses' },
        flow: { gl_expense_new: -1 },
      },
      {
        id: 'expense_used',
        label: { zh: '二手车部门费用', en: 'Used-vehicle expenses' },
        flow: { gl_expense_used: -1 },
      },
      {
        id: 'expense_service',
        label: { zh: '售后服务费用', en: 'Service expenses' },
        flow: { gl_expense_service: -1 },
      },
      {
        id: 'expense_parts',
        label: { zh: '配件部门费用', en: 'Parts expenses' },
        flow: { gl_expense_parts: -1 },
      },
      {
        id: 'expense_admin',
        label: { zh: '管理、财务费用及税金', en: 'Overheads, interest and taxes' },
        flow: { gl_expense_admin: -1 },
      },
    ],
  },
  operating_cash_flow: {
    label: { zh: '经营现金流', en: 'Operating cash flow' },
    start: 'net_profit',
    end: 'operating_cash_flow',
    steps: [
      {
        id: 'receivables_customer',
        label: { zh: '客户应收变动', en: 'Customer receivables' },
        change: { open_receivables_customer: -1 },
      },
      {
        id: 'receivables_bank',
        label: { zh: '银行按揭应收变动', en: 'Bank (loan) receivables' },
        change: { open_receivables_bank: -1 },
      },
      {
        id: 'receivables_insurer',
        label: { zh: '保险公司应收变动', en: 'Insurer receivables' },
        change: { open_receivables_insurer: -1 },
      },
      {
        id: 'receivables_oem',
        label: { zh: '厂家返利应收变动', en: 'OEM rebates receivable' },
        change: { open_receivables_oem: -1 },
      },
      {
        id: 'vehicle_stock',
        label: { zh: '整车库存变动', en: 'Vehicle stock' },
        change: { vehicle_inventory_end: -1 },
      },
      {
        id: 'parts_stock',
        label: { zh: '配件库存变动', en: 'Parts stock' },
        change: { parts_inventory_end: -1 },
      },
      {
        id: 'other_current_assets',
        label: { zh: '预付款及其他流动资产变动', en: 'Prepayments and other current assets' },
        change: { other_current_assets_end: -1 },
      },
      { id: 'payables', label: { zh: '应付账款变动', en: 'Payables' }, change: { open_payables: 1 } },
    ],
  },
} as const satisfies Record<string, Composition>;
export type CompositionKind = keyof typeof COMPOSITIONS;

/** Money to the fen. */
const fen = (x: number) => Math.round(x * 100) / 100;

/** Each calendar month a period touches, whole, with the share of its days inside the period. */
function monthsOf(period: Period, tag: string): { month: Bucket; share: number }[] {
  return bucketsOf(period, 'month').map((part) => {
    const whole = monthsEndingIn(part.from, 1)[0]!;
    return { month: { ...whole, key: `${tag}${whole.key}` }, share: daysIn(part) / daysIn(whole) };
  });
}

/** The month before a month bucket, keyed like it. */
function monthBefore(month: Bucket, tag: string): Bucket {
  const before = monthsEndingIn(month.from, 2)[0]!;
  return { ...before, key: `${tag}${before.key}` };
}

export async function composition(
  scope: Scope,
  node: VettedNode,
  kind: CompositionKind,
  period: Period,
  base: Period,
  compare: 'prev' | 'yoy' | 'budget',
  metrics: { start: MetricDefinition | null; end: MetricDefinition },
): Promise<Pick<BridgeResponse, 'start' | 'steps' | 'end' | 'base_start' | 'base_end' | 'reason'>> {
  const def: Composition = COMPOSITIONS[kind];
  const ends = [metrics.start, metrics.end].filter((m): m is MetricDefinition => m !== null);
  const termsOf = (m: MetricDefinition) => (m.formula.kind === 'sum' ? m.formula.terms : {});
  const stepMeasures = def.steps.flatMap((s) => Object.keys({ ...s.flow, ...s.change })) as MeasureId[];
  const changeMeasures = def.steps.flatMap((s) => Object.keys(s.change ?? {})) as MeasureId[];

  const periods = compare === 'budget' ? [period] : [period, base];
  const plans = periods.map((p, i) => {
    const tag = i === 0 ? 'c:' : 'b:';
    const months = monthsOf(p, tag);
    return { period: { ...p, key: `${tag}period` }, months, opening: monthBefore(months[0]!.month, tag) };
  });
  const buckets = plans.flatMap((plan) => [plan.period, plan.opening, ...plan.months.map((m) => m.month)]);
  const [values, coverage, targets] = await Promise.all([
    scope.measures(node, {
      measures: [...measuresFor(ends), ...stepMeasures],
      periods: buckets,
      grouping: { by: 'none' },
    }),
    scope.coverage(),
    compare === 'budget' ? scope.targets(node, ends, [{ key: 'budget', ...period }]) : null,
  ]);
  const at = (bucket: Bucket) => values.get('')?.get(bucket.key) ?? {};

  /** The bridge over one period, or null where the data does not cover it. */
  const over = (plan: (typeof plans)[number]) => {
    const covered =
      ends.every((m) => coverage.covers(m, plan.period)) &&
      [plan.opening, ...plan.months.map((m) => m.month)].every((b) =>
        coverage.coversMeasures(changeMeasures, b),
      ) &&
      plan.months.every((m) => coverage.coversMeasures(stepMeasures, m.month));
    if (!covered) return null;
    const start = metrics.start ? fen(termsValue(termsOf(metrics.start), at(plan.period))) : 0;
    const end = fen(termsValue(termsOf(metrics.end), at(plan.period)));
    const steps = def.steps.map((step) => {
      let value = 0;
      plan.months.forEach(({ month, share }, i) => {
        const before = i === 0 ? plan.opening : plan.months[i - 1]!.month;
        const flow = step.flow ? termsValue(step.flow, at(month)) : 0;
        const change = step.change
          ? termsValue(step.change, at(month)) - termsValue(step.change, at(before))
          : 0;
        value += share * (flow + change);
      });
      return fen(value);
    });
    const other = fen(end - start - steps.reduce((s, v) => s + v, 0));
    return { start, end, steps: [...steps, other] };
  };

  const now = over(plans[0]!);
  const then = plans[1] ? over(plans[1]) : null;
  const budget = targets?.get('budget');
  const budgetOf = (m: MetricDefinition | null) => (m ? (budget?.get(m.id) ?? null) : 0);
  if (!now) return { start: null, steps: [], end: null, reason: 'no_data' };
  const ids = [...def.steps.map((s) => s.id), 'other' as const];
  const labels = [...def.steps.map((s) => s.label), OTHER[kind]];
  return {
    start: now.start,
    steps: ids.map((id, i) => ({
      id,
      label: labels[i]!,
      value: now.steps[i]!,
      base: then ? then.steps[i]! : null,
    })),
    end: now.end,
    base_start: budget ? budgetOf(metrics.start) : (then?.start ?? null),
    base_end: budget ? budgetOf(metrics.end) : (then?.end ?? null),
    ...(budget && budgetOf(metrics.end) === null ? { reason: 'no_target' as const } : {}),
  };
}
