// The one place data access is scoped. A Scope is made from the authenticated user (never from
// request parameters); every data query goes through it: it refuses nodes outside the user's
// subtrees and metrics outside their domains, and only then runs the metric compiler.
import type { Knex } from 'knex';
import type { User } from '../auth/users.ts';
import { HttpError } from '../errors.ts';
import { METRIC_BY_ID, METRICS, type MetricDefinition } from '../metrics/catalog.ts';
import type { MetricDomain } from '../contract/metric-ids.ts';
import type { StaffRole } from '../contract/vocabulary.ts';
import { round } from '../contract/compare.ts';
import type { OrgNodeInfo, OrgResponse, RankResponse } from '../contract/metrics.ts';
import { measuresFor, queryMeasures, type MeasureRequest, type MeasureValues } from '../metrics/compiler.ts';
import { isPeer, peerGroups } from '../metrics/peers.ts';
import { atWorkIn } from '../metrics/staff.ts';
import type { Bucket, Period } from '../metrics/periods.ts';
import { personTargetsByPeriod, targetsByNode, targetsByPeriod } from '../metrics/budget.ts';
import type { Coverage } from '../metrics/coverage.ts';
import { NODE_COLUMNS, type DataVersionState } from './data-version-state.ts';

/** An org node as dim_org holds it (and /api/org gives it, with in_scope). */
export type OrgNode = Omit<OrgNodeInfo, 'in_scope'>;

declare const vetted: unique symbol;

/**
 * An org node that a Scope has found within its user's subtrees. Only Scope.node() makes one
 * (the brand's symbol is not exported), and every query that takes a node takes this type, so a
 * node id from a request cannot reach a query without passing the scope check: the compiler
 * refuses it.
 */
export type VettedNode = OrgNode & { readonly [vetted]: true };

/** A person of dim_staff, as the API gives them. */
export interface StaffMember {
  staff_id: string;
  store_id: string;
  name: string;
  role: StaffRole;
  /** Employment as staff.csv gives it ('YYYY-MM-DD'; null: not given, or still employed). */
  hired_on: string | null;
  left_on: string | null;
}

/**
 * A person working at a store under a node a Scope has vetted. Only Scope.staffMember() makes one,
 * and the compiler's person filter takes only this type: a staff id from a request cannot reach a
 * query without the check that the person's store is within the caller's scope.
 */
export type VettedStaff = StaffMember & { readonly [vetted]: true };

/** A node's place among its like-for-like peers: /api/rank's answer without the metric and level. */
export type Ranking = Omit<RankResponse, 'metric' | 'level'>;

/** Peers besides the node before the gaps to their median and top quartile are shown to someone who may not see them. */
const MIN_PEERS_FOR_GAPS = 5;

export class Scope {
  constructor(
    private readonly knex: Knex,
    readonly user: User,
    /** What the loaded data says, read once per data version: coverage, roll-up, org nodes. */
    private readonly data: DataVersionState,
  ) {
    // A staff user is one person: without one, every "own figures" check would compare with nothing.
    if (user.role === 'staff' && !user.staff_id)
      throw new HttpError(403, 'staff_unbound', `user ${user.username} is a staff user bound to no person`);
  }

  /** A stable key of what this user may see, for caches shared between users with equal grants. */
  get key(): string {
    const own = this.user.role === 'staff' ? `|staff:${this.user.staff_id}` : '';
    return `${[...this.user.nodes].sort().join(',')}|${[...this.user.domains].sort().join(',')}${own}`;
  }

  /**
   * A staff user reads their own figures and nothing of the store's or a colleague's: every
   * measure they ask for is filtered to their own staff id (else 403), and what has no person
   * (rankings of stores, budgets, documents, alerts) is refused or empty.
   */
  private refuseStaffUser(what: string, param: string): void {
    if (this.user.role === 'staff')
      throw new HttpError(
        403,
        'staff_out_of_scope',
        `${what}: a staff user reads their own figures only`,
        param,
      );
  }

