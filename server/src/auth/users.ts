// Users, their roles and what they are granted: org nodes (with all descendants) and metric
// domains. Stored in app.users with scrypt password hashes.
import type { Knex } from 'knex';
import { METRIC_DOMAINS, type MetricDomain } from '../contract/metric-ids.ts';
import type { User as ContractUser } from '../contract/auth.ts';
import { ROLES, type Role, type StaffRole } from '../contract/vocabulary.ts';
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

/** Finance staff see turnover, cash flow and credit risk: the finance and inventory domains. A
 *  staff user's default follows their job (staffDomains). */
export const DEFAULT_DOMAINS: Record<Exclude<Role, 'staff'>, readonly MetricDomain[]> = {
  group: METRIC_DOMAINS,
  division: METRIC_DOMAINS,
  region: METRIC_DOMAINS,
  store: METRIC_DOMAINS,
  finance: ['finance', 'inventory'],
  special: [],
};

/** The domains of a person's own figures: after-sales for a service advisor, else sales, F&I and the funnel. */
const staffDomains = (job: StaffRole): MetricDomain[] =>
  job === 'service_advisor' ? ['aftersales'] : ['sales', 'fi', 'funnel'];

export class UserError extends Error {}

export interface NewUser {
  username: string;
  password: string;
  role: string;
  /** Role staff: their store, if given, must be the person's (it is taken from staff.csv). */
  nodes: string[];
  domains?: string[];
  /** Role staff only: the person (a staff_id of staff.csv). */
  staff?: string;
  /** What tasks and the board call them (a staff user's name comes from staff.csv). */
  name?: string;
  /** Where their reports are delivered: an e-mail address, their WeCom and DingTalk user ids. */
  email?: string;
  wecom?: string;
  dingtalk?: string;
}

/** A user's delivery addresses (none of them part of the signed-in user). */
export interface Contacts {
  email: string | null;
  wecom_id: string | null;
  dingtalk_id: string | null;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@.]{2,63}$/;
/** WeCom and DingTalk user ids: letters, digits and . _ @ - (as their admin consoles allow). */
const IM_ID = /^[A-Za-z0-9._@-]{1,64}$/;

function contactsOf(input: Pick<NewUser, 'email' | 'wecom' | 'dingtalk'>): Contacts {
  if (input.email !== undefined && !EMAIL.test(input.email))
    throw new UserError(`--email: "${input.email}" is not an e-mail address like name@example.com`);
  if (input.wecom !== undefined && !IM_ID.test(input.wecom))
    throw new UserError(
      `--wecom: "${input.wecom}" is not a WeCom user id (letters, digits, . _ @ -; up to 64)`,
    );
  if (input.dingtalk !== undefined && !IM_ID.test(input.dingtalk))
    throw new UserError(
      `--dingtalk: "${input.dingtalk}" is not a DingTalk user id (letters, digits, . _ @ -; up to 64)`,
    );
  return { email: input.email ?? null, wecom_id: input.wecom ?? null, dingtalk_id: input.dingtalk ?? null };
}

/** The delivery addresses of some users, by username. */
export async function userContacts(knex: Knex, usernames: readonly string[]): Promise<Map<string, Contacts>> {
  const rows = (await knex('app.users')
    .whereIn('username', usernames)
    .select('username', 'email', 'wecom_id', 'dingtalk_id')) as (Contacts & { username: string })[];
  return new Map(rows.map(({ username, ...contacts }) => [username, contacts]));
}

