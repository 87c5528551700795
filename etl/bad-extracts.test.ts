// Every malformed extract in fixtures/bad/, loaded on top of fixtures/tiny, with the outcome
// stated by hand: either the extract is refused with a given message and the warehouse is
// exactly as before, or it loads and exactly the listed rows are rejected for the listed reasons.
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../server/src/db/warehouse.ts';
import { sharedWarehouse } from '../server/src/test/shared.ts';
import { loadExtract } from './load.ts';
import { BAD, snapshot, TINY } from './test/helpers.ts';

type Reject = [line: number, column: string, reason: string];

const refused: Record<string, string | RegExp> = {
  '01-header-missing-column': 'vehicle_sales.csv: wrong header: missing discount',
  '02-header-unexpected-column': 'vehicle_sales.csv: wrong header: unexpected vat',
  '03-missing-file': /^leads\.csv is listed in the manifest but missing from /,
  '04-full-manifest-omits-file': 'manifest.json: files of a full extract must include budget.csv',
  '05-truncated-file':
    /^vehicle_sales\.csv: sha256 \w{12}… does not match the manifest's \w{12}… \(truncated or altered transfer\)$/,
  '06-checksum-mismatch': /^vehicle_sales\.csv: sha256 \w{12}… does not match the manifest's \w{12}…/,
  '07-row-count-mismatch': 'vehicle_sales.csv: the manifest says 3 rows but the file has 2',
  '14-gbk-without-gbk-manifest':
    'org.csv: line 2: not valid UTF-8 — if the file is GBK-encoded, the manifest must say "encoding": "gbk"',
  '15-empty-file': 'vehicle_sales.csv is empty: no header line',
  '16-empty-manifest': /^manifest\.json is not valid JSON: /,
  '17-invalid-manifest': 'manifest.json: kind must be "full" or "incremental"',
  '22-wrong-field-count': 'vehicle_sales.csv: line 3: expected 18 fields, found 3',
  '23-no-manifest': /^no manifest\.json in /,
  '24-unknown-file-in-manifest': 'manifest.json: files lists unknown file customers.csv',
  '28-unterminated-quote': 'vehicle_sales.csv: line 3: unterminated quoted field',
  '29-utf8-declared-gbk':
    'vehicle_sales.csv: line 3: not valid GBK (is the file UTF-8? then the manifest must say "encoding": "utf-8")',
  '31-unknown-format-version': 'manifest.json: format_version must be 1 or 2 (or absent, meaning 1), got 3',
  '32-rebates-in-version-1-manifest':
    'manifest.json: files lists oem_rebates.csv, a file of format version 2, but format_version is 1 (absent)',
  '35-staff-column-in-version-1-manifest':
    'leads.csv: wrong header: unexpected consultant_id (a column of format version 2)',
};

const withRejects: Record<
  string,
  { file: string; table: string; read: number; rejects: Reject[]; warnings?: Reject[] }
