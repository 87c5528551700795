// What every view reads from the URL and from the app-wide queries (data version, catalog, org
// tree): the period, the comparison, and lookups of metrics and org nodes.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { createContext, createElement, useContext, useMemo, type ReactNode } from 'react';
import type { CompareWith } from '../../../server/src/contract/compare.ts';
import { catalogQuery, orgQuery, versionQuery } from './metrics/api.ts';
import type { DataVersion, MetricInfo, OrgNode } from './metrics/types.ts';
import { useLang, type Lang } from './i18n.ts';
import { parsePeriod, type Period } from './period.ts';
import { useLocation } from './router.ts';

/** The comparison the user chose (cmp in the URL): what cards are coloured by and tables compare with. */
export type Compare = CompareWith;
export const COMPARES: Compare[] = ['budget', 'yoy', 'prev'];

export interface OrgIndex {
  byId: Map<string, OrgNode>;
  children: (id: string) => OrgNode[];
  /** The chain from the top of the tree down to `id`. */
  chain: (id: string) => OrgNode[];
  name: (id: string, lang: Lang) => string;
}

function indexOrg(nodes: OrgNode[]): OrgIndex {
  const byId = new Map(nodes.map((n) => [n.node_id, n]));
  const kids = new Map<string, OrgNode[]>();
  for (const n of nodes) if (n.parent_id) kids.set(n.parent_id, [...(kids.get(n.parent_id) ?? []), n]);
  return {
    byId,
    children: (id) => kids.get(id) ?? [],
    chain: (id) => {
      const out: OrgNode[] = [];
      for (let n = byId.get(id); n; n = n.parent_id ? byId.get(n.parent_id) : undefined) out.unshift(n);
      return out;
    },
    name: (id, lang) => {
      const n = byId.get(id);
      return !n ? id : lang === 'en' && n.name_en ? n.name_en : n.name;
    },
  };
}

/** The app-wide data every view needs; the shell waits for it before rendering a view. */
function useAppDataQueries() {
  const version = useQuery(versionQuery());
  const catalog = useQuery(catalogQuery());
  const org = useQuery(orgQuery());
  // Looked up by ids from URLs and links too: a string that is no metric of the caller's is a miss.
  const metrics = useMemo(
    () => new Map<string, MetricInfo>((catalog.data?.metrics ?? []).map((m) => [m.id, m])),
    [catalog.data],
  );
  const orgIndex = useMemo(() => indexOrg(org.data?.nodes ?? []), [org.data]);
  return useMemo(
    () => ({ version, catalog, org, metrics, orgIndex }),
    [version, catalog, org, metrics, orgIndex],
  );
}

type AppData = ReturnType<typeof useAppDataQueries>;
const AppDataContext = createContext<AppData | null>(null);

/**
 * Asks for the app-wide data once, at the top of a signed-in page (the shell's gate, the wall), for
 * every component below: each of them asking (three query observers, the metric map and the org
 * index apiece) cost the first page after sign-in tens of milliseconds.
 */
export function AppDataProvider({ children }: { children: ReactNode }) {
  return createElement(AppDataContext.Provider, { value: useAppDataQueries() }, children);
}

export function useAppData(): AppData {
  const data = useContext(AppDataContext);
  if (!data) throw new Error('useAppData: no AppDataProvider above this component');
  return data;
}

export interface ViewContext {
  lang: Lang;
  period: Period;
  compare: Compare;
  dataFrom: string;
  dataTo: string;
  metrics: Map<string, MetricInfo>;
  org: OrgIndex;
}

export function useViewContext(): ViewContext {
  const { params } = useLocation();
  const lang = useLang();
  const { version, metrics, orgIndex } = useAppData();
  // One object per URL and answers: every panel reads it, and the period in it is parsed.
  const p = params.get('p');
  const cmp = params.get('cmp');
  return sharedViewContext(p, cmp, lang, version.data, metrics, orgIndex);
}

/** The last view context made: every component of a page gets the same object (its period parsed once). */
let lastContext: { inputs: unknown[]; context: ViewContext } | null = null;

function sharedViewContext(
  p: string | null,
  cmp: string | null,
  lang: Lang,
  version: DataVersion | undefined,
  metrics: Map<string, MetricInfo>,
  org: OrgIndex,
): ViewContext {
  const inputs = [p, cmp, lang, version, metrics, org];
  if (!lastContext || inputs.some((x, i) => x !== lastContext!.inputs[i]))
    lastContext = { inputs, context: viewContextOf({ p, cmp }, lang, version, metrics, org) };
  return lastContext.context;
}

/** The view context from a URL's query and the app-wide answers (the same as the hook, for prefetching). */
function viewContextOf(
  query: { p: string | null; cmp: string | null },
  lang: Lang,
  version: DataVersion | undefined,
  metrics: Map<string, MetricInfo>,
  org: OrgIndex,
): ViewContext {
  const dataTo = version?.period_to ?? new Date().toISOString().slice(0, 10);
  const dataFrom = version?.data_from ?? dataTo;
  return {
    lang,
    period: parsePeriod(query.p, dataFrom, dataTo),
    compare: COMPARES.includes(query.cmp as Compare) ? (query.cmp as Compare) : 'budget',
    dataFrom,
    dataTo,
    metrics,
    org,
  };
}

/** The context a view at `href` will have, once the app-wide answers are in (fetched if not cached). */
export async function fetchViewContext(queryClient: QueryClient, href: string): Promise<ViewContext> {
  await Promise.all([
    queryClient.ensureQueryData(versionQuery()),
    queryClient.ensureQueryData(catalogQuery()),
    queryClient.ensureQueryData(orgQuery()),
  ]);
  return cachedViewContext(queryClient, href)!;
}

/** The context a view at `href` will have, at once, if the app-wide answers are cached (as after sign-in). */
export function cachedViewContext(queryClient: QueryClient, href: string): ViewContext | null {
  const version = queryClient.getQueryData(versionQuery().queryKey);
  const catalog = queryClient.getQueryData(catalogQuery().queryKey);
  const org = queryClient.getQueryData(orgQuery().queryKey);
  if (!version || !catalog || !org) return null;
  const params = new URL(href, window.location.origin).searchParams;
  return viewContextOf(
    { p: params.get('p'), cmp: params.get('cmp') },
    params.get('lang') === 'en' ? 'en' : 'zh',
    version,
    new Map(catalog.metrics.map((m) => [m.id, m])),
    indexOrg(org.nodes),
  );
}

/** The metrics among `ids` that this user may see, in that order. */
export function visibleMetrics(ids: readonly string[], metrics: Map<string, MetricInfo>): MetricInfo[] {
  return ids.flatMap((id) => metrics.get(id) ?? []);
}
