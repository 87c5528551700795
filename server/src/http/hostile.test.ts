// A corpus of hostile requests against every endpoint, over real HTTP: SQL injection, path
// traversal, oversized and deeply nested parameters, unicode tricks, prototype-pollution bodies,
// forged, unsigned and expired tokens. None may get a 500, leak data outside the caller's scope,
// change what it may not, or bring the server down.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../db/warehouse.ts';
import { startTinyServer, type TestServer } from '../test/http.ts';

let warehouse: Warehouse;
let server: TestServer;
let tokens: Record<string, string>;

beforeAll(async () => {
  ({ warehouse, server, tokens } = await startTinyServer([
    { username: 'chen.zong', role: 'group', nodes: ['G'] },
    { username: 'zhang.wei', role: 'store', nodes: ['S1'] },
  ]));
});

afterAll(async () => {
  await server.close();
  await warehouse.close();
});

const SQL = [
  "' OR '1'='1",
  "G' OR 1=1 --",
  "G'; DROP TABLE app.users; --",
  "S1' UNION SELECT username, password_hash FROM app.users --",
  '"; SELECT 1; --',
  "G'); ATTACH '/tmp/x.duckdb' AS x; --",
  '$1',
  '?',
  'G\\',
  "%' OR node_id LIKE '%",
  "S2'/*",
  '1 AND sleep(5)',
];
const TRAVERSAL = [
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '....//....//etc/passwd',
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fpackage.json',
];
/** Already percent-encoded: NUL, zero-width space, full-width letters, a right-to-left override, a lone surrogate, overlong UTF-8 dots. */
const UNICODE_RAW = [
  'G%00',
  'S%E2%80%8B1',
  '%EF%BC%B3%EF%BC%92',
  'S1%E2%80%AE',
  '%ED%A0%80',
  '%C0%AE%C0%AE%2F',
  '%FF%FE',
  'S2%0d%0aSet-Cookie:%20x=1',
];
const BIG = ['x'.repeat(10_000), 'new_units,'.repeat(2_000)];

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = Math.floor(Date.now() / 1000);
const signed = (payload: object, key: string, alg = 'HS256') => {
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
};
const BAD_TOKENS = [
  signed({ sub: 'chen.zong', jti: 'x', iat: now, exp: now + 3600 }, 'not-the-key'),
  `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'chen.zong', jti: 'x', iat: now, exp: now + 3600 })}.`,
  `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'chen.zong', jti: 'x', iat: now, exp: now + 3600 })}`,
  signed({ sub: 'chen.zong', jti: 'x', iat: now, exp: now + 3600 }, 'not-the-key', 'HS512'),
  'a'.repeat(5000),
  'kiosk_' + 'A'.repeat(43),
  'kiosk_',
  'null',
  '..',
  `${b64({ alg: 'HS256' })}.${b64({ sub: { $ne: null } })}.x`,
];

interface Attack {
  label: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  path: string;
  body?: string;
  token?: string | null;
  authorization?: string;
}

