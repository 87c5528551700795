// Export what is on screen: a table as CSV (UTF-8 with BOM, so Excel shows Chinese) or as .xlsx
// with raw numbers, a chart as PNG. The xlsx writer is loaded only when someone exports.

export type Cell = string | number | null;

export interface ExportTable {
  /** File name without extension. */
  name: string;
  header: string[];
  rows: Cell[][];
}

/**
 * Text a spreadsheet would run as a formula (= + - @, or a leading tab or CR) gets a leading quote,
 * so a name in the data cannot inject one. Numbers, negative ones included, stay numbers.
 */
const defused = (cell: string | number): string =>
  typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(\.\d+)?$/.test(cell) ? `'${cell}` : String(cell);

const csvCell = (cell: Cell): string => {
  if (cell === null) return '';
  const text = defused(cell);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function tableToCsv(table: Pick<ExportTable, 'header' | 'rows'>): string {
  return `\uFEFF${[table.header, ...table.rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const safeName = (name: string) => name.replace(/[\\/:*?"<>|]+/g, '_');

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = safeName(fileName);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadCsv(table: ExportTable): void {
  download(new Blob([tableToCsv(table)], { type: 'text/csv;charset=utf-8' }), `${table.name}.csv`);
}

export async function downloadXlsx(table: ExportTable): Promise<void> {
  const { default: writeExcelFile } = await import('write-excel-file/browser');
  const data = [
    table.header.map((value) => ({ value, fontWeight: 'bold' as const })),
    ...table.rows.map((row) => row.map((value) => (value === null ? null : { value }))),
  ];
  download(await writeExcelFile(data).toBlob(), `${table.name}.xlsx`);
}

export function downloadPng(dataUrl: string, name: string): void {
  const a = document.createElement('a');
  a.href = dataUrl;
  a.download = safeName(`${name}.png`);
  document.body.append(a);
  a.click();
  a.remove();
}
