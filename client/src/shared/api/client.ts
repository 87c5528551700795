// The one fetch wrapper: adds the token, turns error bodies into ApiError, signs out on 401.
import type { ErrorBody } from '../../../../server/src/contract/api.ts';
import type { AppContext, LoginResponse } from '../../../../server/src/contract/auth.ts';
import { getSession, setSession, type Session, type SessionUser } from './session.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
    /** 202 (a forecast being computed): seconds until it is worth asking again. */
    readonly retryAfter?: number,
    /** 409 on a write: the lines that changed since they were read. */
    readonly conflicts?: ErrorBody['error']['conflicts'],
  ) {
    super(message);
  }
}

/** "Being computed, ask again": the query retries after Retry-After (main.tsx) and shows it meanwhile. */
export const isPending = (error: unknown): error is ApiError =>
  error instanceof ApiError && error.status === 202;

type Params = Record<string, string | number | undefined>;

export function apiUrl(path: string, params: Params = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') query.set(key, String(value));
  const qs = query.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

async function request<T>(url: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  // A request that brings its own token (a kiosk signing in) is not the session's business.
  const session = headers.has('Authorization') ? null : getSession();
  if (session) headers.set('Authorization', `Bearer ${session.token}`);
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers });
  } catch {
    throw new ApiError(0, 'network', 'the server cannot be reached');
  }
  if (res.status === 204) return undefined as T;
  if (res.status === 202) {
    const body = (await res.json().catch(() => null)) as Partial<ErrorBody> | null;
    // Accepted, with an answer (a report run started): not the "being computed, ask again" refusal.
    if (body && typeof body === 'object' && !('error' in body)) return body as T;
    throw new ApiError(
      202,
      body?.error?.code ?? 'pending',
      body?.error?.message ?? 'being computed',
      undefined,
      Number(res.headers.get('Retry-After')) || 5,
    );
  }
  if (res.ok) return (await res.json()) as T;
  const body = (await res.json().catch(() => null)) as Partial<ErrorBody> | null;
  // Sign out only if this request's token is still the current one: a 401 for the last user's
  // token, answered after someone signed in again, must not sign the new user out.
  if (res.status === 401 && session && getSession()?.token === session.token) setSession(null);
  throw new ApiError(
    res.status,
    body?.error?.code ?? 'http_error',
    body?.error?.message ?? res.statusText,
    body?.error?.param,
    undefined,
    body?.error?.conflicts,
  );
}

export function apiGet<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
  return request<T>(apiUrl(path, params), { signal });
}

/** A write: JSON in, JSON out. */
export function apiSend<T>(method: 'POST' | 'PATCH' | 'PUT', path: string, body: unknown): Promise<T> {
  return request<T>(apiUrl(path), {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A delete: nothing in, nothing out (204). */
export function apiDelete(path: string): Promise<void> {
  return request<void>(apiUrl(path), { method: 'DELETE' });
}

/** Revokes the token on the server (the request is made with it before the session is dropped). */
export function logout(): void {
  void request('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
  setSession(null);
}

/** The session, and what every page needs first (the answers of /version, /metrics and /org). */
export async function login(
  username: string,
  password: string,
): Promise<{ session: Session; context: AppContext }> {
  const body = await request<LoginResponse>('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return {
    session: { token: body.token, expiresAt: Date.now() + body.expires_in * 1000, user: body.user },
    context: body.context,
  };
}

/** Kiosk tokens do not expire on the client: the server refuses them when revoked or expired. */
const KIOSK_SESSION_MS = 10 * 365 * 86_400_000;

/** A wall screen's session from a kiosk token (from the wall's URL), once the server has accepted it. */
export async function kioskSession(token: string): Promise<Session> {
  const user = await request<SessionUser>('/api/me', { headers: { Authorization: `Bearer ${token}` } });
  if (!user.kiosk) throw new ApiError(400, 'not_a_kiosk', 'this token is not a kiosk token');
  return { token, expiresAt: Date.now() + KIOSK_SESSION_MS, user };
}
