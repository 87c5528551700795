// The signed-in user's token, kept in localStorage so a bookmarked link opens signed in until the
// token expires. The server decides what the user may see; this only remembers who they are.
// A wall screen's kiosk token is kept in sessionStorage instead: it lives in that tab only and
// never replaces a person's session in the same browser.
import { useSyncExternalStore } from 'react';
import type { User } from '../../../../server/src/contract/auth.ts';
import type { Role } from '../../../../server/src/contract/vocabulary.ts';

/** Who signed in, as /api/auth/login and /api/me give it (server/src/contract/auth.ts). */
export type SessionUser = User;
export type { Role };

export interface Session {
  token: string;
  expiresAt: number;
  user: SessionUser;
}

const KEY = 'cockpit.session';
/** Set in the tab when its kiosk token was refused (revoked or expired): the wall says so instead of asking to sign in. */
const KIOSK_REFUSED = 'cockpit.kiosk-refused';
const listeners = new Set<() => void>();
let current: Session | null = null;
let expiry: ReturnType<typeof setTimeout> | undefined;

function read(storage: Storage): Session | null {
  try {
    const session = JSON.parse(storage.getItem(KEY) ?? 'null') as Session | null;
    return session && session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

function storageOf(session: Session): Storage {
  return session.user.kiosk ? sessionStorage : localStorage;
}

export const kioskRefused = () => sessionStorage.getItem(KIOSK_REFUSED) !== null;

/** After a refused kiosk token, someone at the screen chooses to sign in with their own account. */
export const forgetKioskRefusal = () => sessionStorage.removeItem(KIOSK_REFUSED);

/** The session as it stands: no side effects, since React reads it while rendering. */
export function getSession(): Session | null {
  return current;
}

export function setSession(session: Session | null): void {
  const ended = current;
  current = session;
  if (session) {
    storageOf(session).setItem(KEY, JSON.stringify(session));
    sessionStorage.removeItem(KIOSK_REFUSED);
  } else if (ended) {
    storageOf(ended).removeItem(KEY);
    if (ended.user.kiosk) sessionStorage.setItem(KIOSK_REFUSED, '1');
  }
  clearTimeout(expiry);
  if (session) signOutWhenExpired(session);
  for (const listener of listeners) listener();
}

/** Signs out when the token expires (not when someone next reads the session, which may be a render). */
function signOutWhenExpired(session: Session): void {
  // A timer waits at most about 24.8 days: a longer token waits in steps.
  expiry = setTimeout(
    () => {
      if (current !== session) return;
      if (session.expiresAt <= Date.now()) setSession(null);
      else signOutWhenExpired(session);
    },
    Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1),
  );
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession);
}

// Last, once everything it calls is defined: the session this tab or browser was left with.
setSession(read(sessionStorage) ?? read(localStorage));
