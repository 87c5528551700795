// The OpenAPI document against the running implementation: every documented path answers, real
// responses match the documented schemas, documented parameters are accepted and errors have
// the documented shape.
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../db/warehouse.ts';
import { startTinyServer, TEST_PASSWORD, type TestServer } from '../test/http.ts';

let warehouse: Warehouse;
let server: TestServer;
let token: string;
let doc: any;
const ajv = new Ajv2020({ strict: false });

beforeAll(async () => {
  let tokens: Record<string, string>;
  ({ warehouse, server, tokens } = await startTinyServer([
    { username: 'chen.zong', role: 'group', nodes: ['G'] },
  ]));
  token = tokens['chen.zong']!;
  doc = (await server.get('/api/openapi.json')).body;
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

/** Values for every documented query parameter, optional ones included. */
const EXAMPLES: Record<string, string> = {
  metrics: 'new_units,dso',
  metric: 'new_units',
  node: 'G',
  from: '2025-01-01',
  to: '2025-03-31',
  compare: 'yoy',
  product: 'brand:宝马',
  by: 'children',
  sort: 'asc',
  limit: '10',
  grain: 'month',
  level: 'critical,warning',
  assignee: 'me',
  date: '2025-03-31',
  staff: 'E-101',
  role: 'store_manager',
  kind: 'new_gross',
  months: '2',
  horizon: '3',
  as_of: '2025-02-28',
  part_no: '11427953129',
  offset: '0',
  service_level: '0.9',
  only: 'order',
};
/** Parameters whose values differ by path. */
const STATUS: Record<string, string> = {
  '/api/alerts': 'open,closed',
  '/api/tasks': 'plan,do,check,act,closed',
};

describe('/api/openapi.json', () => {
  it('is an OpenAPI 3.1 document covering every endpoint', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/alerts',
      '/api/auth/login',
      '/api/auth/logout',
      '/api/breakdown',
      '/api/bridge',
      '/api/budgets',
      '/api/budgets/{id}',
      '/api/budgets/{id}/allocate',
      '/api/budgets/{id}/lines',
      '/api/budgets/{id}/transition',
      '/api/commentary',
      '/api/explain',
      '/api/forecast',
      '/api/forecast/accuracy',
      '/api/health',
      '/api/kpi',
      '/api/landing',
      '/api/me',
      '/api/metrics',
      '/api/org',
      '/api/parts/forecast',
      '/api/rank',
      '/api/rebates/ageing',
      '/api/receivables/ageing',
      '/api/reports/daily',
      '/api/reports/monthly',
      '/api/reports/risk',
      '/api/reports/weekly',
      '/api/rules',
      '/api/rules/{id}',
      '/api/scorecards',
      '/api/scorecards/definitions',
      '/api/scorecards/definitions/{role}',
      '/api/series',
      '/api/subscriptions',
      '/api/subscriptions/recipients',
      '/api/subscriptions/{id}',
      '/api/subscriptions/{id}/deliveries',
      '/api/subscriptions/{id}/run',
      '/api/targets',
      '/api/tasks',
      '/api/tasks/{id}',
      '/api/tasks/{id}/assign',
      '/api/tasks/{id}/assignees',
      '/api/tasks/{id}/comments',
      '/api/tasks/{id}/transition',
      '/api/timeseries',
      '/api/version',
    ]);
  });

  it('documents responses that the implementation really gives, with every documented parameter', async () => {
    for (const [path, methods] of Object.entries<any>(doc.paths)) {
      if (!methods.get || path.includes('{')) continue;
      const op = methods.get;
      const query = new URLSearchParams();
      for (const p of op.parameters ?? []) {
        // kpi's compare accepts a list; product and person filters only suit some metrics (not dso).
        if ((p.name === 'product' || p.name === 'staff') && path !== '/api/timeseries') continue;
        if (p.name === 'unit') continue; // one unit's card: the league is checked here
        query.set(p.name, (p.name === 'status' ? STATUS[path] : EXAMPLES[p.name]) ?? '');
        // Targets and scorecards are by month.
        if (path === '/api/targets' && (p.name === 'from' || p.name === 'to'))
          query.set(p.name, EXAMPLES[p.name]!.slice(0, 7));
        if (path === '/api/scorecards' && p.name === 'period') query.set(p.name, '2025-03');
        if (path.startsWith('/api/reports/') && p.name === 'period')
          query.set(p.name, path.endsWith('/monthly') ? '2025-03' : '2025-03-31');
      }
      if (path === '/api/kpi') query.set('metrics', 'new_units,dso');
      if (path === '/api/landing') query.set('metrics', 'new_units'); // forecastable metrics only
      if (path === '/api/parts/forecast') query.set('node', 'S1'); // parts are ordered per store
      let res = await server.get(`${path}?${query}`, token);
      // A forecast is computed off the request path: 202 first, the answer once it is done.
      if (res.status === 202) {
        await server.app.forecasts.idle();
        res = await server.get(`${path}?${query}`, token);
      }
      expect(res.status, `${path}?${query}: ${JSON.stringify(res.body)}`).toBe(200);
      const validate = ajv.compile(op.responses['200'].content['application/json'].schema);
      expect(validate(res.body), `${path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });

  it('documents alerts, tasks and one task with its trail as they really come (tiny raises alerts)', async () => {
    const alerts = (await server.get('/api/alerts', token)).body.alerts;
    expect(alerts.length).toBeGreaterThan(0);
    const id = alerts[0].task.id;
    const res = await server.get(`/api/tasks/${id}`, token);
    const validate = ajv.compile(
      doc.paths['/api/tasks/{id}'].get.responses['200'].content['application/json'].schema,
    );
    expect(validate(res.body), ajv.errorsText(validate.errors)).toBe(true);
    expect(res.body.events[0]).toMatchObject({ kind: 'created', to_status: 'plan' });
  });

  it('documents a subscription as it really comes, its body and its runs', async () => {
    const op = doc.paths['/api/subscriptions'].post;
    const body = {
      kind: 'weekly',
      node: 'R1',
      recipients: [{ user: 'chen.zong' }, { role: 'store', node: 'R1' }],
      channels: [
        { type: 'email' },
        { type: 'dingtalk', webhook: 'https://oapi.dingtalk.com/robot/send', secret: 'SEC1' },
      ],
      schedule: '0 8 * * 1',
    };
    expect(ajv.validate(op.requestBody.content['application/json'].schema, body), ajv.errorsText()).toBe(
      true,
    );
    const made = await server.send('POST', '/api/subscriptions', token, body);
    expect(made.status).toBe(201);
    const validate = ajv.compile(op.responses['201'].content['application/json'].schema);
    expect(validate(made.body), ajv.errorsText(validate.errors)).toBe(true);
    const list = await server.get('/api/subscriptions', token);
    const listed = ajv.compile(
      doc.paths['/api/subscriptions'].get.responses['200'].content['application/json'].schema,
    );
    expect(list.body.subscriptions).toHaveLength(1);
    expect(listed(list.body), ajv.errorsText(listed.errors)).toBe(true);
    const runs = await server.get(`/api/subscriptions/${made.body.id}/deliveries`, token);
    const op2 = doc.paths['/api/subscriptions/{id}/deliveries'].get;
    expect(ajv.validate(op2.responses['200'].content['application/json'].schema, runs.body)).toBe(true);
    expect(doc.paths['/api/subscriptions/{id}'].delete.responses['204']).toEqual({
      description: 'Done (no body)',
    });
  });

  it('documents the login body and answer', async () => {
    const op = doc.paths['/api/auth/login'].post;
    const res = await fetch(`${server.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'chen.zong', password: TEST_PASSWORD }),
    });
    const validate = ajv.compile(op.responses['200'].content['application/json'].schema);
    expect(validate(await res.json())).toBe(true);
  });

  it('documents the error shape of 400, 401 and 403', async () => {
    const op = doc.paths['/api/kpi'].get;
    for (const [status, path, auth] of [
      ['400', '/api/kpi?metrics=new_units&node=G&from=x&to=2025-01-01', token],
      ['401', '/api/kpi?metrics=new_units&node=G&from=2025-01-01&to=2025-01-31', undefined],
    ] as const) {
      const res = await server.get(path, auth);
      expect(res.status).toBe(Number(status));
      const validate = ajv.compile(op.responses[status].content['application/json'].schema);
      expect(validate(res.body)).toBe(true);
    }
  });

  it('lists exactly the parameters the endpoints accept', async () => {
    const params = doc.paths['/api/breakdown'].get.parameters.map((p: any) => p.name).sort();
    expect(params).toEqual(['by', 'compare', 'from', 'limit', 'metric', 'node', 'product', 'sort', 'to']);
    expect(
      doc.paths['/api/kpi'].get.parameters
        .filter((p: any) => p.required)
        .map((p: any) => p.name)
        .sort(),
    ).toEqual(['from', 'metrics', 'node', 'to']);
  });
});
