// Starts everything a page needs at once — its code, the chart library and its data — instead of
// in rounds as each part renders: right after sign-in (and, for the code, while the login form is
// being filled in), and when a signed-in user opens a bookmark.
import type { QueryClient } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import { prefetchAnalysis } from '../features/analysis/queries.ts';
import { prefetchDrill } from '../features/drill/queries.ts';
import { prefetchOverview } from '../features/overview/queries.ts';
import { cachedViewContext, fetchViewContext, type ViewContext } from '../shared/context.ts';
import { loadCharts } from '../shared/charts/library.ts';
import { VIEWS, type ViewName } from './views.ts';

type ViewModule = { default: ComponentType<{ node: string }> };

const IMPORTS: Record<ViewName, () => Promise<ViewModule>> = {
  overview: () => import('../features/overview/OverviewView.tsx'),
  drill: () => import('../features/drill/DrillView.tsx'),
  product: () => import('../features/product/ProductView.tsx'),
  finance: () => import('../features/finance/FinanceView.tsx'),
  risks: () => import('../features/risk/RiskCentreView.tsx'),
  board: () => import('../features/risk/BoardView.tsx'),
  task: () => import('../features/risk/TaskView.tsx'),
  person: () => import('../features/people/PersonView.tsx'),
  targets: () => import('../features/targets/TargetsView.tsx'),
  budgets: () => import('../features/budgets/BudgetsView.tsx'),
  scorecards: () => import('../features/scorecards/ScorecardsView.tsx'),
  analysis: () => import('../features/analysis/AnalysisView.tsx'),
  forecast: () => import('../features/forecast/ForecastView.tsx'),
  parts: () => import('../features/parts/PartsView.tsx'),
  reports: () => import('../features/reports/ReportsView.tsx'),
};

/** The views whose code has arrived. */
const loaded = new Map<ViewName, ViewModule>();

/** Fetches a view's code (once: the browser keeps the module). */
const loadView = (view: ViewName): Promise<ViewModule> =>
  IMPORTS[view]().then((module) => {
    loaded.set(view, module);
    return module;
  });

/**
 * What React.lazy takes for a view: its code, and if that has arrived already (prefetched with the
 * page), a thenable that answers at once. React.lazy reads such a thenable in the same render
 * instead of suspending on a promise, and so does not hold the page back behind its fallback
 * (React reveals a suspended boundary up to 300 ms late).
 */
export const viewCode = (view: ViewName) => (): Promise<ViewModule> => {
  const module = loaded.get(view);
  if (!module) return loadView(view);
  return { then: (resolve: (m: ViewModule) => void) => resolve(module) } as unknown as Promise<ViewModule>;
};

type Prefetch = (
  queryClient: QueryClient,
  node: string,
  ctx: ViewContext,
  params: URLSearchParams,
) => Promise<void>;

/** The views whose data is asked for before they render (the others ask as they render). */
const DATA: Partial<Record<ViewName, Prefetch>> = {
  overview: prefetchOverview,
  drill: prefetchDrill,
  analysis: prefetchAnalysis,
};

const viewOf = (path: string): ViewName | undefined => VIEWS.find((v) => v === path.split('/')[1]);

/** Fetches the code of the view at `href` (at the root: of the views users land on) and the chart library. */
export function preloadCode(href: string): void {
  const path = new URL(href, window.location.origin).pathname;
  const view = viewOf(path);
  const landing = path === '/' || path.startsWith('/login');
  for (const v of view ? [view] : landing ? (['overview', 'finance'] as const) : []) void loadView(v);
  void loadCharts();
}

/**
 * Asks for everything the page at `href` shows: its code, the app-wide answers, then its data.
 * With the app-wide answers cached (as the sign-in leaves them), the data requests leave before
 * this returns, ahead of the render the sign-in sets off.
 */
export async function prefetchPage(queryClient: QueryClient, href: string): Promise<void> {
  preloadCode(href);
  const url = new URL(href, window.location.origin);
  const [, view, node] = url.pathname.split('/').map(decodeURIComponent);
  const prefetch = DATA[view as ViewName];
  if (!prefetch || !node) return;
  const ctx = cachedViewContext(queryClient, href) ?? (await fetchViewContext(queryClient, href));
  await prefetch(queryClient, node, ctx, url.searchParams);
}
