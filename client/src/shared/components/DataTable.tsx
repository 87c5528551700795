// A sortable table with CSV and Excel export. Each column says how to read its value (for
// sorting and export) and how to show it; a row with an href is a link (keyboard too).
// A column whose header names a metric has its definition one click away (ⓘ). A column's
// `format` (or its metric's unit) makes both exports carry its figures rounded as shown, and the
// .xlsx an Excel number format, with the unit in the header. Rows may come in groups (alerts of
// one node and metric): the first of each stands for the group and the others fold under it.
// A table that shows one page of many exports them all (`exportRows`), sorted as it is.
import { useQuery } from '@tanstack/react-query';
import { Fragment, useMemo, useState, type ReactNode } from 'react';
import { followLink, navigate } from '../router.ts';
import { catalogQuery } from '../metrics/api.ts';
import type { MetricInfo } from '../metrics/types.ts';
import {
  downloadCsv,
  downloadXlsx,
  exportHeader,
  type Cell,
  type CellFormat,
  type ExportTable,
} from '../export.ts';
import { pick, useLang, useT } from '../i18n.ts';
import { MetricInfoButton } from './MetricInfo.tsx';
import { groupRows } from './table-groups.ts';
import './data-table.css';

export interface Column<Row> {
  key: string;
  label: string;
  value: (row: Row) => Cell;
  render?: (row: Row) => ReactNode;
  numeric?: boolean;
  /** How its numbers read in exports (rounded as shown, Excel number format, unit in the header); default: its metric's unit. */
  format?: CellFormat;
  /** The metric the header names (its ⓘ); default: the metric whose id is the key or whose name is the label; null: none. */
  metric?: MetricInfo | null;
  /** Long text that may wrap (the column keeps a sensible width). */
  wrap?: boolean;
  /** In exports: the figure as shown, a number where it is one (else `value`)… */
  exportAs?: (row: Row) => Cell;
  /** …followed by the raw numbers behind it, each a further column. */
  exportRaw?: { label: string; value: (row: Row) => number | null; format?: CellFormat }[];
}

