// OEM rebates (oem_rebates.csv, extract format version 2): optional even in a full extract, loaded
// by the same rules as every other file when present. Figures by hand from fixtures/tiny, whose
// March ledger books 30 000 of rebate income at S2 (gl_monthly 6051.01, kind other_income, department
// new): 16 000 volume and 9 000 target, both open, and 5 000 special of which 4 000 was received.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateExtract } from '../fixtures/generate.ts';
import type { Warehouse } from '../server/src/db/warehouse.ts';
import { loadExtract } from './load.ts';
import { writeManifest } from './manifest.ts';
import { freshWarehouse, tempDir, TINY, tinyCopy, tinyVersion1 } from './test/helpers.ts';

let warehouse: Warehouse;
afterEach(async () => warehouse?.close());

const rows = async (sql: string) => (await warehouse.knex.raw(sql)).rows as Record<string, unknown>[];
const one = async (sql: string) => (await rows(sql))[0];

describe('a version-2 extract with oem_rebates.csv', () => {
  it('loads the rebates with typed values, and they add up to the ledger rebate income', async () => {
    warehouse = await freshWarehouse();
    const result = await loadExtract(warehouse, TINY);
    expect(result.status).toBe('loaded');
    expect(result.files['oem_rebates.csv']).toEqual({ read: 3, loaded: 3, rejected: 0, warned: 0 });
    expect(
      await rows(`SELECT rebate_id, store_id, brand, period, kind, accrued_amount, expected_date, received_date, received_amount, batch_id
      FROM fact_oem_rebates ORDER BY rebate_id`),
    ).toEqual([
      {
        rebate_id: 'RB-0001',
        store_id: 'S2',
        brand: '宝马',
        period: '2025-03-01',
        kind: 'volume',
        accrued_amount: 16000,
        expected_date: '2025-05-15',
        received_date: null,
        received_amount: null,
        batch_id: 'tiny-2025-03-full',
      },
      {
        rebate_id: 'RB-0002',
        store_id: 'S2',
        brand: '宝马',
        period: '2025-03-01',
        kind: 'target',
        accrued_amount: 9000,
        expected_date: '2025-06-30',
        received_date: null,
        received_amount: null,
        batch_id: 'tiny-2025-03-full',
      },
      {
        rebate_id: 'RB-0003',
        store_id: 'S2',
        brand: '宝马',
        period: '2025-03-01',
        kind: 'special',
        accrued_amount: 5000,
        expected_date: '2025-03-31',
        received_date: '2025-03-28',
        received_amount: 4000,
        batch_id: 'tiny-2025-03-full',
      },
    ]);
    // 16 000 + 9 000 + 5 000 = the 30 000 of 6051.01 in March at S2; nothing anywhere else.
    expect(
      await rows(`
      WITH r AS (SELECT store_id, period, sum(accrued_amount) AS v FROM fact_oem_rebates GROUP BY ALL),
      g AS (SELECT g.store_id, g.period, sum(g.amount) AS v FROM fact_gl_monthly g JOIN dim_account a USING (account_code)
            WHERE a.kind = 'other_income' AND a.department = 'new' GROUP BY ALL)
      SELECT store_id, period, r.v AS rebates, g.v AS ledger FROM r FULL JOIN g USING (store_id, period)`),
    ).toEqual([{ store_id: 'S2', period: '2025-03-01', rebates: 30000, ledger: 30000 }]);
    // Still owed at the end of March: 16 000 + 9 000 open and the 1 000 the OEM did not pay of 5 000.
    expect(
      await one(`SELECT sum(accrued_amount - CASE WHEN received_date <= DATE '2025-03-31' THEN received_amount ELSE 0 END) AS owed
      FROM fact_oem_rebates WHERE period <= DATE '2025-03-01'`),
    ).toEqual({ owed: 26000 });
  });

  it('rejects a bad row with file, line, column and reason and loads the others', async () => {
    const bad =
      readFileSync(join(TINY, 'oem_rebates.csv'), 'utf8') +
      'RB-0004,S2,宝马,2025-03,other,1000.00,2025-06-30,2025-04-10,1500.00\n';
    const dir = await tinyCopy({ files: { 'oem_rebates.csv': bad } });
    warehouse = await freshWarehouse();
    const result = await loadExtract(warehouse, dir);
    expect(result.status).toBe('loaded');
    expect(result.files['oem_rebates.csv']).toEqual({ read: 4, loaded: 3, rejected: 1, warned: 0 });
    expect(result.rejects).toEqual([
      {
        file: 'oem_rebates.csv',
        line: 5,
        column: 'received_amount',
        reason: 'received_amount exceeds accrued_amount 1000.00',
      },
    ]);
    expect(await one(`SELECT count(*) AS n FROM fact_oem_rebates`)).toEqual({ n: 3 });
    const kept = await one(`SELECT file, line, column_name, reason, record FROM etl.rejects`);
    expect(kept).toMatchObject({ file: 'oem_rebates.csv', line: 5, column_name: 'received_amount' });
    expect(JSON.parse(kept!.record as string)).toMatchObject({
      rebate_id: 'RB-0004',
      received_amount: '1500.00',
    });
  });

  it('an incremental upserts rebates by rebate_id: a receipt recorded, a new rebate added', async () => {
    const dir = tempDir('rebates-incr-');
    writeFileSync(
      join(dir, 'oem_rebates.csv'),
      'rebate_id,store_id,brand,period,kind,accrued_amount,expected_date,received_date,received_amount\n' +
        'RB-0001,S2,宝马,2025-03,volume,16000.00,2025-05-15,2025-04-25,16000.00\n' +
        'RB-0005,S2,宝马,2025-04,volume,12000.00,2025-06-15,,\n',
    );
    await writeManifest(dir, {
      extract_id: 'tiny-2025-04-rebates',
      kind: 'incremental',
      format_version: 2,
      period_from: '2025-04-01',
      period_to: '2025-04-30',
      encoding: 'utf-8',
    });
    warehouse = await freshWarehouse();
    await loadExtract(warehouse, TINY);
    const result = await loadExtract(warehouse, dir);
    expect(result.status).toBe('loaded');
    expect(result.files).toEqual({ 'oem_rebates.csv': { read: 2, loaded: 2, rejected: 0, warned: 0 } });
    expect(
      await rows(
        `SELECT rebate_id, received_date, received_amount, batch_id FROM fact_oem_rebates ORDER BY rebate_id`,
      ),
    ).toEqual([
      {
        rebate_id: 'RB-0001',
        received_date: '2025-04-25',
        received_amount: 16000,
        batch_id: 'tiny-2025-04-rebates',
      },
      { rebate_id: 'RB-0002', received_date: null, received_amount: null, batch_id: 'tiny-2025-03-full' },
      {
        rebate_id: 'RB-0003',
        received_date: '2025-03-28',
        received_amount: 4000,
        batch_id: 'tiny-2025-03-full',
      },
      { rebate_id: 'RB-0005', received_date: null, received_amount: null, batch_id: 'tiny-2025-04-rebates' },
    ]);
  });
});

