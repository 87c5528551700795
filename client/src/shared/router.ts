// View state lives in the URL (path = view and node, query = period, compare, language, metric…),
// so any view can be bookmarked and shared. A tiny history-API router is all the app needs.
import { useSyncExternalStore, type MouseEvent } from 'react';
import type { SessionUser } from './api/session.ts';

const NAVIGATE = 'cockpit:navigate';

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE, listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export interface Location {
  path: string[];
  params: URLSearchParams;
  href: string;
}

/** A path with a malformed %-escape: no view has it, so the app says "page not found". */
const UNREADABLE = ['(unreadable)'];

function decodePath(pathname: string): string[] {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return UNREADABLE;
  }
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { path: decodePath(url.pathname), params: url.searchParams, href };
}

/** `keepScroll`: a new history entry that keeps the page where it is (a panel opened over it). */
export function navigate(to: string, options: { replace?: boolean; keepScroll?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE));
  if (!options.replace && !options.keepScroll) window.scrollTo(0, 0);
}

/** Query parameters that follow the user from view to view. */
const STICKY = ['p', 'cmp', 'lang'];

/** A link to `path` that keeps the period, comparison and language, with `set` applied (null removes). */
export function hrefTo(path: string, set: Record<string, string | null | undefined> = {}): string {
  const current = new URLSearchParams(window.location.search);
  const next = new URLSearchParams();
  for (const key of STICKY) {
    const value = current.get(key);
    if (value !== null) next.set(key, value);
  }
  for (const [key, value] of Object.entries(set)) {
    if (value === null || value === undefined) next.delete(key);
    else next.set(key, value);
  }
  const qs = next.toString();
  return `${path.split('/').map(encodeURIComponent).join('/')}${qs ? `?${qs}` : ''}`;
}

/** The same view with some query parameters changed. */
export function withParams(set: Record<string, string | null | undefined>): string {
  const next = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(set)) {
    if (value === null || value === undefined) next.delete(key);
    else next.set(key, value);
  }
  const qs = next.toString();
  return `${window.location.pathname}${qs ? `?${qs}` : ''}`;
}

/** onClick for <a href>: client-side navigation, but a new tab on ctrl/cmd/middle click. */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href')!);
}

/** Where a user lands: finance staff on the finance view, a staff user on their own page, everyone
 *  else on their node's overview. */
export function homeOf(user: SessionUser): string {
  if (user.role === 'staff') return hrefTo(`/person/${user.nodes[0] ?? ''}`, { staff: user.staff_id });
  return hrefTo(`/${user.role === 'finance' ? 'finance' : 'overview'}/${user.nodes[0] ?? ''}`);
}
