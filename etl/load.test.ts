// The ETL's rules, checked on fixtures/tiny (hand-written; every expected figure below was
// worked out by hand from those CSV files) and on copies of it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../server/src/db/warehouse.ts';
import { loadExtract } from './load.ts';
import { writeManifest } from './manifest.ts';
import { freshWarehouse, snapshot, tempDir, TINY } from './test/helpers.ts';

const TINY_INCREMENTAL = new URL('../fixtures/tiny-incremental/', import.meta.url).pathname;
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let warehouse: Warehouse;
afterEach(async () => warehouse?.close());

const rows = async (sql: string, bindings: unknown[] = []) =>
  (await warehouse.knex.raw(sql, bindings as never)).rows;
const one = async (sql: string) => (await rows(sql))[0];

describe('loading a full extract', () => {
  it('loads every file with the counts and typed values of the source', async () => {
    warehouse = await freshWarehouse();
    const result = await loadExtract(warehouse, TINY);
    expect(result.status).toBe('loaded');
    expect(result.extract_id).toBe('tiny-2025-03-full');
    expect(result.files).toEqual({
      'org.csv': { read: 8, loaded: 8, rejected: 0, warned: 0 },
      'products.csv': { read: 4, loaded: 4, rejected: 0, warned: 0 },
      'accounts.csv': { read: 8, loaded: 8, rejected: 0, warned: 0 },
      'staff.csv': { read: 8, loaded: 8, rejected: 0, warned: 0 },
      'vehicle_stock.csv': { read: 5, loaded: 5, rejected: 0, warned: 0 },
      'vehicle_sales.csv': { read: 4, loaded: 4, rejected: 0, warned: 1 },
      'leads.csv': { read: 5, loaded: 5, rejected: 0, warned: 0 },
      'service_orders.csv': { read: 3, loaded: 3, rejected: 0, warned: 0 },
      'parts_sales.csv': { read: 4, loaded: 4, rejected: 0, warned: 0 },
      'parts_stock.csv': { read: 3, loaded: 3, rejected: 0, warned: 0 },
      'gl_monthly.csv': { read: 8, loaded: 8, rejected: 0, warned: 0 },
      'receivables.csv': { read: 3, loaded: 3, rejected: 0, warned: 0 },
      'payables.csv': { read: 2, loaded: 2, rejected: 0, warned: 0 },
      'cash_flow.csv': { read: 4, loaded: 4, rejected: 0, warned: 0 },
      'balance_sheet.csv': { read: 9, loaded: 9, rejected: 0, warned: 0 },
      'budget.csv': { read: 3, loaded: 3, rejected: 0, warned: 0 },
      'oem_rebates.csv': { read: 3, loaded: 3, rejected: 0, warned: 0 },
    });
    expect(result.rejects).toEqual([]);
    // SO-0004 names E-109, whom staff.csv does not hold: loaded, with a warning that says where.
    expect(result.warnings).toEqual([
      {
        file: 'vehicle_sales.csv',
        line: 5,
        column: 'salesperson',
        reason: 'unknown staff_id "E-109" (not in staff.csv): loaded, counted as unassigned',
      },
    ]);
    expect(await one(`SELECT price FROM fact_vehicle_sales WHERE order_no = 'SO-0004'`)).toEqual({
      price: 160000,
    });
    expect(
      await rows(
        `SELECT staff_id, store_id, role, hired_on, left_on FROM dim_staff WHERE store_id = 'S1' ORDER BY staff_id`,
      ),
    ).toEqual([
      { staff_id: 'E-101', store_id: 'S1', role: 'sales_consultant', hired_on: '2020-03-01', left_on: null },
      {
        staff_id: 'E-102',
        store_id: 'S1',
        role: 'sales_consultant',
        hired_on: '2024-06-01',
        left_on: '2025-02-28',
      },
      { staff_id: 'E-103', store_id: 'S1', role: 'service_advisor', hired_on: '2019-01-15', left_on: null },
      { staff_id: 'E-104', store_id: 'S1', role: 'store_manager', hired_on: '2012-05-01', left_on: null },
    ]);
    expect(await rows(`SELECT lead_id, consultant_id FROM fact_leads ORDER BY lead_id`)).toEqual([
      { lead_id: 'L-001', consultant_id: 'E-101' },
      { lead_id: 'L-002', consultant_id: 'E-102' },
      { lead_id: 'L-003', consultant_id: 'E-201' },
      { lead_id: 'L-004', consultant_id: null },
      { lead_id: 'L-005', consultant_id: 'E-301' },
    ]);
    expect(
      await rows(`SELECT advisor_id, count(*) AS n FROM fact_service_orders GROUP BY 1 ORDER BY 1`),
    ).toEqual([
      { advisor_id: 'E-103', n: 2 },
      { advisor_id: 'E-202', n: 1 },
    ]);

    // 275 000 + 950 000 + 200 000 for the three new sales; the used sale is 160 000.
    expect(
      await one(
        `SELECT sum(price) FILTER (WHERE sale_type = 'new') AS new, sum(price) AS "all", count(*) FILTER (WHERE financed) AS financed FROM fact_vehicle_sales`,
      ),
    ).toEqual({ new: 1425000, all: 1585000, financed: 2 });
    expect(
      await one(
        `SELECT sale_date, trade_in, customer_id, batch_id FROM fact_vehicle_sales WHERE order_no = 'SO-0001'`,
      ),
    ).toEqual({
      sale_date: '2025-02-15',
      trade_in: true,
      customer_id: md5('C001'),
      batch_id: 'tiny-2025-03-full',
    });
    expect(await one(`SELECT sum(revenue) AS revenue, sum(qty) AS qty FROM fact_parts_sales`)).toEqual({
      revenue: 4800,
      qty: 9,
    });
    expect(await one(`SELECT close_date FROM fact_service_orders WHERE ro_no = 'RO-0003'`)).toEqual({
      close_date: null,
    });
    expect(
      await one(
        `SELECT period, amount FROM fact_gl_monthly WHERE store_id = 'S1' AND account_code = '6601.01'`,
      ),
    ).toEqual({ period: '2025-03-01', amount: 80000 });
    expect(
      await one(`SELECT floorplan_rate FROM fact_vehicle_stock WHERE vin = 'LBV5X000000000003'`),
    ).toEqual({ floorplan_rate: 0.06 });
    expect(await one(`SELECT target FROM fact_budget WHERE metric_id = 'finance_penetration'`)).toEqual({
      target: 0.5,
    });
  });

  it('derives the org closure and the customer dimension', async () => {
    warehouse = await freshWarehouse();
    await loadExtract(warehouse, TINY);
    // G reaches all 8 nodes, D1 4, D2 3, R1 3, R2 2, each store itself: 23 pairs.
    expect(await one('SELECT count(*) AS n FROM org_closure')).toEqual({ n: 23 });
    expect(await rows(`SELECT descendant_id FROM org_closure WHERE ancestor_id = 'D1' ORDER BY 1`)).toEqual(
      ['D1', 'R1', 'S1', 'S2'].map((descendant_id) => ({ descendant_id })),
    );
    // C001 bought in Hangzhou on 2025-02-15 and came back for service on 2025-03-10.
    expect(await one('SELECT count(*) AS n FROM dim_customer')).toEqual({ n: 6 });
    expect(
      await one(`SELECT city, channel, first_seen FROM dim_customer WHERE customer_id = '${md5('C001')}'`),
    ).toEqual({ city: '杭州', channel: 'showroom', first_seen: '2025-02-15' });
  });

  it('records the run with each file hash and row counts', async () => {
    warehouse = await freshWarehouse();
    await loadExtract(warehouse, TINY);
    const run = await one(
      `SELECT run_id, extract_id, kind, status, period_from, period_to, rows_read, rows_loaded, rows_rejected, duration_ms >= 0 AS timed FROM etl.runs`,
    );
    expect(run).toEqual({
      run_id: 1,
      extract_id: 'tiny-2025-03-full',
      kind: 'full',
      status: 'loaded',
      period_from: '2025-01-01',
      period_to: '2025-03-31',
      rows_read: 84,
      rows_loaded: 84,
      rows_rejected: 0,
      timed: true,
    });
    const files = await rows(
      'SELECT file, sha256, bytes, rows_read FROM etl.run_files WHERE run_id = 1 ORDER BY file',
    );
    // The warning of SO-0004's unknown salesperson is kept with the run, and counted on its file.
    expect(
      await rows(`SELECT file, rows_warned FROM etl.run_files WHERE run_id = 1 AND rows_warned > 0`),
    ).toEqual([{ file: 'vehicle_sales.csv', rows_warned: 1 }]);
    expect(await rows(`SELECT run_id, file, line, column_name FROM etl.warnings`)).toEqual([
      { run_id: 1, file: 'vehicle_sales.csv', line: 5, column_name: 'salesperson' },
    ]);
    const csvs = readdirSync(TINY)
      .filter((f) => f.endsWith('.csv'))
      .sort();
    expect(files).toEqual(
      csvs.map((file) => ({
        file,
        sha256: sha256(join(TINY, file)),
        bytes: readFileSync(join(TINY, file)).length,
        rows_read: readFileSync(join(TINY, file), 'utf8').trim().split('\n').length - 1,
      })),
    );
  });

  it('changes nothing when the same extract is loaded twice', async () => {
    warehouse = await freshWarehouse();
    await loadExtract(warehouse, TINY);
    const first = await snapshot(warehouse);
    const second = await loadExtract(warehouse, TINY);
    expect(second.status).toBe('loaded');
    expect(await snapshot(warehouse)).toEqual(first);
    expect(await one('SELECT count(*) AS n FROM etl.runs')).toEqual({ n: 2 });
  });

  it('a full extract replaces what an earlier one loaded', async () => {
    warehouse = await freshWarehouse();
    await loadExtract(warehouse, TINY);
    await loadExtract(warehouse, TINY_INCREMENTAL);
    await loadExtract(warehouse, TINY);
    expect(await one(`SELECT count(*) AS n FROM fact_vehicle_sales`)).toEqual({ n: 4 });
    expect(await one(`SELECT count(*) AS n FROM dim_org`)).toEqual({ n: 8 });
  });
});

