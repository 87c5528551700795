// The frame around every view: breadcrumb of the org node, view tabs, period picker, compare
// switch, language switch and sign-out. Everything it changes goes into the URL.
import type { MetricDomain } from '../../../server/src/contract/metric-ids.ts';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { logout } from '../shared/api/client.ts';
import type { SessionUser } from '../shared/api/session.ts';
import { useT } from '../shared/i18n.ts';
import {
  defaultPeriodKey,
  parsePeriod,
  periodChoices,
  periodLabel,
  type PeriodKind,
} from '../shared/period.ts';
import type { ViewName } from './views.ts';
import { useViewContext } from '../shared/context.ts';
import { CompareButtons } from '../shared/components/CompareButtons.tsx';
import { followLink, hrefTo, navigate, useLocation, withParams } from '../shared/router.ts';

/** The tabs, and the domains a user needs for each (none: everyone). */
const TAB_DOMAINS: Partial<Record<ViewName, MetricDomain[]>> = {
  overview: [],
  analysis: [],
  forecast: [],
  drill: [],
  product: ['sales'],
  finance: ['finance', 'inventory'],
  parts: ['aftersales'],
  risks: [],
  board: [],
  targets: [],
  budgets: [],
  scorecards: [],
  reports: [],
};
/** Special grants read figures; they take no part in budgeting. */
const NOT_FOR_SPECIAL: ViewName[] = ['budgets'];
/** Views about alerts and tasks, parts orders (as of the last month end), budgets and reports (each
 *  with its own period): not read by the shell's period or comparison. */
const UNDATED: ViewName[] = ['risks', 'board', 'task', 'parts', 'budgets', 'reports'];

export function Shell({
  user,
  view,
  node,
  children,
}: {
  user: SessionUser;
  view: ViewName | null;
  node: string | null;
  children: ReactNode;
}) {
  const t = useT();
  const ctx = useViewContext();
  const main = useFocusOnNewPage(useLocation().path.join('/'));
  // A staff user reads their own page only: no tabs, no store report.
  const staffUser = user.role === 'staff';
  const tabs = (Object.keys(TAB_DOMAINS) as ViewName[]).filter(
    (v) =>
      !staffUser &&
      !(user.role === 'special' && NOT_FOR_SPECIAL.includes(v)) &&
      (TAB_DOMAINS[v]!.length === 0 || TAB_DOMAINS[v]!.some((d) => user.domains.includes(d))),
  );
  // The task page sits at no org node: its tabs lead to the user's own.
  const orgNode = view === 'task' ? (user.nodes[0] ?? null) : node;
  const keep = (path: string) =>
    hrefTo(path, { metric: new URLSearchParams(window.location.search).get('metric') });

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          <span>{t('appTitle')}</span>
        </div>
        <nav className="tabs" aria-label={t('appTitle')}>
          {orgNode &&
            tabs.map((v) => (
              <a
                key={v}
                href={keep(`/${v}/${orgNode}`)}
                onClick={followLink}
                className={v === view ? 'tab active' : 'tab'}
                aria-current={v === view ? 'page' : undefined}
              >
                {t(v)}
              </a>
            ))}
        </nav>
        <div className="topbar-right">
          <span className="data-through">{t('dataThrough', { date: ctx.dataTo })}</span>
          {orgNode && !staffUser && (
            <a className="report-link" href={hrefTo(`/m/${orgNode}`)} onClick={followLink}>
              {t('dailyReport')}
            </a>
          )}
          <a
            className="lang-switch"
            href={withParams({ lang: ctx.lang === 'zh' ? 'en' : null })}
            onClick={followLink}
            lang={ctx.lang === 'zh' ? 'en' : 'zh-CN'}
          >
            {t('language')}
          </a>
          <span className="user" title={`${user.username} · ${user.role}`}>
            {user.display_name ?? user.username}
          </span>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              logout();
              navigate('/login');
            }}
          >
            {t('logout')}
          </button>
        </div>
      </header>
      <div className="toolbar">
        {node && view && view !== 'task' && <Breadcrumb node={node} view={view} linked={!staffUser} />}
        {!(view && UNDATED.includes(view)) && (
          <div className="toolbar-controls">
            <PeriodPicker />
            <CompareButtons />
          </div>
        )}
      </div>
      <main id="main" tabIndex={-1} ref={main}>
        {children}
      </main>
    </div>
  );
}