  /** Nodes already vetted for this request's user (a Scope lives for one request). */
  private readonly vetted = new Map<string, VettedNode>();

  /** The node, if it exists and lies within the user's subtrees: else 400 or 403. */
  async node(nodeId: string, param = 'node'): Promise<VettedNode> {
    const vetted = this.vetted.get(nodeId);
    if (vetted) return vetted;
    const known = await this.data.node(nodeId);
    if (!known) throw new HttpError(400, 'unknown_node', `unknown node "${nodeId}"`, param);
    // Within the user's subtrees: one of the node's ancestors (or itself) is granted.
    if (!known.ancestors.some((a) => this.user.nodes.includes(a)))
      throw new HttpError(403, 'node_out_of_scope', `node ${nodeId} is outside your scope`, param);
    const checked = known.node as VettedNode;
    this.vetted.set(nodeId, checked);
    return checked;
  }

  /** The metric, if it exists and its domain is granted: else 400 or 403. `find`: where metrics are
   *  looked up (a budget's lines include drivers that are no metric of the catalog). */
  metric(
    metricId: string,
    param = 'metric',
    find: (id: string) => MetricDefinition | undefined = (id) => METRIC_BY_ID.get(id),
  ): MetricDefinition {
    const metric = find(metricId);
    if (!metric) throw new HttpError(400, 'unknown_metric', `unknown metric "${metricId}"`, param);
    if (!this.user.domains.includes(metric.domain)) {
      throw new HttpError(
        403,
        'metric_out_of_scope',
        `metric ${metricId} (domain ${metric.domain}) is outside your scope`,
        param,
      );
    }
    return metric;
  }

  /**
   * The person, if dim_staff holds them and their store lies under the (vetted) node: else 400.
   * Someone at a store outside the caller's scope is answered as unknown (not even whether the id exists).
   */
  async staffMember(staffId: string, node: VettedNode, param = 'staff'): Promise<VettedStaff> {
    await this.node(node.node_id);
    if (this.user.role === 'staff' && staffId !== this.user.staff_id)
      throw new HttpError(
        403,
        'staff_out_of_scope',
        `staff ${staffId}: a staff user reads their own figures only`,
        param,
      );
    const person = (await this.knex('dim_staff')
      .where({ staff_id: staffId })
      .first('staff_id', 'store_id', 'name', 'role', 'hired_on', 'left_on')) as StaffMember | undefined;
    const store = person && (await this.data.node(person.store_id));
    if (!person || !store?.ancestors.some((a) => this.user.nodes.includes(a)))
      throw new HttpError(400, 'unknown_staff', `no staff member "${staffId}" in your scope`, param);
    if (!store.ancestors.includes(node.node_id))
      throw new HttpError(
        400,
        'staff_not_under_node',
        `staff member ${staffId} does not work at a store under node ${node.node_id}`,
        param,
      );
    return person as VettedStaff;
  }

  /**
   * Measures of the units a scorecard league ranks under a node the caller has obtained through
   * node(): its regions or stores (by level), or its people. Open to a staff user at their own
   * store only, for their own scorecard and rank: the caller (scorecards/service.ts) lets only
   * their own row leave.
   */
  async leagueMeasures(
    node: VettedNode,
    grouping: { by: 'staff' } | { by: 'level'; level: 'region' | 'store' },
    request: Pick<MeasureRequest, 'measures' | 'periods'>,
  ): Promise<MeasureValues> {
    await this.node(node.node_id);
    if (this.user.role === 'staff' && (!this.user.nodes.includes(node.node_id) || grouping.by !== 'staff'))
      this.refuseStaffUser("a league beyond your store's people", 'node');
    return queryMeasures(this.knex, {
      ...request,
      node: node.node_id,
      grouping,
      rollup: await this.data.rollup(),
    });
  }

  /** What the loaded data covers. */
  coverage(): Promise<Coverage> {
    return this.data.coverage();
  }