describe('loading an incremental extract', () => {
  it('upserts by natural key and keeps everything else', async () => {
    warehouse = await freshWarehouse();
    await loadExtract(warehouse, TINY);
    const result = await loadExtract(warehouse, TINY_INCREMENTAL);
    expect(result.status).toBe('loaded');
    expect(result.files).toEqual({
      'org.csv': { read: 1, loaded: 1, rejected: 0, warned: 0 },
      'vehicle_stock.csv': { read: 2, loaded: 2, rejected: 0, warned: 0 },
      'vehicle_sales.csv': { read: 2, loaded: 2, rejected: 0, warned: 0 },
      'receivables.csv': { read: 1, loaded: 1, rejected: 0, warned: 0 },
    });
    expect(await one('SELECT count(*) AS n FROM fact_vehicle_stock')).toEqual({ n: 6 });
    expect(
      await one(`SELECT stock_out_date FROM fact_vehicle_stock WHERE vin = 'LBV3A000000000002'`),
    ).toEqual({ stock_out_date: '2025-04-10' });
    // SO-0003 re-priced to 199 000 and SO-0005 (276 000) added: 275 000 + 950 000 + 199 000 + 276 000.
    expect(
      await one(
        `SELECT count(*) AS n, sum(price) FILTER (WHERE sale_type = 'new') AS new FROM fact_vehicle_sales`,
      ),
    ).toEqual({ n: 5, new: 1700000 });
    expect(
      await rows(
        `SELECT order_no, batch_id FROM fact_vehicle_sales WHERE order_no IN ('SO-0001', 'SO-0005') ORDER BY 1`,
      ),
    ).toEqual([
      { order_no: 'SO-0001', batch_id: 'tiny-2025-03-full' },
      { order_no: 'SO-0005', batch_id: 'tiny-2025-04-incremental' },
    ]);
    expect(
      await one(`SELECT settled_date, settled_amount FROM fact_receivables WHERE doc_no = 'AR-0002'`),
    ).toEqual({ settled_date: '2025-04-20', settled_amount: 3600 });
    expect(await one('SELECT count(*) AS n FROM fact_receivables')).toEqual({ n: 3 });
    // The new store S4 under R2 adds itself and its three ancestors to the closure: 23 + 4.
    expect(await one('SELECT count(*) AS n FROM org_closure')).toEqual({ n: 27 });
    expect(await one('SELECT count(*) AS n FROM fact_leads')).toEqual({ n: 5 });
  });

  it('is refused when it would leave days between the loaded data and its own, and nothing changes', async () => {
    warehouse = await freshWarehouse();
    await loadExtract(warehouse, TINY);
    const before = await snapshot(warehouse);
    // The April increment relabelled as starting in May: April would look covered, its flows 0.
    const dir = tempDir('gap-');
    for (const f of readdirSync(TINY_INCREMENTAL))
      writeFileSync(join(dir, f), readFileSync(join(TINY_INCREMENTAL, f)));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ ...manifest, period_from: '2025-05-01', period_to: '2025-05-31' }),
    );
    const result = await loadExtract(warehouse, dir);
    expect(result.status).toBe('refused');
    expect(result.message).toMatch(
      /starts on 2025-05-01 but the loaded data ends on 2025-03-31: load the days between first/,
    );
    expect(await snapshot(warehouse)).toEqual(before);
    expect(
      (await rows(`SELECT covered_to::VARCHAR AS t FROM etl.coverage WHERE file = 'vehicle_sales.csv'`))[0].t,
    ).toBe('2025-03-31');
  });

  it('is idempotent too', async () => {
    warehouse = await freshWarehouse();
    await loadExtract(warehouse, TINY);
    await loadExtract(warehouse, TINY_INCREMENTAL);
    const once = await snapshot(warehouse);
    await loadExtract(warehouse, TINY_INCREMENTAL);
    expect(await snapshot(warehouse)).toEqual(once);
  });
});