describe('extracts without oem_rebates.csv', () => {
  it('a version-1 extract (no format_version) loads unchanged and has no rebates', async () => {
    const dir = await tinyVersion1();
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).not.toHaveProperty('format_version');
    warehouse = await freshWarehouse();
    const result = await loadExtract(warehouse, dir);
    expect(result.status).toBe('loaded');
    expect(Object.keys(result.files)).toHaveLength(15);
    expect(result.files).not.toHaveProperty('oem_rebates.csv');
    expect(result.warnings).toEqual([]);
    expect(await one(`SELECT count(*) AS n FROM fact_vehicle_sales`)).toEqual({ n: 4 });
    expect(await one(`SELECT count(*) AS n FROM fact_oem_rebates`)).toEqual({ n: 0 });
  });

  it('a full version-2 extract without the file loads everything else and, being full, empties the rebates', async () => {
    const dir = await tinyCopy({ drop: ['oem_rebates.csv'] });
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toMatchObject({
      kind: 'full',
      format_version: 2,
    });
    warehouse = await freshWarehouse();
    await loadExtract(warehouse, TINY);
    expect(await one(`SELECT count(*) AS n FROM fact_oem_rebates`)).toEqual({ n: 3 });
    const result = await loadExtract(warehouse, dir);
    expect(result.status).toBe('loaded');
    expect(Object.keys(result.files)).toHaveLength(16);
    expect(await one(`SELECT count(*) AS n FROM fact_oem_rebates`)).toEqual({ n: 0 });
    expect(await one(`SELECT count(*) AS n FROM fact_gl_monthly`)).toEqual({ n: 8 });
  });

  it('an incremental without it keeps the rebates loaded before', async () => {
    warehouse = await freshWarehouse();
    await loadExtract(warehouse, TINY);
    const result = await loadExtract(
      warehouse,
      new URL('../fixtures/tiny-incremental/', import.meta.url).pathname,
    );
    expect(result.status).toBe('loaded');
    expect(await one(`SELECT count(*) AS n FROM fact_oem_rebates`)).toEqual({ n: 3 });
  });
});

describe('the generated group', () => {
  it('loads its rebates, which equal the ledger rebate income (6301.01) store by store, month by month', async () => {
    const dir = tempDir('rebates-gen-');
    try {
      const { manifest } = await generateExtract({ out: dir, stores: 8, months: 6, seed: 1 });
      expect(manifest.format_version).toBe(2);
      warehouse = await freshWarehouse();
      const result = await loadExtract(warehouse, dir);
      expect(result.status).toBe('loaded');
      expect(result.files['oem_rebates.csv']).toEqual({
        read: manifest.files['oem_rebates.csv']!.rows,
        loaded: manifest.files['oem_rebates.csv']!.rows,
        rejected: 0,
        warned: 0,
      });
      expect(result.files['oem_rebates.csv']!.read).toBeGreaterThan(0);
      // Plain SQL over the warehouse: every store-month of the ledger, to the cent.
      const mismatches = await rows(`
        WITH r AS (SELECT store_id, period, sum(accrued_amount) AS v FROM fact_oem_rebates GROUP BY ALL),
        g AS (SELECT store_id, period, amount FROM fact_gl_monthly WHERE account_code = '6301.01')
        SELECT * FROM g FULL JOIN r USING (store_id, period)
        WHERE period >= (SELECT min(period) FROM fact_gl_monthly) AND coalesce(g.amount, 0) <> coalesce(r.v, 0)`);
      expect(mismatches).toEqual([]);
      expect(
        await one(
          `SELECT count(DISTINCT store_id || period::VARCHAR) > 20 AS many FROM fact_gl_monthly WHERE account_code = '6301.01' AND amount > 0`,
        ),
      ).toEqual({ many: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