export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  rowHref,
  onRowIntent,
  exportName,
  initialSort,
  caption,
  totals,
  groupOf,
  groupLabel,
  className,
  exportRows,
}: {
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  rowHref?: (row: Row) => string | null;
  /** The pointer is on a linked row, or its link has the focus: fetch what opening it needs. */
  onRowIntent?: (row: Row) => void;
  exportName: string;
  initialSort?: { key: string; dir: 'asc' | 'desc' };
  caption?: string;
  /** Rows below the others (totals): never sorted, exported last. */
  totals?: Row[];
  /** Rows with the same group follow the first of them, folded under it. */
  groupOf?: (row: Row) => string;
  /** What the fold says: "N more". */
  groupLabel?: (more: number) => string;
  className?: string;
  /** Every row to export, where `rows` is one page of them: asked for when someone exports. */
  exportRows?: () => Promise<Row[]>;
}) {
  const t = useT();
  const lang = useLang();
  const catalog = useQuery(catalogQuery()).data?.metrics;
  const [sort, setSort] = useState(initialSort ?? null);
  const [unfolded, setUnfolded] = useState<ReadonlySet<string>>(new Set());

  /** The metric a header names: as the column says, else by its key or its label. */
  const metricOf = useMemo(() => {
    const byId = new Map<string, MetricInfo>((catalog ?? []).map((m) => [m.id, m]));
    const byName = new Map((catalog ?? []).map((m) => [pick(lang, m.name), m]));
    return (c: Column<Row>): MetricInfo | null =>
      c.metric !== undefined ? c.metric : (byId.get(c.key) ?? byName.get(c.label) ?? null);
  }, [catalog, lang]);

  const compare = useMemo(() => {
    const column = sort && columns.find((c) => c.key === sort.key);
    const dir = sort?.dir === 'asc' ? 1 : -1;
    return column
      ? (a: Row, b: Row) => {
          const x = column.value(a);
          const y = column.value(b);
          if (x === y) return 0;
          if (x === null) return 1; // missing values last, either way
          if (y === null) return -1;
          return (
            dir *
            (typeof x === 'number' && typeof y === 'number'
              ? x - y
              : String(x).localeCompare(String(y), 'zh-CN'))
          );
        }
      : undefined;
  }, [columns, sort]);
  const sorted = useMemo(() => {
    if (groupOf) return groupRows(rows, groupOf, compare);
    return (compare ? [...rows].sort(compare) : rows).map((r) => [r]);
  }, [rows, compare, groupOf]);

  const toggle = (key: string) =>
    setSort((s) =>
      s?.key === key
        ? { key, dir: s.dir === 'desc' ? 'asc' : 'desc' }
        : { key, dir: columns.find((c) => c.key === key)?.numeric ? 'desc' : 'asc' },
    );
  const table = async (): Promise<ExportTable> => {
    const all = exportRows && (await exportRows());
    const parts = columns
      .map((c) => {
        // A number exported as shown is rounded by the column's format; text stays as it is.
        const format = c.format ?? metricOf(c)?.unit;
        return [
          {
            header: exportHeader(c.label, format, lang),
            format,
            cell: (r: Row): Cell => (c.exportAs ? c.exportAs(r) : c.value(r)),
          },
          ...(c.exportRaw ?? []).map((x) => ({
            header: exportHeader(x.label, x.format, lang),
            format: x.format,
            cell: (r: Row): Cell => x.value(r),
          })),
        ];
      })
      .flat();
    return {
      name: exportName,
      header: parts.map((p) => p.header),
      formats: parts.map((p) => p.format),
      rows: [...(all ? (compare ? all.sort(compare) : all) : sorted.flat()), ...(totals ?? [])].map((r) =>
        parts.map((p) => p.cell(r)),
      ),
    };
  };
  const unfold = (key: string) =>
    setUnfolded((s) => {
      const next = new Set(s);
      if (!next.delete(key)) next.add(key);
      return next;
    });

  const renderRow = (row: Row, kind: 'row' | 'member' | 'total', group?: { key: string; size: number }) => {
    const href = kind === 'total' ? null : (rowHref?.(row) ?? null);
    const classes = [
      href ? 'linked' : '',
      kind === 'member' ? 'group-member' : '',
      kind === 'total' ? 'total' : '',
    ]
      .filter(Boolean)
      .join(' ');
    return (
      <tr
        key={rowKey(row)}
        data-key={rowKey(row)}
        data-group-size={group?.size}
        className={classes || undefined}
        onMouseEnter={href && onRowIntent ? () => onRowIntent(row) : undefined}
        onClick={
          href
            ? (e) => {
                if (!(e.target as HTMLElement).closest('a, button, [role="button"]')) navigate(href);
              }
            : undefined
        }
      >
        {columns.map((c, i) => {
          const content = c.render ? c.render(row) : c.value(row);
          const cellClass = [c.numeric ? 'num' : '', c.wrap ? 'wrap' : ''].filter(Boolean).join(' ');
          return (
            <td key={c.key} className={cellClass || undefined} data-col={c.key}>
              {i === 0 && href ? (
                <a href={href} onClick={followLink} onFocus={onRowIntent && (() => onRowIntent(row))}>
                  {content}
                </a>
              ) : (
                content
              )}
            </td>
          );
        })}
      </tr>
    );
  };

  return (
    <div className={`table-wrap${className ? ` ${className}` : ''}`}>
      <div className="table-actions">
        <button type="button" className="link-button" onClick={() => void table().then(downloadCsv)}>
          {t('exportCsv')}
        </button>
        <button type="button" className="link-button" onClick={() => void table().then(downloadXlsx)}>
          {t('exportXlsx')}
        </button>
      </div>
      <div className="table-scroll">
        <table className="data-table">
          {caption && <caption className="sr-only">{caption}</caption>}
          <thead>
            <tr>
              {columns.map((c) => {
                const metric = metricOf(c);
                return (
                  <th
                    key={c.key}
                    className={c.numeric ? 'num' : undefined}
                    data-col={c.key}
                    aria-sort={
                      sort?.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'
                    }
                  >
                    <span className="th-inner">
                      <button type="button" onClick={() => toggle(c.key)}>
                        {c.label}
                        <span className="sort-mark" aria-hidden="true">
                          {sort?.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                        </span>
                      </button>
                      {metric && <MetricInfoButton metric={metric} />}
                    </span>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.map((group) => {
              const [first, ...more] = group as [Row, ...Row[]];
              const key = groupOf ? groupOf(first) : rowKey(first);
              const open = unfolded.has(key);
              return (
                <Fragment key={key}>
                  {renderRow(first, 'row', { key, size: group.length })}
                  {more.length > 0 && (
                    <tr className="group-fold">
                      <td colSpan={columns.length}>
                        <button
                          type="button"
                          className="link-button"
                          aria-expanded={open}
                          onClick={() => unfold(key)}
                        >
                          <span aria-hidden="true">{open ? '▾' : '▸'}</span>{' '}
                          {groupLabel ? groupLabel(more.length) : `+${more.length}`}
                        </button>
                      </td>
                    </tr>
                  )}
                  {open && more.map((r) => renderRow(r, 'member'))}
                </Fragment>
              );
            })}
          </tbody>
          {totals && totals.length > 0 && <tfoot>{totals.map((r) => renderRow(r, 'total'))}</tfoot>}
        </table>
      </div>
    </div>
  );
}
