// A budget grid as an Excel sheet and back: one row per unit below the node, a column per month.
// A sheet brought back is checked cell by cell before anything is sent: every bad cell is reported
// with its row and column, and a sheet with any bad cell changes nothing.
import type { BudgetLines } from '../../../../server/src/contract/budgets.ts';
import type { ExportTable } from '../../shared/export.ts';

export const ID_HEADER = 'ID';

export function budgetTable(grid: BudgetLines, name: string, nameHeader: string): ExportTable {
  return {
    name,
    header: [ID_HEADER, nameHeader, ...grid.months],
    rows: grid.rows.map((r) => [r.id, r.name, ...grid.months.map((m) => r.months[m]?.target ?? null)]),
  };
}

export interface SheetChange {
  node: string;
  month: string;
  value: number;
  revision: number;
}

/** Excel's name of a column (0 → A, 26 → AA). */
const columnName = (i: number): string =>
  (i < 26 ? '' : columnName(Math.floor(i / 26) - 1)) + String.fromCharCode(65 + (i % 26));

/** The cells a sheet changes, or every reason it cannot be taken (cell by cell). */
export function changesFromSheet(
  rows: unknown[][],
  grid: BudgetLines,
): { changes: SheetChange[] } | { errors: string[] } {
  const [header, ...body] = rows;
  if (!header || String(header[0] ?? '').trim() !== ID_HEADER)
    return { errors: [`A1: expected "${ID_HEADER}", the first column of an exported budget grid`] };
  const months = header.slice(2).map((h) => String(h ?? '').trim());
  const errors: string[] = [];
  for (const [i, m] of months.entries())
    if (!grid.months.includes(m))
      errors.push(
        `${columnName(i + 2)}1: "${m}" is not a month of this grid (${grid.months[0]} – ${grid.months.at(-1)})`,
      );
  const units = new Map(grid.rows.map((r) => [r.id, r]));
  const changes: SheetChange[] = [];
  for (const [r, row] of body.entries()) {
    const id = String(row[0] ?? '').trim();
    if (!id) continue;
    const unit = units.get(id);
    if (!unit) {
      errors.push(`A${r + 2}: "${id}" is not a unit of ${grid.node.id} in this grid`);
      continue;
    }
    for (const [i, m] of months.entries()) {
      const value = row[i + 2];
      const at = `${columnName(i + 2)}${r + 2}`;
      if (value === null || value === undefined || value === '' || !grid.months.includes(m)) continue;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        errors.push(`${at}: "${String(value)}" is not a number`);
        continue;
      }
      const cell = unit.months[m]!;
      // Unchanged (a rate to 0.01%, money to the fen, as read back from the sheet).
      if (cell.target !== null && Math.abs(cell.target - value) < 1e-6) continue;
      if (cell.derived) {
        errors.push(
          `${at}: ${unit.name} ${m} is computed from its drivers (${grid.drivers.join(' × ')}): change those`,
        );
        continue;
      }
      if (unit.level !== 'store' || !unit.editable) {
        errors.push(
          `${at}: ${unit.name} cannot be changed here${unit.level !== 'store' ? ' (open its own grid)' : ''}`,
        );
        continue;
      }
      changes.push({ node: id, month: m, value, revision: cell.revision });
    }
  }
  return errors.length ? { errors } : { changes };
}
