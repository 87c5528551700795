// The admin socket: while the server holds the warehouse, `npm run users` and `npm run etl` go
// through it. Kiosk tokens are made, used over HTTP, limited to the wall's endpoints and revoked.
import { statSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiosk } from '../auth/kiosks.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { startTinyServer, type TestServer } from '../test/http.ts';
import { ROOT, runScript } from '../test/process.ts';
import { startAdminSocket } from './server.ts';
import { adminSocketPath } from './socket-path.ts';

const INCREMENT = new URL('../../../fixtures/tiny-incremental/', import.meta.url).pathname;

let warehouse: Warehouse;
let server: TestServer;
let admin: Server;
let manager: string;

/** Runs a CLI as a separate process (asynchronously: the server in this process must keep answering). */
const cli = (script: string, args: string[], input = '') =>
  runScript(script, [...args, '--db', warehouse.path], { input }).exited;
const users = (args: string[], input = '') => cli('server/src/auth/cli.ts', args, input);

const call = async (method: string, path: string, token: string) => {
  const res = await fetch(server.base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : '{}',
  });
  return { status: res.status, body: await res.json() };
};

beforeAll(async () => {
  ({
    warehouse,
    server,
    tokens: { 'li.hua': manager },
  } = (await startTinyServer([{ username: 'li.hua', role: 'division', nodes: ['D1'] }])) as any);
  admin = (await startAdminSocket(warehouse, server.app))!;
}, 60_000);

afterAll(async () => {
  await new Promise((r) => admin.close(r));
  await server.close();
  await warehouse.close();
});

