// Scope fuzz: every role × every data endpoint (/api/kpi, /breakdown, /timeseries, /series, /rank,
// /alerts, /tasks, /tasks/:id, /receivables/ageing, /rebates/ageing) × random nodes, metrics, filters and products
// on fixtures/tiny, with alerts raised in several domains. The oracle is written out by hand here:
// tiny's org tree, and each metric's domain as the KPI dictionary gives it (not the server's ids
// or catalog). Nothing outside a user's subtrees or domains may come back, refusals carry the
// right status and code, and the alert and task lists are exactly the rows the user may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../db/warehouse.ts';
import { evaluateRisks } from '../risk/evaluate.ts';
import { startTinyServer, type TestServer } from '../test/http.ts';

/** fixtures/tiny/org.csv: each node and everything under it. */
const SUBTREE: Record<string, string[]> = {
  G: ['G', 'D1', 'D2', 'R1', 'R2', 'S1', 'S2', 'S3'],
  D1: ['D1', 'R1', 'S1', 'S2'],
  D2: ['D2', 'R2', 'S3'],
  R1: ['R1', 'S1', 'S2'],
  R2: ['R2', 'S3'],
  S1: ['S1'],
  S2: ['S2'],
  S3: ['S3'],
};
const NODES = Object.keys(SUBTREE);

/**
 * Each metric's domain, copied from the KPI dictionary (docs/metrics.md, /work/shared/METRICS.md:
 * the domain in each section's heading) and its driver-tree section.
 */
const METRIC_DOMAIN: Record<string, string> = {
  // Sales — domain `sales`
  new_units: 'sales',
  used_units: 'sales',
  vehicle_revenue: 'sales',
  new_gross_profit: 'sales',
  new_gross_per_unit: 'sales',
  accessory_per_unit: 'sales',
  used_new_ratio: 'sales',
  trade_in_rate: 'sales',
  discount_rate: 'sales',
  rebate_income: 'sales',
  new_gross_incl_rebate_per_unit: 'sales',
  used_gross_profit: 'sales',
  used_gross_per_unit: 'sales',
  new_gross_incl_rebate: 'sales',
  // Finance & insurance — domain `fi`
  finance_penetration: 'fi',
  insurance_penetration: 'fi',
  fi_income_per_unit: 'fi',
  fi_income: 'fi',
  // Customer funnel — domain `funnel`
  leads: 'funnel',
  visit_rate: 'funnel',
  visit_to_order_rate: 'funnel',
  lead_to_order_rate: 'funnel',
  test_drive_rate: 'funnel',
  // After-sales & parts — domain `aftersales`
  repair_orders: 'aftersales',
  aftersales_revenue: 'aftersales',
  aftersales_gross_profit: 'aftersales',
  revenue_per_ro: 'aftersales',
  effective_labour_rate: 'aftersales',
  hours_per_ro: 'aftersales',
  customer_pay_share: 'aftersales',
  fixed_absorption: 'aftersales',
  return_rate: 'aftersales',
  parts_turnover: 'aftersales',
  obsolete_parts_share: 'aftersales',
  service_gross_profit: 'aftersales',
  parts_gross_profit: 'aftersales',
  // Vehicle inventory — domain `inventory`
  new_stock_units: 'inventory',
  stock_value: 'inventory',
  inventory_coefficient: 'inventory',
  aged_stock_share_90: 'inventory',
  new_days_supply: 'inventory',
  floorplan_balance: 'inventory',
  floorplan_interest: 'inventory',
  // Finance & cash-flow risk — domain `finance`
  revenue: 'finance',
  gross_profit: 'finance',
  gross_profit_incl_rebates: 'finance',
  net_profit: 'finance',
  net_margin: 'finance',
  expense_to_gross: 'finance',
  operating_cash_flow: 'finance',
  dso: 'finance',
  dio: 'finance',
  dpo: 'finance',
  cash_conversion_cycle: 'finance',
  overdue_receivables_share: 'finance',
  debt_to_asset: 'finance',
  current_ratio: 'finance',
  rebate_receivable: 'finance',
  rebate_days_outstanding: 'finance',
};
const ALL_METRICS = Object.keys(METRIC_DOMAIN);
const ALL_DOMAINS = ['sales', 'fi', 'funnel', 'aftersales', 'inventory', 'finance'];
const PRODUCTS = [
  'brand:宝马',
  'origin:imported',
  'series:汉',
  'model:BYD-HAN-EV',
  'powertrain:bev',
  'brand:nope',
];

