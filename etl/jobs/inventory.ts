// Vehicle stock: one row per VIN, with its stock-in and (once sold) stock-out dates.
import type { FileSpec } from '../spec.ts';

export const vehicleStockSpec: FileSpec = {
  file: 'vehicle_stock.csv',
  table: 'fact_vehicle_stock',
  key: ['vin'],
  columns: [
    { name: 'vin', type: 'text', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'model_id', type: 'text', required: true, ref: 'model' },
    { name: 'stock_type', type: 'text', required: true, oneOf: ['new', 'used'] },
    { name: 'stock_in_date', type: 'date', required: true },
    { name: 'stock_out_date', type: 'date' },
    { name: 'purchase_cost', type: 'amount', required: true, min: 0 },
    { name: 'floorplan_amount', type: 'amount', required: true, min: 0 },
    { name: 'floorplan_rate', type: 'rate', required: true, min: 0, max: 1 },
  ],
  rules: [
    {
      column: 'stock_out_date',
      violated: 't.stock_out_date < t.stock_in_date',
      reason: `'stock_out_date before stock_in_date ' || t.stock_in_date`,
    },
  ],
};

export const inventorySpecs = [vehicleStockSpec];
