// A target grid as an Excel sheet and back: the node's row, then one row per unit, a column per
// month. What a sheet brings in is turned into the allocations the API takes (a month's typed
// cells, and the node's own total where it changed); a sheet that does not fit the grid is
// refused with the row and column at fault, and nothing is sent.
import type { TargetsResponse } from '../../../../server/src/contract/targets.ts';
import type { ExportTable } from '../../shared/export.ts';

export const ID_HEADER = 'ID';

/** The grid as a table to export: [ID, name, month…]; the node first. Numbers as they are (money to the fen). */
export function targetsTable(grid: TargetsResponse, name: string, nameHeader: string): ExportTable {
  const row = (id: string, label: string, months: TargetsResponse['parent']) => [
    id,
    label,
    ...grid.months.map((m) => months[m]?.target ?? null),
  ];
  return {
    name,
    header: [ID_HEADER, nameHeader, ...grid.months],
    rows: [
      row(grid.node.id, grid.node.name, grid.parent),
      ...grid.rows.map((r) => row(r.id, r.name, r.months)),
    ],
  };
}

export interface MonthChange {
  month: string;
  /** The node's own target, where the sheet changed it. */
  total?: number;
  /** Units whose target the sheet changed. */
  cells: { id: string; value: number }[];
}

/** A cell as a spreadsheet reader gives it (text, number, date, boolean or empty). */
type SheetCell = unknown;

/** Excel's name of a column (0 → A, 26 → AA). */
const columnName = (i: number): string =>
  (i < 26 ? '' : columnName(Math.floor(i / 26) - 1)) + String.fromCharCode(65 + (i % 26));

/** The months whose targets a sheet changes, or why it does not fit the grid. */
export function changesFromSheet(
  rows: SheetCell[][],
  grid: TargetsResponse,
): { changes: MonthChange[] } | { error: string } {
  const [header, ...body] = rows;
  if (!header || String(header[0] ?? '').trim() !== ID_HEADER)
    return { error: `A1: expected "${ID_HEADER}", the first column of an exported target grid` };
  const months = header.slice(2).map((h) => String(h ?? '').trim());
  for (const [i, m] of months.entries())
    if (!grid.months.includes(m))
      return {
        error: `${columnName(i + 2)}1: "${m}" is not a month of this grid (${grid.months[0]} – ${grid.months.at(-1)})`,
      };
  const units = new Map(grid.rows.map((r) => [r.id, r.months]));
  const changes = new Map<string, MonthChange>(months.map((m) => [m, { month: m, cells: [] }]));
  for (const [r, row] of body.entries()) {
    const id = String(row[0] ?? '').trim();
    if (!id) continue;
    const own = id === grid.node.id ? grid.parent : units.get(id);
    if (!own) return { error: `A${r + 2}: "${id}" is not ${grid.node.id} or one of its units` };
    for (const [i, m] of months.entries()) {
      const value = row[i + 2];
      if (value === null || value === undefined || value === '') continue;
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { error: `${columnName(i + 2)}${r + 2}: "${String(value)}" is not a number` };
      const current = own[m]?.target ?? null;
      if (current !== null && Math.abs(current - value) < 0.005) continue;
      const change = changes.get(m)!;
      if (id === grid.node.id) change.total = value;
      else change.cells.push({ id, value });
    }
  }
  return { changes: [...changes.values()].filter((c) => c.total !== undefined || c.cells.length > 0) };
}