const USERS = [
  { username: 'u.group', role: 'group', nodes: ['G'], domains: ALL_DOMAINS },
  { username: 'u.division', role: 'division', nodes: ['D2'], domains: ALL_DOMAINS },
  { username: 'u.region', role: 'region', nodes: ['R1'], domains: ALL_DOMAINS },
  { username: 'u.store', role: 'store', nodes: ['S1'], domains: ALL_DOMAINS },
  { username: 'u.finance', role: 'finance', nodes: ['G'], domains: ['finance', 'inventory'] },
  { username: 'u.special', role: 'special', nodes: ['S2', 'S3'], domains: ['sales', 'aftersales'] },
  { username: 'u.special2', role: 'special', nodes: ['R1', 'S3'], domains: ['fi', 'funnel'] },
];
type User = (typeof USERS)[number];

/** fixtures/tiny/staff.csv: each person's store, and an id it does not hold. */
const STAFF: Record<string, string | null> = {
  'E-101': 'S1',
  'E-102': 'S1',
  'E-103': 'S1',
  'E-104': 'S1',
  'E-201': 'S2',
  'E-202': 'S2',
  'E-203': 'S2',
  'E-301': 'S3',
  'E-999': null,
};
/** Their names, which must never reach someone who may not see them. */
const STAFF_NAMES: Record<string, string> = {
  'E-101': '王芳',
  'E-102': '李娜',
  'E-103': '赵强',
  'E-104': '张伟',
  'E-201': '孙丽',
  'E-202': '周敏',
  'E-203': '吴刚',
  'E-301': '黄杰',
};
/** 王芳, sales consultant at S1, signed in as herself: the sales, F&I and funnel domains by default. */
const STAFF_USER = { username: 'u.staff', role: 'staff', nodes: [], staff: 'E-101' };
/** What 王芳 may see: her store, and the default domains of a sales consultant. */
const STAFF_USER_SCOPE = { ...STAFF_USER, nodes: ['S1'], domains: ['sales', 'fi', 'funnel'] };
/** Person-level metrics as docs/metrics.md lists them (People), and some that are not. */
const PERSON_METRICS = [
  'new_units',
  'vehicle_revenue',
  'fi_income',
  'lead_to_order_rate',
  'repair_orders',
  'revenue_per_ro',
];
const STORE_ONLY_METRICS = ['net_profit', 'aftersales_revenue', 'return_rate', 'new_stock_units'];
/** The metrics of each role's scorecard as the README lists the defaults. */
const SCORECARD_METRICS: Record<string, string[]> = {
  region_manager: ['new_units', 'gross_profit', 'aftersales_revenue', 'net_profit', 'finance_penetration'],
  store_manager: ['new_units', 'gross_profit', 'aftersales_revenue', 'net_profit', 'finance_penetration'],
  sales_consultant: ['new_units', 'new_gross_profit', 'finance_penetration'],
  service_advisor: ['repair_orders', 'service_gross_profit', 'customer_pay_share'],
  fi_specialist: ['finance_penetration', 'insurance_penetration'],
};

/**
 * Rules a group enables after calibrating (off in the seed), so tiny raises alerts in five domains,
 * not only finance. On tiny's March 2025: S2 and S3 sold no used car against a new one
 * (used_new_ratio 0 < 0.3); S2's one new car was not financed and S3's not insured (penetration
 * 0); S2's visited lead did not order (visit-to-order 0 at S2 and up to G); S1's after-sales gross
 * profit (3 000) against salaries of 80 000 (fixed absorption 3.75%).
 */
const RULES_TO_ENABLE = [
  'used_new_ratio',
  'finance_penetration',
  'insurance_penetration',
  'visit_to_order_rate',
  'fixed_absorption',
];

/** A small seeded PRNG so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return {
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

let warehouse: Warehouse;
let server: TestServer;
let tokens: Record<string, string>;
/** Every alert and task, read straight from the app tables (not through any scope). */
let ALERTS: { id: number; node: string; metric: string; status: string; level: string }[];
let TASKS: { id: number; node: string; metric: string; status: string; assignee: string }[];