/** Moves focus to the content when another page opens, so keyboard and screen-reader users start there. */
function useFocusOnNewPage(page: string) {
  const main = useRef<HTMLElement>(null);
  const shown = useRef(page);
  useEffect(() => {
    if (shown.current === page) return;
    shown.current = page;
    main.current?.focus({ preventScroll: true });
  }, [page]);
  return main;
}

/** The chain down to the node; each unit above links to the same view there (from a person's page:
 *  to the drill, and the store too). Not linked for a staff user, who reads their own page only. */
function Breadcrumb({ node, view, linked }: { node: string; view: ViewName; linked: boolean }) {
  const { org, lang } = useViewContext();
  const chain = org.byId.has(node) ? org.chain(node) : [];
  const metric = new URLSearchParams(window.location.search).get('metric');
  const onPerson = view === 'person';
  const target = onPerson ? 'drill' : view;
  return (
    <nav className="breadcrumb" aria-label="breadcrumb">
      <ol>
        {chain.length === 0 && <li aria-current="page">{node}</li>}
        {chain.map((n, i) => (
          <li key={n.node_id} aria-current={i === chain.length - 1 && !onPerson ? 'page' : undefined}>
            {linked && n.in_scope && (i < chain.length - 1 || onPerson) ? (
              <a href={hrefTo(`/${target}/${n.node_id}`, { metric })} onClick={followLink}>
                {org.name(n.node_id, lang)}
              </a>
            ) : (
              <span>{org.name(n.node_id, lang)}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function PeriodPicker() {
  const t = useT();
  const { period, lang, dataFrom, dataTo } = useViewContext();
  // The URL's period is the truth. The only local state is a custom range being typed, kept for
  // the period it was started on: on any other period (a link, back, forward) it is gone.
  const [draft, setDraft] = useState<{ on: string; from: string; to: string } | null>(null);
  const custom =
    draft?.on === period.key ? draft : period.kind === 'custom' ? { from: period.from, to: period.to } : null;
  const setKey = (key: string) => navigate(withParams({ p: key }));
  const chooseKind = (next: PeriodKind) => {
    if (next === 'custom') return setDraft({ on: period.key, from: period.from, to: period.to });
    setDraft(null);
    // A quarter opens on the last complete one; a month and a year on the latest (a year to date says so).
    setKey(defaultPeriodKey(next, dataFrom, dataTo));
  };
  const kind: PeriodKind = custom ? 'custom' : period.kind;
  // Each choice as the data holds it: 2026年1–10月, 2026年Q4至今 (the same on every page).
  const choices = useMemo(
    () =>
      kind === 'custom'
        ? []
        : periodChoices(kind, dataFrom, dataTo).map((key) => ({
            key,
            label: periodLabel(parsePeriod(key, dataFrom, dataTo), lang),
          })),
    [kind, dataFrom, dataTo, lang],
  );
  return (
    <div className="period-picker" role="group" aria-label={t('period')}>
      <select
        aria-label={t('period')}
        value={kind}
        onChange={(e) => chooseKind(e.target.value as PeriodKind)}
      >
        {(['month', 'quarter', 'year', 'custom'] as const).map((k) => (
          <option key={k} value={k}>
            {t(k)}
          </option>
        ))}
      </select>
      {custom ? (
        <form
          className="custom-range"
          onSubmit={(e) => {
            e.preventDefault();
            if (custom.from <= custom.to) setKey(`${custom.from}_${custom.to}`);
          }}
        >
          <input
            type="date"
            aria-label={t('from')}
            min={dataFrom}
            max={dataTo}
            value={custom.from}
            onChange={(e) => setDraft({ ...custom, from: e.target.value, on: period.key })}
            required
          />
          <input
            type="date"
            aria-label={t('to')}
            min={dataFrom}
            max={dataTo}
            value={custom.to}
            onChange={(e) => setDraft({ ...custom, to: e.target.value, on: period.key })}
            required
          />
          <button type="submit" className="button">
            {t('apply')}
          </button>
        </form>
      ) : (
        kind !== 'custom' && (
          <select aria-label={t(kind)} value={period.key} onChange={(e) => setKey(e.target.value)}>
            {choices.map((c) => (
              <option key={c.key} value={c.key}>
                {c.label}
              </option>
            ))}
          </select>
        )
      )}
    </div>
  );
}
