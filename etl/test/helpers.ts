// Shared by the ETL tests: fresh warehouses in a temp folder and a full snapshot of the
// warehouse tables, so a test can say "nothing changed" by comparing two snapshots.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWarehouse, type Warehouse } from '../../server/src/db/warehouse.ts';

export const TINY = new URL('../../fixtures/tiny/', import.meta.url).pathname;
export const BAD = new URL('../../fixtures/bad/', import.meta.url).pathname;

export function tempDir(prefix = 'cockpit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function freshWarehouse(): Promise<Warehouse> {
  return openWarehouse(join(tempDir(), 'warehouse.duckdb'));
}

export const WAREHOUSE_TABLES = [
  'dim_org', 'org_closure', 'dim_product', 'dim_account', 'dim_customer', 'fact_vehicle_sales', 'fact_leads',
  'fact_service_orders', 'fact_parts_sales', 'fact_vehicle_stock', 'fact_parts_stock', 'fact_gl_monthly',
  'fact_receivables', 'fact_payables', 'fact_cash_flow', 'fact_balance_sheet', 'fact_budget',
] as const;

/** Every row of every warehouse table, in a stable order. */
export async function snapshot(warehouse: Warehouse): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of WAREHOUSE_TABLES) {
    result[table] = (await warehouse.knex.raw(`SELECT * FROM ${table} ORDER BY ALL`)).rows;
  }
  return result;
}
