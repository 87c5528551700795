// "为什么变动？ / Why did it move?": a panel over the page (full screen on a phone) that explains a
// metric's change at a node for the period against the chosen comparison (switchable here): the
// change in words, the value, base and change, each unit below's part of it (GET /api/explain;
// for a ratio its rate and mix effects), biggest movers first, and where the metric has one the
// bridge of its drivers. A unit opens the same explanation for itself; a store has no units.
// Bars are coloured by whether their part is good or bad news for the metric, not by their sign.
import './explain.css';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useMemo, useRef, type KeyboardEvent } from 'react';
import { compareWith, compareWithTarget } from '../../../../server/src/contract/compare.ts';
import { Chart } from '../charts/Chart.tsx';
import { contributionOption, formatContribution, type ContributionRow } from '../charts/contribution.ts';
import { CompareButtons } from '../components/CompareButtons.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { MetricInfoButton } from '../components/MetricInfo.tsx';
import { Empty, QueryState } from '../components/States.tsx';
import { useViewContext, type ViewContext } from '../context.ts';
import { describeBudget, describeComparison, formatDelta, formatPercent, formatValue } from '../format.ts';
import { pick, useT } from '../i18n.ts';
import type { MetricInfo } from '../metrics/types.ts';
import { PHONE_QUERY, useMediaQuery } from '../media.ts';
import { periodLabel } from '../period.ts';
import { navigate, useLocation, withParams } from '../router.ts';
import { budgetTone, comparisonTone, toneOf } from '../status.ts';
import { bridgeOf, explainQuery, type ExplainedUnit, type ExplainResponse } from './api.ts';
import { BridgePanel } from './BridgePanel.tsx';

/** Closes the panel: the page as it was, without a new history entry. */
const close = () => navigate(withParams({ explain: null, xnode: null }), { replace: true });

const FOCUSABLE = 'a[href], button:not([disabled]), select, input, [tabindex]:not([tabindex="-1"])';

export default function ExplainDrawer({ viewNode }: { viewNode: string }) {
  const ctx = useViewContext();
  const { params } = useLocation();
  // A metric the user may not see (or none) opens nothing.
  const metric = ctx.metrics.get(params.get('explain') ?? '');
  if (!metric) return null;
  return <Drawer metric={metric} node={params.get('xnode') ?? viewNode} viewNode={viewNode} ctx={ctx} />;
}

function Drawer({
  metric,
  node,
  viewNode,
  ctx,
}: {
  metric: MetricInfo;
  node: string;
  viewNode: string;
  ctx: ViewContext;
}) {
  const t = useT();
  const metricId = metric.id;
  const dialog = useRef<HTMLDivElement>(null);
  const titleId = useId();

  // The page behind does not scroll; the focus comes into the panel, and goes back to the button
  // that opened it when it closes.
  useEffect(() => {
    document.body.classList.add('explain-open');
    dialog.current?.focus({ preventScroll: true });
    return () => {
      document.body.classList.remove('explain-open');
      document.querySelector<HTMLElement>(`[data-explain="${CSS.escape(metricId)}"]`)?.focus({
        preventScroll: true,
      });
    };
  }, [metricId]);

  // Another unit: its explanation from the top, the focus kept in the panel (the link clicked may be gone).
  useEffect(() => {
    const panel = dialog.current;
    panel?.scrollTo({ top: 0 });
    if (panel && !panel.contains(document.activeElement)) panel.focus({ preventScroll: true });
  }, [node]);

  // Escape closes it wherever the focus is (a definition's popover keeps its own Escape).
  useEffect(() => {
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      close();
    };
    window.addEventListener('keydown', onEscape);
    return () => window.removeEventListener('keydown', onEscape);
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Tab' && dialog.current) {
      // Tab stays inside the panel.
      const all = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
        (el) => el.offsetParent !== null,
      );
      const first = all[0];
      const last = all[all.length - 1];
      if (!first || !last) return;
      if (event.shiftKey && (document.activeElement === first || document.activeElement === dialog.current)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  };

  const bridge = bridgeOf(metric.id);
  return (
    <div
      className="explain-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) close();
      }}
    >
      <div
        ref={dialog}
        className="explain-drawer"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-explain-panel={metric.id}
        data-node={node}
        onKeyDown={onKeyDown}
      >
        <header className="explain-head">
          <div className="explain-title">
            <p className="explain-eyebrow">{t('whyMoved')}</p>
            <h2 id={titleId}>
              {pick(ctx.lang, metric.name)}
              <MetricInfoButton metric={metric} />
            </h2>
            <p className="subtitle">
              {ctx.org.name(node, ctx.lang)} · {periodLabel(ctx.period, ctx.lang)}
            </p>
          </div>
          <button type="button" className="explain-close" aria-label={t('closePanel')} onClick={close}>
            ×
          </button>
        </header>
        <div className="explain-content">
          <div className="explain-controls">
            <CompareButtons keepScroll />
            <UnitTrail node={node} viewNode={viewNode} ctx={ctx} />
          </div>
          <Explanation metric={metric} node={node} viewNode={viewNode} ctx={ctx} />
          {bridge && <BridgePanel kind={bridge} node={node} ctx={ctx} title={pick(ctx.lang, metric.name)} />}
        </div>
      </div>
    </div>
  );
}

