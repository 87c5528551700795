// Shared by the ETL tests: fresh warehouses in a temp folder and a full snapshot of the
// warehouse tables, so a test can say "nothing changed" by comparing two snapshots.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWarehouse, type Warehouse } from '../../server/src/db/warehouse.ts';
import { writeManifest, type WrittenManifest } from '../manifest.ts';

export const TINY = new URL('../../fixtures/tiny/', import.meta.url).pathname;
export const BAD = new URL('../../fixtures/bad/', import.meta.url).pathname;

export function tempDir(prefix = 'cockpit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function freshWarehouse(): Promise<Warehouse> {
  return openWarehouse(join(tempDir(), 'warehouse.duckdb'));
}

/** The columns of a CSV without `columns` (the extract format quotes nothing tiny holds). */
function withoutColumns(text: string, columns: string[]): string {
  const lines = text.trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const keep = header.map((c) => !columns.includes(c));
  return (
    lines
      .map((l) =>
        l
          .split(',')
          .filter((_, i) => keep[i])
          .join(','),
      )
      .join('\n') + '\n'
  );
}

/**
 * A copy of fixtures/tiny with some files left out, replaced or stripped of columns, and its
 * manifest rewritten (a format_version set to undefined is left out: a version-1 manifest).
 */
export async function tinyCopy(
  edit: {
    drop?: string[];
    files?: Record<string, string>;
    strip?: Record<string, string[]>;
    meta?: Partial<WrittenManifest>;
  } = {},
): Promise<string> {
  const dir = tempDir('tiny-');
  for (const file of readdirSync(TINY).filter((f) => f.endsWith('.csv'))) {
    if (!edit.drop?.includes(file)) copyFileSync(join(TINY, file), join(dir, file));
  }
  for (const [file, text] of Object.entries(edit.files ?? {})) writeFileSync(join(dir, file), text);
  for (const [file, columns] of Object.entries(edit.strip ?? {}))
    writeFileSync(join(dir, file), withoutColumns(readFileSync(join(dir, file), 'utf8'), columns));
  const { files: _files, ...meta } = JSON.parse(
    readFileSync(join(TINY, 'manifest.json'), 'utf8'),
  ) as WrittenManifest;
  await writeManifest(dir, { ...meta, ...edit.meta });
  return dir;
}

/** tiny as a version-1 extract: without the files and columns format version 2 added. */
export const tinyVersion1 = () =>
  tinyCopy({
    drop: ['oem_rebates.csv', 'staff.csv'],
    strip: { 'leads.csv': ['consultant_id'], 'service_orders.csv': ['advisor_id'] },
    meta: { format_version: undefined },
  });

export const WAREHOUSE_TABLES = [
  'dim_org',
  'org_closure',
  'dim_product',
  'dim_account',
  'dim_customer',
  'fact_vehicle_sales',
  'fact_leads',
  'fact_service_orders',
  'fact_parts_sales',
  'fact_vehicle_stock',
  'fact_parts_stock',
  'fact_gl_monthly',
  'fact_receivables',
  'fact_payables',
  'fact_cash_flow',
  'fact_balance_sheet',
  'fact_budget',
  'fact_oem_rebates',
  'dim_staff',
  'fact_insurance_policies',
] as const;

/** Every row of every warehouse table, in a stable order. */
export async function snapshot(warehouse: Warehouse): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of WAREHOUSE_TABLES) {
    result[table] = (await warehouse.knex.raw(`SELECT * FROM ${table} ORDER BY ALL`)).rows;
  }
  return result;
}

/** Every row of every table in the database (warehouse, ETL record, app state), by plain SQL over the catalog. */
export async function everyTable(warehouse: Warehouse): Promise<Record<string, unknown[]>> {
  const tables = (
    await warehouse.knex.raw(`SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_catalog = current_database() ORDER BY 1`)
  ).rows as { t: string }[];
  const out: Record<string, unknown[]> = {};
  for (const { t } of tables) out[t] = (await warehouse.knex.raw(`SELECT * FROM ${t} ORDER BY ALL`)).rows;
  return out;
}

/**
 * Each table's row count and the sum of its rows' hashes: equal fingerprints mean equal contents
 * (in any order), read in a fraction of the time every row would take.
 */
export async function fingerprintsIn(path: string): Promise<Record<string, string>> {
  const warehouse = await openWarehouse(path);
  try {
    const tables = (
      await warehouse.knex.raw(`SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_catalog = current_database() ORDER BY 1`)
    ).rows as { t: string }[];
    const out: Record<string, string> = {};
    for (const { t } of tables) {
      const row = (
        await warehouse.knex.raw(`SELECT count(*) AS n, coalesce(sum(hash(r)), 0)::VARCHAR AS h FROM ${t} r`)
      ).rows[0];
      out[t] = `${row.n} rows, hash ${row.h}`;
    }
    return out;
  } finally {
    await warehouse.close();
  }
}

/** everyTable() of a database file, opened and closed again. */
export async function everyTableIn(path: string): Promise<Record<string, unknown[]>> {
  const warehouse = await openWarehouse(path);
  try {
    return await everyTable(warehouse);
  } finally {
    await warehouse.close();
  }
}
