// After-sales: repair orders, parts lines (on an RO or over the counter) and parts stock.
import type { FileSpec } from '../spec.ts';

export const serviceOrdersSpec: FileSpec = {
  file: 'service_orders.csv',
  table: 'fact_service_orders',
  key: ['ro_no'],
  columns: [
    { name: 'ro_no', type: 'text', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'open_date', type: 'date', required: true },
    { name: 'close_date', type: 'date' },
    { name: 'vin', type: 'text', required: true },
    { name: 'customer_id', type: 'hashed' },
    {
      name: 'pay_type',
      type: 'text',
      required: true,
      oneOf: ['customer', 'warranty', 'insurance', 'internal'],
    },
    { name: 'labour_hours', type: 'quantity', required: true, min: 0 },
    { name: 'labour_revenue', type: 'amount', required: true, min: 0 },
    { name: 'labour_cost', type: 'amount', required: true, min: 0 },
    { name: 'parts_revenue', type: 'amount', required: true, min: 0 },
    { name: 'parts_cost', type: 'amount', required: true, min: 0 },
    { name: 'advisor_id', type: 'text', since: 2, staff: true },
  ],
  rules: [
    {
      column: 'close_date',
      violated: 't.close_date < t.open_date',
      reason: `'close_date before open_date ' || t.open_date`,
    },
  ],
};

export const partsSalesSpec: FileSpec = {
  file: 'parts_sales.csv',
  table: 'fact_parts_sales',
  key: ['line_id'],
  columns: [
    { name: 'line_id', type: 'text', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'sale_date', type: 'date', required: true },
    { name: 'ro_no', type: 'text' },
    { name: 'part_no', type: 'text', required: true },
    { name: 'part_category', type: 'text', required: true },
    { name: 'qty', type: 'quantity', required: true, min: 0 },
    { name: 'revenue', type: 'amount', required: true, min: 0 },
    { name: 'cost', type: 'amount', required: true, min: 0 },
  ],
  // service_orders.csv is loaded first, so an RO line can be checked against the ROs
  // (an anti-join: much cheaper than joining 10M+ lines to the ROs).
  rules: [
    {
      column: 'ro_no',
      violated: 't.ro_no IS NOT NULL AND t.ro_no NOT IN (SELECT ro_no FROM fact_service_orders)',
      reason: `'unknown ro_no "' || t.ro_no || '"'`,
    },
  ],
};

export const partsStockSpec: FileSpec = {
  file: 'parts_stock.csv',
  table: 'fact_parts_stock',
  key: ['snapshot_date', 'store_id', 'part_no'],
  columns: [
    { name: 'snapshot_date', type: 'date', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'part_no', type: 'text', required: true },
    { name: 'part_category', type: 'text', required: true },
    { name: 'qty_on_hand', type: 'quantity', required: true, min: 0 },
    { name: 'unit_cost', type: 'amount', required: true, min: 0 },
    { name: 'last_movement_date', type: 'date' },
  ],
  rules: [
    {
      column: 'snapshot_date',
      violated: 't.snapshot_date <> last_day(t.snapshot_date)',
      reason: `'snapshot_date is not a month end'`,
    },
    {
      column: 'last_movement_date',
      violated: 't.last_movement_date > t.snapshot_date',
      reason: `'last_movement_date after the snapshot'`,
    },
  ],
};

export const aftersalesSpecs = [serviceOrdersSpec, partsSalesSpec, partsStockSpec];
