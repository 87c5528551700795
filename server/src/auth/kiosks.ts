// Kiosk tokens: what a wall screen in an operations room signs in with, so no one has to log in
// at the screen. A kiosk token is long-lived but revocable, read-only, bound to org nodes (all
// metric domains), and accepted only by the endpoints the wall reads (KIOSK_ENDPOINTS).
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { METRIC_DOMAINS } from '../contract/metric-ids.ts';
import type { Role } from '../contract/vocabulary.ts';
import { UserError, type User } from './users.ts';

/** GET endpoints a kiosk token opens: what /wall shows. Everything else answers 403. */
export const KIOSK_ENDPOINTS = [
  '/api/me',
  '/api/metrics',
  '/api/org',
  '/api/kpi',
  '/api/breakdown',
  '/api/timeseries',
  '/api/rank',
  '/api/alerts',
  '/api/landing',
  '/api/forecast',
] as const;

const PREFIX = 'kiosk_';
export const DEFAULT_KIOSK_DAYS = 365;

export interface Kiosk {
  name: string;
  nodes: string[];
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export const isKioskToken = (token: string) => token.startsWith(PREFIX);
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a kiosk and returns its token: shown once, only its hash is stored. */
export async function createKiosk(
  knex: Knex,
  input: { name: string; nodes: string[]; days?: number },
  now = new Date(),
): Promise<{ kiosk: Kiosk; token: string }> {
  if (!/^[a-z0-9][a-z0-9._-]{1,39}$/.test(input.name))
    throw new UserError('kiosk name must be 2–40 lowercase letters, digits, . _ or -');
  const days = input.days ?? DEFAULT_KIOSK_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 3660)
    throw new UserError('--days must be a whole number of days, 1–3660');
  if (input.nodes.length === 0) throw new UserError('at least one node is required');
  const found = (await knex('dim_org').whereIn('node_id', input.nodes).select('node_id', 'level')) as {
    node_id: string;
    level: string;
  }[];
  for (const node of input.nodes)
    if (!found.some((f) => f.node_id === node)) throw new UserError(`unknown node ${node}`);
  // The kiosk sees what a manager of these nodes sees, so they must be one level (one role).
  if (new Set(found.map((f) => f.level)).size > 1)
    throw new UserError("a kiosk's nodes must all be of one level");
  if (await active(knex).where({ name: input.name }).first())
    throw new UserError(`kiosk ${input.name} already exists; revoke it first`);
  const token = PREFIX + randomBytes(32).toString('base64url');
  const kiosk: Kiosk = {
    name: input.name,
    nodes: input.nodes,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + days * 86_400_000).toISOString(),
    revoked_at: null,
  };
  await knex('app.kiosks').insert({
    ...kiosk,
    token_hash: hashOf(token),
    nodes: knex.raw('?::VARCHAR[]', [input.nodes]),
  });
  return { kiosk, token };
}

/** Revokes the kiosk's token at once; false when there is no such kiosk in use. */
export async function revokeKiosk(knex: Knex, name: string, now = new Date()): Promise<boolean> {
  return (await active(knex).where({ name }).update({ revoked_at: now.toISOString() })) > 0;
}

export async function listKiosks(knex: Knex): Promise<Kiosk[]> {
  return knex('app.kiosks')
    .orderBy(['name', 'created_at'])
    .select('name', 'nodes', 'created_at', 'expires_at', 'revoked_at');
}

/** The kiosk's identity as a read-only user of its nodes' level; null if unknown, revoked or expired. */
export async function findKiosk(knex: Knex, token: string, now = new Date()): Promise<User | null> {
  const row = await active(knex)
    .where({ token_hash: hashOf(token) })
    .where('expires_at', '>', now.toISOString())
    .first('name', 'nodes');
  if (!row) return null;
  const level = (await knex('dim_org').where('node_id', row.nodes[0]).first('level'))?.level as
    Role | undefined;
  if (!level) return null;
  return {
    username: `kiosk:${row.name}`,
    role: level,
    nodes: row.nodes,
    domains: [...METRIC_DOMAINS],
    kiosk: true,
  };
}

const active = (knex: Knex) => knex('app.kiosks').whereNull('revoked_at');
