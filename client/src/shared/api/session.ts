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
let current: Session | null = read();

function read(): Session | null {
  try {
    const session = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    return session && session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  if (current && current.expiresAt <= Date.now()) setSession(null);
  return current;
}

export function setSession(session: Session | null): void {
  current = session;
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession);
}
