// The signed-in user's token, kept in localStorage so a bookmarked link opens signed in until the
// token expires. The server decides what the user may see; this only remembers who they are.
import { useSyncExternalStore } from 'react';

export type Role = 'group' | 'division' | 'region' | 'store' | 'finance' | 'special';

export interface SessionUser {
  username: string;
  role: Role;
  nodes: string[];
  domains: string[];
}

export interface Session {
  token: string;
  expiresAt: number;
  user: SessionUser;
}

const KEY = 'cockpit.session';
const listeners = new Set<() => void>();
let current: Session | null = null;
let expiry: ReturnType<typeof setTimeout> | undefined;
setSession(read());

function read(): Session | null {
  try {
    const session = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    return session && session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

/** The session as it stands: no side effects, since React reads it while rendering. */
export function getSession(): Session | null {
  return current;
}

export function setSession(session: Session | null): void {
  current = session;
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  clearTimeout(expiry);
  if (session) signOutWhenExpired(session);
  for (const listener of listeners) listener();
}

/** Signs out when the token expires (not when someone next reads the session, which may be a render). */
function signOutWhenExpired(session: Session): void {
  // A timer waits at most about 24.8 days: a longer token waits in steps.
  expiry = setTimeout(() => {
    if (current !== session) return;
    if (session.expiresAt <= Date.now()) setSession(null);
    else signOutWhenExpired(session);
  }, Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1));
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession);
}