  /** Measures for stores under a node the caller has already obtained through node(). */
  async measures(
    node: VettedNode,
    request: Omit<MeasureRequest, 'node' | 'staff'> & { staff?: VettedStaff },
  ): Promise<MeasureValues> {
    // Re-checked here so no caller can reach the compiler with a node it did not vet.
    await this.node(node.node_id);
    if (this.user.role === 'staff') {
      if (request.staff?.staff_id !== this.user.staff_id)
        this.refuseStaffUser('figures without staff=ID', 'staff');
      if (request.grouping.by !== 'none' && request.grouping.by !== 'product')
        this.refuseStaffUser(`a breakdown by ${request.grouping.by}`, 'by');
    }
    return queryMeasures(this.knex, {
      ...request,
      node: node.node_id,
      staff: request.staff?.staff_id,
      rollup: await this.data.rollup(),
    });
  }

  /**
   * A fact table's rows at the stores under a vetted node, for a use case outside the metric
   * compiler (receivable documents, say), once the domain they belong to is granted (else 403).
   */
  factRows(
    node: VettedNode,
    table: 'fact_receivables' | 'fact_payables' | 'fact_oem_rebates' | 'fact_parts_stock',
    domain: MetricDomain,
    param = 'node',
  ): Knex.QueryBuilder {
    // Synchronous (a builder is a thenable: awaiting it would run it), so the node must come from node() on this Scope.
    if (!this.vetted.has(node.node_id)) throw new Error(`node ${node.node_id} was not vetted by this scope`);
    this.refuseStaffUser(`the store's ${table.replace('fact_', '')}`, param);
    this.domain(domain, param);
    return this.knex(`${table} as f`)
      .join('org_closure as scope', 'scope.descendant_id', 'f.store_id')
      .where('scope.ancestor_id', node.node_id);
  }

  /** Refuses (403) a domain the user is not granted. */
  domain(domain: MetricDomain, param: string): void {
    if (!this.user.domains.includes(domain))
      throw new HttpError(403, 'domain_out_of_scope', `the ${domain} domain is outside your scope`, param);
  }

  /** The stores under a node the caller has obtained through node() (itself, for a store). A
   *  forecast is of stores, so a staff user (their own figures only) gets none. */
  async stores(node: VettedNode, param = 'node'): Promise<string[]> {
    await this.node(node.node_id, param);
    this.refuseStaffUser('forecasts of stores', param);
    return (await this.knex('org_closure as c')
      .join('dim_org as o', 'o.node_id', 'c.descendant_id')
      .where({ 'c.ancestor_id': node.node_id, 'o.level': 'store' })
      .orderBy('o.node_id')
      .pluck('o.node_id')) as string[];
  }

  /** The nodes one level below a node the caller has obtained through node(), as vetted nodes. */
  async children(node: VettedNode): Promise<VettedNode[]> {
    await this.node(node.node_id);
    const ids = (await this.knex('dim_org')
      .where({ parent_id: node.node_id })
      .orderBy('node_id')
      .pluck('node_id')) as string[];
    return Promise.all(ids.map((id) => this.node(id)));
  }

  /** Budget targets of each unit one level below a node the caller has obtained through node(): child → metric → target. */
  async childTargets(
    node: VettedNode,
    metrics: readonly MetricDefinition[],
    period: Period,
  ): Promise<Map<string, Map<string, number>>> {
    await this.node(node.node_id);
    this.refuseStaffUser('budget targets', 'compare');
    const children = (await this.knex('dim_org')
      .where({ parent_id: node.node_id })
      .pluck('node_id')) as string[];
    return targetsByNode(
      this.knex,
      children,
      metrics.filter((m) => this.user.domains.includes(m.domain)),
      period,
    );
  }

