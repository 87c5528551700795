import { randomBytes } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { loginBody, type AppContext } from '../contract/auth.ts';
import { HttpError } from '../errors.ts';
import type { DataVersionState } from '../scope/data-version-state.ts';
import { Scope } from '../scope/scope.ts';
import { LoginGuard } from './login-guard.ts';
import { issueToken, verifyToken, type TokenClaims } from './tokens.ts';
import { findKiosk, isKioskToken, KIOSK_ENDPOINTS } from './kiosks.ts';
import { authenticate, findUser, type User } from './users.ts';

export interface AuthConfig {
  secret: string;
  ttlSeconds: number;
}

/** The token signing secret: AUTH_SECRET if set, else one generated once and kept in app.settings. */
export async function loadAuthConfig(
  knex: Knex,
  config: Pick<Config, 'authSecret' | 'tokenTtlHours'>,
): Promise<AuthConfig> {
  const ttlSeconds = Math.round(config.tokenTtlHours * 3600);
  // Logged-out tokens past their expiry need no keeping.
  await knex('app.revoked_tokens').where('expires_at', '<', new Date().toISOString()).del();
  if (config.authSecret) return { secret: config.authSecret, ttlSeconds };
  const stored = await knex('app.settings').where({ key: 'token_secret' }).first('value');
  if (stored) return { secret: stored.value, ttlSeconds };
  const secret = randomBytes(32).toString('hex');
  await knex('app.settings').insert({ key: 'token_secret', value: secret });
  return { secret, ttlSeconds };
}

export function authRoutes(
  knex: Knex,
  config: AuthConfig,
  signedIn: RequestHandler,
  identities: Identities,
  /** What the app needs before any page (the answers of /version, /metrics and /org), for a user. */
  appContext: (user: User) => Promise<AppContext>,
  guard = new LoginGuard(),
): Router {
  const router = Router();
  // Who the token belongs to: a kiosk learns its nodes here (a person learns them at login).
  router.get('/me', signedIn, (_req, res) => void res.json(res.locals.scope.user));
  router.post('/auth/login', async (req, res) => {
    const body = loginBody.safeParse(req.body);
    if (!body.success)
      throw new HttpError(400, 'invalid_body', 'expected {"username": "…", "password": "…"}', 'body');
    const { username, password } = body.data;
    const address = req.ip ?? '-';
    guard.attempt(username, address);
    const readAt = identities.generation;
    const user = await authenticate(knex, username, password);
    if (!user) throw new HttpError(401, 'bad_credentials', 'wrong username or password');
    guard.succeeded(username, address);
    const context = await appContext(user);
    const token = issueToken(user.username, config.secret, config.ttlSeconds);
    // The page's first requests with it need not look the user or the token up again.
    identities.signedIn(user, verifyToken(token, config.secret)!.jti, readAt);
    res.json({ token, expires_in: config.ttlSeconds, user, context });
  });
  // Logging out revokes this token (until it would have expired); the user's other sessions stay.
  router.post('/auth/logout', signedIn, async (_req, res) => {
    const claims = res.locals.token;
    if (!claims) throw new HttpError(400, 'not_a_session', 'only a sign-in token can log out');
    await knex('app.revoked_tokens')
      .insert({
        jti: claims.jti,
        username: claims.sub,
        revoked_at: new Date().toISOString(),
        expires_at: new Date(claims.exp * 1000).toISOString(),
      })
      .onConflict('jti')
      .ignore();
    identities.forget();
    res.status(204).end();
  });
  return router;
}

/**
 * How long a looked-up user or kiosk is reused. Changes made through the server (its admin
 * socket) call forget() and apply at once; any other change applies within this time.
 */
const IDENTITY_TTL_MS = 5000;

/** Users, kiosks and logged-out tokens, briefly remembered so a busy wall does not read app tables per request. */
export class Identities {
  /** Lookups by key, kept from when they began: requests that arrive together share one. */
  private readonly recent = new Map<string, { value: Promise<unknown>; at: number }>();

  constructor(private readonly knex: Knex) {}

  user(username: string): Promise<User | null> {
    return this.remembered(`user:${username}`, () => findUser(this.knex, username));
  }

  kiosk(token: string): Promise<User | null> {
    return this.remembered(`kiosk:${token}`, () => findKiosk(this.knex, token));
  }

  /** Whether the sign-in token with this id was revoked by logging out. */
  revoked(jti: string): Promise<boolean> {
    return this.remembered(
      `revoked:${jti}`,
      async () => (await this.knex('app.revoked_tokens').where({ jti }).first('jti')) !== undefined,
    );
  }

  /** Bumped by forget(): what was read before a change must not be remembered after it. */
  generation = 0;

  /**
   * A user who has just signed in (read when `generation` was as given), and their new token:
   * known, and not logged out. The user is not remembered if users changed since it was read.
   */
  signedIn(user: User, jti: string, readAt: number): void {
    if (readAt === this.generation) this.remembered(`user:${user.username}`, async () => user, true);
    this.remembered(`revoked:${jti}`, async () => false, true);
  }

  /** Call after a change to users, kiosks or logged-out tokens: lookups begun before it are dropped. */
  forget(): void {
    this.generation++;
    this.recent.clear();
  }

  private remembered<T>(key: string, look: () => Promise<T>, fresh = false): Promise<T> {
    const hit = this.recent.get(key);
    if (!fresh && hit && Date.now() - hit.at < IDENTITY_TTL_MS) return hit.value as Promise<T>;
    if (this.recent.size > 10_000) this.recent.clear();
    const value = look();
    const entry = { value, at: Date.now() };
    this.recent.set(key, entry);
    value.catch(() => this.recent.get(key) === entry && this.recent.delete(key));
    return value;
  }
}

declare module 'express-serve-static-core' {
  /** What requireUser puts on a signed-in request's res.locals (every route behind it may rely on it). */
  interface Locals {
    scope: Scope;
    /** The sign-in token's claims; none for a kiosk token. */
    token?: TokenClaims;
  }
}

/** Puts the caller's Scope in res.locals.scope, or answers 401 (403 for a kiosk off the wall's endpoints). */
export function requireUser(
  knex: Knex,
  config: AuthConfig,
  identities: Identities,
  data: DataVersionState,
): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/.exec(header);
    if (!match)
      throw new HttpError(401, 'unauthenticated', 'missing bearer token (Authorization: Bearer TOKEN)');
    const token = match[1]!;
    let user: User | null;
    if (isKioskToken(token)) {
      user = await identities.kiosk(token);
      if (!user) throw new HttpError(401, 'invalid_token', 'this kiosk token is unknown, revoked or expired');
      const endpoint = req.baseUrl + req.path;
      if (req.method !== 'GET' || !(KIOSK_ENDPOINTS as readonly string[]).includes(endpoint)) {
        throw new HttpError(
          403,
          'kiosk_not_allowed',
          `a kiosk token only reads what the wall shows, not ${req.method} ${endpoint}`,
        );
      }
    } else {
      const claims = verifyToken(token, config.secret);
      if (!claims)
        throw new HttpError(401, 'invalid_token', 'the token is invalid or has expired; log in again');
      if (await identities.revoked(claims.jti))
        throw new HttpError(401, 'invalid_token', 'this token was logged out; log in again');
      user = await identities.user(claims.sub);
      if (!user) throw new HttpError(401, 'invalid_token', 'the token’s user no longer exists');
      res.locals.token = claims;
    }
    res.locals.scope = new Scope(knex, user, data);
    next();
  };
}
