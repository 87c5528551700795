// Who may do what with a subscription. Group users subscribe any users in their scope (or every
// user of a role under a node in it) to the report of a node in their scope; division, region,
// store and finance users subscribe only themselves, to a node in their scope; staff users and
// special grants subscribe nobody. A subscription is changed by its owner, or by a group user
// whose scope holds its node; its recipients read it.
import type { Knex } from 'knex';
import type { Recipient } from '../contract/subscriptions.ts';
import type { OrgLevel, Role } from '../contract/vocabulary.ts';
import { HttpError } from '../errors.ts';
import type { Scope } from '../scope/scope.ts';

export interface DirectoryUser {
  username: string;
  role: Role;
  nodes: string[];
  display_name: string | null;
  email: string | null;
}

export interface DirectoryNode {
  id: string;
  name: string;
  level: OrgLevel;
}

/** The users and the org tree, read once per request: recipients are expanded against them. */
export class Directory {
  private readonly users: Map<string, DirectoryUser>;
  private readonly nodes: Map<string, DirectoryNode>;
  /** Each node's ancestors, itself included. */
  private readonly above = new Map<string, Set<string>>();

  constructor(
    users: DirectoryUser[],
    nodes: DirectoryNode[],
    closure: { ancestor_id: string; descendant_id: string }[],
  ) {
    this.users = new Map(users.map((u) => [u.username, u]));
    this.nodes = new Map(nodes.map((n) => [n.id, n]));
    for (const c of closure) {
      const set = this.above.get(c.descendant_id) ?? new Set<string>();
      set.add(c.ancestor_id);
      this.above.set(c.descendant_id, set);
    }
  }

  static async load(knex: Knex): Promise<Directory> {
    const [users, nodes, closure] = await Promise.all([
      knex('app.users').select('username', 'role', 'nodes', 'display_name', 'email') as Promise<
        DirectoryUser[]
      >,
      knex('dim_org').select('node_id as id', 'name', 'level') as Promise<DirectoryNode[]>,
      knex('org_closure').select('ancestor_id', 'descendant_id') as Promise<
        { ancestor_id: string; descendant_id: string }[]
      >,
    ]);
    return new Directory(users, nodes, closure);
  }

  user(username: string): DirectoryUser | undefined {
    return this.users.get(username);
  }

  node(id: string): DirectoryNode {
    return this.nodes.get(id) ?? { id, name: id, level: 'store' };
  }

  /** Whether `node` lies at or under one of `roots`. */
  under(node: string, roots: readonly string[]): boolean {
    const above = this.above.get(node);
    return !!above && roots.some((r) => above.has(r));
  }

  /** The users the recipients stand for now, each once, in the order they are first named. */
  resolve(recipients: readonly Recipient[]): DirectoryUser[] {
    const out = new Map<string, DirectoryUser>();
    for (const r of recipients) {
      if ('user' in r) {
        const u = this.users.get(r.user);
        if (u && u.role !== 'staff') out.set(u.username, u);
        continue;
      }
      for (const u of [...this.users.values()].sort((a, b) => a.username.localeCompare(b.username)))
        if (u.role === r.role && u.nodes.length > 0 && u.nodes.every((n) => this.under(n, [r.node])))
          out.set(u.username, u);
    }
    return [...out.values()];
  }
}

/** Staff users read their own figures only: no report is theirs, nor any subscription. */
export function requireSubscriber(scope: Scope): void {
  if (scope.user.role === 'staff')
    throw new HttpError(403, 'forbidden', 'a staff user has no report subscriptions');
}

/** Staff users and special grants subscribe nobody. */
export function requireWriter(scope: Scope): void {
  requireSubscriber(scope);
  if (scope.user.role === 'special')
    throw new HttpError(403, 'forbidden', 'a special grant does not subscribe anyone to reports');
}

/** Whether the caller may change or delete a subscription: its owner, or a group user whose scope holds its node. */
export function canEdit(scope: Scope, dir: Directory, sub: { owner: string; node: string }): boolean {
  const { role, username, nodes } = scope.user;
  if (role === 'staff' || role === 'special') return false;
  return sub.owner === username || (role === 'group' && dir.under(sub.node, nodes));
}

/**
 * Refuses recipients the caller may not name. Anyone but a group user subscribes only themselves
 * (403); a group user names users whose nodes all lie in their scope (unknown: 400; outside: 403),
 * or a role under a node in their scope; nobody twice. Errors name the entry (`recipients.0`).
 */
export async function checkRecipients(
  scope: Scope,
  dir: Directory,
  recipients: readonly Recipient[],
): Promise<void> {
  const me = scope.user.username;
  if (scope.user.role !== 'group') {
    const only = recipients[0];
    if (recipients.length !== 1 || !only || !('user' in only) || only.user !== me)
      throw new HttpError(
        403,
        'forbidden',
        `a ${scope.user.role} user subscribes only themselves: recipients must be [{"user": "${me}"}]`,
        'recipients',
      );
    return;
  }
  const seen = new Set<string>();
  for (const [i, r] of recipients.entries()) {
    const param = `recipients.${i}`;
    const key = 'user' in r ? `user ${r.user}` : `role ${r.role} under ${r.node}`;
    if (seen.has(key)) throw new HttpError(400, 'invalid_body', `${param}: ${key} is listed twice`, param);
    seen.add(key);
    if ('user' in r) {
      const u = dir.user(r.user);
      if (!u) throw new HttpError(400, 'unknown_user', `${param}: no user "${r.user}"`, param);
      if (u.role === 'staff')
        throw new HttpError(
          400,
          'invalid_body',
          `${param}: ${r.user} is a staff user: no report is theirs`,
          param,
        );
      if (!u.nodes.every((n) => dir.under(n, scope.user.nodes)))
        throw new HttpError(
          403,
          'recipient_out_of_scope',
          `${param}: ${r.user} is outside your scope`,
          param,
        );
    } else await scope.node(r.node, `${param}.node`);
  }
}
