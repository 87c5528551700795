// Scope fuzz: every role × every data endpoint × random nodes, metrics and product filters on
// fixtures/tiny. The oracle is tiny's org tree and the KPI dictionary's domains, written out by
// hand here: nothing outside a user's subtree or domains may come back, and refusals carry the
// right status and code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../db/warehouse.ts';
import { EXTRA_METRIC_IDS_BY_DOMAIN, METRIC_IDS_BY_DOMAIN } from '../metrics/ids.ts';
import { startTinyServer, type TestServer } from '../test/http.ts';

/** fixtures/tiny/org.csv: each node and everything under it. */
const SUBTREE: Record<string, string[]> = {
  G: ['G', 'D1', 'D2', 'R1', 'R2', 'S1', 'S2', 'S3'],
  D1: ['D1', 'R1', 'S1', 'S2'], D2: ['D2', 'R2', 'S3'],
  R1: ['R1', 'S1', 'S2'], R2: ['R2', 'S3'],
  S1: ['S1'], S2: ['S2'], S3: ['S3'],
};
const NODES = Object.keys(SUBTREE);
const ALL_DOMAINS = Object.keys(METRIC_IDS_BY_DOMAIN);

const USERS = [
  { username: 'u.group', role: 'group', nodes: ['G'], domains: ALL_DOMAINS },
  { username: 'u.division', role: 'division', nodes: ['D2'], domains: ALL_DOMAINS },
  { username: 'u.region', role: 'region', nodes: ['R1'], domains: ALL_DOMAINS },
  { username: 'u.store', role: 'store', nodes: ['S1'], domains: ALL_DOMAINS },
  { username: 'u.finance', role: 'finance', nodes: ['G'], domains: ['finance', 'inventory'] },
  { username: 'u.special', role: 'special', nodes: ['S2', 'S3'], domains: ['sales', 'aftersales'] },
];

/** Each domain's metrics: the dictionary's and the driver-tree extras. */
const IDS_BY_DOMAIN = Object.fromEntries(Object.entries(METRIC_IDS_BY_DOMAIN)
  .map(([d, ids]) => [d, [...ids, ...EXTRA_METRIC_IDS_BY_DOMAIN[d as keyof typeof EXTRA_METRIC_IDS_BY_DOMAIN]] as string[]]));
const domainOf = (metric: string) => Object.entries(IDS_BY_DOMAIN).find(([, ids]) => ids.includes(metric))?.[0];
const ALL_METRICS = Object.values(IDS_BY_DOMAIN).flat();
const PRODUCTS = ['brand:宝马', 'origin:imported', 'series:汉', 'model:BYD-HAN-EV', 'powertrain:bev', 'brand:nope'];

/** A small seeded PRNG so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return { pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!, chance: (p: number) => next() < p };
}

let warehouse: Warehouse;
let server: TestServer;
let tokens: Record<string, string>;

beforeAll(async () => {
  ({ warehouse, server, tokens } = await startTinyServer(USERS));
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

describe('scope fuzz', () => {
  it.each(USERS)('$username ($role) never sees outside its scope', async (user) => {
    const allowed = new Set(user.nodes.flatMap((n) => SUBTREE[n]!));
    const outside = NODES.filter((n) => !allowed.has(n));
    const rnd = random(user.username.length * 7919);
    const checked = { ok: 0, refused: 0 };

    for (let i = 0; i < 60; i++) {
      const node = rnd.chance(0.1) ? `X${i}` : rnd.pick(NODES);
      const metrics = [rnd.pick(ALL_METRICS), ...(rnd.chance(0.5) ? [rnd.pick(ALL_METRICS)] : [])].filter((m, j, a) => a.indexOf(m) === j);
      const product = rnd.chance(0.3) ? rnd.pick(PRODUCTS) : null;
      const endpoint = rnd.pick(['kpi', 'breakdown', 'timeseries', 'rank'] as const);
      const period = 'from=2025-01-01&to=2025-03-31';
      const metricParam = endpoint === 'kpi' ? `metrics=${metrics.join(',')}` : `metric=${metrics[0]}`;
      const extra = endpoint === 'breakdown' ? '&by=children' : endpoint === 'timeseries' ? '&grain=month' : '';
      const productParam = product && endpoint !== 'rank' ? `&product=${encodeURIComponent(product)}` : '';
      const res = await server.get(`/api/${endpoint}?${metricParam}&node=${node}&${period}${extra}${productParam}`, tokens[user.username]);

      const usedMetrics = endpoint === 'kpi' ? metrics : [metrics[0]!];
      // Metrics are checked before the node: an ungranted domain is reported first.
      const deniedMetric = usedMetrics.find((m) => !user.domains.includes(domainOf(m)!));
      const body = JSON.stringify(res.body);
      if (deniedMetric) {
        expect(res.status, body).toBe(403);
        expect(res.body.error.code).toBe('metric_out_of_scope');
        checked.refused++;
      } else if (!SUBTREE[node]) {
        expect(res.status, body).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'unknown_node', param: 'node' });
      } else if (!allowed.has(node)) {
        expect(res.status, body).toBe(403);
        expect(res.body.error).toMatchObject({ code: 'node_out_of_scope', param: 'node' });
        checked.refused++;
      } else {
        // A product filter on a metric that has no product dimension is a 400; otherwise data.
        expect([200, 400], body).toContain(res.status);
        if (res.status === 400) expect(res.body.error.param).toMatch(/product|by/);
        else checked.ok++;
      }
      // Whatever the answer, no node outside the scope is named in it, except as the refused node itself.
      for (const other of outside) if (other !== node) expect(body).not.toContain(`"${other}"`);
    }
    expect(checked.ok + checked.refused).toBeGreaterThan(20);
  });

  it.each(USERS)('$username gets an org tree with figures only for its subtree', async (user) => {
    const allowed = new Set(user.nodes.flatMap((n) => SUBTREE[n]!));
    const res = await server.get('/api/org', tokens[user.username]);
    for (const node of res.body.nodes) {
      if (node.in_scope) expect(allowed.has(node.node_id)).toBe(true);
      else expect(node).toMatchObject({ store_type: null, province: null, city: null });
    }
    expect(res.body.nodes.filter((n: any) => n.in_scope).map((n: any) => n.node_id).sort()).toEqual([...allowed].sort());
  });

  it('a peer ranking never names or values the peers', async () => {
    for (const metric of ['vehicle_revenue', 'new_units', 'repair_orders']) {
      const res = await server.get(`/api/rank?metric=${metric}&node=S1&from=2025-01-01&to=2025-03-31`, tokens['u.store']);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['level', 'metric', 'of', 'percentile', 'rank', 'value']);
    }
  });
});
