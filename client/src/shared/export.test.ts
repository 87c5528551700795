import { describe, expect, it } from 'vitest';
import { tableToCsv } from './export.ts';

describe('CSV export', () => {
  it('starts with a BOM, quotes what needs quoting and leaves missing values empty', () => {
    const csv = tableToCsv({ header: ['名称', 'value'], rows: [['东莞华晟, 雷克萨斯', 12.5], ['say "hi"', null]] });
    expect(csv).toBe('\uFEFF名称,value\r\n"东莞华晟, 雷克萨斯",12.5\r\n"say ""hi""",\r\n');
  });
});