  /** Budget targets for a node the caller has obtained through node(), per period: period key → metric → target. */
  async targets(
    node: VettedNode,
    metrics: readonly MetricDefinition[],
    periods: readonly Bucket[],
  ): Promise<Map<string, Map<string, number>>> {
    await this.node(node.node_id);
    this.refuseStaffUser('budget targets', 'compare');
    const byPeriod = await targetsByPeriod(
      this.knex,
      [node.node_id],
      metrics.filter((m) => this.user.domains.includes(m.domain)),
      periods,
    );
    return new Map(periods.map((p) => [p.key, byPeriod.get(p.key)?.get(node.node_id) ?? new Map()]));
  }

  /** A person's own targets (set by their manager, app.targets), per period: period key → metric → target. */
  async personTargets(
    staff: VettedStaff,
    metrics: readonly MetricDefinition[],
    periods: readonly Bucket[],
  ): Promise<Map<string, Map<string, number>>> {
    const byPeriod = await personTargetsByPeriod(
      this.knex,
      [staff.staff_id],
      metrics.filter((m) => this.user.domains.includes(m.domain)),
      periods,
    );
    return new Map(periods.map((p) => [p.key, byPeriod.get(p.key)?.get(staff.staff_id) ?? new Map()]));
  }

  /** Targets of units under a node the caller has obtained through node(), per period: period key → unit → metric → target. */
  async unitTargets(
    node: VettedNode,
    units: readonly string[],
    metrics: readonly MetricDefinition[],
    periods: readonly Bucket[],
  ): Promise<Map<string, Map<string, Map<string, number>>>> {
    await this.node(node.node_id);
    this.refuseStaffUser('budget targets', 'compare');
    const under = (await this.knex('org_closure')
      .where('ancestor_id', node.node_id)
      .whereIn('descendant_id', units)
      .pluck('descendant_id')) as string[];
    return targetsByPeriod(
      this.knex,
      under,
      metrics.filter((m) => this.user.domains.includes(m.domain)),
      periods,
    );
  }

  /** The own targets of people of a store the caller has obtained through node(), per period: period key → staff id → metric → target. */
  async peopleTargetsByMonth(
    store: VettedNode,
    people: readonly string[],
    metrics: readonly MetricDefinition[],
    periods: readonly Bucket[],
  ): Promise<Map<string, Map<string, Map<string, number>>>> {
    await this.node(store.node_id);
    this.refuseStaffUser("colleagues' targets", 'compare');
    const atStore = (await this.knex('dim_staff')
      .where({ store_id: store.node_id })
      .whereIn('staff_id', people)
      .pluck('staff_id')) as string[];
    return personTargetsByPeriod(
      this.knex,
      atStore,
      metrics.filter((m) => this.user.domains.includes(m.domain)),
      periods,
    );
  }

  /** Whether the node's own target is the caller's to set: its parent lies in their scope (the group, for a group user). */
  async coversParentOf(node: VettedNode): Promise<boolean> {
    if (this.user.role === 'staff') return false;
    if (!node.parent_id) return this.user.role === 'group';
    const parent = await this.data.node(node.parent_id);
    return parent !== null && parent.ancestors.some((a) => this.user.nodes.includes(a));
  }

  /** The own targets of the people of a store the caller has obtained through node(): staff id → metric → target. */
  async peopleTargets(
    store: VettedNode,
    metrics: readonly MetricDefinition[],
    period: Period,
  ): Promise<Map<string, Map<string, number>>> {
    await this.node(store.node_id);
    this.refuseStaffUser("colleagues' targets", 'compare');
    const people = (await this.knex('dim_staff')
      .where({ store_id: store.node_id })
      .pluck('staff_id')) as string[];
    const byPeriod = await personTargetsByPeriod(
      this.knex,
      people,
      metrics.filter((m) => this.user.domains.includes(m.domain)),
      [{ key: '', ...period }],
    );
    return byPeriod.get('') ?? new Map();
  }

