// The operator's log over real HTTP, read from the logger's destination: every request once as a
// JSON line with its id, user, method, path, status and latency; refusals with who, which node,
// what and why, under the same request id; never a token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY } from '../../../etl/test/helpers.ts';
import { addUser } from '../auth/users.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { createLogger } from '../logger.ts';
import { startServer, TEST_PASSWORD, type TestServer } from '../test/http.ts';
import { loadedWarehouse } from '../test/shared.ts';

let warehouse: Warehouse;
let server: TestServer;
let token: string;
const written: string[] = [];
const lines = () => written.map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  warehouse = await loadedWarehouse(TINY);
  await addUser(warehouse.knex, {
    username: 'zhang.wei',
    role: 'store',
    nodes: ['S1'],
    password: TEST_PASSWORD,
  });
  const logger = createLogger({ level: 'info', json: true, destination: { write: (l) => written.push(l) } });
  server = await startServer(warehouse, { logger });
  token = await server.login('zhang.wei', TEST_PASSWORD);
});

afterAll(async () => {
  await server.close();
  await warehouse.close();
});

/** A request, and the log lines it produced (found by its request id). */
async function request(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.base + path, { headers: { authorization: `Bearer ${token}`, ...headers } });
  await res.text();
  const id = res.headers.get('x-request-id')!;
  // The line is written when the answer is finished, which the client may see a moment earlier.
  for (let i = 0; i < 50 && !lines().some((l) => l.request_id === id && l.latency_ms !== undefined); i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return { res, id, logged: lines().filter((l) => l.request_id === id) };
}

describe('the request log', () => {
  it('writes one JSON line per request: id, user, method, path, status, latency', async () => {
    const { res, id, logged } = await request('/api/org?node=S1', { 'x-request-id': 'lb-7f3a.42' });
    expect(res.status).toBe(200);
    expect(id).toBe('lb-7f3a.42');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'info',
      request_id: 'lb-7f3a.42',
      user: 'zhang.wei',
      method: 'GET',
      path: '/api/org',
      status: 200,
      msg: 'GET /api/org 200',
    });
    expect(logged[0]!.latency_ms).toEqual(expect.any(Number));
    expect(Date.parse(logged[0]!.time as string)).toBeGreaterThan(Date.now() - 60_000);
    // Neither the token nor the query string (a wall's URL carries its kiosk token) is logged.
    expect(written.join('')).not.toContain(token.slice(-20));
    expect(written.join('')).not.toContain('node=S1');
  });

  it('makes its own request id when the caller sends none or a malformed one', async () => {
    const none = await request('/api/health');
    const bad = await request('/api/health', { 'x-request-id': 'a b"c' });
    for (const { id, logged } of [none, bad]) {
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(logged).toMatchObject([{ request_id: id, status: 200 }]);
    }
    expect(none.id).not.toBe(bad.id);
  });

  it('logs a refusal with the user, the node, the request and the reason, then the request itself', async () => {
    const { res, id, logged } = await request(
      '/api/kpi?metrics=new_units&node=S2&from=2025-01-01&to=2025-03-31',
    );
    expect(res.status).toBe(403);
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'warn',
        request_id: id,
        msg: 'refused 403 node_out_of_scope',
        status: 403,
        code: 'node_out_of_scope',
        user: 'zhang.wei',
        node: 'S2',
        method: 'GET',
        path: '/api/kpi',
        param: 'node',
        reason: 'node S2 is outside your scope',
      }),
      expect.objectContaining({ level: 'info', request_id: id, user: 'zhang.wei', status: 403 }),
    ]);
  });

  it('logs a request without a valid token as nobody', async () => {
    const res = await fetch(`${server.base}/api/org`, { headers: { authorization: 'Bearer forged' } });
    const id = res.headers.get('x-request-id');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const logged = lines().filter((l) => l.request_id === id);
    expect(logged.map((l) => [l.msg, l.user, l.status])).toEqual([
      [expect.stringMatching(/^refused 401 /), null, 401],
      ['GET /api/org 401', null, 401],
    ]);
  });
});