export async function addUser(knex: Knex, input: NewUser): Promise<User> {
  if (!/^[a-z0-9][a-z0-9._-]{1,39}$/.test(input.username))
    throw new UserError('username must be 2–40 lowercase letters, digits, . _ or -');
  if (input.password.length < 8) throw new UserError('password must be at least 8 characters');
  if (!(ROLES as readonly string[]).includes(input.role))
    throw new UserError(`role must be one of ${ROLES.join(', ')}`);
  const role = input.role as Role;
  if ((role === 'staff') !== (input.staff !== undefined))
    throw new UserError(
      role === 'staff' ? 'a staff user needs --staff ID' : '--staff is for role staff only',
    );
  const person = input.staff === undefined ? undefined : await staffMember(knex, input.staff);
  const nodes = person ? [person.store_id] : input.nodes;
  if (person && input.nodes.some((n) => n !== person.store_id))
    throw new UserError(`staff ${person.staff_id} works at ${person.store_id}, not ${input.nodes.join(',')}`);
  if (nodes.length === 0) throw new UserError('at least one node is required');
  const domains =
    input.domains ??
    (person ? staffDomains(person.role) : [...DEFAULT_DOMAINS[role as Exclude<Role, 'staff'>]]);
  const unknownDomains = domains.filter((d) => !(METRIC_DOMAINS as readonly string[]).includes(d));
  if (unknownDomains.length)
    throw new UserError(
      `unknown domain ${unknownDomains.join(', ')} (domains: ${METRIC_DOMAINS.join(', ')})`,
    );
  if (domains.length === 0) throw new UserError(`role ${role} needs --domains`);
  const found = await knex('dim_org').whereIn('node_id', nodes).select('node_id', 'level');
  for (const node of nodes) {
    const row = found.find((f) => f.node_id === node);
    if (!row) throw new UserError(`unknown node ${node}`);
    const level = ROLE_LEVEL[role];
    if (level && row.level !== level)
      throw new UserError(`a ${role} user's nodes must be ${level} nodes; ${node} is a ${row.level}`);
  }
  const contacts = contactsOf(input);
  // A staff user is called by their name in staff.csv unless told otherwise.
  const displayName = input.name?.trim() || person?.name || null;
  if (person && (await knex('app.users').where({ staff_id: person.staff_id }).first('username')))
    throw new UserError(`staff ${person.staff_id} is a user already`);
  if (await knex('app.users').where({ username: input.username }).first())
    throw new UserError(`user ${input.username} already exists`);
  await knex('app.users').insert({
    username: input.username,
    password_hash: await hashPassword(input.password),
    role,
    nodes: knex.raw('?::VARCHAR[]', [nodes]),
    domains: knex.raw('?::VARCHAR[]', [domains]),
    staff_id: person?.staff_id ?? null,
    display_name: displayName,
    ...contacts,
  });
  return {
    username: input.username,
    role,
    nodes,
    domains: domains as MetricDomain[],
    ...(person ? { staff_id: person.staff_id } : {}),
    ...(displayName ? { display_name: displayName } : {}),
  };
}

async function staffMember(
  knex: Knex,
  staffId: string,
): Promise<{ staff_id: string; store_id: string; role: StaffRole; name: string }> {
  const person = await knex('dim_staff')
    .where({ staff_id: staffId })
    .first('staff_id', 'store_id', 'role', 'name');
  if (!person) throw new UserError(`unknown staff ${staffId} (not in the loaded staff.csv)`);
  return person;
}

/** A user row as the API gives it: staff_id only for a staff user. */
const asUser = (row: {
  username: string;
  role: Role;
  nodes: string[];
  domains: MetricDomain[];
  staff_id: string | null;
  display_name: string | null;
}): User => ({
  username: row.username,
  role: row.role,
  nodes: row.nodes,
  domains: row.domains,
  ...(row.staff_id ? { staff_id: row.staff_id } : {}),
  ...(row.display_name ? { display_name: row.display_name } : {}),
});
const USER_COLUMNS = ['username', 'role', 'nodes', 'domains', 'staff_id', 'display_name'] as const;

export async function removeUser(knex: Knex, username: string): Promise<boolean> {
  return (await knex('app.users').where({ username }).del()) > 0;
}

export async function listUsers(knex: Knex): Promise<User[]> {
  return (
    await knex('app.users')
      .select(...USER_COLUMNS)
      .orderBy('username')
  ).map(asUser);
}

export async function findUser(knex: Knex, username: string): Promise<User | null> {
  const row = await knex('app.users')
    .where({ username })
    .first(...USER_COLUMNS);
  return row ? asUser(row) : null;
}

/** The user, when the password is theirs; null otherwise (same answer for unknown users). */
export async function authenticate(knex: Knex, username: string, password: string): Promise<User | null> {
  const row = await knex('app.users').where({ username }).first();
  // Hash anyway for unknown users, so timing does not tell which usernames exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return row && ok ? asUser(row) : null;
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
