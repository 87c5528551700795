// What every request reads about the loaded data, read once per data version instead of once per
// request: the data's coverage, the roll-up it may use, and org nodes with their ancestors (for
// the scope check). A new data version (a load has committed) starts afresh.
import type { Knex } from 'knex';
import type { OrgNodeInfo } from '../contract/metrics.ts';
import { loadCoverage, type Coverage } from '../metrics/coverage.ts';
import type { RollupInfo } from '../metrics/compiler.ts';
import { rollupOf } from '../metrics/rollup.ts';

/** An org node as dim_org holds it, and every node it lies under (itself included). */
export interface KnownNode {
  node: Omit<OrgNodeInfo, 'in_scope'>;
  ancestors: string[];
}

/** dim_org's columns an API answer gives of a node. */
export const NODE_COLUMNS = [
  'node_id',
  'parent_id',
  'level',
  'name',
  'name_en',
  'store_type',
  'province',
  'city',
] as const;

export class DataVersionState {
  private runId: number | null | undefined = undefined;
  private coverageRead?: Promise<Coverage>;
  private rollupRead?: { info: Promise<RollupInfo | null>; at: number };
  private readonly nodes = new Map<string, Promise<KnownNode | null>>();

  constructor(
    private readonly knex: Knex,
    private readonly dataVersion: () => Promise<{ run_id: number | null }>,
    /** While no roll-up holds this version (it is being built), how long a "none" is trusted. */
    private readonly rollupRetryMs = 2000,
  ) {}

  /** Forgets what it read when the data version has changed since. */
  private async current(): Promise<number | null> {
    const { run_id: runId } = await this.dataVersion();
    if (runId !== this.runId) {
      this.runId = runId;
      this.coverageRead = undefined;
      this.rollupRead = undefined;
      this.nodes.clear();
    }
    return runId;
  }

  // A read that fails is forgotten (the next request reads again), as long as nothing newer replaced it.

  async coverage(): Promise<Coverage> {
    await this.current();
    if (!this.coverageRead) {
      const read = loadCoverage(this.knex);
      this.coverageRead = read;
      read.catch(() => this.coverageRead === read && (this.coverageRead = undefined));
    }
    return this.coverageRead;
  }

  async rollup(): Promise<RollupInfo | null> {
    const runId = await this.current();
    const read = this.rollupRead;
    if (read && ((await read.info) || Date.now() - read.at < this.rollupRetryMs)) return read.info;
    const next = { info: rollupOf(this.knex, runId), at: Date.now() };
    this.rollupRead = next;
    next.info.catch(() => this.rollupRead === next && (this.rollupRead = undefined));
    return next.info;
  }

  /** The node and its ancestors; null if dim_org has no such node (not kept: ids come from requests). */
  async node(nodeId: string): Promise<KnownNode | null> {
    await this.current();
    let known = this.nodes.get(nodeId);
    if (!known) {
      known = this.readNode(nodeId);
      this.nodes.set(nodeId, known);
      const read = known;
      const forget = () => this.nodes.get(nodeId) === read && this.nodes.delete(nodeId);
      read.then((found) => found || forget(), forget);
    }
    return known;
  }

  private async readNode(nodeId: string): Promise<KnownNode | null> {
    const row = (await this.knex('dim_org as o')
      .join('org_closure as c', 'c.descendant_id', 'o.node_id')
      .where('o.node_id', nodeId)
      .groupBy(NODE_COLUMNS.map((c) => `o.${c}`))
      .first(...NODE_COLUMNS.map((c) => `o.${c}`), this.knex.raw('list(c.ancestor_id) AS ancestors'))) as
      (KnownNode['node'] & { ancestors: string[] }) | undefined;
    if (!row) return null;
    const { ancestors, ...node } = row;
    // Shared by every request of this version: nobody may change it.
    return Object.freeze({ node: Object.freeze(node), ancestors: Object.freeze(ancestors) as string[] });
  }
}
