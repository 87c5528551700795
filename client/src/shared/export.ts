// Export what is on screen: a table as CSV (UTF-8 with BOM, so Excel shows Chinese) or as .xlsx,
// a chart as PNG, written by the contract's table functions (server/src/contract/tables.ts).
// The xlsx writer is loaded only when someone exports.
import { tableToCsv, workbookOf, xlsxSheet, type ExportTable } from '../../../server/src/contract/tables.ts';

export {
  exportHeader,
  plainNumber,
  roundedValue,
  tableToCsv,
  xlsxSheet,
  type Cell,
  type CellFormat,
  type ExportTable,
  type XlsxCell,
} from '../../../server/src/contract/tables.ts';

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
  const { data, columns } = xlsxSheet(table);
  download(await writeExcelFile(data, { columns, stickyRowsCount: 1 }).toBlob(), `${table.name}.xlsx`);
}

/** Several tables as one workbook, a sheet each. */
export async function downloadWorkbook(tables: readonly ExportTable[], fileName: string): Promise<void> {
  const { default: writeExcelFile } = await import('write-excel-file/browser');
  download(await writeExcelFile(workbookOf(tables)).toBlob(), `${fileName}.xlsx`);
}

export function downloadPng(dataUrl: string, name: string): void {
  const a = document.createElement('a');
  a.href = dataUrl;
  a.download = safeName(`${name}.png`);
  document.body.append(a);
  a.click();
  a.remove();
}
