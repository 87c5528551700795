// 跟踪分析报告 / Reports (/reports/NODE?kind=monthly|weekly|daily|risk&on=PERIOD&tz=ZONE): a tracking
// report of the node as a document — title, period, data date and the time zone it was made in,
// the commentary, then its tables (the same tables its Excel workbook and its messages carry,
// server/src/contract/report-tables.ts), with a bar chart of the units below. Printed (and sent as
// PDF) through shared/print.css and reports.css; `data-report-ready` says when it has drawn.
import '../../shared/print.css';
import './reports.css';
import { useQuery } from '@tanstack/react-query';
import {
  REPORT_KINDS,
  type ReportKind,
  type ReportResponse,
} from '../../../../server/src/contract/reports.ts';
import {
  REPORT_TITLES,
  reportTables,
  type ReportTable,
} from '../../../../server/src/contract/report-tables.ts';
import { formatCell } from '../../../../server/src/contract/tables.ts';
import { Chart } from '../../shared/charts/Chart.tsx';
import { downloadWorkbook } from '../../shared/export.ts';
import { rankingOption } from '../../shared/charts/options.ts';
import { Panel } from '../../shared/components/Panel.tsx';
import { ErrorState, Loading } from '../../shared/components/States.tsx';
import { useViewContext } from '../../shared/context.ts';
import { pick, useT } from '../../shared/i18n.ts';
import { followLink, navigate, useLocation, withParams } from '../../shared/router.ts';
import { reportQuery } from './api.ts';
import { Subscriptions } from './Subscriptions.tsx';

const DEFAULT_ZONE = 'Asia/Shanghai';

/** The time zone named in the URL if the browser knows it, else the group's. */
function zoneOf(name: string | null): string {
  if (!name) return DEFAULT_ZONE;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name;
  } catch {
    return DEFAULT_ZONE;
  }
}

export default function ReportsView({ node }: { node: string }) {
  const t = useT();
  const ctx = useViewContext();
  const { params } = useLocation();
  const kind: ReportKind = REPORT_KINDS.find((k) => k === params.get('kind')) ?? 'monthly';
  const on = params.get('on');
  const zone = zoneOf(params.get('tz'));
  const report = useQuery(reportQuery(kind, node, on));
  const tables = report.data ? reportTables(report.data, ctx.lang) : [];

  return (
    <>
      <div
        className="view report-view"
        data-view="reports"
        data-report-ready={report.isSuccess || report.isError ? 'true' : 'false'}
      >
        <nav className="report-kinds no-print" aria-label={t('reports')}>
          {REPORT_KINDS.map((k) => (
            <a
              key={k}
              href={withParams({ kind: k, on: null })}
              onClick={followLink}
              className={k === kind ? 'tab active' : 'tab'}
              aria-current={k === kind ? 'page' : undefined}
            >
              {pick(ctx.lang, REPORT_TITLES[k])}
            </a>
          ))}
        </nav>
        {report.isPending ? (
          <Loading height={320} />
        ) : report.isError ? (
          <ErrorState error={report.error} retry={() => void report.refetch()} />
        ) : (
          <>
            <ReportHead report={report.data} zone={zone} />
            {report.data.commentary && report.data.commentary.length > 0 && (
              <Panel title={t('commentary')} className="report-commentary">
                {report.data.commentary.map((s) => (
                  <p key={s.metric} data-metric={s.metric}>
                    {pick(ctx.lang, s.text)}
                  </p>
                ))}
              </Panel>
            )}
            {report.data.risks && <RiskCounts report={report.data} />}
            {tables.map((table) => (
              <Panel key={table.id} title={table.title} className={`report-table report-${table.id}`}>
                {table.id === 'units' && <UnitsChart report={report.data} />}
                <TableOf table={table} />
              </Panel>
            ))}
          </>
        )}
      </div>
      {/* Beside the document, not in it: never printed, nor read by the PDF renderer's checks. */}
      <div className="view report-subscriptions no-print">
        <Subscriptions node={node} kind={kind} />
      </div>
    </>
  );
}

