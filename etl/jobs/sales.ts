// Vehicle sales and the customer funnel (leads, showroom visits, test drives, orders).
import type { FileSpec } from '../spec.ts';

export const vehicleSalesSpec: FileSpec = {
  file: 'vehicle_sales.csv',
  table: 'fact_vehicle_sales',
  key: ['order_no'],
  columns: [
    { name: 'order_no', type: 'text', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'sale_date', type: 'date', required: true },
    { name: 'vin', type: 'text', required: true },
    { name: 'model_id', type: 'text', required: true, ref: 'model' },
    { name: 'sale_type', type: 'text', required: true, oneOf: ['new', 'used'] },
    { name: 'channel', type: 'text', required: true, oneOf: ['showroom', 'online', 'fleet'] },
    { name: 'customer_id', type: 'hashed' },
    { name: 'price', type: 'amount', required: true, min: 0 },
    { name: 'cost', type: 'amount', required: true, min: 0 },
    { name: 'discount', type: 'amount', required: true, min: 0 },
    { name: 'financed', type: 'flag', required: true },
    { name: 'finance_income', type: 'amount', required: true, min: 0 },
    { name: 'insurance_income', type: 'amount', required: true, min: 0 },
    { name: 'accessory_revenue', type: 'amount', required: true, min: 0 },
    { name: 'accessory_cost', type: 'amount', required: true, min: 0 },
    { name: 'trade_in', type: 'flag', required: true },
    // A staff_id of staff.csv when the extract has one (format version 2); a name before that.
    { name: 'salesperson', type: 'text', staff: true },
  ],
  // vehicle_stock.csv is loaded first, so the VIN's stock row is the one this extract brings.
  joins: 'LEFT JOIN fact_vehicle_stock stock ON stock.vin = t.vin',
  rules: [
    {
      column: 'sale_date',
      violated: 't.sale_date < stock.stock_in_date',
      reason: `'sale before its stock-in on ' || stock.stock_in_date`,
    },
  ],
};

export const leadsSpec: FileSpec = {
  file: 'leads.csv',
  table: 'fact_leads',
  key: ['lead_id'],
  columns: [
    { name: 'lead_id', type: 'text', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'created_date', type: 'date', required: true },
    { name: 'source', type: 'text', required: true, oneOf: ['walk_in', 'online', 'phone', 'referral'] },
    { name: 'model_id', type: 'text', ref: 'model' },
    { name: 'visited_date', type: 'date' },
    { name: 'test_drive', type: 'flag', required: true },
    { name: 'order_no', type: 'text' },
    { name: 'consultant_id', type: 'text', since: 2, staff: true },
  ],
  rules: [
    {
      column: 'visited_date',
      violated: 't.visited_date < t.created_date',
      reason: `'visited before the lead was created on ' || t.created_date`,
    },
  ],
};

export const salesSpecs = [vehicleSalesSpec, leadsSpec];
