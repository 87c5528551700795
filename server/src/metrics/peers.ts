// Like-for-like peers. A store is compared with stores of the same type (4S with 4S, used-car
// centres with used-car centres); for brand-driven metrics (sales, F&I, funnel, vehicle stock)
// also with the same main brand — the brand of most of its new vehicles in the 12 months to the
// period end — when at least MIN_PEERS stores share it. Divisions and regions are compared with
// the nodes of their level. Rankings, percentiles and peer-deviation rules all group through here.
import type { Knex } from 'knex';
import type { PeerGroup } from '../contract/metrics.ts';
import type { MetricDefinition } from './catalog.ts';

/** A brand group smaller than this falls back to the store type alone. */
export const MIN_PEERS = 3;

const BRAND_DRIVEN: ReadonlySet<string> = new Set(['sales', 'fi', 'funnel', 'inventory']);

export const isBrandDriven = (metric: MetricDefinition) => BRAND_DRIVEN.has(metric.domain);

/** A node's peer group, and its own main brand (a store in a small brand group is still a peer of the type's others). */
export type PeerNode = PeerGroup & { main_brand: string | null };

/** Each node of a level with its peer group, for a metric and the period ending `to`. */
export async function peerGroups(
  knex: Knex,
  level: PeerGroup['level'],
  metric: MetricDefinition,
  to: string,
): Promise<Map<string, PeerNode>> {
  const nodes = (await knex('dim_org').where({ level }).select('node_id', 'store_type')) as {
    node_id: string;
    store_type: string | null;
  }[];
  if (level !== 'store')
    return new Map(nodes.map((n) => [n.node_id, { level, store_type: null, brand: null, main_brand: null }]));
  const brands = isBrandDriven(metric) ? await mainBrands(knex, to) : new Map<string, string>();
  const key = (type: string | null, brand: string | null) => `${type}|${brand}`;
  const sizes = new Map<string, number>();
  for (const n of nodes)
    sizes.set(
      key(n.store_type, brands.get(n.node_id) ?? null),
      (sizes.get(key(n.store_type, brands.get(n.node_id) ?? null)) ?? 0) + 1,
    );
  return new Map(
    nodes.map((n) => {
      const brand = brands.get(n.node_id) ?? null;
      const enough = brand !== null && sizes.get(key(n.store_type, brand))! >= MIN_PEERS;
      return [
        n.node_id,
        { level, store_type: n.store_type, brand: enough ? brand : null, main_brand: brand },
      ];
    }),
  );
}

/** Whether `candidate` is a peer of a node in `group`: same level and type, and the group's brand if it has one. */
export const isPeer = (candidate: PeerNode, group: PeerGroup) =>
  candidate.level === group.level &&
  candidate.store_type === group.store_type &&
  (group.brand === null || candidate.main_brand === group.brand);

/** The brand of most of each store's new vehicles in the 12 months to `to` (ties: the first by name). */
async function mainBrands(knex: Knex, to: string): Promise<Map<string, string>> {
  const { rows } = (await knex.raw(
    `SELECT store_id, brand FROM (
       SELECT f.store_id, p.brand, row_number() OVER (PARTITION BY f.store_id ORDER BY count(*) DESC, p.brand) AS n
       FROM fact_vehicle_sales f JOIN dim_product p ON p.model_id = f.model_id
       WHERE f.sale_type = 'new' AND f.sale_date > ?::DATE - INTERVAL 12 MONTH AND f.sale_date <= ?::DATE
       GROUP BY f.store_id, p.brand
     ) WHERE n = 1`,
    [to, to],
  )) as { rows: { store_id: string; brand: string }[] };
  return new Map(rows.map((r) => [r.store_id, r.brand]));
}
