import writeExcelFile from 'write-excel-file/node';
import { describe, expect, it } from 'vitest';
import { exportHeader, roundedValue, tableToCsv, xlsxSheet, type ExportTable } from './export.ts';
import { readXlsx } from './xlsx-inspect.ts';

describe('CSV export', () => {
  it('starts with a BOM, quotes what needs quoting and leaves missing values empty', () => {
    const csv = tableToCsv({
      header: ['名称', 'value'],
      rows: [
        ['东莞华晟, 雷克萨斯', 12.5],
        ['say "hi"', null],
      ],
    });
    expect(csv).toBe('\uFEFF名称,value\r\n"东莞华晟, 雷克萨斯",12.5\r\n"say ""hi""",\r\n');
  });
  it('defuses text a spreadsheet would run as a formula, but keeps numbers numbers', () => {
    const rows = [
      ['=HYPERLINK("http://x")', -12.5],
      ['+1+2', '-3'],
      ['-cmd', '@SUM(A1)'],
      ['\tx', '\ry'],
    ];
    expect(
      tableToCsv({ header: ['name', 'value'], rows })
        .split('\r\n')
        .slice(1, 5),
    ).toEqual([`"'=HYPERLINK(""http://x"")",-12.5`, `'+1+2,-3`, `'-cmd,'@SUM(A1)`, `'\tx,"'\ry"`]);
  });
  it('writes figures rounded as the screen shows them: 42.6%, whole yuan, days to one decimal, signed changes', () => {
    const csv = tableToCsv({
      header: ['门店', '逾期占比', '逾期应收（元）', '周转天数（天）', '同比', '环比（个百分点）', '台数'],
      formats: [undefined, 'percent', 'yuan', 'days', 'change', 'points', 'units'],
      rows: [
        ['S1', 0.425641025641, 182201.94999999995, 138.492592102, 0.0324999, 0.0142857, 12],
        ['S2', 0, -1101850.36, 14, -0.15, -0.00001, null],
      ],
    });
    expect(csv.split('\r\n').slice(1, 3)).toEqual([
      'S1,42.6%,182202,138.5,+3.2%,+1.4,12',
      'S2,0.0%,-1101850,14.0,-15.0%,0.0,',
    ]);
  });
});

describe('numbers of columns without a format', () => {
  it('keep at most four decimals and lose float noise, in both files', async () => {
    const table = { header: ['x'], rows: [[0.137516923651], [182201.94999999995], [12.5], [-0.00001]] };
    expect(tableToCsv(table).split('\r\n').slice(1, 5)).toEqual(['0.1375', '182201.95', '12.5', '0']);
    expect(
      xlsxSheet(table)
        .data.slice(1)
        .map((r) => r[0]?.value),
    ).toEqual([0.1375, 182201.95, 12.5, 0]);
  });
});

describe('rounding and headers', () => {
  it("rounds to what the screen shows, in the cell's own scale, without float noise", () => {
    expect(roundedValue(0.425641025641, 'percent')).toBe(0.426);
    expect(roundedValue(0.286, 'percent')).toBe(0.286); // 28.6 / 100 is 0.28600000000000003 in floats
    expect(roundedValue(182201.94999999995, 'yuan')).toBe(182202);
    expect(roundedValue(138.492592102, 'days')).toBe(138.5);
    expect(roundedValue(0.0142857, 'points')).toBe(1.4);
    expect(roundedValue(-0.0004, 'percent')).toBe(0);
    expect(Object.is(roundedValue(-0.0004, 'yuan'), 0)).toBe(true);
  });
  it('names the unit in the header once', () => {
    expect(exportHeader('逾期应收', 'yuan', 'zh')).toBe('逾期应收（元）');
    expect(exportHeader('逾期应收（元）', 'yuan', 'zh')).toBe('逾期应收（元）');
    expect(exportHeader('Overdue', 'yuan', 'en')).toBe('Overdue (CNY)');
    expect(exportHeader('逾期天数', 'days', 'zh')).toBe('逾期天数（天）');
    expect(exportHeader('逾期占比', 'percent', 'zh')).toBe('逾期占比');
    expect(exportHeader('新车销量', 'units', 'zh')).toBe('新车销量');
    expect(exportHeader('名称', undefined, 'zh')).toBe('名称');
  });
});

describe('Excel export', () => {
  const table: ExportTable = {
    name: 'ageing',
    header: ['往来类型', '逾期应收（元）', '逾期占比', '逾期天数（天）', '同比'],
    formats: [undefined, 'yuan', 'percent', 'days', 'change'],
    rows: [
      ['客户', 980900.0000001, 0.369623, 63, 0.0324999],
      ['保险公司', 182201.94999999995, 0.144348, 12.345, null],
      ['=cmd', null, null, null, -0.2],
    ],
  };

  it('writes numbers as numbers, rounded as shown, with % and thousands-separator formats', async () => {
    const bytes = await writeExcelFile(
      ...(() => {
        const { data, columns } = xlsxSheet(table);
        return [data, { columns, stickyRowsCount: 1 }] as const;
      })(),
    ).toBuffer();
    const rows = readXlsx(bytes);
    expect(rows[0]!.map((c) => c.value)).toEqual(table.header);
    expect(rows[1]!.map(({ value, format }) => ({ value, format }))).toEqual([
      { value: '客户', format: 'General' },
      { value: 980900, format: '#,##0' },
      { value: 0.37, format: '0.0%' },
      { value: 63, format: '#,##0.0' },
      { value: 0.032, format: '+0.0%;-0.0%;0.0%' },
    ]);
    expect(rows[2]!.map((c) => c.value)).toEqual(['保险公司', 182202, 0.144, 12.3]);
    // Text stays text in a workbook (it is never a formula there); empty cells are left out.
    expect(rows[3]!.map((c) => [c.ref, c.value])).toEqual([
      ['A4', '=cmd'],
      ['E4', -0.2],
    ]);
    // No cell carries more decimals than the screen shows.
    for (const row of rows.slice(1))
      for (const c of row)
        if (typeof c.value === 'number') expect(String(c.value)).toMatch(/^-?\d+(\.\d{1,3})?$/);
  });
});
