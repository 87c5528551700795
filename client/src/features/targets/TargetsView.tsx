// Targets page (/targets/NODE?metric=ID): the node's target and its units' — its children, or a
// store's people — month by month for the year of the chosen period, with what does not add up,
// the allocation actions (share of recent actuals, equal, headcount, typed in; locks), and the
// grid as an Excel sheet to take away and bring back.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { TargetMethod, TargetsBody, TargetsResponse } from '../../../../server/src/contract/targets.ts';
import { ApiError, apiGet, apiSend } from '../../shared/api/client.ts';
import { useSession } from '../../shared/api/session.ts';
import { MetricSelect } from '../../shared/components/MetricSelect.tsx';
import { GapRow } from '../../shared/components/GapRow.tsx';
import { Panel } from '../../shared/components/Panel.tsx';
import { Empty, QueryState } from '../../shared/components/States.tsx';
import { useViewContext, type ViewContext } from '../../shared/context.ts';
import { downloadXlsx } from '../../shared/export.ts';
import { formatValue } from '../../shared/format.ts';
import { pick, useT } from '../../shared/i18n.ts';
import type { MetricInfo } from '../../shared/metrics/types.ts';
import { navigate, useLocation, withParams } from '../../shared/router.ts';
import { changesFromSheet, targetsTable } from './sheet.ts';

const METHODS: TargetMethod[] = ['share', 'equal', 'headcount', 'manual'];

const targetsQuery = (node: string, metric: string, year: string) =>
  queryOptions({
    queryKey: ['targets', node, metric, year],
    queryFn: ({ signal }) =>
      apiGet<TargetsResponse>('/targets', { node, metric, from: `${year}-01`, to: `${year}-12` }, signal),
  });

/** Flows and rates have targets (balances and derived figures do not). */
const targetable = (m: MetricInfo) => m.kind === 'sum' || m.kind === 'ratio';

export default function TargetsView({ node }: { node: string }) {
  const t = useT();
  const ctx = useViewContext();
  const { params } = useLocation();
  const atStore = ctx.org.byId.get(node)?.level === 'store';
  // At a store the units are its people: person-level metrics only.
  const metrics = [...ctx.metrics.values()].filter(
    (m) => targetable(m) && (!atStore || m.breakdowns.includes('staff')),
  );
  const metric = metrics.find((m) => m.id === params.get('metric')) ?? metrics[0];
  if (!metric) return <Empty />;
  const year = ctx.period.to.slice(0, 4);
  return (
    <div className="view targets" data-view="targets">
      <div className="view-controls">
        <MetricSelect
          value={metric.id}
          metrics={metrics}
          onChange={(id) => navigate(withParams({ metric: id }), { replace: true })}
        />
      </div>
      <TargetGrid node={node} metric={metric} year={year} ctx={ctx} key={`${node}/${metric.id}/${year}`} />
      <p className="note">{t('targetsNote')}</p>
    </div>
  );
}