  /**
   * A node's place among its like-for-like peers (metrics/peers.ts), by a metric. The node's own
   * value, its rank (1 = best), the number of peers with a value, the percentile (100 = best) and
   * its gap to the peers' median and top quartile always leave; the peers' names and values only
   * for a caller who may see every one of them.
   */
  async rank(node: VettedNode, metric: MetricDefinition, period: Bucket): Promise<Ranking> {
    await this.node(node.node_id);
    this.refuseStaffUser("the store's rank among its peers", 'node');
    const [root, groups, coverage, rollup] = await Promise.all([
      this.knex('dim_org').where({ level: 'group' }).first('node_id') as Promise<{ node_id: string }>,
      peerGroups(this.knex, node.level, metric, period.to),
      this.coverage(),
      this.data.rollup(),
    ]);
    const { main_brand: _own, ...group } = groups.get(node.node_id)!;
    const values = await queryMeasures(this.knex, {
      measures: measuresFor([metric]),
      node: root.node_id,
      periods: [period],
      grouping: { by: 'level', level: node.level },
      rollup,
    });
    const peers = [...groups.entries()]
      .filter(([, g]) => isPeer(g, group))
      .map(([id]) => ({ id, value: coverage.value(metric, values.get(id)?.get(period.key) ?? {}, period) }));
    const seesAll = (ids: string[]) => this.seesAll(ids);
    const names = async (ids: string[]) =>
      new Map(
        (
          (await this.knex('dim_org').whereIn('node_id', ids).select('node_id', 'name')) as {
            node_id: string;
            name: string;
          }[]
        ).map((r) => [r.node_id, r.name]),
      );
    return { ...(await placeAmong(node.node_id, peers, metric, seesAll, names)), peer_group: group };
  }

  /**
   * A person's place among the people of their role at their store, by a person-level metric:
   * always their rank and percentile; the gaps with enough peers; names and figures of the others
   * only for a caller whose scope covers the store and who is not a staff user (a staff user
   * learns their own place, never a colleague's figure).
   */
  async personRank(staff: VettedStaff, metric: MetricDefinition, period: Bucket): Promise<Ranking> {
    const store = await this.node(staff.store_id);
    const [coverage, values, colleagues] = await Promise.all([
      this.coverage(),
      // The store's people grouped: only their ranks and, for a manager, their figures leave.
      queryMeasures(this.knex, {
        measures: measuresFor([metric]),
        node: store.node_id,
        periods: [period],
        grouping: { by: 'staff' },
      }),
      this.knex('dim_staff')
        .where({ store_id: staff.store_id, role: staff.role })
        .andWhere(atWorkIn(period))
        .orWhere('staff_id', staff.staff_id)
        .select('staff_id', 'name') as Promise<{ staff_id: string; name: string }[]>,
    ]);
    const peers = colleagues.map((p) => ({
      id: p.staff_id,
      value: coverage.value(metric, values.get(p.staff_id)?.get(period.key) ?? {}, period),
    }));
    const staffUser = this.user.role === 'staff';
    const byId = new Map(colleagues.map((p) => [p.staff_id, p.name]));
    const ranking = await placeAmong(
      staff.staff_id,
      peers,
      metric,
      async () => !staffUser,
      async () => byId,
    );
    return { ...ranking, peer_group: { level: 'store', store_type: null, brand: null, role: staff.role } };
  }

  /** Whether every one of these nodes lies within the user's subtrees. */
  private async seesAll(nodeIds: readonly string[]): Promise<boolean> {
    if (!nodeIds.length) return true;
    const row = (await this.knex('org_closure')
      .whereIn('descendant_id', nodeIds)
      .whereIn('ancestor_id', this.user.nodes)
      .countDistinct({ n: 'descendant_id' })
      .first()) as { n: number };
    return Number(row.n) === new Set(nodeIds).size;
  }