/** Opens the explanation of a unit below (or back up): in place of the current one. */
const openUnit = (id: string, viewNode: string) =>
  navigate(withParams({ xnode: id === viewNode ? null : id }), { replace: true });

/** The chain from the view's node down to the unit explained, each link back up. */
function UnitTrail({ node, viewNode, ctx }: { node: string; viewNode: string; ctx: ViewContext }) {
  const t = useT();
  if (node === viewNode) return null;
  const chain = ctx.org.chain(node);
  const from = chain.findIndex((n) => n.node_id === viewNode);
  const trail = from >= 0 ? chain.slice(from) : [];
  if (trail.length < 2) return null;
  return (
    <nav className="explain-trail" aria-label={t('explainUp')}>
      <ol>
        {trail.map((n, i) => (
          <li key={n.node_id} aria-current={i === trail.length - 1 ? 'page' : undefined}>
            {i < trail.length - 1 ? (
              <button type="button" className="link-button" onClick={() => openUnit(n.node_id, viewNode)}>
                {ctx.org.name(n.node_id, ctx.lang)}
              </button>
            ) : (
              <span>{ctx.org.name(n.node_id, ctx.lang)}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The base period in words: the previous month, the same month last year (a range otherwise). */
function baseLabel(from: string, to: string, lang: 'zh' | 'en'): string {
  const month = from.slice(0, 7) === to.slice(0, 7);
  return periodLabel(
    month ? { kind: 'month', key: from.slice(0, 7), from, to } : { kind: 'custom', key: '', from, to },
    lang,
  );
}

interface Explained {
  metric: MetricInfo;
  viewNode: string;
  ctx: ViewContext;
}

function Explanation({ node, ...rest }: Explained & { node: string }) {
  const query = useQuery(explainQuery(rest.metric.id, node, rest.ctx.period, rest.ctx.compare));
  return (
    <QueryState query={query} height={240}>
      {(data) => <ExplainBody data={data} {...rest} />}
    </QueryState>
  );
}

function ExplainBody({ data, metric, viewNode, ctx }: Explained & { data: ExplainResponse }) {
  const t = useT();
  const { lang } = ctx;
  const text = data.text[lang];
  const noData = data.reason === 'no_data';
  const budget = data.compare === 'budget';

  // The change in the project's words: a relative change only on a positive base, points for a
  // percentage, a move across zero by name; against the budget, attainment or the variance.
  const comparison = budget ? null : compareWith(metric.unit, data.value, data.base);
  const target = budget ? compareWithTarget(data.value, data.base) : null;
  const described = comparison
    ? describeComparison(comparison, metric, lang)
    : describeBudget(target ?? undefined, metric.unit, lang);
  const tone = comparison ? comparisonTone(metric, comparison) : budgetTone(metric, target ?? undefined);
  const changeText =
    target && described.kind === 'attainment' ? `${t('attainment')} ${described.text}` : described.text;
  // The change in the metric's unit beside a percentage or attainment (which do not say how much).
  const amount =
    data.delta !== null && (described.kind === 'change' || described.kind === 'attainment')
      ? formatDelta(data.delta, metric.unit, lang)
      : null;

  const baseText =
    data.base !== null ? formatValue(data.base, metric.unit, lang) : budget ? t('noBudget') : t('noData');

  return (
    <div
      className="explain-body"
      data-node={data.node.id}
      data-compare={data.compare}
      data-decomposition={data.decomposition}
    >
      {text && (
        <p className="explain-text" data-explain-text lang={lang === 'zh' ? 'zh-CN' : 'en'}>
          {text}
        </p>
      )}
      <dl className="explain-figures">
        <div>
          <dt>{t('thisPeriod')}</dt>
          <dd
            data-figure="value"
            data-value={data.value ?? ''}
            className={data.value === null ? 'missing' : ''}
          >
            {data.value === null && noData ? t('noData') : formatValue(data.value, metric.unit, lang)}
          </dd>
        </div>
        <div>
          <dt>
            {t(`base_${data.compare}`)}
            {!budget && <small> · {baseLabel(data.base_from, data.base_to, lang)}</small>}
          </dt>
          <dd data-figure="base" data-value={data.base ?? ''} className={data.base === null ? 'missing' : ''}>
            {baseText}
          </dd>
        </div>
        <div>
          <dt>{t('change')}</dt>
          <dd data-figure="delta" data-value={data.delta ?? ''} className={noData ? 'missing' : tone}>
            {noData ? t('noData') : changeText}
            {amount && <small> {amount}</small>}
          </dd>
        </div>
      </dl>
      <Units data={data} metric={metric} ctx={ctx} viewNode={viewNode} />
    </div>
  );
}

/** The units below: each one's part of the change, as bars and as a table; a unit opens its own. */
function Units({ data, metric, ctx, viewNode }: Explained & { data: ExplainResponse }) {
  const t = useT();
  const { lang } = ctx;
  const queryClient = useQueryClient();
  const phone = useMediaQuery(PHONE_QUERY);
  const ratio = data.decomposition === 'ratio';
  const none = data.decomposition === 'none';
  const isStore = data.node.level === 'store';
  // The org tree has the units' names in both languages (the answer, in Chinese only).
  const unitName = useCallback(
    (u: ExplainedUnit) => (ctx.org.byId.has(u.id) ? ctx.org.name(u.id, lang) : u.name),
    [ctx.org, lang],
  );
  // Against the budget a ratio does not split: each unit against its own target instead.
  const rows: ContributionRow[] = useMemo(
    () =>
      data.children.map((c) => ({
        id: c.id,
        name: unitName(c),
        contribution: none ? c.delta : c.contribution,
        rate: c.rate_effect,
        mix: c.mix_effect,
        share: none ? null : c.share_of_delta,
      })),
    [data.children, none, unitName],
  );
  const option = useMemo(
    () =>
      contributionOption(rows, {
        unit: metric.unit,
        lang,
        direction: metric.direction,
        ratio,
        names: {
          contribution: none ? t('ownChange') : t('contribution'),
          rate: t('rateEffect'),
          mix: t('mixEffect'),
        },
        compact: phone,
      }),
    [rows, metric, lang, ratio, none, t, phone],
  );
  // A unit's own explanation replaces this one (the panel keeps the way back up).
  const open = (id: string) => openUnit(id, viewNode);
  const intent = (id: string) =>
    void queryClient.prefetchQuery(explainQuery(metric.id, id, ctx.period, ctx.compare));

  if (isStore || data.children.length === 0)
    return (
      <p className="state empty explain-no-units" data-no-units>
        {isStore ? t('storeNoUnits') : t('nothingToSplit')}
      </p>
    );
  const split = rows.some((r) => r.contribution !== null);
  const missing = data.reason === 'no_data';
  const unitText = (v: number | null) =>
    v === null && missing ? t('noData') : formatValue(v, metric.unit, lang);
  const columns: Column<ExplainedUnit>[] = [
    {
      key: 'name',
      label: t('unit'),
      value: (u) => unitName(u),
      render: (u) => (
        <button
          type="button"
          className="link-button explain-unit"
          data-unit={u.id}
          onClick={() => open(u.id)}
          onMouseEnter={() => intent(u.id)}
          onFocus={() => intent(u.id)}
        >
          {unitName(u)}
        </button>
      ),
    },
    {
      key: 'value',
      label: t('thisPeriod'),
      numeric: true,
      format: metric.unit,
      value: (u) => u.value,
      render: (u) => <span data-value={u.value ?? ''}>{unitText(u.value)}</span>,
    },
    {
      key: 'base',
      label: t(`base_${data.compare}`),
      numeric: true,
      format: metric.unit,
      value: (u) => u.base,
      render: (u) => (
        <span data-value={u.base ?? ''}>
          {u.base === null && data.compare === 'budget' ? t('noBudget') : unitText(u.base)}
        </span>
      ),
    },
    {
      key: 'delta',
      label: t('change'),
      numeric: true,
      format: metric.unit === 'percent' ? 'points' : metric.unit,
      value: (u) => u.delta,
      render: (u) => (
        <span data-value={u.delta ?? ''} className={toneOf(u.delta, metric.direction)}>
          {u.delta === null ? '—' : formatDelta(u.delta, metric.unit, lang)}
        </span>
      ),
    },
    ...(ratio
      ? (['rate_effect', 'mix_effect'] as const).map((key): Column<ExplainedUnit> => ({
          key,
          label: t(key === 'rate_effect' ? 'rateEffect' : 'mixEffect'),
          numeric: true,
          format: metric.unit === 'percent' ? 'points' : metric.unit,
          value: (u) => u[key] ?? null,
          render: (u) => {
            const v = u[key] ?? null;
            return (
              <span data-value={v ?? ''}>{v === null ? '—' : formatContribution(v, metric.unit, lang)}</span>
            );
          },
        }))
      : []),
    ...(none
      ? []
      : [
          {
            key: 'contribution',
            label: t('contribution'),
            numeric: true,
            format: metric.unit === 'percent' ? 'points' : metric.unit,
            value: (u) => u.contribution,
            render: (u) => (
              <span data-value={u.contribution ?? ''} className={toneOf(u.contribution, metric.direction)}>
                {u.contribution === null ? '—' : formatContribution(u.contribution, metric.unit, lang)}
              </span>
            ),
          } satisfies Column<ExplainedUnit>,
          {
            key: 'share',
            label: t('shareOfChange'),
            numeric: true,
            format: 'percent',
            value: (u) => u.share_of_delta,
            render: (u) => <span data-value={u.share_of_delta ?? ''}>{formatPercent(u.share_of_delta)}</span>,
          } satisfies Column<ExplainedUnit>,
        ]),
  ];
  const byId = new Map(data.children.map((c) => [c.id, c]));
  return (
    <section className="explain-units" aria-label={t('unitContributions')}>
      <h3>{t('unitContributions')}</h3>
      <p className="subtitle">{none ? t('explainNone') : ratio ? t('explainRatio') : t('explainAdditive')}</p>
      {split ? (
        <Chart
          option={option}
          height={rows.length * (phone ? 44 : 34) + (ratio ? 56 : 32)}
          label={t('unitContributions')}
          onItemClick={(item) => item.id && byId.has(item.id) && open(item.id)}
          onItemHover={(item) => item.id && intent(item.id)}
        />
      ) : (
        <Empty
          message={
            missing
              ? t('noData')
              : data.base === null
                ? t(data.compare === 'budget' ? 'bridgeNoTarget' : 'noComparable')
                : t('nothingToSplit')
          }
        />
      )}
      <DataTable
        className="explain-table"
        columns={columns}
        rows={data.children}
        rowKey={(u) => u.id}
        exportName={`${pick(lang, metric.name)}-${data.node.id}-${data.compare}`}
        caption={t('unitContributions')}
      />
    </section>
  );
}
