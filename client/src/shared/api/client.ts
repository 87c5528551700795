// The one fetch wrapper: adds the token, turns error bodies into ApiError, signs out on 401.
import { getSession, setSession, type Session } from './session.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

type Params = Record<string, string | number | undefined>;

export function apiUrl(path: string, params: Params = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, String(value));
  const qs = query.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

async function request<T>(url: string, init: RequestInit = {}): Promise<T> {
  const session = getSession();
  const headers = new Headers(init.headers);
  if (session) headers.set('Authorization', `Bearer ${session.token}`);
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers });
  } catch {
    throw new ApiError(0, 'network', 'the server cannot be reached');
  }
  if (res.ok) return (await res.json()) as T;
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; param?: string } } | null;
  // Sign out only if this request's token is still the current one: a 401 for the last user's
  // token, answered after someone signed in again, must not sign the new user out.
  if (res.status === 401 && session && getSession()?.token === session.token) setSession(null);
  throw new ApiError(res.status, body?.error?.code ?? 'http_error', body?.error?.message ?? res.statusText, body?.error?.param);
}

export function apiGet<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
  return request<T>(apiUrl(path, params), { signal });
}

/** A write: JSON in, JSON out. */
export function apiSend<T>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T> {
  return request<T>(apiUrl(path), { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

export async function login(username: string, password: string): Promise<Session> {
  const body = await request<{ token: string; expires_in: number; user: Session['user'] }>('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return { token: body.token, expiresAt: Date.now() + body.expires_in * 1000, user: body.user };
}
