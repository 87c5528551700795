// A target grid written to a real .xlsx (write-excel-file) and read back (read-excel-file), as the
// page exports and imports it: an untouched sheet changes nothing; edited cells become the
// allocations the API takes; a sheet that does not fit is refused with the cell at fault.
import { readSheet } from 'read-excel-file/node';
import writeExcelFile from 'write-excel-file/node';
import { describe, expect, it } from 'vitest';
import type { TargetsResponse } from '../../../../server/src/contract/targets.ts';
import { xlsxSheet } from '../../shared/export.ts';
import { changesFromSheet, targetsTable } from './sheet.ts';

const cell = (target: number | null) => ({ target, locked: false, source: 'set' as const });
const grid: TargetsResponse = {
  metric: 'vehicle_revenue',
  node: { id: 'S1', name: '杭州华晟宝马4S店', level: 'store' },
  by: 'staff',
  unit: 'yuan',
  additive: true,
  months: ['2026-11', '2026-12'],
  parent: { '2026-11': cell(1_000_000.5), '2026-12': cell(1_200_000) },
  rows: [
    {
      id: 'E-101',
      name: '王芳',
      role: 'sales_consultant',
      months: { '2026-11': cell(600_000.25), '2026-12': cell(700_000) },
    },
    {
      id: 'E-102',
      name: '李娜',
      role: 'sales_consultant',
      months: { '2026-11': cell(400_000.25), '2026-12': cell(500_000) },
    },
  ],
  gaps: { '2026-11': 0, '2026-12': 0 },
};

async function roundTrip(edit: (rows: (string | number | null)[][]) => void) {
  const table = targetsTable(grid, 'targets', '名称');
  edit(table.rows);
  const { data } = xlsxSheet(table);
  const bytes = await writeExcelFile(data).toBuffer();
  return changesFromSheet(await readSheet(bytes), grid);
}

describe('target grid as a sheet', () => {
  it('an untouched sheet changes nothing, money to the fen included', async () => {
    expect(await roundTrip(() => undefined)).toEqual({ changes: [] });
  });

  it("edited cells become a month's typed cells, and the node's row its total", async () => {
    const result = await roundTrip((rows) => {
      rows[1]![2] = 550_000.25; // 王芳, November
      rows[2]![2] = 450_000.25; // 李娜, November
      rows[0]![3] = 1_300_000; // the store, December
    });
    expect(result).toEqual({
      changes: [
        {
          month: '2026-11',
          cells: [
            { id: 'E-101', value: 550_000.25 },
            { id: 'E-102', value: 450_000.25 },
          ],
        },
        { month: '2026-12', total: 1_300_000, cells: [] },
      ],
    });
  });

  it('refuses a sheet that does not fit, naming the cell', async () => {
    expect(await roundTrip((rows) => void (rows[2]![0] = 'E-999'))).toEqual({
      error: 'A4: "E-999" is not S1 or one of its units',
    });
    expect(await roundTrip((rows) => void (rows[1]![3] = '七十万'))).toEqual({
      error: 'D3: "七十万" is not a number',
    });
    expect(changesFromSheet([['编号'], []], grid)).toMatchObject({ error: expect.stringMatching(/^A1:/) });
    expect(changesFromSheet([['ID', '名称', '2027-01']], grid)).toEqual({
      error: 'C1: "2027-01" is not a month of this grid (2026-11 – 2026-12)',
    });
  });
});