function corpus(): Attack[] {
  const store = tokens['zhang.wei']!;
  const group = tokens['chen.zong']!;
  const enc = encodeURIComponent;
  const period = 'from=2025-01-01&to=2025-03-31';
  const attacks: Attack[] = [];
  const add = (
    label: string,
    method: Attack['method'],
    path: string,
    body?: unknown,
    token: string | null = store,
  ) =>
    attacks.push({
      label,
      method,
      path,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      token,
    });

  for (const v of [...SQL, ...TRAVERSAL, ...BIG]) {
    add(`kpi node ${v.slice(0, 20)}`, 'GET', `/api/kpi?node=${enc(v)}&metrics=new_units&${period}`);
    add(`kpi metrics ${v.slice(0, 20)}`, 'GET', `/api/kpi?node=S1&metrics=${enc(v)}&${period}`);
    add(
      `breakdown by ${v.slice(0, 20)}`,
      'GET',
      `/api/breakdown?node=S1&metric=new_units&by=${enc(v)}&${period}`,
    );
    add(
      `timeseries product ${v.slice(0, 20)}`,
      'GET',
      `/api/timeseries?node=S1&metric=new_units&grain=month&product=${enc(`brand:${v}`)}&${period}`,
    );
    add(`alerts node ${v.slice(0, 20)}`, 'GET', `/api/alerts?node=${enc(v)}`);
    add(`tasks assignee ${v.slice(0, 20)}`, 'GET', `/api/tasks?assignee=${enc(v)}`);
    add(`task id ${v.slice(0, 20)}`, 'GET', `/api/tasks/${enc(v)}`);
    add(`series metrics ${v.slice(0, 20)}`, 'GET', `/api/series?node=S1&metrics=${enc(v)}&${period}`);
    add(
      `province map node ${v.slice(0, 20)}`,
      'GET',
      `/api/breakdown?node=${enc(v)}&metric=new_units&by=province&${period}`,
    );
  }
  // The endpoints without parameters, with stray and hostile ones.
  for (const path of [
    '/api/me',
    '/api/org',
    '/api/metrics',
    '/api/version',
    '/api/health',
    '/api/openapi.json',
    '/api/rules',
  ]) {
    add(`${path} stray`, 'GET', `${path}?node=${enc("' OR 1=1 --")}&__proto__[x]=1`);
  }
  add('logout with a body', 'POST', '/api/auth/logout', '{"__proto__":{"admin":true}}', null);
  for (const v of UNICODE_RAW) {
    add(`kpi node ${v}`, 'GET', `/api/kpi?node=${v}&metrics=new_units&${period}`);
    add(`rank metric ${v}`, 'GET', `/api/rank?node=S1&metric=${v}&${period}`);
    add(`from ${v}`, 'GET', `/api/kpi?node=S1&metrics=new_units&from=${v}&to=2025-01-31`);
  }
  for (const q of [
    'node[a][b][c]=G',
    'node[]=G&node[]=S2',
    'node=S1&node=S2',
    'metrics[__proto__][admin]=1',
    '__proto__[admin]=1',
    'constructor[prototype][admin]=1',
    `node=S1&metrics=new_units&${period}&${'a='.repeat(2000)}`,
  ]) {
    add(
      `nested ${q.slice(0, 24)}`,
      'GET',
      `/api/kpi?${q.includes('metrics') ? '' : 'metrics=new_units&'}${q}${q.includes('from') ? '' : `&${period}`}`,
    );
  }
  for (const path of [
    '/api/../../package.json',
    '/api/..%2f..%2fpackage.json',
    '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e/%2e%2e/etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '//etc/passwd',
    '/assets/%00',
    '/api/%00',
    '/api/tasks/1%00',
    '/api/openapi.json/..%2f..%2f..%2fetc%2fpasswd',
  ]) {
    add(`path ${path}`, 'GET', path);
  }
  const pollution = [
    '{"__proto__":{"admin":true,"role":"group"}}',
    '{"constructor":{"prototype":{"admin":true}}}',
  ];
  const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
  for (const body of [
    ...pollution,
    deep,
    '[]',
    '"text"',
    '{"username":{"$ne":null},"password":{"$ne":null}}',
    '{"username":"chen.zong","password":"x","role":"group"}',
    'not json',
    '{"username":"a"'.padEnd(200_000, ' '),
  ]) {
    add(`login ${body.slice(0, 24)}`, 'POST', '/api/auth/login', body, null);
    add(`rule ${body.slice(0, 24)}`, 'POST', '/api/rules', body, group);
    add(`transition ${body.slice(0, 24)}`, 'POST', '/api/tasks/1/transition', body);
    add(`comment ${body.slice(0, 24)}`, 'POST', '/api/tasks/1/comments', body);
  }
  add(
    'rule patch pollution',
    'PATCH',
    '/api/rules/1',
    '{"__proto__":{"enabled":false},"warning":"1e309"}',
    group,
  );
  add('rule by a store manager', 'PATCH', '/api/rules/1', { enabled: false });
  add(
    'rule with injected metric',
    'POST',
    '/api/rules',
    { metric_id: "dso'; DROP TABLE app.tasks; --", comparison: 'value', op: '>', warning: 1 },
    group,
  );
  add('comment with markup', 'POST', '/api/tasks/1/comments', {
    text: '<script>alert(1)</script>'.repeat(1000),
  });
  add('unknown method', 'DELETE', '/api/rules/1', undefined, group);
  add('put', 'PUT', '/api/tasks/1', '{}', group);
  for (const token of BAD_TOKENS)
    add(
      `token ${token.slice(0, 16)}`,
      'GET',
      `/api/kpi?node=G&metrics=new_units&${period}`,
      undefined,
      token,
    );
  const expired = signed({ sub: 'chen.zong', jti: 'x', iat: now - 7200, exp: now - 3600 }, 'irrelevant');
  add('expired token', 'GET', '/api/org', undefined, expired);
  for (const authorization of [
    'Basic Y2hlbi56b25nOnBhc3N3b3Jk',
    `Bearer ${group} extra`,
    `bearer ${group}`,
    'Bearer',
    `Bearer\t${group}`,
  ]) {
    attacks.push({
      label: `authorization ${authorization.slice(0, 12)}`,
      method: 'GET',
      path: '/api/org',
      authorization,
    });
  }
  return attacks;
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Words that would show data outside the store manager's scope, or files outside the app. */
const LEAKS = [
  'S2',
  'S3',
  '上海华晟宝马4S店',
  '深圳华晟比亚迪城市展厅',
  'password_hash',
  'scrypt$',
  'root:x:',
  '"dealer-cockpit"',
  'at async',
  'node_modules',
];

describe('hostile requests', () => {
  it('no 500, no stack trace, nothing outside scope, for every one of at least 100', async () => {
    const attacks = corpus();
    expect(attacks.length).toBeGreaterThanOrEqual(100);
    console.info(`hostile corpus: ${attacks.length} requests`);
    const usersBefore = await warehouse.knex('app.users').count({ n: '*' });
    const rulesBefore = await warehouse.knex('app.risk_rules').orderBy('rule_id').select('*');
    const failures: string[] = [];
    for (const a of attacks) {
      const headers: Record<string, string> = {};
      if (a.body !== undefined) headers['content-type'] = 'application/json';
      if (a.authorization) headers.authorization = a.authorization;
      else if (a.token) headers.authorization = `Bearer ${a.token}`;
      const res = await fetch(server.base + a.path, { method: a.method, headers, body: a.body });
      const text = await res.text();
      if (res.status >= 500) failures.push(`${a.label}: ${res.status}`);
      if (a.token === tokens['zhang.wei'] || a.token === null || a.authorization) {
        // An error may quote the request back; anything else on the list is a leak.
        const asked = safeDecode(a.path) + (a.body ?? '');
        // (The client's asset names are content hashes: "S2" in one is no leak.)
        const shown = text.replace(/\/assets\/[\w.-]+/g, '');
        const leak = LEAKS.find((w) => shown.includes(w) && !asked.includes(w));
        if (leak) failures.push(`${a.label}: answer contains "${leak}"`);
      }
      // Node's HTTP parser answers an over-long request line or headers itself (431), before the app.
      const json = /^\{"error":\{"code":"[a-z_]+","message":/.test(text);
      // (Judged by the path the request really reached: fetch resolves "/api/../x" to "/x".)
      if (new URL(res.url).pathname.startsWith('/api/') && res.status >= 400 && res.status !== 431 && !json)
        failures.push(`${a.label}: not a JSON error: ${text.slice(0, 80)}`);
    }
    expect(failures).toEqual([]);
    // Nothing changed that the callers may not change, and nothing was polluted.
    expect(await warehouse.knex('app.users').count({ n: '*' })).toEqual(usersBefore);
    expect(await warehouse.knex('app.risk_rules').orderBy('rule_id').select('*')).toEqual(rulesBefore);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect((await server.get('/api/health')).status).toBe(200);
    expect(
      (
        await server.get(
          `/api/kpi?node=S1&metrics=new_units&from=2025-01-01&to=2025-01-31`,
          tokens['zhang.wei'],
        )
      ).status,
    ).toBe(200);
  }, 120_000);
});
