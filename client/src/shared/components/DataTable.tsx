// A sortable table with CSV and Excel export. Each column says how to read its value (for
// sorting and export) and how to show it; a row with an href is a link (keyboard too).
import { useMemo, useState, type ReactNode } from 'react';
import { followLink, navigate } from '../../app/router.ts';
import { downloadCsv, downloadXlsx, type Cell } from '../export.ts';
import { useT } from '../i18n.ts';

export interface Column<Row> {
  key: string;
  label: string;
  value: (row: Row) => Cell;
  render?: (row: Row) => ReactNode;
  numeric?: boolean;
}

export function DataTable<Row>({ columns, rows, rowKey, rowHref, exportName, initialSort, caption }: {
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  rowHref?: (row: Row) => string | null;
  exportName: string;
  initialSort?: { key: string; dir: 'asc' | 'desc' };
  caption?: string;
}) {
  const t = useT();
  const [sort, setSort] = useState(initialSort ?? null);
  const sorted = useMemo(() => {
    const column = sort && columns.find((c) => c.key === sort.key);
    if (!column || !sort) return rows;
    const dir = sort.dir === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      if (x === y) return 0;
      if (x === null) return 1; // missing values last, either way
      if (y === null) return -1;
      return dir * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN'));
    });
  }, [rows, columns, sort]);

  const toggle = (key: string) =>
    setSort((s) => (s?.key === key ? { key, dir: s.dir === 'desc' ? 'asc' : 'desc' } : { key, dir: columns.find((c) => c.key === key)?.numeric ? 'desc' : 'asc' }));
  const table = () => ({ name: exportName, header: columns.map((c) => c.label), rows: sorted.map((r) => columns.map((c) => c.value(r))) });

  return (
    <div className="table-wrap">
      <div className="table-actions">
        <button type="button" className="link-button" onClick={() => downloadCsv(table())}>{t('exportCsv')}</button>
        <button type="button" className="link-button" onClick={() => void downloadXlsx(table())}>{t('exportXlsx')}</button>
      </div>
      <div className="table-scroll">
        <table className="data-table">
          {caption && <caption className="sr-only">{caption}</caption>}
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} className={c.numeric ? 'num' : undefined} aria-sort={sort?.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" onClick={() => toggle(c.key)}>
                    {c.label}
                    <span className="sort-mark" aria-hidden="true">{sort?.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((row) => {
              const href = rowHref?.(row) ?? null;
              return (
                <tr key={rowKey(row)} className={href ? 'linked' : undefined} onClick={href ? (e) => { if (!(e.target as HTMLElement).closest('a')) navigate(href); } : undefined}>
                  {columns.map((c, i) => (
                    <td key={c.key} className={c.numeric ? 'num' : undefined}>
                      {i === 0 && href ? <a href={href} onClick={followLink}>{c.render ? c.render(row) : c.value(row)}</a> : c.render ? c.render(row) : c.value(row)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
