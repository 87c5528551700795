// Tables as files: a column may say how its numbers read (a CellFormat), and the CSV and .xlsx
// then carry the figures rounded as the screen shows them — a percentage to one decimal, an amount
// to the yuan, days to one decimal — never a float's eleven decimals; the .xlsx keeps them numbers,
// with an Excel number format (0.0%, #,##0, 0.0), and the header names the unit (逾期应收（元）).
// Pure: the client's downloads and the server's report attachments write the same sheets.
import type { Unit } from './compare.ts';
import { formatDelta, formatPoints, formatRelative, formatValue, type Lang } from './numbers.ts';

export type Cell = string | number | null;

/**
 * How a numeric column reads: a metric unit, or
 * - `change`: a relative change as a fraction (0.032 = +3.2%), signed;
 * - `points`: a change of a percentage, as a fraction (0.014 = +1.4 percentage points);
 * - `quantity`: a forecast quantity, to one decimal (a part that sells 0.4 a month is not 0);
 * - `delta_UNIT`: a difference in a unit, signed (+95台, −287万元).
 */
export type CellFormat = Unit | 'change' | 'points' | 'quantity' | `delta_${Exclude<Unit, 'percent'>}`;

export interface ExportTable {
  /** File name without extension. */
  name: string;
  header: string[];
  /** Per column; none: text, or a number written as it is. */
  formats?: (CellFormat | undefined)[];
  rows: Cell[][];
  /** Per row and column, where a column's rows differ (a table of metrics: 台, 元, %). Such a
   *  column's header cannot name the unit: in the workbook each cell's format does, in `lang`. */
  cellFormats?: (CellFormat | undefined)[][];
  lang?: Lang;
}

/** An Excel number format that shows a unit after the number, in each of its sections. */
const withUnit = (excel: string, unit: string) =>
  excel
    .split(';')
    .map((section) => `${section}"${unit}"`)
    .join(';');

/** How a cell of the table reads: its own format, else its column's. */
const formatAt = (table: Pick<ExportTable, 'formats' | 'cellFormats'>, row: number, column: number) =>
  table.cellFormats?.[row]?.[column] ?? table.formats?.[column];

interface FormatSpec {
  /** Decimals shown on screen (of the percentage for `percent`, `change`, `points`). */
  decimals: number;
  /** The Excel number format. */
  excel: string;
  /** Shown in hundredths (percent and changes). */
  hundredths?: boolean;
  signed?: boolean;
  /** The unit the header names, when the number format does not show it. */
  unit?: { zh: string; en: string };
}

const MONEY = (zh: string, en: string): FormatSpec => ({ decimals: 0, excel: '#,##0', unit: { zh, en } });

const SPECS: Record<Exclude<CellFormat, `delta_${string}`>, FormatSpec> = {
  yuan: MONEY('元', 'CNY'),
  yuan_per_unit: MONEY('元/台', 'CNY per vehicle'),
  yuan_per_ro: MONEY('元/台次', 'CNY per repair order'),
  yuan_per_hour: MONEY('元/工时', 'CNY per labour hour'),
  units: { decimals: 0, excel: '#,##0' },
  count: { decimals: 0, excel: '#,##0' },
  percent: { decimals: 1, excel: '0.0%', hundredths: true },
  change: { decimals: 1, excel: '+0.0%;-0.0%;0.0%', hundredths: true, signed: true },
  // Points are written as points (1.4), not as a fraction: Excel has no "percentage point" format.
  points: {
    decimals: 1,
    excel: '+0.0;-0.0;0.0',
    hundredths: true,
    signed: true,
    unit: { zh: '个百分点', en: 'pp' },
  },
  multiple: { decimals: 2, excel: '0.00' },
  quantity: { decimals: 1, excel: '#,##0.0' },
  days: { decimals: 1, excel: '#,##0.0', unit: { zh: '天', en: 'days' } },
  turns_per_year: { decimals: 1, excel: '0.0', unit: { zh: '次/年', en: 'turns/yr' } },
  hours: { decimals: 2, excel: '#,##0.00', unit: { zh: '工时', en: 'hours' } },
};

/** A delta's spec is its unit's, signed (Excel: +#,##0;-#,##0;0). */
function specOf(format: CellFormat): FormatSpec {
  if (!format.startsWith('delta_')) return SPECS[format as keyof typeof SPECS];
  const spec = SPECS[format.slice(6) as Unit];
  return { ...spec, signed: true, excel: `+${spec.excel};-${spec.excel};${spec.excel}` };
}

/** The header with its unit: 逾期应收（元）, Overdue (CNY). A header that already names it is left alone. */
export function exportHeader(label: string, format: CellFormat | undefined, lang: Lang): string {
  const unit = format && specOf(format).unit?.[lang];
  if (!unit || label.endsWith(lang === 'zh' ? `（${unit}）` : `(${unit})`)) return label;
  return lang === 'zh' ? `${label}（${unit}）` : `${label} (${unit})`;
}

/** Float noise of sums of cents (0.1 + 0.2) and of ÷ 100: 12 significant digits is beyond any display. */
const noiseless = (x: number) => Number(x.toPrecision(12));

