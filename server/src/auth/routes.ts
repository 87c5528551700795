import { randomBytes } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { HttpError } from '../http/errors.ts';
import { Scope } from '../scope/scope.ts';
import { issueToken, verifyToken } from './tokens.ts';
import { authenticate, findUser, type User } from './users.ts';

export interface AuthConfig {
  secret: string;
  ttlSeconds: number;
}

/** The token signing secret: AUTH_SECRET if set, else one generated once and kept in app.settings. */
export async function loadAuthConfig(knex: Knex): Promise<AuthConfig> {
  const hours = Number(process.env.TOKEN_TTL_HOURS || 12);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error(`TOKEN_TTL_HOURS must be a positive number of hours, not "${process.env.TOKEN_TTL_HOURS}"`);
  const ttlSeconds = Math.round(hours * 3600);
  if (process.env.AUTH_SECRET) return { secret: process.env.AUTH_SECRET, ttlSeconds };
  const stored = await knex('app.settings').where({ key: 'token_secret' }).first('value');
  if (stored) return { secret: stored.value, ttlSeconds };
  const secret = randomBytes(32).toString('hex');
  await knex('app.settings').insert({ key: 'token_secret', value: secret });
  return { secret, ttlSeconds };
}

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict();

export function authRoutes(knex: Knex, config: AuthConfig): Router {
  const router = Router();
  router.post('/auth/login', async (req, res) => {
    const body = loginBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'invalid_body', 'expected {"username": "…", "password": "…"}', 'body');
    const user = await authenticate(knex, body.data.username, body.data.password);
    if (!user) throw new HttpError(401, 'bad_credentials', 'wrong username or password');
    res.json({ token: issueToken(user.username, config.secret, config.ttlSeconds), expires_in: config.ttlSeconds, user });
  });
  return router;
}

/** How long a looked-up user is reused: users change only through the CLI, with the server stopped. */
const USER_TTL_MS = 5000;

/** Puts the caller's Scope in res.locals.scope, or answers 401. */
export function requireUser(knex: Knex, config: AuthConfig): RequestHandler {
  const recent = new Map<string, { user: User | null; at: number }>();
  const lookUp = async (username: string) => {
    const hit = recent.get(username);
    if (hit && Date.now() - hit.at < USER_TTL_MS) return hit.user;
    const user = await findUser(knex, username);
    if (recent.size > 10_000) recent.clear();
    recent.set(username, { user, at: Date.now() });
    return user;
  };
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/.exec(header);
    if (!match) throw new HttpError(401, 'unauthenticated', 'missing bearer token (Authorization: Bearer TOKEN)');
    const claims = verifyToken(match[1]!, config.secret);
    if (!claims) throw new HttpError(401, 'invalid_token', 'the token is invalid or has expired; log in again');
    const user = await lookUp(claims.sub);
    if (!user) throw new HttpError(401, 'invalid_token', 'the token’s user no longer exists');
    res.locals.scope = new Scope(knex, user);
    next();
  };
}
