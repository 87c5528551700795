import { describe, expect, it } from 'vitest';
import { tableToCsv } from './export.ts';

describe('CSV export', () => {
  it('starts with a BOM, quotes what needs quoting and leaves missing values empty', () => {
    const csv = tableToCsv({ header: ['名称', 'value'], rows: [['东莞华晟, 雷克萨斯', 12.5], ['say "hi"', null]] });
    expect(csv).toBe('\uFEFF名称,value\r\n"东莞华晟, 雷克萨斯",12.5\r\n"say ""hi""",\r\n');
  });
  it('defuses text a spreadsheet would run as a formula, but keeps numbers numbers', () => {
    const rows = [['=HYPERLINK("http://x")', -12.5], ['+1+2', '-3'], ['-cmd', '@SUM(A1)'], ['\tx', '\ry']];
    expect(tableToCsv({ header: ['name', 'value'], rows }).split('\r\n').slice(1, 5)).toEqual([
      `"'=HYPERLINK(""http://x"")",-12.5`,
      `'+1+2,-3`,
      `'-cmd,'@SUM(A1)`,
      `'\tx,"'\ry"`,
    ]);
  });
});