/**
 * The number as the screen rounds it, in the cell's own scale: a percentage stays a fraction
 * (0.425641 → 0.426, shown 42.6%), except points, which are written as points (0.014 → 1.4).
 */
export function roundedValue(value: number, format: CellFormat): number {
  const spec = specOf(format);
  if (!spec.hundredths) return noiseless(Number(value.toFixed(spec.decimals))) || 0;
  const hundredths = Number((value * 100).toFixed(spec.decimals)) || 0;
  return format === 'points' ? hundredths : noiseless(hundredths / 100);
}

/**
 * A number of a column that did not say how it reads: at most four decimals, never a float's
 * eleven (columns should say — this is only the floor).
 */
export const plainNumber = (value: number) => noiseless(Number(value.toFixed(4))) || 0;

/** The CSV text of a number: rounded as shown, percentages with %, no thousands separators. */
function csvNumber(value: number, format: CellFormat): string {
  const spec = specOf(format);
  const rounded = roundedValue(value, format);
  const text = spec.hundredths
    ? (format === 'points' ? rounded : rounded * 100).toFixed(spec.decimals)
    : rounded.toFixed(spec.decimals);
  const sign = spec.signed && rounded > 0 ? '+' : '';
  return `${sign}${text}${spec.hundredths && format !== 'points' ? '%' : ''}`;
}

/**
 * Text a spreadsheet would run as a formula (= + - @, or a leading tab or CR) gets a leading quote,
 * so a name in the data cannot inject one. Numbers, negative ones included, stay numbers.
 */
const defused = (cell: string | number): string =>
  typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(\.\d+)?%?$/.test(cell)
    ? `'${cell}`
    : String(cell);

const csvCell = (cell: Cell, format: CellFormat | undefined): string => {
  if (cell === null || (typeof cell === 'number' && !Number.isFinite(cell))) return '';
  const text = defused(
    typeof cell === 'number' ? (format ? csvNumber(cell, format) : String(plainNumber(cell))) : cell,
  );
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function tableToCsv(table: Pick<ExportTable, 'header' | 'rows' | 'formats' | 'cellFormats'>): string {
  const lines = [
    table.header.map((h) => csvCell(h, undefined)),
    ...table.rows.map((row, r) => row.map((cell, i) => csvCell(cell, formatAt(table, r, i)))),
  ];
  return `\uFEFF${lines.map((cells) => cells.join(',')).join('\r\n')}\r\n`;
}

/** A cell of write-excel-file's sheet data. */
export interface XlsxCell {
  value: string | number;
  type?: typeof Number | typeof String;
  format?: string;
  fontWeight?: 'bold';
  align?: 'right';
}

/** The sheet write-excel-file writes: a bold header, numbers rounded as shown with their number format, column widths. */
export function xlsxSheet(table: Pick<ExportTable, 'header' | 'rows' | 'formats' | 'cellFormats' | 'lang'>): {
  data: (XlsxCell | null)[][];
  columns: { width: number }[];
} {
  const header = table.header.map((value, i): XlsxCell => ({
    value,
    fontWeight: 'bold',
    ...(table.formats?.[i] ? { align: 'right' as const } : {}),
  }));
  const rows = table.rows.map((row, r) =>
    row.map((value, i): XlsxCell | null => {
      if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return null;
      const format = formatAt(table, r, i);
      if (typeof value === 'number') {
        if (!format) return { value: plainNumber(value), type: Number };
        const spec = specOf(format);
        const unit = table.lang && table.cellFormats?.[r]?.[i] ? spec.unit?.[table.lang] : undefined;
        return {
          value: roundedValue(value, format),
          type: Number,
          format: unit ? withUnit(spec.excel, unit) : spec.excel,
        };
      }
      return { value, type: String };
    }),
  );
  // Wide enough for the header (a Chinese character is about two) and for the longest text.
  const width = (text: string) => [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const columns = table.header.map((h, i) => ({
    width: Math.min(
      48,
      Math.max(
        8,
        width(h) + 2,
        ...table.rows.map((r) => (typeof r[i] === 'string' ? width(r[i] as string) + 1 : 12)),
      ),
    ),
  }));
  return { data: [header, ...rows], columns };
}

/** A cell as a page or a message shows it: a figure with its unit, a change or points signed. */
export function formatCell(value: Cell, format: CellFormat | undefined, lang: Lang): string {
  if (value === null || typeof value === 'string') return value ?? '—';
  if (!Number.isFinite(value)) return '—';
  switch (format) {
    case undefined:
      return String(plainNumber(value));
    case 'change':
      return formatRelative(value);
    case 'points':
      return formatPoints(value, lang);
    case 'quantity':
      return value.toFixed(1);
    default:
      return format.startsWith('delta_')
        ? formatDelta(value, format.slice(6) as Unit, lang)
        : formatValue(value, format as Unit, lang);
  }
}

/** A workbook of tables, one sheet each (Excel's sheet names: at most 31 characters, none of []:*?/\). */
export function workbookOf(tables: readonly ExportTable[]) {
  return tables.map((table) => {
    const { data, columns } = xlsxSheet(table);
    return {
      data,
      columns,
      sheet: table.name.replace(/[[\]:*?/\\]+/g, ' ').slice(0, 31),
      stickyRowsCount: 1,
    };
  });
}
