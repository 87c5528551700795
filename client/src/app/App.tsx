// Sign-in gate, the shell, and which view a URL shows. Views are loaded lazily, each its own chunk.
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef, type ComponentType, type LazyExoticComponent } from 'react';
import { LoginView } from '../features/login/LoginView.tsx';
import { useSession, type SessionUser } from '../shared/api/session.ts';
import { ErrorBoundary } from '../shared/components/ErrorBoundary.tsx';
import { ErrorState, Loading } from '../shared/components/States.tsx';
import { useLang, useT } from '../shared/i18n.ts';
import { AppDataProvider, useAppData } from '../shared/context.ts';
import { useDataVersionWatch } from '../shared/data-version.ts';
import { Shell } from './Shell.tsx';
import { hrefTo, homeOf, navigate, useLocation } from '../shared/router.ts';
import { preloadCode, prefetchPage, viewCode } from './prefetch.ts';
import { VIEWS, type ViewName } from './views.ts';

/** The wall screen: full-screen, without the shell; it signs in with a kiosk token or as the user. */
const WallApp = lazy(() => import('../features/wall/WallView.tsx'));
/** The phone daily report (/m/NODE): its own compact header instead of the shell. */
const MobileReport = lazy(() => import('../features/mobile/MobileReport.tsx'));

const LAZY_VIEWS = Object.fromEntries(VIEWS.map((v) => [v, lazy(viewCode(v))])) as Record<
  ViewName,
  LazyExoticComponent<ComponentType<{ node: string }>>
>;

export function App() {
  const session = useSession();
  const lang = useLang();
  const queryClient = useQueryClient();
  const previousUser = useRef(session?.user.username);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  // A different user must never see the last user's cached figures: drop them when a user signs out
  // (or their token expires), before anyone else signs in.
  useEffect(() => {
    if (previousUser.current !== undefined && previousUser.current !== session?.user.username)
      queryClient.clear();
    previousUser.current = session?.user.username;
  }, [session, queryClient]);
  useBusyMarker();
  const { path } = useLocation();
  const onWall = path[0] === 'wall';
  // A kiosk token opens the wall and nothing else.
  useEffect(() => {
    if (session?.user.kiosk && !onWall) navigate('/wall', { replace: true });
  }, [session, onWall]);
  // While the login form is filled in, the page it leads to and the chart library are fetched.
  useEffect(() => {
    if (!session && !onWall) preloadCode(window.location.href);
  }, [session, onWall]);

  if (onWall)
    return (
      <Suspense fallback={null}>
        <WallApp signIn={<LoginView />} />
      </Suspense>
    );
  if (!session)
    return <LoginView onSignedIn={(href) => void prefetchPage(queryClient, href).catch(() => undefined)} />;
  if (session.user.kiosk) return null;
  return (
    <AppDataProvider>
      <SignedIn user={session.user} />
    </AppDataProvider>
  );
}

/**
 * <html data-busy> counts requests in flight: tests and the UI benchmark wait for it to reach 0.
 * Kept from the query cache's events, outside React: as state it re-rendered the whole app each
 * time a request started or ended.
 */
function useBusyMarker() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const cache = queryClient.getQueryCache();
    // What already asks (a page's own queries start before this effect runs), then every change.
    const fetching = new Set(cache.findAll({ fetchStatus: 'fetching' }).map((q) => q.queryHash));
    const mark = () => (document.documentElement.dataset.busy = String(fetching.size));
    mark();
    return cache.subscribe(({ type, query }) => {
      if (type !== 'removed' && query.state.fetchStatus === 'fetching') fetching.add(query.queryHash);
      else fetching.delete(query.queryHash);
      mark();
    });
  }, [queryClient]);
}

function SignedIn({ user }: { user: SessionUser }) {
  const t = useT();
  const queryClient = useQueryClient();
  const { path } = useLocation();
  const { version, catalog, org } = useAppData();
  useDataVersionWatch();
  const first = path[0];
  const view = VIEWS.find((v) => v === first);
  const node = path[1];
  const mobile = first === 'm';
  // The root, /login and a view without a node all mean "home"; /m alone is the user's own report.
  const goesHome = !first || first === 'login' || (view !== undefined && !node);
  const mobileHome = mobile && !node;

  // The page opened first (home after sign-in, or a bookmark) asks for all its data at once; later
  // pages ask as they render, or earlier when the pointer rests on their link.
  const prefetched = useRef(false);
  useEffect(() => {
    if (prefetched.current) return;
    prefetched.current = true;
    void prefetchPage(queryClient, goesHome ? homeOf(user) : window.location.href).catch(() => undefined);
  }, [queryClient, goesHome, user]);

  useEffect(() => {
    // A staff user has one page: their own (the daily report is the store's).
    if (goesHome || (mobile && user.role === 'staff')) navigate(homeOf(user), { replace: true });
    else if (mobileHome) navigate(hrefTo(`/m/${user.nodes[0] ?? ''}`), { replace: true });
  }, [goesHome, mobileHome, mobile, user]);

  const failed = [version, catalog, org].find((q) => q.isError);
  if (failed) return <ErrorState error={failed.error} retry={() => void failed.refetch()} />;
  if (
    version.isPending ||
    catalog.isPending ||
    org.isPending ||
    goesHome ||
    mobileHome ||
    (mobile && user.role === 'staff')
  )
    return <Loading height={400} />;
  if (mobile) {
    return (
      <ErrorBoundary resetKey={`m/${node}`}>
        <Suspense fallback={<Loading height={400} />}>
          <MobileReport node={node!} user={user} />
        </Suspense>
      </ErrorBoundary>
    );
  }
  if (!view || !node)
    return (
      <Shell user={user} view={null} node={null}>
        <p className="state">{t('notFound')}</p>
      </Shell>
    );
  const View = LAZY_VIEWS[view];
  return (
    <Shell user={user} view={view} node={node}>
      <ErrorBoundary resetKey={`${view}/${node}`}>
        <Suspense fallback={<Loading height={400} />}>
          <View node={node} />
        </Suspense>
      </ErrorBoundary>
    </Shell>
  );
}
