// Budget page (/budgets/NODE?v=ID&metric=ID): the versions with their status and who must act,
// a new version for finance and the group, and the chosen version's planning grid at the node —
// its units × the horizon's months, last year and the forecast under each unit, cells edited in
// place (arrow keys move between them, changed cells stay marked until saved), the split of the
// node's target among its units, the part's and the version's approval, and the grid as an Excel
// sheet to take away and bring back.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent, type FormEvent, type KeyboardEvent } from 'react';
import {
  ALLOCATION_METHODS,
  PLAN_ONLY_METRICS,
  PLANNED_METRICS,
  type BudgetDetail,
  type BudgetLines,
  type BudgetVersion,
} from '../../../../server/src/contract/budgets.ts';
import { ApiError } from '../../shared/api/client.ts';
import { useSession } from '../../shared/api/session.ts';
import { MetricSelect } from '../../shared/components/MetricSelect.tsx';
import { GapRow } from '../../shared/components/GapRow.tsx';
import { Panel } from '../../shared/components/Panel.tsx';
import { Empty, QueryState } from '../../shared/components/States.tsx';
import { useViewContext, type ViewContext } from '../../shared/context.ts';
import { downloadXlsx } from '../../shared/export.ts';
import { formatValue } from '../../shared/format.ts';
import { useT } from '../../shared/i18n.ts';
import type { MetricInfo } from '../../shared/metrics/types.ts';
import { followLink, hrefTo, navigate, useLocation, withParams } from '../../shared/router.ts';
import {
  allocateBudget,
  budgetLinesQuery,
  budgetQuery,
  budgetsQuery,
  createBudget,
  moveBudget,
  writeBudgetLines,
} from './api.ts';
import { budgetTable, changesFromSheet } from './sheet.ts';
import './budgets.css';

type T = ReturnType<typeof useT>;

/** The lines a version plans that the user sees: the catalog's metrics and the plan's own drivers, each driver before its result. */
function plannedMetrics(ctx: ViewContext, domains: readonly string[]): MetricInfo[] {
  return PLANNED_METRICS.flatMap((id) => {
    const known = ctx.metrics.get(id);
    if (known) return [known];
    // Not in the user's catalog: a plan-only line of a granted domain, or a metric not granted.
    const own = PLAN_ONLY_METRICS.find((m) => m.id === id);
    if (!own || !domains.includes(own.domain)) return [];
    const info = {
      ...own,
      direction: 'higher_is_better',
      thresholds: null,
      definition: own.name,
      breakdowns: [],
    };
    return [info as unknown as MetricInfo];
  });
}

const errorText = (error: unknown, t: T) => (error instanceof ApiError ? error.message : t('error'));

/** A failed action's reason under its form (the API's message names what and where). */
function FormError({ error }: { error: unknown }) {
  const t = useT();
  return error ? (
    <p className="form-error" role="alert">
      {errorText(error, t)}
    </p>
  ) : null;
}

export default function BudgetsView({ node }: { node: string }) {
  const t = useT();
  const ctx = useViewContext();
  const { params } = useLocation();
  const user = useSession()?.user;
  const preparer = user?.role === 'group' || user?.role === 'finance';
  const versions = useQuery(budgetsQuery());
  const metrics = plannedMetrics(ctx, user?.domains ?? []);
  const metric = metrics.find((m) => m.id === params.get('metric')) ?? metrics[0];
  if (!metric) return <Empty />;
  return (
    <div className="view budgets" data-view="budgets">
      <QueryState query={versions} height={160}>
        {({ versions: list }) => {
          // The version asked for, else the newest draft, else the newest.
          const chosen =
            list.find((v) => v.id === Number(params.get('v'))) ??
            list.find((v) => v.status === 'draft') ??
            list[0];
          return (
            <>
              <Panel title={t('budgetVersions')} className="budget-versions">
                {list.length === 0 ? (
                  <p className="state empty">{t('budgetNone')}</p>
                ) : (
                  <VersionList versions={list} chosen={chosen?.id} ctx={ctx} />
                )}
                {preparer && <NewVersion versions={list} ctx={ctx} />}
              </Panel>
              {chosen && (
                <VersionPanel
                  key={`${chosen.id}/${node}/${metric.id}`}
                  id={chosen.id}
                  node={node}
                  metric={metric}
                  metrics={metrics}
                  ctx={ctx}
                />
              )}
            </>
          );
        }}
      </QueryState>
      <p className="note">{t('budgetHowTo')}</p>
    </div>
  );
}

