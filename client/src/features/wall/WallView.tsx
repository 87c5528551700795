// The wall screen (/wall): a dark 16:9 page for the operations room. It signs in with a kiosk
// token from its URL (or as the signed-in user), rotates through its pages, follows the data
// version by itself, and keeps the last figures with a "stale since" badge when the server is out
// of reach. Sizes are in rem, and the root font size follows the screen (wall.css), so the same
// layout fills 1920×1080 and 3840×2160 alike.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { format } from 'date-fns';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { AppDataProvider, useAppData } from '../../shared/context.ts';
import { useDataVersionWatch } from '../../shared/data-version.ts';
import { navigate, useLocation, withParams } from '../../shared/router.ts';
import { apiGet, ApiError, kioskSession } from '../../shared/api/client.ts';
import {
  forgetKioskRefusal,
  kioskRefused,
  setSession,
  useSession,
  type SessionUser,
} from '../../shared/api/session.ts';
import { useLang, useT } from '../../shared/i18n.ts';
import { parsePeriod, periodLabel, type Period } from '../../shared/period.ts';
import { rotationSeconds, THEMES, wallPages, type WallPage } from './pages.ts';
import { pageQueries, WallBody } from './WallBody.tsx';
import { Ticker } from './Ticker.tsx';
import './wall.css';

/** How often a wall asks for the data version (and so how soon it shows a new load or an outage). */
const POLL_MS = 5000;

/** `signIn`: the sign-in page to show when no one is signed in (the app passes its own). */
export default function WallApp({ signIn }: { signIn: ReactNode }) {
  const session = useSession();
  const token = useLocation().params.get('kiosk');
  const [, refresh] = useState(0);
  useWallMode();
  // After a refused token, someone at the screen may sign in with their own account instead.
  const signInInstead = () => {
    forgetKioskRefusal();
    if (token) navigate(withParams({ kiosk: null }), { replace: true });
    refresh((n) => n + 1);
  };
  if (token) return <KioskSignIn token={token} onSignIn={signInInstead} />;
  if (!session) return kioskRefused() ? <KioskRefused onSignIn={signInInstead} /> : signIn;
  return (
    <AppDataProvider>
      <Wall user={session.user} />
    </AppDataProvider>
  );
}

/** Dark page, and rem units that follow the screen (see wall.css), while the wall is shown. */
function useWallMode() {
  useEffect(() => {
    document.documentElement.classList.add('wall-mode');
    return () => document.documentElement.classList.remove('wall-mode');
  }, []);
}