describe('GBK extracts', () => {
  it('load to exactly what the UTF-8 extract loads', async () => {
    const gbk = tempDir();
    for (const file of readdirSync(TINY).filter((f) => f.endsWith('.csv'))) {
      writeFileSync(join(gbk, file), iconv.encode(readFileSync(join(TINY, file), 'utf8'), 'gbk'));
    }
    const manifest = JSON.parse(readFileSync(join(TINY, 'manifest.json'), 'utf8'));
    await writeManifest(gbk, { ...manifest, encoding: 'gbk' });
    // The GBK bytes differ from the UTF-8 ones (Chinese names), so this is a real transcoding.
    expect(readFileSync(join(gbk, 'org.csv')).equals(readFileSync(join(TINY, 'org.csv')))).toBe(false);

    warehouse = await freshWarehouse();
    expect((await loadExtract(warehouse, TINY)).status).toBe('loaded');
    const fromUtf8 = await snapshot(warehouse);
    await warehouse.close();

    warehouse = await freshWarehouse();
    const result = await loadExtract(warehouse, gbk);
    expect(result.status).toBe('loaded');
    expect(await snapshot(warehouse)).toEqual(fromUtf8);
    expect(await one(`SELECT name FROM dim_org WHERE node_id = 'S3'`)).toEqual({
      name: '深圳华晟比亚迪城市展厅',
    });
  });
});

describe('reads while a load commits', () => {
  it('see the data before or after the load, never half of it', async () => {
    warehouse = await freshWarehouse();
    await loadExtract(warehouse, TINY);
    const seen = new Set<string>();
    let loading = true;
    const reader = (async () => {
      while (loading) {
        const r = await one(
          `SELECT (SELECT count(*) FROM fact_vehicle_sales) AS sales, (SELECT count(*) FROM dim_org) AS org, (SELECT count(*) FROM fact_vehicle_stock) AS stock`,
        );
        seen.add(JSON.stringify(r));
      }
    })();
    const result = await loadExtract(warehouse, TINY_INCREMENTAL);
    loading = false;
    await reader;
    expect(result.status).toBe('loaded');
    const allowed = [
      JSON.stringify({ sales: 4, org: 8, stock: 5 }),
      JSON.stringify({ sales: 5, org: 9, stock: 6 }),
    ];
    for (const state of seen) expect(allowed).toContain(state);
  });
});