beforeAll(async () => {
  ({ warehouse, server, tokens } = await startTinyServer([...USERS, STAFF_USER]));
  const rules = (await server.get('/api/rules', tokens['u.group'])).body.rules as {
    rule_id: number;
    metric_id: string;
    comparison: string;
  }[];
  for (const metric of RULES_TO_ENABLE) {
    const rule = rules.find((r) => r.metric_id === metric && r.comparison === 'value')!;
    const res = await fetch(`${server.base}/api/rules/${rule.rule_id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${tokens['u.group']}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true }),
    });
    expect(res.status).toBe(200);
  }
  await evaluateRisks(warehouse.knex);
  ALERTS = (
    (
      await warehouse.knex.raw(
        'SELECT alert_id, node_id, metric_id, status, level FROM app.alerts ORDER BY 1',
      )
    ).rows as any[]
  ).map((r) => ({
    id: Number(r.alert_id),
    node: r.node_id,
    metric: r.metric_id,
    status: r.status,
    level: r.level,
  }));
  TASKS = (
    (
      await warehouse.knex.raw(
        'SELECT task_id, node_id, metric_id, status, assignee FROM app.tasks ORDER BY 1',
      )
    ).rows as any[]
  ).map((r) => ({
    id: Number(r.task_id),
    node: r.node_id,
    metric: r.metric_id,
    status: r.status,
    assignee: r.assignee,
  }));
}, 60_000);
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

const scopeOf = (user: User) => {
  const allowed = new Set(user.nodes.flatMap((n) => SUBTREE[n]!));
  const sees = (node: string, metric: string) =>
    allowed.has(node) && user.domains.includes(METRIC_DOMAIN[metric]!);
  return { allowed, sees };
};
const sortedIds = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);

const ENDPOINTS = [
  'kpi',
  'breakdown',
  'timeseries',
  'series',
  'rank',
  'alerts',
  'tasks',
  'task',
  'receivables',
  'rebates',
  'targets',
  'scorecards',
  'explain',
  'bridge',
  'commentary',
  'forecast',
  'landing',
  'parts',
  'accuracy',
  'budget',
  'report',
] as const;

/** The OpenAPI paths of the endpoints fuzzed below, and (with /org and /metrics, checked after) every other GET that reads data. */
const FUZZED_PATHS = [
  '/api/kpi',
  '/api/breakdown',
  '/api/timeseries',
  '/api/series',
  '/api/rank',
  '/api/alerts',
  '/api/tasks',
  '/api/tasks/{id}',
  '/api/tasks/{id}/assignees',
  '/api/receivables/ageing',
  '/api/rebates/ageing',
  '/api/targets',
  '/api/scorecards',
  '/api/explain',
  '/api/bridge',
  '/api/commentary',
  '/api/forecast',
  '/api/landing',
  '/api/parts/forecast',
  '/api/forecast/accuracy',
  '/api/budgets/{id}',
  '/api/budgets/{id}/lines',
  '/api/reports/monthly',
  '/api/reports/weekly',
  '/api/reports/daily',
  '/api/reports/risk',
  '/api/org',
  '/api/metrics',
];
/** GETs that carry no figure of a node or metric: liveness, the data version, who you are, the risk rules (configuration). */
const NOT_DATA_PATHS = [
  '/api/health',
  '/api/version',
  '/api/me',
  '/api/rules',
  '/api/scorecards/definitions',
  '/api/openapi.json',
  // Budget versions: names, statuses and months (a version's parts and lines are fuzzed).
  '/api/budgets',
  // Report subscriptions: whom a report goes to and when, no figure (their scope is tested in
  // subscriptions/subscriptions.test.ts).
  '/api/subscriptions',
  // Whom the caller may name as a recipient: names, roles and nodes, no figure.
  '/api/subscriptions/recipients',
  '/api/subscriptions/{id}',
  '/api/subscriptions/{id}/deliveries',
];
type Endpoint = (typeof ENDPOINTS)[number];

describe('scope fuzz', () => {
  it('the fuzz’s domains are the server’s: every metric of /api/metrics is in the map above, in the same domain', async () => {
    const res = await server.get('/api/metrics', tokens['u.group']);
    const served = Object.fromEntries(
      (res.body.metrics as { id: string; domain: string }[]).map((m) => [m.id, m.domain]),
    );
    expect(served).toEqual(METRIC_DOMAIN);
  });

  it('every GET endpoint of the API is fuzzed here, or carries no data', async () => {
    const doc = (await server.get('/api/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const gets = Object.entries(doc.paths)
      .filter(([, methods]) => 'get' in methods)
      .map(([path]) => path);
    expect(gets.filter((p) => !FUZZED_PATHS.includes(p) && !NOT_DATA_PATHS.includes(p))).toEqual([]);
    expect(FUZZED_PATHS.filter((p) => !gets.includes(p))).toEqual([]);
  });

  it.each(USERS)('$username gets the catalog of its domains only', async (user) => {
    const res = await server.get('/api/metrics', tokens[user.username]);
    expect((res.body.metrics as { id: string }[]).map((m) => m.id).sort()).toEqual(
      ALL_METRICS.filter((m) => user.domains.includes(METRIC_DOMAIN[m]!)).sort(),
    );
  });

  it('tiny raises alerts and tasks in five domains and at every level, so the lists below are not vacuous', () => {
    expect([...new Set(ALERTS.map((a) => METRIC_DOMAIN[a.metric]))]).toEqual(
      expect.arrayContaining(['sales', 'fi', 'funnel', 'aftersales', 'finance']),
    );
    expect(new Set(ALERTS.map((a) => a.node[0]))).toEqual(new Set(['G', 'D', 'R', 'S']));
    expect(TASKS.length).toBeGreaterThanOrEqual(ALERTS.filter((a) => a.status === 'open').length);
  });

  it.each(USERS)('$username ($role) never sees outside its scope', async (user) => {
    const { allowed, sees } = scopeOf(user);
    const outside = NODES.filter((n) => !allowed.has(n));
    const deniedMetrics = ALL_METRICS.filter((m) => !user.domains.includes(METRIC_DOMAIN[m]!));
    const rnd = random(user.username.length * 7919);
    const checked = Object.fromEntries(ENDPOINTS.map((e) => [e, { ok: 0, refused: 0 }])) as Record<
      Endpoint,
      { ok: number; refused: number }
    >;
    const period = 'from=2025-01-01&to=2025-03-31';

    for (let i = 0; i < 8 * ENDPOINTS.length; i++) {
      const endpoint = ENDPOINTS[i % ENDPOINTS.length]!;
      const node = rnd.chance(0.1) ? `X${i}` : rnd.pick(NODES);
      const metrics = [rnd.pick(ALL_METRICS), ...(rnd.chance(0.5) ? [rnd.pick(ALL_METRICS)] : [])].filter(
        (m, j, a) => a.indexOf(m) === j,
      );
      const product = rnd.chance(0.3) ? `&product=${encodeURIComponent(rnd.pick(PRODUCTS))}` : '';
      let path: string;
      // What the request may name: null = no node param; the metrics it asks for (none for lists).
      let nodeParam: string | null = node;
      let asked: string[] = [];
      switch (endpoint) {
        case 'kpi':
          path = `/api/kpi?metrics=${metrics.join(',')}&node=${node}&${period}${product}`;
          asked = metrics;
          break;
        case 'breakdown':
          path = `/api/breakdown?metric=${metrics[0]}&node=${node}&${period}&by=${rnd.chance(0.7) ? 'children' : 'province'}${product}`;
          asked = [metrics[0]!];
          break;
        case 'timeseries':
          path = `/api/timeseries?metric=${metrics[0]}&node=${node}&${period}&grain=month${product}`;
          asked = [metrics[0]!];
          break;
        case 'series':
          path = `/api/series?metrics=${metrics.join(',')}&node=${node}&${period}`;
          asked = metrics;
          break;
        case 'rank':
          path = `/api/rank?metric=${metrics[0]}&node=${node}&${period}`;
          asked = [metrics[0]!];
          break;
        case 'alerts': {
          if (rnd.chance(0.3)) nodeParam = null;
          const level = rnd.chance(0.3)
            ? `&level=${rnd.pick(['warning', 'critical', 'warning,critical'])}`
            : '';
          path = `/api/alerts?status=open,closed${nodeParam ? `&node=${nodeParam}` : ''}${level}`;
          break;
        }
        case 'tasks': {
          if (rnd.chance(0.3)) nodeParam = null;
          const assignee = rnd.chance(0.3)
            ? `&assignee=${rnd.pick(['me', 'zhang.wei', 'sun.li', 'chen.zong', 'li.hua'])}`
            : '';
          const status = rnd.chance(0.2) ? '&status=plan,do' : '';
          path = `/api/tasks?limit=1000${nodeParam ? `&node=${nodeParam}` : ''}${assignee}${status}`;
          break;
        }
        case 'task':
          // A task, or whom it may go to: both only for who may see the task.
          nodeParam = null;
          path = `/api/tasks/${1 + (Math.floor(i / ENDPOINTS.length) % (TASKS.length + 2))}${rnd.chance(0.4) ? '/assignees' : ''}`;
          break;
        case 'scorecards': {
          const role = rnd.pick(Object.keys(SCORECARD_METRICS));
          path = `/api/scorecards?node=${node}&period=2025-03&role=${role}`;
          asked = SCORECARD_METRICS[role]!;
          break;
        }
        case 'bridge': {
          const kind = rnd.pick([
            'new_gross',
            'used_gross',
            'aftersales_gross',
            'net_profit',
            'operating_cash_flow',
          ]);
          path = `/api/bridge?kind=${kind}&node=${node}&${period}&compare=${rnd.pick(['prev', 'yoy', 'budget'])}`;
          // The bridge reads its gross and its volume.
          asked = {
            new_gross: ['new_gross_profit', 'new_units'],
            used_gross: ['used_gross_profit', 'used_units'],
            aftersales_gross: ['aftersales_gross_profit', 'repair_orders'],
            net_profit: ['net_profit'],
            operating_cash_flow: ['net_profit', 'operating_cash_flow'],
          }[kind]!;
          break;
        }
        case 'explain':
          path = `/api/explain?metric=${metrics[0]}&node=${node}&${period}&compare=${rnd.pick(['prev', 'yoy', 'budget'])}`;
          asked = [metrics[0]!];
          break;
        case 'commentary':
          // The key metrics of the user's domains: it asks for none it is refused.
          path = `/api/commentary?node=${node}&${period}`;
          break;
        case 'forecast':
          path = `/api/forecast?metric=${metrics[0]}&node=${node}&horizon=3${rnd.chance(0.3) ? '&by=children' : ''}`;
          asked = [metrics[0]!];
          break;
        case 'landing': {
          // Half the time metrics that have a landing, so the answers are not all refusals of the metric.
          const landing = rnd.chance(0.5)
            ? [rnd.pick(['new_units', 'aftersales_revenue', 'net_profit'])]
            : metrics;
          path = `/api/landing?node=${node}&metrics=${landing.join(',')}`;
          asked = landing;
          break;
        }
        case 'parts':
          path = `/api/parts/forecast?node=${node}`;
          break;
        case 'accuracy':
          // The families of the user's domains: it asks for none it is refused.
          path = `/api/forecast/accuracy?node=${node}`;
          break;
        case 'targets':
          path = `/api/targets?metric=${metrics[0]}&node=${node}&from=2025-02&to=2025-03`;
          asked = [metrics[0]!];
          break;
        case 'budget':
          // Version 1 is tiny's budget.csv: a version's parts, or a node's grid of one metric.
          if (rnd.chance(0.3)) {
            nodeParam = null;
            path = '/api/budgets/1';
          } else {
            // Half the time a metric versions plan.
            const metric = rnd.chance(0.5)
              ? rnd.pick(['new_units', 'repair_orders', 'net_profit', 'finance_penetration'])
              : metrics[0]!;
            path = `/api/budgets/1/lines?metric=${metric}&node=${node}`;
            asked = [metric];
          }
          break;
        case 'report': {
          // The report of the caller's domains: it asks for no metric it is refused.
          const kind = rnd.pick(['monthly', 'weekly', 'daily', 'risk']);
          const day = rnd.pick(['2025-03-31', '2025-02-28', '2025-03-20']);
          path = `/api/reports/${kind}?node=${node}&period=${kind === 'monthly' ? day.slice(0, 7) : day}`;
          break;
        }
        case 'receivables':
        case 'rebates':
          path = `/api/${endpoint}/ageing?node=${node}&date=${rnd.pick(['2025-03-31', '2025-02-28', '2025-03-20'])}`;
          break;
      }
      let res = await server.get(path, tokens[user.username]);
      // A forecast being computed: asked again once it is, so its answer is checked too.
      if (res.status === 202) {
        await server.app.forecasts.idle();
        res = await server.get(path, tokens[user.username]);
      }
      const body = JSON.stringify(res.body);
      const label = `${path} → ${res.status} ${body.slice(0, 300)}`;
      const tally = checked[endpoint];

      if (endpoint === 'task') {
        const id = Number(path.split('/')[3]);
        const task = TASKS.find((t) => t.id === id);
        if (!task) expect(res.status, label).toBe(404);
        else if (sees(task.node, task.metric)) {
          expect(res.status, label).toBe(200);
          if (path.endsWith('/assignees')) {
            // Whom it may go to: users who see it (here, of the fuzz's users, by the oracle).
            const expected = [...USERS, STAFF_USER_SCOPE].filter(
              (u) => u.role !== 'special' && scopeOf(u).sees(task.node, task.metric),
            );
            expect(
              (res.body.assignees as { username: string }[])
                .map((p) => p.username)
                .filter((u) => u.startsWith('u.')),
              label,
            ).toEqual(expected.map((u) => u.username).sort());
          } else
            expect([res.body.id, res.body.alert.node.id, res.body.alert.metric.id]).toEqual([
              task.id,
              task.node,
              task.metric,
            ]);
          tally.ok++;
        } else {
          expect(res.status, label).toBe(403);
          expect(res.body.error.code).toBe('task_out_of_scope');
          tally.refused++;
        }
      } else if (endpoint === 'alerts' || endpoint === 'tasks') {
        if (nodeParam && !SUBTREE[nodeParam]) {
          expect(res.status, label).toBe(400);
          expect(res.body.error).toMatchObject({ code: 'unknown_node', param: 'node' });
        } else if (nodeParam && !allowed.has(nodeParam)) {
          expect(res.status, label).toBe(403);
          expect(res.body.error).toMatchObject({ code: 'node_out_of_scope', param: 'node' });
          tally.refused++;
        } else {
          expect(res.status, label).toBe(200);
          const under = (n: string) => !nodeParam || SUBTREE[nodeParam]!.includes(n);
          const query = new URLSearchParams(path.split('?')[1]);
          // Every row at a node in scope and on a granted metric, each shown with its dictionary domain.
          const rows = (
            endpoint === 'alerts'
              ? res.body.alerts
              : res.body.tasks.map((t: any) => ({ ...t.alert, task: t }))
          ) as any[];
          for (const row of rows) {
            expect(allowed.has(row.node.id), `${label}: alert at ${row.node.id}`).toBe(true);
            expect(user.domains, `${label}: ${row.metric.id}`).toContain(METRIC_DOMAIN[row.metric.id]);
            expect(row.metric.domain).toBe(METRIC_DOMAIN[row.metric.id]);
          }
          // And exactly the rows the user may see, from the app tables.
          if (endpoint === 'alerts') {
            const levels = query.get('level')?.split(',');
            expect(sortedIds(rows), label).toEqual(
              sortedIds(
                ALERTS.filter(
                  (a) => sees(a.node, a.metric) && under(a.node) && (!levels || levels.includes(a.level)),
                ),
              ),
            );
          } else {
            const assignee = query.get('assignee') === 'me' ? user.username : query.get('assignee');
            const statuses = query.get('status')?.split(',');
            expect(sortedIds(rows.map((r) => r.task)), label).toEqual(
              sortedIds(
                TASKS.filter(
                  (t) =>
                    sees(t.node, t.metric) &&
                    under(t.node) &&
                    (!assignee || t.assignee === assignee) &&
                    (!statuses || statuses.includes(t.status)),
                ),
              ),
            );
          }
          tally.ok++;
        }
      } else if (endpoint === 'budget') {
        // Special grants take no part in budgeting; the metric, then the node, are checked.
        const deniedMetric = asked.find((m) => !user.domains.includes(METRIC_DOMAIN[m]!));
        if (user.role === 'special') {
          expect(res.status, label).toBe(403);
          expect(res.body.error.code).toBe('read_only');
          tally.refused++;
        } else if (!nodeParam) {
          expect(res.status, label).toBe(200);
          for (const part of res.body.parts) expect(allowed.has(part.node.id), label).toBe(true);
          tally.ok++;
        } else if (deniedMetric) {
          expect(res.status, label).toBe(403);
          expect(res.body.error.code).toBe('metric_out_of_scope');
          tally.refused++;
        } else if (!SUBTREE[node]) {
          expect(res.status, label).toBe(400);
          expect(res.body.error).toMatchObject({ code: 'unknown_node', param: 'node' });
        } else if (!allowed.has(node)) {
          expect(res.status, label).toBe(403);
          expect(res.body.error).toMatchObject({ code: 'node_out_of_scope', param: 'node' });
          tally.refused++;
        } else {
          // A metric no version plans is a 400; else the node's units, all in scope.
          expect([200, 400], label).toContain(res.status);
          if (res.status === 400) expect(res.body.error.param, label).toBe('metric');
          else {
            for (const row of res.body.rows) expect(SUBTREE[node], label).toContain(row.id);
            tally.ok++;
          }
        }
      } else if (endpoint === 'receivables' || endpoint === 'rebates') {
        // Open receivables and rebates belong to the finance domain; the node is checked first.
        if (!SUBTREE[node]) {
          expect(res.status, label).toBe(400);
          expect(res.body.error).toMatchObject({ code: 'unknown_node', param: 'node' });
        } else if (!allowed.has(node) || !user.domains.includes('finance')) {
          expect(res.status, label).toBe(403);
          expect(['node_out_of_scope', 'domain_out_of_scope']).toContain(res.body.error.code);
          if (!allowed.has(node)) expect(res.body.error.code).toBe('node_out_of_scope');
          tally.refused++;
        } else {
          expect(res.status, label).toBe(200);
          for (const doc of res.body.largest) expect(SUBTREE[node], label).toContain(doc.store_id);
          tally.ok++;
        }
      } else {
        // Metrics are checked before the node: an ungranted domain is reported first.
        const deniedMetric = asked.find((m) => !user.domains.includes(METRIC_DOMAIN[m]!));
        if (deniedMetric) {
          expect(res.status, label).toBe(403);
          expect(res.body.error.code).toBe('metric_out_of_scope');
          tally.refused++;
        } else if (endpoint === 'parts' && !user.domains.includes('aftersales')) {
          expect(res.status, label).toBe(403);
          expect(res.body.error.code).toBe('domain_out_of_scope');
          tally.refused++;
        } else if (!SUBTREE[node]) {
          expect(res.status, label).toBe(400);
          expect(res.body.error).toMatchObject({ code: 'unknown_node', param: 'node' });
        } else if (!allowed.has(node)) {
          expect(res.status, label).toBe(403);
          expect(res.body.error).toMatchObject({ code: 'node_out_of_scope', param: 'node' });
          tally.refused++;
        } else {
          // A product filter on a metric that has no product dimension is a 400, and so are targets of a
          // balance (no targets) or of a store by person for a store-level figure, a forecast of a
          // metric that is no sum of flows, and the parts of a node above a store; otherwise data.
          expect([200, 400], label).toContain(res.status);
          const badParam = {
            targets: /metric/,
            forecast: /metric/,
            landing: /metrics/,
            parts: /node/,
          }[endpoint as string];
          if (res.status === 400) expect(res.body.error.param, label).toMatch(badParam ?? /product|by/);
          else {
            tally.ok++;
            if (endpoint === 'kpi') expect(Object.keys(res.body.metrics).sort()).toEqual([...asked].sort());
            if (endpoint === 'series') expect(Object.keys(res.body.series).sort()).toEqual([...asked].sort());
            if (endpoint === 'breakdown' && path.includes('by=children'))
              for (const row of res.body.rows) expect(SUBTREE[node]).toContain(row.id);
            // A league's units: regions and stores under the node, or people at its stores.
            if (endpoint === 'scorecards')
              for (const row of res.body.rows)
                expect(
                  SUBTREE[node]!.includes(row.id) || SUBTREE[node]!.includes(STAFF[row.id] ?? ''),
                  label,
                ).toBe(true);
            if (endpoint === 'explain')
              for (const row of res.body.children) expect(SUBTREE[node], label).toContain(row.id);
            // A node's units: its children, or a store's people.
            if (endpoint === 'targets')
              for (const row of res.body.rows)
                expect(SUBTREE[node]!.includes(row.id) || STAFF[row.id] === node, label).toBe(true);
            // Peers' names and figures only for a user who sees every one of them.
            if (endpoint === 'rank')
              for (const peer of res.body.peers ?? []) expect(allowed.has(peer.id), label).toBe(true);
          }
        }
      }
      // Whatever the answer, it names no node outside the scope (but the refused node itself, and a
      // parent's id, which the org tree gives for breadcrumbs), and no metric of an ungranted domain.
      const named = body.replace(/"parent_id":"[^"]*"/g, '');
      for (const other of outside) if (other !== nodeParam) expect(named, label).not.toContain(`"${other}"`);
      for (const metric of deniedMetrics) expect(body, label).not.toContain(`"${metric}"`);
    }
    // Every endpoint was exercised, with answers and (for users with something outside) refusals.
    for (const endpoint of ENDPOINTS)
      expect(checked[endpoint].ok + checked[endpoint].refused, endpoint).toBeGreaterThan(0);
    const limited = outside.length > 0 || deniedMetrics.length > 0;
    if (limited) expect(Object.values(checked).reduce((n, c) => n + c.refused, 0)).toBeGreaterThan(5);
  });

  it.each(USERS)('$username lists exactly the alerts and tasks of its subtrees and domains', async (user) => {
    const { sees } = scopeOf(user);
    const alerts = (await server.get('/api/alerts?status=open,closed&limit=1000', tokens[user.username])).body
      .alerts;
    const tasks = (await server.get('/api/tasks?limit=1000', tokens[user.username])).body.tasks;
    expect(sortedIds(alerts)).toEqual(sortedIds(ALERTS.filter((a) => sees(a.node, a.metric))));
    expect(sortedIds(tasks)).toEqual(sortedIds(TASKS.filter((t) => sees(t.node, t.metric))));
  });

  it('the lists are neither all nor nothing: each limited user sees some alerts and is spared others', async () => {
    for (const user of USERS.filter((u) => u.username !== 'u.group')) {
      const { sees } = scopeOf(user);
      const visible = ALERTS.filter((a) => sees(a.node, a.metric)).length;
      expect(visible, user.username).toBeLessThan(ALERTS.length);
      expect(visible, user.username).toBeGreaterThan(0);
    }
  });

  it.each(USERS)('$username gets an org tree with figures only for its subtree', async (user) => {
    const { allowed } = scopeOf(user);
    const res = await server.get('/api/org', tokens[user.username]);
    for (const node of res.body.nodes) {
      if (node.in_scope) expect(allowed.has(node.node_id)).toBe(true);
      else expect(node).toMatchObject({ store_type: null, province: null, city: null });
    }
    expect(
      res.body.nodes
        .filter((n: any) => n.in_scope)
        .map((n: any) => n.node_id)
        .sort(),
    ).toEqual([...allowed].sort());
  });

  it('a peer ranking never names or values peers outside the scope', async () => {
    for (const metric of ['vehicle_revenue', 'new_units', 'repair_orders']) {
      const res = await server.get(
        `/api/rank?metric=${metric}&node=S1&from=2025-01-01&to=2025-03-31`,
        tokens['u.store'],
      );
      expect(res.status).toBe(200);
      expect(res.body.peers).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toMatch(/"S2"|"S3"/);
    }
  });
});

describe('scope fuzz: people', () => {
  const PEOPLE_USERS: (User & { staff?: string })[] = [...USERS, STAFF_USER_SCOPE];
  const period = 'from=2025-01-01&to=2025-03-31';

  it.each(PEOPLE_USERS)('$username ($role) reads only the people it may see', async (user) => {
    const { allowed } = scopeOf(user);
    const own = user.staff ?? null;
    /** Whom the user may read: a staff user only themselves, anyone else the people of its stores. */
    const mayRead = (id: string) => (own ? id === own : STAFF[id] !== null && allowed.has(STAFF[id]!));
    const rnd = random(user.username.length * 104729);
    const tally = { ok: 0, refused: 0 };

    for (let i = 0; i < 60; i++) {
      const kind = rnd.pick(['kpi', 'timeseries', 'breakdown'] as const);
      const node = rnd.pick(NODES);
      const metric = rnd.chance(0.8) ? rnd.pick(PERSON_METRICS) : rnd.pick(STORE_ONLY_METRICS);
      const staff: string = rnd.chance(0.2) && own ? own : rnd.pick(Object.keys(STAFF));
      const path =
        kind === 'kpi'
          ? `/api/kpi?metrics=${metric}&node=${node}&staff=${staff}&${period}`
          : kind === 'timeseries'
            ? `/api/timeseries?metric=${metric}&node=${node}&staff=${staff}&grain=month&${period}`
            : `/api/breakdown?metric=${metric}&node=${node}&by=staff&${period}`;
      let res = await server.get(path, tokens[user.username]);
      // A forecast being computed: asked again once it is, so its answer is checked too.
      if (res.status === 202) {
        await server.app.forecasts.idle();
        res = await server.get(path, tokens[user.username]);
      }
      const body = JSON.stringify(res.body);
      const label = `${path} → ${res.status} ${body.slice(0, 300)}`;

      // The checks in the order the server makes them: metric domain, node, then the person.
      const expected = ((): [number, string] | 'ok' => {
        if (!user.domains.includes(METRIC_DOMAIN[metric]!)) return [403, 'metric_out_of_scope'];
        if (!allowed.has(node)) return [403, 'node_out_of_scope'];
        if (kind === 'breakdown') {
          if (node[0] !== 'S') return [400, 'invalid_parameter'];
          if (STORE_ONLY_METRICS.includes(metric)) return [400, 'unsupported_breakdown'];
          return own ? [403, 'staff_out_of_scope'] : 'ok';
        }
        if (own && staff !== own) return [403, 'staff_out_of_scope'];
        if (!mayRead(staff)) return [400, 'unknown_staff'];
        if (!SUBTREE[node]!.includes(STAFF[staff]!)) return [400, 'staff_not_under_node'];
        if (STORE_ONLY_METRICS.includes(metric)) return [400, 'unsupported_staff_filter'];
        return 'ok';
      })();
      if (expected === 'ok') {
        expect(res.status, label).toBe(200);
        if (kind === 'breakdown')
          for (const row of res.body.rows)
            expect(row.id === '~unassigned' || STAFF[row.id] === node, label).toBe(true);
        else expect(res.body.staff.id, label).toBe(staff);
        tally.ok++;
      } else {
        expect([res.status, res.body.error?.code], label).toEqual(expected);
        tally.refused++;
      }
      // Whatever the answer, no one the user may not read is named in it.
      for (const [id, name] of Object.entries(STAFF_NAMES))
        if (!mayRead(id)) {
          expect(body, label).not.toContain(name);
          if (id !== staff) expect(body, label).not.toContain(`"${id}"`);
        }
    }
    // Every user but finance (no person-level domain) had answers; everyone had refusals.
    if (PERSON_METRICS.some((m) => user.domains.includes(METRIC_DOMAIN[m]!)))
      expect(tally.ok, 'some requests answered').toBeGreaterThan(0);
    expect(tally.refused, 'some requests refused').toBeGreaterThan(0);
  });

  it('a staff user reads nothing of the store: no figures without their own id, no ranks, budgets, documents or alerts', async () => {
    const token = tokens['u.staff'];
    const refused = [
      `/api/kpi?metrics=new_units&node=S1&${period}`,
      `/api/kpi?metrics=new_units&node=S1&staff=E-101&compare=budget&${period}`.replace(
        '&compare=budget',
        '',
      ),
      `/api/series?metrics=new_units&node=S1&${period}`,
      `/api/breakdown?metric=new_units&node=S1&by=children&${period}`,
      `/api/rank?metric=new_units&node=S1&${period}`,
      `/api/timeseries?metric=new_units&node=S1&grain=month&compare=budget&${period}`,
    ].filter((p) => !p.includes('staff=E-101'));
    for (const path of refused) {
      const res = await server.get(path, token);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 403, 'staff_out_of_scope']);
    }
    const own = await server.get(
      `/api/kpi?metrics=new_units,leads&node=S1&staff=E-101&compare=budget&${period}`,
      token,
    );
    expect(own.status).toBe(200);
    expect(own.body.metrics.new_units.value).toBe(1); // SO-0001
    expect(own.body.metrics.new_units.budget).toMatchObject({ target: null, reason: 'no_target' }); // targets are per store
    expect((await server.get('/api/alerts?status=open,closed', token)).body.alerts).toEqual([]);
    expect((await server.get('/api/tasks', token)).body.tasks).toEqual([]);
    expect((await server.get('/api/receivables/ageing?node=S1&date=2025-03-31', token)).status).toBe(403);
  });
});
