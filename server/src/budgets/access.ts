// Who may do what with a budget version. Finance and the group prepare a version (create it, edit
// any line in their scope while it is a draft, submit it); the group approves or returns it. The
// managers of divisions, regions and stores edit the lines of their own stores while their part is
// open (or was returned to them) and submit it; the level above approves or returns the part.
import type { Knex } from 'knex';
import type { OrgLevel } from '../contract/vocabulary.ts';
import { HttpError } from '../errors.ts';
import type { Scope } from '../scope/scope.ts';

export interface OrgRow {
  node_id: string;
  parent_id: string | null;
  level: OrgLevel;
  name: string;
  opened_on: string | null;
}

/** The org tree, for walking chains and children within one request. */
export class Org {
  readonly byId: Map<string, OrgRow>;
  private readonly kids = new Map<string, OrgRow[]>();

  constructor(rows: OrgRow[]) {
    this.byId = new Map(rows.map((r) => [r.node_id, r]));
    for (const r of rows)
      if (r.parent_id) this.kids.set(r.parent_id, [...(this.kids.get(r.parent_id) ?? []), r]);
  }

  static async load(knex: Knex): Promise<Org> {
    return new Org(
      (
        (await knex('dim_org')
          .orderBy('node_id')
          .select('node_id', 'parent_id', 'level', 'name', 'opened_on')) as {
          opened_on: unknown;
        }[]
      ).map((r) => ({ ...r, opened_on: r.opened_on ? String(r.opened_on).slice(0, 10) : null }) as OrgRow),
    );
  }

  children(id: string): OrgRow[] {
    return this.kids.get(id) ?? [];
  }

  /** The node and its ancestors, the node first. */
  chain(id: string): OrgRow[] {
    const out: OrgRow[] = [];
    for (let n = this.byId.get(id); n; n = n.parent_id ? this.byId.get(n.parent_id) : undefined) out.push(n);
    return out;
  }

  /** The stores at and under a node. */
  stores(id: string): string[] {
    const node = this.byId.get(id);
    if (!node) return [];
    return node.level === 'store' ? [id] : this.children(id).flatMap((c) => this.stores(c.node_id));
  }
}

export type PartStatus = 'open' | 'submitted' | 'approved' | 'returned';

export interface Part {
  status: PartStatus;
  note: string | null;
  actor: string | null;
  at: string | null;
}

export const OPEN_PART: Part = { status: 'open', note: null, actor: null, at: null };

export async function partsOf(knex: Knex | Knex.Transaction, versionId: number): Promise<Map<string, Part>> {
  const rows = (await knex('app.budget_parts')
    .where({ version_id: versionId })
    .select('node_id', 'status', 'note', 'actor', 'acted_at')) as {
    node_id: string;
    status: PartStatus;
    note: string | null;
    actor: string;
    acted_at: unknown;
  }[];
  return new Map(
    rows.map((r) => [r.node_id, { status: r.status, note: r.note, actor: r.actor, at: String(r.acted_at) }]),
  );
}

export const isPreparer = (scope: Scope) => scope.user.role === 'group' || scope.user.role === 'finance';

/** Staff users and special grants read figures, they do not plan them. */
export function requirePlanner(scope: Scope): void {
  if (scope.user.role === 'staff' || scope.user.role === 'special')
    throw new HttpError(403, 'read_only', `a ${scope.user.role} user does not take part in budgeting`);
}

/** The node of the caller's own on the node's chain (the node itself or the nearest ancestor they manage). */
export function ownNodeOn(scope: Scope, org: Org, nodeId: string): OrgRow | undefined {
  return org.chain(nodeId).find((n) => scope.user.nodes.includes(n.node_id));
}

/**
 * Why the caller may not change the lines of a node now (null: they may). The caller takes part
 * in budgeting (requirePlanner) and the node is in their scope already (Scope.node). A preparer may change any line of a draft; a manager the lines of
 * the stores under their own node, while no part above the store (nor its own) is submitted or
 * approved: a part handed up is closed to everyone below until it is returned.
 */
export function editRefusal(scope: Scope, org: Org, parts: Map<string, Part>, nodeId: string): string | null {
  if (isPreparer(scope)) return null;
  if (org.byId.get(nodeId)?.level !== 'store')
    return 'targets above the stores are set by finance and the group (allocate)';
  for (const n of org.chain(nodeId)) {
    const part = parts.get(n.node_id) ?? OPEN_PART;
    if (part.status === 'submitted' || part.status === 'approved')
      return `the part of ${n.name} is ${part.status}: it can be changed again once returned`;
  }
  return null;
}