const waitingText = (w: BudgetVersion['waiting_for'][number], ctx: ViewContext, t: T) => {
  const who = (id: string) =>
    id === 'finance' || id === 'group' ? t(`budgetRole_${id}`) : ctx.org.name(id, ctx.lang);
  return t(`budgetWaiting_${w.action}`, { by: who(w.by), part: w.part ? who(w.part) : '' });
};

function VersionList({
  versions,
  chosen,
  ctx,
}: {
  versions: BudgetVersion[];
  chosen?: number;
  ctx: ViewContext;
}) {
  const t = useT();
  const last = (v: BudgetVersion) => {
    const [y, m] = v.first_month.split('-').map(Number) as [number, number];
    const end = y * 12 + m - 2 + v.months;
    return `${Math.floor(end / 12)}-${String((end % 12) + 1).padStart(2, '0')}`;
  };
  return (
    <div className="table-wrap">
      <table className="data-table budget-list">
        <thead>
          <tr>
            <th>{t('budgetName')}</th>
            <th>{t('budgetHorizon')}</th>
            <th>{t('budgetStatus')}</th>
            <th>{t('budgetSeed')}</th>
            <th>{t('budgetGoverns')}</th>
            <th>{t('budgetWaiting')}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr
              key={v.id}
              data-version={v.id}
              data-status={v.status}
              className={v.id === chosen ? 'chosen' : undefined}
            >
              <th>
                <a href={withParams({ v: String(v.id) })} onClick={followLink}>
                  {v.name}
                </a>
              </th>
              <td>
                {v.first_month} – {last(v)}
              </td>
              <td>
                <span className={`budget-status ${v.status}`}>{t(`budgetStatus_${v.status}`)}</span>
              </td>
              <td>{t(`budgetSource_${v.source}`)}</td>
              <td>{v.governs.length ? `${v.governs[0]} – ${v.governs.at(-1)}` : '—'}</td>
              <td>{v.waiting_for.map((w) => waitingText(w, ctx, t)).join('；') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The first month not closed yet: the data's month while it runs, else the next one. Where a new plan starts by default. */
const firstOpenMonth = (dataTo: string) => {
  const [y, m, d] = dataTo.split('-').map(Number) as [number, number, number];
  if (new Date(Date.UTC(y, m, 0)).getUTCDate() !== d) return dataTo.slice(0, 7);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

function NewVersion({ versions, ctx }: { versions: BudgetVersion[]; ctx: ViewContext }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [first, setFirst] = useState(firstOpenMonth(ctx.dataTo));
  const [name, setName] = useState(`${firstOpenMonth(ctx.dataTo)} 滚动预算`);
  const [seed, setSeed] = useState<'forecast' | 'actuals' | 'version'>('forecast');
  const [growth, setGrowth] = useState('5');
  const [from, setFrom] = useState(versions[0]?.id ?? 0);
  const create = useMutation({
    mutationFn: () =>
      createBudget({
        name,
        first_month: first,
        seed,
        ...(seed === 'actuals' ? { growth: Number(growth) / 100 } : {}),
        ...(seed === 'version' ? { from_version: from } : {}),
      }),
    onSuccess: (v) => {
      void queryClient.invalidateQueries({ queryKey: ['budgets'] });
      navigate(withParams({ v: String(v.id) }), { replace: true });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="allocate budget-new" onSubmit={submit} aria-label={t('budgetNew')}>
      <label>
        <span>{t('budgetName')}</span>
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
      </label>
      <label>
        <span>{t('budgetFirstMonth')}</span>
        <input
          name="first_month"
          type="month"
          value={first}
          onChange={(e) => setFirst(e.target.value)}
          required
        />
      </label>
      <label>
        <span>{t('budgetSeed')}</span>
        <select name="seed" value={seed} onChange={(e) => setSeed(e.target.value as typeof seed)}>
          {(['forecast', 'actuals', 'version'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`seed_${s}`)}
            </option>
          ))}
        </select>
      </label>
      {seed === 'actuals' && (
        <label>
          <span>{t('budgetGrowth')}</span>
          <input type="number" step="any" value={growth} onChange={(e) => setGrowth(e.target.value)} />
        </label>
      )}
      {seed === 'version' && (
        <label>
          <span>{t('budgetFromVersion')}</span>
          <select value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" className="button" disabled={create.isPending}>
        {create.isPending ? t('loading') : t('budgetNew')}
      </button>
      <FormError error={create.error} />
    </form>
  );
}

function VersionPanel({
  id,
  node,
  metric,
  metrics,
  ctx,
}: {
  id: number;
  node: string;
  metric: MetricInfo;
  metrics: MetricInfo[];
  ctx: ViewContext;
}) {
  const t = useT();
  const detail = useQuery(budgetQuery(id));
  return (
    <QueryState query={detail} height={240}>
      {(version) => (
        <Panel title={`${version.name} · ${t(`budgetStatus_${version.status}`)}`} className="budget-version">
          <div className="view-controls">
            <MetricSelect
              value={metric.id}
              metrics={metrics}
              onChange={(m) => navigate(withParams({ metric: m }), { replace: true })}
            />
            <Approvals version={version} node={node} ctx={ctx} />
          </div>
          {version.note && version.status === 'draft' && (
            <p className="note budget-returned">{version.note}</p>
          )}
          <Grid id={id} node={node} metric={metric} ctx={ctx} version={version} />
        </Panel>
      )}
    </QueryState>
  );
}

/** The buttons of who may act now: the part at this node, and the version as a whole. */
function Approvals({ version, node, ctx }: { version: BudgetDetail; node: string; ctx: ViewContext }) {
  const t = useT();
  const queryClient = useQueryClient();
  const user = useSession()?.user;
  const [note, setNote] = useState('');
  const move = useMutation({
    mutationFn: (body: { to: 'submitted' | 'approved' | 'returned'; node?: string; note?: string }) =>
      moveBudget(version.id, { ...body, ...(body.node ? {} : { revision: version.revision }) }),
    onSuccess: (_, body) => {
      setNote('');
      // An approval changes every figure compared with a budget.
      if (body.to === 'approved' && !body.node) void queryClient.invalidateQueries();
      else void queryClient.invalidateQueries({ queryKey: ['budgets'] });
    },
  });
  if (!user) return null;
  const part = version.parts.find((p) => p.node.id === node);
  const name = ctx.org.name(node, ctx.lang);
  const chain = ctx.org.chain(node).map((n) => n.node_id);
  const owns = user.nodes.includes(node);
  const above =
    user.role === 'group' ||
    user.role === 'finance' ||
    chain.slice(0, -1).some((n) => user.nodes.includes(n));
  const buttons: { label: string; body: Parameters<typeof move.mutate>[0]; needsNote?: boolean }[] = [];
  if (version.status === 'draft' && part) {
    if (owns && (part.status === 'open' || part.status === 'returned'))
      buttons.push({ label: t('budgetSubmitPart', { node: name }), body: { to: 'submitted', node } });
    if (above && !owns && part.status === 'submitted') {
      buttons.push({ label: t('budgetApprovePart', { node: name }), body: { to: 'approved', node } });
      buttons.push({
        label: t('budgetReturnPart', { node: name }),
        body: { to: 'returned', node },
        needsNote: true,
      });
    }
  }
  if (version.status === 'draft' && (user.role === 'group' || user.role === 'finance'))
    buttons.push({ label: t('budgetSubmit'), body: { to: 'submitted' } });
  if (version.status === 'submitted' && user.role === 'group') {
    buttons.push({ label: t('budgetApprove'), body: { to: 'approved' } });
    buttons.push({ label: t('budgetReturn'), body: { to: 'returned' }, needsNote: true });
  }
  return (
    <div className="budget-actions">
      {part && (
        <span className={`budget-part ${part.status}`} data-part={part.status}>
          {t('budgetPartOf', { node: name, status: t(`budgetPart_${part.status}`) })}
          {part.note ? ` · ${part.note}` : ''}
        </span>
      )}
      {buttons.some((b) => b.needsNote) && (
        <input
          className="budget-note"
          aria-label={t('budgetReturnNote')}
          placeholder={t('budgetReturnNote')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      )}
      {buttons.map((b) => (
        <button
          key={b.label}
          type="button"
          className={b.body.to === 'returned' ? 'button secondary' : 'button'}
          disabled={move.isPending || (b.needsNote && !note.trim())}
          onClick={() => move.mutate({ ...b.body, ...(b.needsNote ? { note: note.trim() } : {}) })}
        >
          {b.label}
        </button>
      ))}
      <FormError error={move.error} />
    </div>
  );
}

const key = (node: string, month: string) => `${node}|${month}`;

function Grid({
  id,
  node,
  metric,
  ctx,
  version,
}: {
  id: number;
  node: string;
  metric: MetricInfo;
  ctx: ViewContext;
  version: BudgetDetail;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const lines = useQuery(budgetLinesQuery(id, node, metric.id));
  const role = useSession()?.user.role;
  // Top-down splits are finance's and the group's.
  const preparer = role === 'group' || role === 'finance';
  const infoOf = (id: string) => ctx.metrics.get(id) ?? PLAN_ONLY_METRICS.find((p) => p.id === id);
  const metricName = (id: string) => {
    const m = infoOf(id);
    return m ? (ctx.lang === 'en' ? m.name.en : m.name.zh) : id;
  };
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['budgets', id] });
  const save = useMutation({
    mutationFn: (cells: { node: string; month: string; value: number; revision: number }[]) =>
      writeBudgetLines(id, { metric: metric.id, cells }),
    onSuccess: (_, cells) => {
      setTyped({});
      setMessage(t('budgetSaved', { n: cells.length }));
      void refresh();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.conflicts) {
        const who = [...new Set(error.conflicts.map((c) => c.set_by ?? '?'))].join('、');
        setMessage(t('budgetConflict', { n: error.conflicts.length, who }));
        void refresh();
      } else setMessage(errorText(error, t));
    },
  });
  return (
    <QueryState query={lines} height={240}>
      {(grid) => {
        const fmt = (v: number | null) => formatValue(v, metric.unit, ctx.lang);
        // Nothing here the caller may change now (a part handed up, a version past draft): no edit controls.
        const editable = version.status === 'draft' && grid.rows.some((r) => r.editable);
        const changed = Object.entries(typed).filter(([k, v]) => {
          const [unit, month] = k.split('|') as [string, string];
          const now = grid.rows.find((r) => r.id === unit)?.months[month]?.target ?? null;
          return v.trim() !== '' && Number(v) !== now;
        });
        const cellsOf = (entries: [string, string][]) =>
          entries.map(([k, v]) => {
            const [unit, month] = k.split('|') as [string, string];
            const revision = grid.rows.find((r) => r.id === unit)!.months[month]!.revision;
            return { node: unit, month, value: Number(v), revision };
          });
        const importSheet = async (event: ChangeEvent<HTMLInputElement>) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (!file) return;
          const { readSheet } = await import('read-excel-file/browser');
          const result = changesFromSheet(await readSheet(file), grid);
          if ('errors' in result) return setMessage(result.errors.join('\n'));
          if (result.changes.length === 0) return setMessage(t('budgetImported', { n: 0 }));
          save.mutate(result.changes);
        };
        return (
          <>
            {grid.drivers.length > 0 && (
              <p className="note budget-drivers">
                {t('budgetDrivenBy', {
                  drivers: grid.drivers.map((d) => metricName(d)).join(' × '),
                })}{' '}
                {grid.drivers.map((d) => (
                  <a key={d} href={withParams({ metric: d })} onClick={followLink}>
                    {metricName(d)}
                  </a>
                ))}
              </p>
            )}
            <BudgetTable
              grid={grid}
              ctx={ctx}
              fmt={fmt}
              drivers={grid.drivers.map((d) => ({
                id: d,
                label: metricName(d),
                format: (v: number | null) => formatValue(v, infoOf(d)?.unit ?? metric.unit, ctx.lang),
              }))}
              typed={typed}
              onType={(k, v) => setTyped((all) => ({ ...all, [k]: v }))}
              t={t}
            />
            {grid.forecast === 'pending' && <p className="note">{t('budgetForecastPending')}</p>}
            <div className="allocate budget-save">
              {changed.length > 0 && (
                <span className="budget-changed">{t('budgetChanged', { n: changed.length })}</span>
              )}
              {editable && (
                <button
                  type="button"
                  className="button"
                  disabled={changed.length === 0 || save.isPending}
                  onClick={() => save.mutate(cellsOf(changed))}
                >
                  {t('budgetSave')}
                </button>
              )}
              <button
                type="button"
                className="link-button"
                onClick={() =>
                  void downloadXlsx(
                    budgetTable(
                      grid,
                      `${version.name}-${ctx.org.name(node, ctx.lang)}-${metric.id}`,
                      t('name'),
                    ),
                  )
                }
              >
                {t('exportXlsx')}
              </button>
              {editable && (
                <label className="link-button import">
                  {t('importXlsx')}
                  <input type="file" accept=".xlsx" onChange={(e) => void importSheet(e)} hidden />
                </label>
              )}
            </div>
            {message && (
              <p className="note budget-message" role="status">
                {message}
              </p>
            )}
            {editable && preparer && grid.additive && grid.node.level !== 'store' && (
              <Allocate id={id} grid={grid} ctx={ctx} fmt={fmt} onDone={refresh} />
            )}
          </>
        );
      }}
    </QueryState>
  );
}

/** Arrow keys and Enter move between the grid's inputs, as in a spreadsheet. */
function moveFocus(event: KeyboardEvent<HTMLInputElement>) {
  const moves: Record<string, [number, number]> = {
    ArrowUp: [-1, 0],
    ArrowDown: [1, 0],
    Enter: [1, 0],
    ArrowLeft: [0, -1],
    ArrowRight: [0, 1],
  };
  const move = moves[event.key];
  if (!move) return;
  const input = event.currentTarget;
  // Left and right only at the text's edge, so the caret can still move inside a number.
  if (move[1] !== 0 && input.selectionStart !== null) {
    const atEdge = move[1] < 0 ? input.selectionStart === 0 : input.selectionEnd === input.value.length;
    if (!atEdge) return;
  }
  const row = Number(input.dataset.row) + move[0];
  const col = Number(input.dataset.col) + move[1];
  const next = input
    .closest('table')
    ?.querySelector<HTMLInputElement>(`input[data-row="${row}"][data-col="${col}"]`);
  if (next) {
    event.preventDefault();
    next.focus();
    next.select();
  }
}

/** A result's drivers, each with its name and its own number format. */
type DriverRows = { id: string; label: string; format: (v: number | null) => string }[];

function BudgetTable({
  grid,
  ctx,
  fmt,
  drivers,
  typed,
  onType,
  t,
}: {
  grid: BudgetLines;
  ctx: ViewContext;
  fmt: (v: number | null) => string;
  drivers: DriverRows;
  typed: Record<string, string>;
  onType: (key: string, value: string) => void;
  t: T;
}) {
  const own = grid.node.level !== 'store';
  return (
    <div className="target-table-wrap">
      <table className="data-table target-table budget-table" data-node={grid.node.id}>
        <thead>
          <tr>
            <th>{t('childUnits')}</th>
            {grid.months.map((m) => (
              <th key={m} className="num">
                {m}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {own && (
            <tr className="own" data-unit={grid.node.id}>
              <th>{t('budgetNodeTarget', { node: ctx.org.name(grid.node.id, ctx.lang) })}</th>
              {grid.months.map((m) => (
                <td key={m} className="num" data-month={m}>
                  {fmt(grid.node_target[m]!.target)}
                </td>
              ))}
            </tr>
          )}
          {grid.rows.map((r, row) => (
            <RowGroup
              key={r.id}
              r={r}
              row={row}
              grid={grid}
              ctx={ctx}
              fmt={fmt}
              drivers={drivers}
              typed={typed}
              onType={onType}
              t={t}
            />
          ))}
          <tr className="total">
            <th>{t('budgetTotals')}</th>
            {grid.months.map((m) => (
              <td key={m} className="num" data-month={m} data-total={grid.totals[m] ?? ''}>
                {fmt(grid.totals[m] ?? null)}
              </td>
            ))}
          </tr>
          {grid.additive && own && (
            <GapRow label={t('budgetGap')} months={grid.months} gaps={grid.gaps} fmt={fmt} />
          )}
        </tbody>
      </table>
    </div>
  );
}

/** A small row under (or, for drivers, over) a unit's line: a label and one figure per month. */
function AuxRow({
  className,
  data,
  label,
  months,
  value,
}: {
  className: string;
  data: Record<string, string>;
  label: string;
  months: readonly string[];
  value: (month: string) => string;
}) {
  return (
    <tr className={className} {...data}>
      <th>{label}</th>
      {months.map((m) => (
        <td key={m} className="num">
          {value(m)}
        </td>
      ))}
    </tr>
  );
}

function RowGroup({
  r,
  row,
  grid,
  ctx,
  fmt,
  drivers,
  typed,
  onType,
  t,
}: {
  r: BudgetLines['rows'][number];
  row: number;
  grid: BudgetLines;
  ctx: ViewContext;
  fmt: (v: number | null) => string;
  drivers: DriverRows;
  typed: Record<string, string>;
  onType: (key: string, value: string) => void;
  t: T;
}) {
  const name = ctx.org.name(r.id, ctx.lang);
  return (
    <>
      {/* Drivers above their result, as planned for the unit (changed in their own grids). */}
      {drivers.map((d, i) => (
        <AuxRow
          key={d.id}
          className={i === 0 ? 'aux driver first' : 'aux driver'}
          data={{ 'data-unit': r.id, 'data-driver': d.id }}
          label={d.label}
          months={grid.months}
          value={(m) => d.format(grid.driver_values[d.id]?.[r.id]?.[m] ?? null)}
        />
      ))}
      <tr data-unit={r.id} className="unit">
        <th>
          {r.level === 'store' || r.id === grid.node.id ? (
            name
          ) : (
            // A unit above the stores: its own grid, one level down.
            <a
              href={hrefTo(`/budgets/${r.id}`, { v: String(grid.version.id), metric: grid.metric })}
              onClick={followLink}
            >
              {name}
            </a>
          )}
        </th>
        {grid.months.map((m, col) => {
          const c = r.months[m]!;
          const k = key(r.id, m);
          const value = typed[k];
          const changed = value !== undefined && value.trim() !== '' && Number(value) !== c.target;
          return (
            <td
              key={m}
              className={`num${c.locked ? ' locked' : ''}${changed ? ' changed' : ''}${c.derived ? ' derived' : ''}`}
              data-month={m}
              data-value={c.target ?? ''}
            >
              {r.editable && r.level === 'store' && !c.derived ? (
                <input
                  type="number"
                  step="any"
                  inputMode="decimal"
                  aria-label={`${name} ${m}`}
                  data-row={row}
                  data-col={col}
                  value={value ?? (c.target === null ? '' : String(c.target))}
                  onChange={(e) => onType(k, e.target.value)}
                  onKeyDown={moveFocus}
                  onFocus={(e) => e.target.select()}
                />
              ) : (
                fmt(c.target)
              )}
            </td>
          );
        })}
      </tr>
      <AuxRow
        className="aux"
        data={{ 'data-unit': r.id, 'data-aux': 'last_year' }}
        label={t('lastYear')}
        months={grid.months}
        value={(m) => fmt(r.last_year[m] ?? null)}
      />
      {grid.forecast === 'ready' && (
        <AuxRow
          className="aux"
          data={{ 'data-unit': r.id, 'data-aux': 'forecast' }}
          label={t('forecast')}
          months={grid.months}
          value={(m) => fmt(r.forecast[m] ?? null)}
        />
      )}
    </>
  );
}

function Allocate({
  id,
  grid,
  ctx,
  fmt,
  onDone,
}: {
  id: number;
  grid: BudgetLines;
  ctx: ViewContext;
  fmt: (v: number | null) => string;
  onDone: () => void;
}) {
  const t = useT();
  const [total, setTotal] = useState('');
  const [method, setMethod] = useState<(typeof ALLOCATION_METHODS)[number]>('last_year');
  const [from, setFrom] = useState(grid.months[0]!);
  const [to, setTo] = useState(grid.months[0]!);
  const run = useMutation({
    mutationFn: () =>
      allocateBudget(id, {
        node: grid.node.id,
        metric: grid.metric,
        from,
        to: to < from ? from : to,
        method,
        ...(total.trim() !== '' ? { total: Number(total) } : {}),
      }),
    onSuccess: () => {
      setTotal('');
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run.mutate();
  };
  return (
    <form className="allocate" onSubmit={submit} aria-label={t('budgetAllocate')}>
      {(
        [
          [t('budgetFrom'), from, setFrom],
          [t('budgetTo'), to, setTo],
        ] as const
      ).map(([label, value, set]) => (
        <label key={label}>
          <span>{label}</span>
          <select value={value} onChange={(e) => set(e.target.value)}>
            {grid.months.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
      ))}
      <label>
        <span>{t('budgetMonthlyTarget', { node: ctx.org.name(grid.node.id, ctx.lang) })}</span>
        <input
          type="number"
          step="any"
          name="total"
          placeholder={fmt(grid.node_target[from]?.target ?? null)}
          value={total}
          onChange={(e) => setTotal(e.target.value)}
        />
      </label>
      <label>
        <span>{t('allocationMethod')}</span>
        <select name="method" value={method} onChange={(e) => setMethod(e.target.value as typeof method)}>
          {ALLOCATION_METHODS.filter((m) => m !== 'manual').map((m) => (
            <option key={m} value={m}>
              {t(`budgetAlloc_${m}`)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button" disabled={run.isPending}>
        {t('budgetAllocate')}
      </button>
      <FormError error={run.error} />
    </form>
  );
}