  /**
   * Restricts a query over rows that carry a node and a metric (alerts, tasks) to this user's
   * subtrees and metric domains: nobody sees a risk outside what their KPIs would show.
   */
  restrict<T extends Knex.QueryBuilder>(
    query: T,
    nodeColumn: string,
    metricColumn: string,
    /** The rows' task assignee: a staff user sees the tasks given to them (and their alerts), nothing else. */
    assigneeColumn?: string,
  ): T {
    if (this.user.role === 'staff')
      return (
        assigneeColumn ? query.where(assigneeColumn, this.user.username) : query.whereRaw('false')
      ) as T;
    const metrics = METRICS.filter((m) => this.user.domains.includes(m.domain)).map((m) => m.id);
    return query.whereIn(metricColumn, metrics).whereExists((sub) => {
      sub
        .select(this.knex.raw('1'))
        .from('org_closure as sc')
        .where('sc.descendant_id', this.knex.ref(nodeColumn))
        .whereIn('sc.ancestor_id', this.user.nodes);
    }) as T;
  }

  /** The org tree this user sees: granted nodes and their descendants in full, ancestors by name. */
  async tree(): Promise<OrgResponse> {
    const visible = (await this.knex('dim_org as o')
      .join('org_closure as c', 'c.descendant_id', 'o.node_id')
      .whereIn('c.ancestor_id', this.user.nodes)
      .distinct(...NODE_COLUMNS.map((c) => `o.${c}`))) as OrgNode[];
    const ancestors = (await this.knex('dim_org as o')
      .join('org_closure as c', 'c.ancestor_id', 'o.node_id')
      .whereIn('c.descendant_id', this.user.nodes)
      .whereNotIn(
        'o.node_id',
        visible.map((n) => n.node_id),
      )
      .distinct('o.node_id', 'o.parent_id', 'o.level', 'o.name', 'o.name_en')) as OrgNode[];
    const order = { group: 0, division: 1, region: 2, store: 3 };
    return {
      nodes: [
        ...ancestors.map((a) => ({ ...a, store_type: null, province: null, city: null, in_scope: false })),
        ...visible.map((n) => ({ ...n, in_scope: true })),
      ].sort((a, b) => order[a.level] - order[b.level] || a.node_id.localeCompare(b.node_id)),
    };
  }
}

/**
 * A unit's place among its peers (the unit among them) by a metric: its value, rank (1 = best),
 * the number with a value, percentile (100 = best), its gaps to their median and top quartile
 * (with enough peers, or for a caller who may see them all: among few, they give single peers'
 * figures away) and, for such a caller, every peer's name and value.
 */
async function placeAmong(
  ownId: string,
  all: { id: string; value: number | null }[],
  metric: MetricDefinition,
  seesAll: (ids: string[]) => Promise<boolean>,
  names: (ids: string[]) => Promise<Map<string, string>>,
): Promise<Omit<Ranking, 'peer_group'>> {
  const peers = all.filter((p): p is { id: string; value: number } => p.value !== null);
  const own = peers.find((p) => p.id === ownId);
  const gap = { median: null, top_quartile: null };
  if (!own) return { value: null, rank: null, of: peers.length, percentile: null, gap };
  const higher = metric.direction === 'higher_is_better';
  const rank = peers.filter((p) => (higher ? p.value > own.value : p.value < own.value)).length + 1;
  const percentile =
    peers.length > 1 ? Math.round(((peers.length - rank) / (peers.length - 1)) * 1000) / 10 : 100;
  const sorted = peers.map((p) => p.value).sort((a, b) => a - b);
  const sees = await seesAll(peers.map((p) => p.id));
  const ranking: Omit<Ranking, 'peer_group'> = {
    value: own.value,
    rank,
    of: peers.length,
    percentile,
    gap:
      sees || peers.length - 1 >= MIN_PEERS_FOR_GAPS
        ? {
            median: round(own.value - quantile(sorted, 0.5)),
            top_quartile: round(own.value - quantile(sorted, higher ? 0.75 : 0.25)),
          }
        : gap,
  };
  if (sees) {
    const named = await names(peers.map((p) => p.id));
    ranking.peers = peers
      .map((p) => ({ id: p.id, name: named.get(p.id) ?? p.id, value: p.value }))
      .sort((a, b) => (higher ? b.value - a.value : a.value - b.value));
  }
  return ranking;
}

/** Linear interpolation between order statistics of sorted values (q in [0, 1]). */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}
