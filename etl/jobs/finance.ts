// Finance: monthly GL, receivable and payable documents, cash-flow statement, balance sheet, budget.
import { METRIC_IDS } from '../../server/src/contract/metric-ids.ts';
import type { ColumnSpec, FileSpec, RuleSpec } from '../spec.ts';

export const BALANCE_SHEET_LINES = [
  'cash',
  'receivables',
  'vehicle_inventory',
  'parts_inventory',
  'current_assets',
  'total_assets',
  'current_liabilities',
  'total_liabilities',
  'equity',
] as const;

export const glMonthlySpec: FileSpec = {
  file: 'gl_monthly.csv',
  table: 'fact_gl_monthly',
  key: ['period', 'store_id', 'account_code'],
  columns: [
    { name: 'period', type: 'period', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'account_code', type: 'text', required: true, ref: 'account' },
    { name: 'amount', type: 'amount', required: true },
  ],
};

function documentColumns(counterpartyTypes: readonly string[]): ColumnSpec[] {
  return [
    { name: 'doc_no', type: 'text', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'counterparty', type: 'text', required: true },
    { name: 'counterparty_type', type: 'text', required: true, oneOf: counterpartyTypes },
    { name: 'doc_date', type: 'date', required: true },
    { name: 'due_date', type: 'date', required: true },
    { name: 'amount', type: 'amount', required: true, min: 0 },
    { name: 'settled_date', type: 'date' },
    { name: 'settled_amount', type: 'amount', min: 0 },
  ];
}

const documentRules: RuleSpec[] = [
  {
    column: 'due_date',
    violated: 't.due_date < t.doc_date',
    reason: `'due_date before doc_date ' || t.doc_date`,
  },
  {
    column: 'settled_date',
    violated: 't.settled_date < t.doc_date',
    reason: `'settled_date before doc_date ' || t.doc_date`,
  },
  {
    column: 'settled_amount',
    violated: '(t.settled_date IS NULL) <> (t.settled_amount IS NULL)',
    reason: `'settled_date and settled_amount must be given together'`,
  },
  {
    column: 'settled_amount',
    violated: 't.settled_amount > t.amount',
    reason: `'settled_amount exceeds amount ' || t.amount`,
  },
];

export const receivablesSpec: FileSpec = {
  file: 'receivables.csv',
  table: 'fact_receivables',
  key: ['doc_no'],
  columns: documentColumns(['customer', 'oem', 'bank', 'insurer']),
  rules: documentRules,
};

export const payablesSpec: FileSpec = {
  file: 'payables.csv',
  table: 'fact_payables',
  key: ['doc_no'],
  columns: documentColumns(['oem', 'parts_supplier', 'other']),
  rules: documentRules,
};

export const cashFlowSpec: FileSpec = {
  file: 'cash_flow.csv',
  table: 'fact_cash_flow',
  key: ['period', 'store_id', 'line'],
  columns: [
    { name: 'period', type: 'period', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'category', type: 'text', required: true, oneOf: ['operating', 'investing', 'financing'] },
    { name: 'line', type: 'text', required: true },
    { name: 'amount', type: 'amount', required: true },
  ],
};

export const balanceSheetSpec: FileSpec = {
  file: 'balance_sheet.csv',
  table: 'fact_balance_sheet',
  key: ['period', 'store_id', 'line'],
  columns: [
    { name: 'period', type: 'period', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'line', type: 'text', required: true, oneOf: BALANCE_SHEET_LINES },
    { name: 'amount', type: 'amount', required: true },
  ],
};

export const budgetSpec: FileSpec = {
  file: 'budget.csv',
  table: 'fact_budget',
  key: ['period', 'store_id', 'metric_id'],
  columns: [
    { name: 'period', type: 'period', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'metric_id', type: 'text', required: true, oneOf: METRIC_IDS },
    { name: 'target', type: 'number', required: true },
  ],
};

export const REBATE_KINDS = ['volume', 'target', 'special', 'other'] as const;

/**
 * OEM rebates (厂家返利), format version 2 and optional: the detail behind the ledger's rebate
 * income, one row per rebate a store earns from a brand's selling company for a month (`period`),
 * with when the OEM is expected to pay it and what it paid. A rebate may be collected in part
 * (received below accrued); one with no received_date is open.
 */
export const oemRebatesSpec: FileSpec = {
  file: 'oem_rebates.csv',
  table: 'fact_oem_rebates',
  key: ['rebate_id'],
  since: 2,
  optional: true,
  columns: [
    { name: 'rebate_id', type: 'text', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'brand', type: 'text', required: true },
    { name: 'period', type: 'period', required: true },
    { name: 'kind', type: 'text', required: true, oneOf: REBATE_KINDS },
    { name: 'accrued_amount', type: 'amount', required: true, min: 0 },
    { name: 'expected_date', type: 'date', required: true },
    { name: 'received_date', type: 'date' },
    { name: 'received_amount', type: 'amount', min: 0 },
  ],
  rules: [
    {
      column: 'expected_date',
      violated: 't.expected_date < t.period',
      reason: `'expected_date before the period it is earned on ' || strftime(t.period, '%Y-%m')`,
    },
    {
      column: 'received_date',
      violated: 't.received_date < t.period',
      reason: `'received_date before the period it is earned on ' || strftime(t.period, '%Y-%m')`,
    },
    {
      column: 'received_amount',
      violated: '(t.received_date IS NULL) <> (t.received_amount IS NULL)',
      reason: `'received_date and received_amount must be given together'`,
    },
    // A cent of rounding is allowed: OEMs pay rebates computed on their side.
    {
      column: 'received_amount',
      violated: 't.received_amount > t.accrued_amount + 0.01',
      reason: `'received_amount exceeds accrued_amount ' || t.accrued_amount`,
    },
  ],
};

export const financeSpecs = [
  glMonthlySpec,
  receivablesSpec,
  payablesSpec,
  cashFlowSpec,
  balanceSheetSpec,
  budgetSpec,
  oemRebatesSpec,
];
