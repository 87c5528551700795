// Users, their roles and what they are granted: org nodes (with all descendants) and metric
// domains. Stored in app.users with scrypt password hashes.
import type { Knex } from 'knex';
import { METRIC_DOMAINS, type MetricDomain } from '../contract/metric-ids.ts';
import type { User as ContractUser } from '../contract/auth.ts';
import { ROLES, type Role } from '../contract/vocabulary.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

/** A user as the API gives it (contract/auth.ts). */
export type User = ContractUser;

/** The org level a role's nodes must be at; finance and special grants may name any node. */
const ROLE_LEVEL: Partial<Record<Role, string>> = {
  group: 'group',
  division: 'division',
  region: 'region',
  store: 'store',
};

/** Finance staff see turnover, cash flow and credit risk: the finance and inventory domains. */
export const DEFAULT_DOMAINS: Record<Role, readonly MetricDomain[]> = {
  group: METRIC_DOMAINS,
  division: METRIC_DOMAINS,
  region: METRIC_DOMAINS,
  store: METRIC_DOMAINS,
  finance: ['finance', 'inventory'],
  special: [],
};

export class UserError extends Error {}

export interface NewUser {
  username: string;
  password: string;
  role: string;
  nodes: string[];
  domains?: string[];
}

export async function addUser(knex: Knex, input: NewUser): Promise<User> {
  if (!/^[a-z0-9][a-z0-9._-]{1,39}$/.test(input.username))
    throw new UserError('username must be 2–40 lowercase letters, digits, . _ or -');
  if (input.password.length < 8) throw new UserError('password must be at least 8 characters');
  if (!(ROLES as readonly string[]).includes(input.role))
    throw new UserError(`role must be one of ${ROLES.join(', ')}`);
  const role = input.role as Role;
  if (input.nodes.length === 0) throw new UserError('at least one node is required');
  const domains = input.domains ?? [...DEFAULT_DOMAINS[role]];
  const unknownDomains = domains.filter((d) => !(METRIC_DOMAINS as readonly string[]).includes(d));
  if (unknownDomains.length)
    throw new UserError(
      `unknown domain ${unknownDomains.join(', ')} (domains: ${METRIC_DOMAINS.join(', ')})`,
    );
  if (domains.length === 0) throw new UserError(`role ${role} needs --domains`);
  const found = await knex('dim_org').whereIn('node_id', input.nodes).select('node_id', 'level');
  for (const node of input.nodes) {
    const row = found.find((f) => f.node_id === node);
    if (!row) throw new UserError(`unknown node ${node}`);
    const level = ROLE_LEVEL[role];
    if (level && row.level !== level)
      throw new UserError(`a ${role} user's nodes must be ${level} nodes; ${node} is a ${row.level}`);
  }
  if (await knex('app.users').where({ username: input.username }).first())
    throw new UserError(`user ${input.username} already exists`);
  await knex('app.users').insert({
    username: input.username,
    password_hash: await hashPassword(input.password),
    role,
    nodes: knex.raw('?::VARCHAR[]', [input.nodes]),
    domains: knex.raw('?::VARCHAR[]', [domains]),
  });
  return { username: input.username, role, nodes: input.nodes, domains: domains as MetricDomain[] };
}

export async function removeUser(knex: Knex, username: string): Promise<boolean> {
  return (await knex('app.users').where({ username }).del()) > 0;
}

export async function listUsers(knex: Knex): Promise<User[]> {
  return knex('app.users').select('username', 'role', 'nodes', 'domains').orderBy('username');
}

export async function findUser(knex: Knex, username: string): Promise<User | null> {
  return (await knex('app.users').where({ username }).first('username', 'role', 'nodes', 'domains')) ?? null;
}

/** The user, when the password is theirs; null otherwise (same answer for unknown users). */
export async function authenticate(knex: Knex, username: string, password: string): Promise<User | null> {
  const row = await knex('app.users').where({ username }).first();
  // Hash anyway for unknown users, so timing does not tell which usernames exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return row && ok
    ? { username: row.username, role: row.role, nodes: row.nodes, domains: row.domains }
    : null;
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