function TargetGrid({
  node,
  metric,
  year,
  ctx,
}: {
  node: string;
  metric: MetricInfo;
  year: string;
  ctx: ViewContext;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const query = useQuery(targetsQuery(node, metric.id, year));
  // Line managers set targets; finance and special grants read them.
  const role = useSession()?.user.role;
  const sets = role === 'group' || role === 'division' || role === 'region' || role === 'store';
  const [month, setMonth] = useState(ctx.period.to.slice(0, 7));
  const [method, setMethod] = useState<TargetMethod>('share');
  const [shareMonths, setShareMonths] = useState(3);
  const [total, setTotal] = useState('');
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [locks, setLocks] = useState<Record<string, boolean>>({});
  const [imported, setImported] = useState<string | null>(null);
  // On a narrow screen the grid scrolls sideways: bring the chosen month into view.
  const wrap = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = wrap.current;
    const chosen = box?.querySelector<HTMLElement>('th.chosen');
    if (box && chosen) box.scrollLeft = Math.max(0, chosen.offsetLeft + chosen.offsetWidth - box.clientWidth);
  }, [query.data, month]);
  const save = useMutation({
    mutationFn: (body: TargetsBody | (Omit<TargetsBody, 'months' | 'cells'> & Partial<TargetsBody>)) =>
      apiSend<TargetsResponse>('PUT', '/targets', body),
    onSuccess: () => {
      setTyped({});
      setLocks({});
      setTotal('');
      // Every figure compared with a budget may have moved.
      void queryClient.invalidateQueries();
    },
  });
  const title = `${t('targetsTitle')} · ${pick(ctx.lang, metric.name)} · ${year}`;
  return (
    <Panel title={title} className="target-grid">
      <QueryState query={query} height={240}>
        {(grid) => {
          const units = grid.by === 'staff' ? t('people') : t('childUnits');
          const fmt = (v: number | null) => formatValue(v, metric.unit, ctx.lang);
          const editing = method === 'manual';
          const submit = (event: FormEvent) => {
            event.preventDefault();
            const cells = grid.rows
              .filter((r) => typed[r.id] !== undefined || locks[r.id] !== undefined)
              .map((r) => ({
                id: r.id,
                ...(typed[r.id] !== undefined && typed[r.id] !== '' ? { value: Number(typed[r.id]) } : {}),
                ...(locks[r.id] !== undefined ? { locked: locks[r.id] } : {}),
              }));
            save.mutate({
              node,
              metric: metric.id,
              month,
              by: grid.by,
              method,
              months: shareMonths,
              ...(total !== '' ? { total: Number(total) } : {}),
              cells,
            });
          };
          const importSheet = async (event: ChangeEvent<HTMLInputElement>) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (!file) return;
            const { readSheet } = await import('read-excel-file/browser');
            const result = changesFromSheet(await readSheet(file), grid);
            if ('error' in result) return setImported(result.error);
            for (const change of result.changes)
              await save.mutateAsync({
                node,
                metric: metric.id,
                month: change.month,
                by: grid.by,
                method: 'manual',
                ...(change.total !== undefined ? { total: change.total } : {}),
                cells: change.cells,
              });
            setImported(t('importedMonths', { n: result.changes.length }));
          };
          return (
            <>
              <div className="target-table-wrap" ref={wrap}>
                <table className="data-table target-table" data-by={grid.by}>
                  <thead>
                    <tr>
                      <th>{units}</th>
                      {grid.months.map((m) => (
                        <th key={m} className={m === month ? 'num chosen' : 'num'}>
                          <button type="button" className="link-button" onClick={() => setMonth(m)}>
                            {m.slice(5)}月
                          </button>
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    <tr className="own" data-unit={grid.node.id}>
                      <th>{ctx.org.name(grid.node.id, ctx.lang)}</th>
                      {grid.months.map((m) => (
                        <td key={m} className="num" data-month={m} data-source={grid.parent[m]!.source ?? ''}>
                          {fmt(grid.parent[m]!.target)}
                        </td>
                      ))}
                    </tr>
                    {grid.rows.map((r) => (
                      <tr key={r.id} data-unit={r.id}>
                        <th>
                          {grid.by === 'children' ? ctx.org.name(r.id, ctx.lang) : r.name}
                          {r.role ? <small> · {t(r.role)}</small> : null}
                        </th>
                        {grid.months.map((m) => {
                          const c = r.months[m]!;
                          const chosen = sets && m === month;
                          return (
                            <td
                              key={m}
                              className={`num${c.locked ? ' locked' : ''}${chosen ? ' chosen' : ''}`}
                              data-month={m}
                              data-value={c.target ?? ''}
                              data-locked={c.locked}
                            >
                              {chosen && editing ? (
                                <input
                                  type="number"
                                  step="any"
                                  aria-label={`${r.name} ${m}`}
                                  value={typed[r.id] ?? c.target ?? ''}
                                  onChange={(e) => setTyped((v) => ({ ...v, [r.id]: e.target.value }))}
                                />
                              ) : (
                                fmt(c.target)
                              )}
                              {chosen && (
                                <label className="lock" title={t('lock')}>
                                  <input
                                    type="checkbox"
                                    checked={locks[r.id] ?? c.locked}
                                    onChange={(e) => setLocks((v) => ({ ...v, [r.id]: e.target.checked }))}
                                  />
                                  {t('lock')}
                                </label>
                              )}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                    {grid.additive && (
                      <GapRow label={t('targetGap')} months={grid.months} gaps={grid.gaps} fmt={fmt} />
                    )}
                  </tbody>
                </table>
              </div>
              {sets && (
                <form className="allocate" onSubmit={submit}>
                  <label>
                    <span>{t('month')}</span>
                    <select value={month} onChange={(e) => setMonth(e.target.value)}>
                      {grid.months.map((m) => (
                        <option key={m} value={m}>
                          {m}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    <span>{t('allocationMethod')}</span>
                    <select
                      name="method"
                      value={method}
                      onChange={(e) => setMethod(e.target.value as TargetMethod)}
                    >
                      {METHODS.map((m) => (
                        <option key={m} value={m}>
                          {t(`method_${m}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                  {method === 'share' && (
                    <label>
                      <span>{t('shareMonths')}</span>
                      <input
                        type="number"
                        min={1}
                        max={12}
                        value={shareMonths}
                        onChange={(e) => setShareMonths(Number(e.target.value))}
                      />
                    </label>
                  )}
                  <label>
                    <span>{t('ownTotal', { node: ctx.org.name(node, ctx.lang) })}</span>
                    <input
                      type="number"
                      step="any"
                      name="total"
                      placeholder={fmt(grid.parent[month]?.target ?? null)}
                      value={total}
                      onChange={(e) => setTotal(e.target.value)}
                    />
                  </label>
                  <button type="submit" className="button" disabled={save.isPending}>
                    {t('allocate')}
                  </button>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() =>
                      void downloadXlsx(
                        targetsTable(
                          grid,
                          `${ctx.org.name(node, ctx.lang)}-${grid.metric}-${year}`,
                          t('name'),
                        ),
                      )
                    }
                  >
                    {t('exportXlsx')}
                  </button>
                  <label className="link-button import">
                    {t('importXlsx')}
                    <input type="file" accept=".xlsx" onChange={(e) => void importSheet(e)} hidden />
                  </label>
                </form>
              )}
              {save.error && (
                <p className="form-error" role="alert">
                  {save.error instanceof ApiError ? save.error.message : t('error')}
                </p>
              )}
              {imported && (
                <p className="note" role="status">
                  {imported}
                </p>
              )}
            </>
          );
        }}
      </QueryState>
    </Panel>
  );
}
