// A budget grid written to a real .xlsx (write-excel-file) and read back (read-excel-file), as the
// page exports and imports it: an untouched sheet changes nothing; an edited cell becomes a write
// with the revision it was read at; a sheet with bad cells is refused cell by cell, all of them
// named by row and column, and changes nothing.
import { readSheet } from 'read-excel-file/node';
import writeExcelFile from 'write-excel-file/node';
import { describe, expect, it } from 'vitest';
import type { BudgetLines } from '../../../../server/src/contract/budgets.ts';
import { xlsxSheet } from '../../shared/export.ts';
import { budgetTable, changesFromSheet } from './sheet.ts';

const cell = (target: number | null, revision: number, derived = false) => ({
  target,
  derived,
  revision,
  locked: false,
  set_by: null,
});
const none = { '2026-11': null, '2026-12': null };
const grid: BudgetLines = {
  version: { id: 3, status: 'draft', revision: 1 },
  metric: 'new_gross_profit',
  drivers: ['new_units', 'new_gross_per_unit'],
  node: { id: 'R1', name: '华东区', level: 'region' },
  additive: true,
  months: ['2026-11', '2026-12'],
  node_target: { '2026-11': cell(null, 0), '2026-12': cell(null, 0) },
  rows: [
    {
      id: 'S1',
      name: '杭州店',
      level: 'store',
      editable: true,
      months: { '2026-11': cell(250_000.5, 2), '2026-12': cell(300_000, 1, true) },
      last_year: none,
      forecast: none,
    },
    {
      id: 'S2',
      name: '上海店',
      level: 'store',
      editable: false,
      months: { '2026-11': cell(100_000, 1), '2026-12': cell(120_000, 1) },
      last_year: none,
      forecast: none,
    },
  ],
  totals: { '2026-11': 350_000.5, '2026-12': 420_000 },
  gaps: { '2026-11': null, '2026-12': null },
  forecast: 'none',
  driver_values: {},
};

async function roundTrip(edit: (rows: (string | number | null)[][]) => void) {
  const table = budgetTable(grid, 'budget', '名称');
  const rows = [table.header as (string | number | null)[], ...table.rows];
  edit(rows);
  const { data } = xlsxSheet({ ...table, header: rows[0] as string[], rows: rows.slice(1) });
  return changesFromSheet(await readSheet(await writeExcelFile(data).toBuffer()), grid);
}

describe('budget grid as a sheet', () => {
  it('an untouched sheet changes nothing, money to the fen included', async () => {
    expect(await roundTrip(() => undefined)).toEqual({ changes: [] });
  });

  it('an edited cell is written with the revision it was read at', async () => {
    const result = await roundTrip((rows) => {
      rows[1]![2] = 260_000; // 杭州店, November
    });
    expect(result).toEqual({ changes: [{ node: 'S1', month: '2026-11', value: 260_000, revision: 2 }] });
  });

  it('bad cells are each named by row and column, and nothing is taken', async () => {
    const result = await roundTrip((rows) => {
      rows[1]![2] = 'abc'; // not a number
      rows[1]![3] = 1; // computed from its drivers
      rows[2]![2] = 1; // a store the reader may not change
      rows.push(['S9', '?', 1, 1]); // no unit of the grid
      rows[0]![3] = '2027-01'; // no month of the grid
    });
    expect(result).toEqual({
      errors: [
        'D1: "2027-01" is not a month of this grid (2026-11 – 2026-12)',
        'C2: "abc" is not a number',
        'C3: 上海店 cannot be changed here',
        'A4: "S9" is not a unit of R1 in this grid',
      ],
    });
  });

  it('a cell computed from its drivers is refused with its drivers named', async () => {
    const result = await roundTrip((rows) => {
      rows[1]![3] = 1;
    });
    expect(result).toEqual({
      errors: [
        'D2: 杭州店 2026-12 is computed from its drivers (new_units × new_gross_per_unit): change those',
      ],
    });
  });
});