/** Exchanges the URL's kiosk token for a session, then takes the token out of the address bar. */
function KioskSignIn({ token, onSignIn }: { token: string; onSignIn: () => void }) {
  const t = useT();
  // A server that is not up yet (the screen booted first) is asked again until it answers.
  const signIn = useQuery({
    queryKey: ['kiosk-sign-in', token],
    queryFn: () => kioskSession(token),
    retry: (_, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    retryDelay: POLL_MS,
    gcTime: 0,
  });
  useEffect(() => {
    if (!signIn.data) return;
    setSession(signIn.data);
    navigate(withParams({ kiosk: null }), { replace: true });
  }, [signIn.data]);
  if (signIn.isError) return <KioskRefused onSignIn={onSignIn} />;
  return <WallMessage title={t('connecting')} />;
}

function KioskRefused({ onSignIn }: { onSignIn: () => void }) {
  const t = useT();
  return (
    <WallMessage title={t('kioskRefused')} detail={t('kioskRefusedDetail')} refused>
      <button type="button" className="wall-button" onClick={onSignIn}>
        {t('login')}
      </button>
    </WallMessage>
  );
}

function WallMessage({
  title,
  detail,
  refused,
  children,
}: {
  title: string;
  detail?: string;
  refused?: boolean;
  children?: ReactNode;
}) {
  return (
    <div
      className="wall wall-message"
      data-view="wall"
      data-kiosk-refused={refused ? 'true' : undefined}
      role={refused ? 'alert' : 'status'}
    >
      <h1>{title}</h1>
      {detail && <p>{detail}</p>}
      {children}
    </div>
  );
}

function Wall({ user }: { user: SessionUser }) {
  const t = useT();
  const lang = useLang();
  const { params } = useLocation();
  const { version, catalog, org, metrics, orgIndex } = useAppData();
  const watch = useDataVersionWatch({ everyMs: POLL_MS, retry: false });
  useSessionCheck();
  const root = params.get('node') ?? user.nodes[0] ?? '';
  const seconds = rotationSeconds(params.get('rotate'));
  const tour = params.get('tour') !== '0';
  const map = params.get('map');
  const pages = useMemo(
    () =>
      wallPages(
        root,
        orgIndex
          .children(root)
          .filter((n) => n.in_scope)
          .map((n) => n.node_id),
        { visible: (id) => metrics.has(id), tour, map },
      ),
    [root, orgIndex, metrics, tour, map],
  );
  const [index, paused] = useRotation(pages.length, seconds);
  const dataTo = version.data?.period_to ?? format(new Date(), 'yyyy-MM-dd');
  const dataFrom = version.data?.data_from ?? dataTo;
  const period = useMemo(() => parsePeriod(null, dataFrom, dataTo), [dataFrom, dataTo]);

  if (!version.data || !catalog.data || !org.data) {
    const failed = [version, catalog, org].find((q) => q.isError);
    return <WallMessage title={failed ? String((failed.error as Error).message) : t('connecting')} />;
  }
  const page = pages[index];
  if (!page) return <WallMessage title={t('noAccess')} />;
  // Month to date: the month of the last day with data, labelled with the days it holds when it is not complete (2026年10月1–15日).
  const periodText = periodLabel(period, lang);

  return (
    <div className="wall" data-view="wall" data-page={page.key} data-run={version.data.run_id ?? ''}>
      <header className="wall-header">
        <div className="wall-brand">
          <span className="logo" aria-hidden="true" />
          <span>{orgIndex.name(root, lang)}</span>
          <span className="wall-sub">{t('wall')}</span>
        </div>
        <h1 className="wall-title">
          {page.node !== root && <span className="wall-unit">{orgIndex.name(page.node, lang)} · </span>}
          {t(THEMES[page.theme].title)}
          <span className="wall-period">{periodText}</span>
        </h1>
        <div className="wall-status">
          {watch.isError && (
            <span className="stale-badge" role="status" data-stale-since={watch.dataUpdatedAt}>
              {t('staleSince', { time: format(new Date(watch.dataUpdatedAt), 'HH:mm') })}
            </span>
          )}
          <span className="wall-asof">{t('wallDataAsOf', { date: dataTo })}</span>
          <Clock />
        </div>
      </header>
      <WallBody key={page.key} page={page} period={period} />
      <footer className="wall-footer">
        <Ticker node={page.node} />
        <PageDots pages={pages} index={index} seconds={seconds} paused={paused} />
      </footer>
      <Prefetch page={pages[(index + 1) % pages.length]} period={period} />
    </div>
  );
}

/**
 * Asks the server who this token belongs to as often as the version: a revoked kiosk token then
 * answers 401 within seconds, the session ends (api client) and the wall stops showing figures.
 */
function useSessionCheck() {
  useQuery({
    queryKey: ['me'],
    queryFn: ({ signal }) => apiGet<SessionUser>('/me', undefined, signal),
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: true,
    retry: false,
  });
}

/** The page shown: advances every `seconds` (0: stays); ← → step through pages, space pauses. */
function useRotation(count: number, seconds: number): [number, boolean] {
  const [index, setIndex] = useState(0);
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (seconds === 0 || paused || count < 2) return;
    const timer = setInterval(() => setIndex((i) => (i + 1) % count), seconds * 1000);
    return () => clearInterval(timer);
  }, [count, seconds, paused, index]); // a manual step restarts the page's time
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowRight') setIndex((i) => (i + 1) % count);
      else if (e.key === 'ArrowLeft') setIndex((i) => (i - 1 + count) % count);
      else if (e.key === ' ') setPaused((p) => !p);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [count]);
  return [count ? index % count : 0, paused];
}

/** Loads the next page's figures while this one shows, so a rotation never waits on the network. */
function Prefetch({ page, period }: { page: WallPage | undefined; period: Period }) {
  const queryClient = useQueryClient();
  const { orgIndex } = useAppData();
  useEffect(() => {
    if (!page) return;
    const q = pageQueries(page, period, orgIndex.byId.get(page.node)?.level === 'store');
    void queryClient.prefetchQuery(q.kpi);
    void queryClient.prefetchQuery(q.provinces);
    void queryClient.prefetchQuery(q.trend);
    // A landing refused once (a kiosk token, see WallBody) is not asked again until the next load.
    if (q.landing.enabled && queryClient.getQueryState(q.landing.queryKey)?.status !== 'error')
      void queryClient.prefetchQuery(q.landing);
    if (q.ranking.enabled) void queryClient.prefetchQuery(q.ranking);
    else void queryClient.prefetchQuery(q.peerRank);
  }, [page, period, orgIndex, queryClient]);
  return null;
}

function PageDots({
  pages,
  index,
  seconds,
  paused,
}: {
  pages: WallPage[];
  index: number;
  seconds: number;
  paused: boolean;
}) {
  const t = useT();
  const lang = useLang();
  const { orgIndex } = useAppData();
  return (
    <div className="page-dots" aria-label={paused ? t('wallPaused') : undefined}>
      {pages.map((p, i) => (
        <span
          key={p.key}
          className={i === index ? 'dot current' : 'dot'}
          title={`${orgIndex.name(p.node, lang)} · ${t(THEMES[p.theme].title)}`}
        >
          {i === index && seconds > 0 && !paused && (
            <span className="dot-progress" style={{ animationDuration: `${seconds}s` }} />
          )}
        </span>
      ))}
      {paused && <span className="paused">{t('wallPaused')}</span>}
    </div>
  );
}

function Clock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time className="wall-clock" dateTime={now.toISOString()}>
      {format(now, 'HH:mm:ss')}
    </time>
  );
}