describe('admin socket', () => {
  it('is a socket only its owner may open', () => {
    const mode = statSync(adminSocketPath(warehouse.path)).mode;
    expect(mode & 0o777).toBe(0o600);
  });

  it('adds, lists and removes users while the server holds the file, and the new user can sign in at once', async () => {
    // The file is locked by this process: a CLI that opened it directly would fail.
    const added = await users(['add', 'wang.qiang', '--role', 'region', '--nodes', 'R1'], 'long-enough-pw\n');
    expect(added).toMatchObject({
      code: 0,
      out: 'added wang.qiang (region; nodes R1; domains sales,fi,funnel,aftersales,inventory,finance)\n',
    });
    expect(await server.login('wang.qiang', 'long-enough-pw')).toMatch(/\./);
    expect((await users(['list'])).out).toContain('wang.qiang           region    nodes R1');
    expect(await users(['add', 'x.y', '--role', 'store', '--nodes', 'R1'], 'long-enough-pw')).toMatchObject({
      code: 1,
      err: "users: a store user's nodes must be store nodes; R1 is a region\n",
    });
    expect((await users(['remove', 'wang.qiang'])).out).toBe('removed wang.qiang\n');
    const gone = await server.login('wang.qiang', 'long-enough-pw').catch((e: Error) => e.message);
    expect(gone).toBe('login wang.qiang: 401');
  }, 30_000);

  it('loads an extract through the server: the data version moves and cached answers are not reused', async () => {
    const before = (await server.get('/api/version')).body.run_id;
    const kpi = '/api/kpi?node=D1&metrics=new_units&from=2025-04-01&to=2025-04-30';
    const old = await call('GET', kpi, manager);
    // Plain SQL, independent of the metric layer: new cars sold by D1's stores in April 2025.
    const count = async () =>
      Number(
        (
          await warehouse.knex.raw(
            `SELECT count(*) AS n FROM fact_vehicle_sales WHERE sale_type = 'new' AND store_id IN ('S1', 'S2') AND sale_date BETWEEN '2025-04-01' AND '2025-04-30'`,
          )
        ).rows[0].n,
      );
    // April lies beyond the loaded extract (January–March): no data, not 0.
    expect(old.body.metrics.new_units).toMatchObject({ value: null, reason: 'no_data' });
    const run = await cli('etl/cli.ts', ['--source', INCREMENT]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain('loaded through its admin socket');
    expect(run.out).toMatch(/^loaded extract tiny-2025-04-incremental/);
    expect((await server.get('/api/version')).body.run_id).toBe(before + 1);
    const fresh = await call('GET', kpi, manager);
    expect(fresh.body.metrics.new_units.value).toBe(await count());
    expect(fresh.body.metrics.new_units.value).not.toBe(old.body.metrics.new_units.value);
  }, 60_000);

  it('refuses a bad extract through the server with its reason, and keeps the data', async () => {
    const before = (await server.get('/api/version')).body.run_id;
    const run = await cli('etl/cli.ts', ['--source', join(ROOT, 'fixtures/bad/03-missing-file')]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^etl: refused: /m);
    expect((await server.get('/api/version')).body.run_id).toBe(before);
  }, 30_000);
});

describe('kiosk tokens', () => {
  let token: string;

  it('are made by npm run users -- kiosk, shown once and stored as a hash', async () => {
    const run = await users(['kiosk', 'ops-room', '--nodes', 'D1']);
    expect(run.code, run.err).toBe(0);
    token = /token \(shown once\): (kiosk_\S+)/.exec(run.out)![1]!;
    expect(run.out).toContain(`/wall?kiosk=${token}`);
    const rows = await warehouse.knex('app.kiosks').select('*');
    expect(JSON.stringify(rows)).not.toContain(token);
    expect((await users(['list'])).out).toMatch(/ops-room\s+kiosk\s+nodes D1\s+expires \d{4}-/);
    expect(await users(['kiosk', 'ops-room', '--nodes', 'D1'])).toMatchObject({
      code: 1,
      err: 'users: kiosk ops-room already exists; revoke it first\n',
    });
    expect(await users(['kiosk', 'mixed', '--nodes', 'D1,R2'])).toMatchObject({
      code: 1,
      err: "users: a kiosk's nodes must all be of one level\n",
    });
    expect((await users(['kiosk', 'x1', '--nodes', 'D9'])).err).toBe('users: unknown node D9\n');
    expect((await users(['kiosk', 'x1', '--nodes', 'D1', '--days', 'soon'])).err).toBe(
      'users: --days must be a whole number of days, 1–3660\n',
    );
  }, 30_000);

  it('read what the wall shows within their nodes, and nothing else', async () => {
    expect((await call('GET', '/api/me', token)).body).toEqual({
      username: 'kiosk:ops-room',
      role: 'division',
      nodes: ['D1'],
      domains: ['sales', 'fi', 'funnel', 'aftersales', 'inventory', 'finance'],
      kiosk: true,
    });
    expect(
      (await call('GET', '/api/kpi?node=D1&metrics=new_units&from=2025-03-01&to=2025-03-31', token)).status,
    ).toBe(200);
    expect((await call('GET', '/api/alerts?node=D1', token)).status).toBe(200);
    const outside = await call(
      'GET',
      '/api/kpi?node=D2&metrics=new_units&from=2025-03-01&to=2025-03-31',
      token,
    );
    expect(outside).toMatchObject({ status: 403, body: { error: { code: 'node_out_of_scope' } } });
    for (const [method, path] of [
      ['GET', '/api/tasks'],
      ['GET', '/api/tasks/1'],
      ['GET', '/api/rules'],
      ['POST', '/api/rules'],
      ['POST', '/api/tasks/1/comments'],
      ['PATCH', '/api/rules/1'],
    ] as const) {
      const res = await call(method, path, token);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('kiosk_not_allowed');
    }
  });

  it('stop working at once when revoked, and when expired', async () => {
    expect((await users(['revoke', 'ops-room'])).out).toBe(
      'revoked kiosk ops-room: its token is refused from now on\n',
    );
    for (const path of [
      '/api/me',
      '/api/kpi?node=D1&metrics=new_units&from=2025-03-01&to=2025-03-31',
      '/api/org',
    ]) {
      expect(await call('GET', path, token)).toMatchObject({
        status: 401,
        body: { error: { code: 'invalid_token' } },
      });
    }
    expect(await users(['revoke', 'ops-room'])).toMatchObject({
      code: 1,
      err: 'users: no kiosk ops-room in use\n',
    });
    const old = await createKiosk(
      warehouse.knex,
      { name: 'old-screen', nodes: ['G'], days: 1 },
      new Date(Date.now() - 2 * 86_400_000),
    );
    expect((await call('GET', '/api/me', old.token)).status).toBe(401);
    expect((await call('GET', '/api/me', 'kiosk_made-up-token')).status).toBe(401);
  }, 30_000);
});