> = {
  '08-impossible-dates': {
    file: 'vehicle_sales.csv',
    table: 'fact_vehicle_sales',
    read: 4,
    rejects: [
      [3, 'sale_date', 'not a valid date (YYYY-MM-DD): "2025-02-30"'],
      [4, 'sale_date', 'not a valid date (YYYY-MM-DD): "2025-13-01"'],
      [5, 'sale_date', 'not a valid date (YYYY-MM-DD): "25/03/2025"'],
    ],
  },
  '09-non-numeric-amounts': {
    file: 'vehicle_sales.csv',
    table: 'fact_vehicle_sales',
    read: 3,
    rejects: [
      [2, 'price', 'not a number: "abc"'],
      [3, 'cost', 'not a number: "1,000.00"'],
    ],
  },
  '10-unknown-store': {
    file: 'vehicle_sales.csv',
    table: 'fact_vehicle_sales',
    read: 3,
    rejects: [
      [2, 'store_id', 'unknown store_id "S9"'],
      [3, 'store_id', 'unknown store_id "R1"'],
    ],
  },
  '11-unknown-model': {
    file: 'vehicle_sales.csv',
    table: 'fact_vehicle_sales',
    read: 2,
    rejects: [[3, 'model_id', 'unknown model_id "BMW-M3-CS"']],
  },
  '12-unknown-account': {
    file: 'gl_monthly.csv',
    table: 'fact_gl_monthly',
    read: 2,
    rejects: [[3, 'account_code', 'unknown account_code "9999.99"']],
  },
  '13-duplicate-keys': {
    file: 'vehicle_sales.csv',
    table: 'fact_vehicle_sales',
    read: 4,
    rejects: [
      [4, 'order_no', 'duplicate order_no "SO-0101" (first on line 2)'],
      [5, 'order_no', 'duplicate order_no "SO-0102" (first on line 3)'],
    ],
  },
  '18-sale-before-stock-in': {
    file: 'vehicle_sales.csv',
    table: 'fact_vehicle_sales',
    read: 2,
    rejects: [[2, 'sale_date', 'sale before its stock-in on 2025-02-01']],
  },
  '19-missing-required-fields': {
    file: 'vehicle_sales.csv',
    table: 'fact_vehicle_sales',
    read: 3,
    rejects: [
      [2, 'sale_date', 'required value is empty'],
      [3, 'order_no', 'required value is empty'],
      [4, 'financed', 'required value is empty'],
    ],
  },
  '20-negative-quantities': {
    file: 'parts_sales.csv',
    table: 'fact_parts_sales',
    read: 2,
    rejects: [[2, 'qty', 'must be ≥ 0, is -2.00']],
  },
  '21-unknown-enum-values': {
    file: 'vehicle_sales.csv',
    table: 'fact_vehicle_sales',
    read: 2,
    rejects: [
      [2, 'sale_type', 'unknown value "demo" (expected new, used)'],
      [3, 'financed', 'not 0 or 1: "Y"'],
    ],
  },
  '25-repair-closed-before-opened': {
    file: 'service_orders.csv',
    table: 'fact_service_orders',
    read: 2,
    rejects: [[2, 'close_date', 'close_date before open_date 2025-03-20']],
  },
  '26-org-unknown-parent-and-second-root': {
    file: 'org.csv',
    table: 'dim_org',
    read: 4,
    rejects: [
      [2, 'parent_id', 'unknown parent_id "R9"'],
      [3, 'level', 'a second group root: there is one group'],
      [4, 'parent_id', 'a store cannot sit under a division'],
    ],
  },
  '27-settlement-exceeds-amount': {
    file: 'receivables.csv',
    table: 'fact_receivables',
    read: 3,
    rejects: [
      [2, 'settled_amount', 'settled_amount exceeds amount 100000.00'],
      [3, 'due_date', 'due_date before doc_date 2025-03-20'],
      [4, 'settled_amount', 'settled_date and settled_amount must be given together'],
    ],
  },
  // Line 6 (received 5 000.01 of 5 000.00) is within the cent of rounding and loads.
  '30-rebate-bad-rows': {
    file: 'oem_rebates.csv',
    table: 'fact_oem_rebates',
    read: 9,
    rejects: [
      [3, 'store_id', 'unknown store_id "S9"'],
      [4, 'accrued_amount', 'must be ≥ 0, is -500.00'],
      [5, 'received_amount', 'received_amount exceeds accrued_amount 5000.00'],
      [7, 'kind', 'unknown value "bonus" (expected volume, target, special, other)'],
      [8, 'period', 'not a valid period (YYYY-MM): "2025-3"'],
      [9, 'received_amount', 'received_date and received_amount must be given together'],
      [10, 'expected_date', 'expected_date before the period it is earned on 2025-03'],
    ],
  },
  '33-staff-bad-rows': {
    file: 'staff.csv',
    table: 'dim_staff',
    read: 8,
    rejects: [
      [3, 'store_id', 'unknown store_id "S9"'],
      [4, 'name', 'required value is empty'],
      [
        5,
        'role',
        'unknown value "cashier" (expected sales_consultant, service_advisor, fi_specialist, parts_specialist, store_manager, other)',
      ],
      [6, 'left_on', 'left_on before hired_on 2025-02-01'],
      [7, 'staff_id', 'duplicate staff_id "E-111" (first on line 2)'],
      [8, 'hired_on', 'not a valid date (YYYY-MM-DD): "2025-13-01"'],
      [9, 'staff_id', 'staff_id may not start with ~'],
    ],
  },
  // tiny holds a staff list: a sale naming someone else loads with a warning; a rejected row
  // (unknown store) is not warned about as well; an empty salesperson is unassigned, not unknown.
  '34-unknown-staff-ids': {
    file: 'vehicle_sales.csv',
    table: 'fact_vehicle_sales',
    read: 4,
    rejects: [[5, 'store_id', 'unknown store_id "S9"']],
    warnings: [
      [3, 'salesperson', 'unknown staff_id "E-777" (not in staff.csv): loaded, counted as unassigned'],
    ],
  },
};