function ReportHead({ report, zone }: { report: ReportResponse; zone: string }) {
  const t = useT();
  const ctx = useViewContext();
  const made = new Intl.DateTimeFormat(ctx.lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: zone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date());
  const span = report.from === report.to ? report.to : `${report.from} – ${report.to}`;
  return (
    <header className="report-head">
      <div>
        <h1>
          {pick(ctx.lang, REPORT_TITLES[report.kind])} · {ctx.org.name(report.node.id, ctx.lang)}
        </h1>
        <p className="report-meta">
          <span data-window>{span}</span> · {t('dataThrough', { date: report.data_to })} ·{' '}
          <span data-zone={zone}>{t('reportMade', { time: made, zone })}</span>
        </p>
      </div>
      <div className="report-actions no-print">
        <PeriodInput report={report} />
        <button
          type="button"
          className="button"
          onClick={() =>
            void downloadWorkbook(
              reportTables(report, ctx.lang),
              `${pick(ctx.lang, REPORT_TITLES[report.kind])}-${report.node.id}-${report.to}`,
            )
          }
        >
          {t('exportXlsx')}
        </button>
        <button type="button" className="button" onClick={() => window.print()}>
          {t('print')}
        </button>
      </div>
    </header>
  );
}

/** The month (monthly) or the report's last day (the others), within the data. */
function PeriodInput({ report }: { report: ReportResponse }) {
  const t = useT();
  const ctx = useViewContext();
  const monthly = report.kind === 'monthly';
  return (
    <label className="report-period">
      {t('reportPeriod')}
      <input
        type={monthly ? 'month' : 'date'}
        value={monthly ? report.from.slice(0, 7) : report.to}
        min={monthly ? ctx.dataFrom.slice(0, 7) : ctx.dataFrom}
        // The risk report reads today's alerts and tasks: it may run past the data's last day.
        max={monthly ? ctx.dataTo.slice(0, 7) : report.kind === 'risk' ? undefined : ctx.dataTo}
        onChange={(e) => e.target.value && navigate(withParams({ on: e.target.value }), { replace: true })}
      />
    </label>
  );
}

function RiskCounts({ report }: { report: ReportResponse }) {
  const t = useT();
  const { risks, tasks, recoveries } = report;
  const stats: [string, number, string?][] = [
    [t('critical'), risks!.open.critical, 'critical'],
    [t('warning'), risks!.open.warning, 'warning'],
    [t('reportProblems'), risks!.open.problems],
    ...(tasks
      ? ([
          [
            t('reportOpenTasks'),
            tasks.by_status.plan + tasks.by_status.do + tasks.by_status.check + tasks.by_status.act,
          ],
          [t('reportOverdue'), tasks.overdue_count, tasks.overdue_count > 0 ? 'critical' : undefined],
        ] as [string, number, string?][])
      : []),
    ...(recoveries
      ? ([[t('reportRecovered'), recoveries.count, 'good']] as [string, number, string?][])
      : []),
  ];
  return (
    <dl className="report-stats">
      {stats.map(([label, n, tone]) => (
        <div key={label} className={tone ? `stat ${tone}` : 'stat'}>
          <dt>{label}</dt>
          <dd>{n}</dd>
        </div>
      ))}
    </dl>
  );
}

function UnitsChart({ report }: { report: ReportResponse }) {
  const ctx = useViewContext();
  const units = report.units!;
  const metric = units.metrics[0];
  if (!metric) return null;
  const info = report.catalog[metric]!;
  const rows = units.rows.map((r) => ({
    id: r.id,
    name: ctx.org.name(r.id, ctx.lang),
    value: r.values[metric]?.value ?? null,
  }));
  return (
    <Chart
      option={rankingOption(rows, { unit: info.unit, lang: ctx.lang, name: pick(ctx.lang, info.name) })}
      height={Math.min(420, 60 + rows.length * 26)}
      label={pick(ctx.lang, info.name)}
    />
  );
}

function TableOf({ table }: { table: ReportTable }) {
  const ctx = useViewContext();
  return (
    <div className="table-scroll">
      <table className="data-table">
        <thead>
          <tr>
            {table.header.map((h, i) => (
              <th
                key={i}
                scope="col"
                className={i > 0 && typeof table.rows[0]?.[i] !== 'string' ? 'num' : undefined}
              >
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, c) => {
                const format = table.cellFormats?.[r]?.[c] ?? table.formats?.[c];
                const tone = table.tones?.[r]?.[c];
                return c === 0 ? (
                  <th key={c} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td
                    key={c}
                    className={
                      [typeof cell === 'string' ? '' : 'num', tone ?? ''].join(' ').trim() || undefined
                    }
                  >
                    {formatCell(cell, format, ctx.lang)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