let warehouse: Warehouse;
afterEach(async () => warehouse?.close());

/** A warehouse of the test's own with fixtures/tiny loaded (a copy of one loaded once per run). */
function tinyWarehouse(): Promise<Warehouse> {
  return sharedWarehouse('extract-tiny', async (w) => {
    expect((await loadExtract(w, TINY)).status).toBe('loaded');
  });
}

describe('a bad extract that cannot be loaded', () => {
  it.each(Object.entries(refused))(
    '%s is refused with a clear reason and changes nothing',
    async (name, message) => {
      warehouse = await tinyWarehouse();
      const before = await snapshot(warehouse);
      const result = await loadExtract(warehouse, BAD + name + '/');
      expect(result.status).toBe('refused');
      if (typeof message === 'string') expect(result.message).toBe(message);
      else expect(result.message).toMatch(message);
      expect(result.message).not.toContain('\n');
      expect(await snapshot(warehouse)).toEqual(before);
      const run = (
        await warehouse.knex.raw(`SELECT status, message FROM etl.runs ORDER BY run_id DESC LIMIT 1`)
      ).rows[0];
      expect(run).toEqual({ status: 'refused', message: result.message });
    },
  );

  it('a missing folder is refused', async () => {
    warehouse = await tinyWarehouse();
    const before = await snapshot(warehouse);
    const result = await loadExtract(warehouse, BAD + 'no-such-extract');
    expect(result.message).toBe(`source folder ${BAD}no-such-extract does not exist`);
    expect(await snapshot(warehouse)).toEqual(before);
  });
});

describe('a bad extract with bad rows', () => {
  it.each(Object.entries(withRejects))(
    '%s loads its good rows and rejects the bad ones with line, column and reason',
    async (name, expected) => {
      warehouse = await tinyWarehouse();
      const countBefore = (await warehouse.knex(expected.table).count({ n: '*' }).first())!.n as number;
      const result = await loadExtract(warehouse, BAD + name + '/');
      expect(result.status).toBe('loaded');
      const loaded = expected.read - expected.rejects.length;
      const warnings = expected.warnings ?? [];
      expect(result.files).toEqual({
        [expected.file]: {
          read: expected.read,
          loaded,
          rejected: expected.rejects.length,
          warned: warnings.length,
        },
      });
      const listed = (rows: Reject[]) =>
        rows.map(([line, column, reason]) => ({ file: expected.file, line, column, reason }));
      expect(result.rejects).toEqual(listed(expected.rejects));
      expect(result.warnings).toEqual(listed(warnings));
      // The rejected rows are not in the table; the good ones are (all keys here are new to tiny).
      const countAfter = (await warehouse.knex(expected.table).count({ n: '*' }).first())!.n as number;
      expect(countAfter - countBefore).toBe(loaded);
      // Nothing is lost: every rejected row is kept whole, as read.
      const kept = (
        await warehouse.knex.raw(`SELECT line, record FROM etl.rejects WHERE run_id = 2 ORDER BY line`)
      ).rows as { line: number; record: string }[];
      expect(kept.map((k) => k.line)).toEqual(expected.rejects.map(([line]) => line));
      for (const k of kept) expect(Object.keys(JSON.parse(k.record)).length).toBeGreaterThan(3);
    },
  );
});

it('the corpus holds at least 20 bad extracts, each with a stated outcome', async () => {
  const { readdirSync } = await import('node:fs');
  const cases = readdirSync(BAD, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  expect(cases.length).toBeGreaterThanOrEqual(20);
  expect([...Object.keys(refused), ...Object.keys(withRejects)].sort()).toEqual(cases);
});
