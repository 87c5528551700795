// The server as `npm start` runs it, in its own process: killed outright (SIGKILL) and started
// again it still has the users, the rules, the alerts, the tasks and their audit trail, and the
// logged-out token stays refused. A second server on a held warehouse, or a warehouse path that
// cannot be written, stops at once with a one-line reason.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAndEvaluate } from '../../etl/pipeline.ts';
import { generateExtract } from '../../fixtures/generate.ts';
import { tempDir } from '../../etl/test/helpers.ts';
import { createDemoUsers, DEMO_PASSWORD } from './auth/demo-users.ts';
import { openWarehouse } from './db/warehouse.ts';
import { freePort, ROOT, runScript } from './test/process.ts';

const SAMPLE = join(ROOT, 'fixtures/sample');
const STORE = 'S0001';

let db: string;
let port: number;
let server: ChildProcess | null = null;
let users: Record<string, string>;
let serverOut = '';

/** Starts `server/src/main.ts`; resolves when it listens, or with its exit code and stderr if it stops. */
function start(
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; code?: number | null; err: string }> {
  const { child, output, exited } = runScript('server/src/main.ts', [], {
    // Logs as in production (JSON lines), which the first test reads.
    env: { DB_PATH: db, PORT: String(port), LOG_LEVEL: 'info', NODE_ENV: 'production', ...env },
  });
  serverOut = '';
  return new Promise((resolve) => {
    child.stdout.on('data', () => {
      serverOut = output.out;
      if (output.out.includes('cockpit listening')) resolve({ child, err: output.err });
    });
    void exited.then((e) => resolve({ child, code: e.code, err: e.err }));
  });
}

const base = () => `http://127.0.0.1:${port}`;
async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(base() + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}
async function login(username: string): Promise<string> {
  const res = await fetch(`${base()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (await res.json()).token;
}

beforeAll(async () => {
  db = join(tempDir('restart-'), 'warehouse.duckdb');
  port = await freePort();
  const w = await openWarehouse(db);
  expect((await loadAndEvaluate(w, SAMPLE)).load.status).toBe('loaded');
  users = Object.fromEntries((await createDemoUsers(w.knex, STORE)).map((u) => [u.role, u.username]));
  await w.close();
}, 60_000);

afterAll(() => {
  server?.kill('SIGKILL');
});

describe('a server restart', () => {
  it('keeps users, rules, alerts, tasks and their audit trail, even after SIGKILL', async () => {
    const first = await start();
    expect(first.code, first.err).toBeUndefined();
    server = first.child;
    const group = await login(users.group!);
    const store = await login(users.store!);

    // Changes made through the API: a new rule, a changed rule, a task moved and commented on.
    const rule = await call('POST', '/api/rules', group, {
      metric_id: 'dio',
      comparison: 'value',
      op: '>',
      warning: 90,
      critical: 120,
      levels: ['store'],
    });
    expect(rule.status).toBe(201);
    expect((await call('PATCH', `/api/rules/${rule.body.rule_id}`, group, { warning: 80 })).status).toBe(200);
    const task = (await call('GET', '/api/tasks?assignee=me', store)).body.tasks.find(
      (t: { status: string }) => t.status === 'plan',
    );
    expect(task).toBeDefined();
    expect(
      (
        await call('POST', `/api/tasks/${task.id}/transition`, store, {
          to: 'do',
          root_cause: '库存结构不合理',
          action_plan: '本周清理90天以上库存',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('POST', `/api/tasks/${task.id}/comments`, store, {
          text: '已联系厂家调拨',
          kind: 'action',
        })
      ).status,
    ).toBe(201);
    const loggedOut = await login(users.store!);
    expect((await call('POST', '/api/auth/logout', loggedOut)).status).toBe(204);

    const read = async () => ({
      rules: (await call('GET', '/api/rules', group)).body,
      alerts: (await call('GET', '/api/alerts?status=open,closed', group)).body,
      tasks: (await call('GET', '/api/tasks?node=G', group)).body,
      task: (await call('GET', `/api/tasks/${task.id}`, store)).body,
    });
    const before = await read();
    // Its log: JSON lines, every request once, with its id, user, status and latency.
    const logged = serverOut
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(logged.filter((l) => l.method === 'POST' && l.path === '/api/auth/logout')).toEqual([
      expect.objectContaining({
        request_id: expect.any(String),
        user: users.store,
        status: 204,
        latency_ms: expect.any(Number),
      }),
    ]);
    expect(before.task.events.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'transition',
      'action',
    ]);

    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const second = await start();
    expect(second.code, second.err).toBeUndefined();
    server = second.child;

    // The same tokens still work (the signing key is in the database), and everything is there.
    expect(await read()).toEqual(before);
    expect(await login(users.region!)).toMatch(/\./);
    expect((await call('GET', '/api/me', loggedOut)).status).toBe(401);
  }, 90_000);

  it('refuses a second server on the same warehouse, naming the lock, and an unwritable path', async () => {
    const second = await start({ PORT: String(await freePort()) });
    expect(second.code).toBe(1);
    expect(second.err).toMatch(/database .*warehouse\.duckdb is locked by another process \(PID \d+\)/);
    const unwritable = await start({
      DB_PATH: '/etc/hostname/warehouse.duckdb',
      PORT: String(await freePort()),
    });
    expect(unwritable.code).toBe(1);
    expect(unwritable.err.trim().split('\n')).toHaveLength(1);
    expect(unwritable.err).toMatch(/^(cannot open database|database .* is not writable)/);
  }, 60_000);

  it('stopped (SIGTERM) in the middle of a load through its admin socket, finishes the load first', async () => {
    const big = join(tempDir('restart-extract-'), 'big');
    await generateExtract({ out: big, stores: 16, months: 12, seed: 3 });
    const before = (await (await fetch(`${base()}/api/version`)).json()).run_id as number;
    const cli = runScript('etl/cli.ts', ['--source', big, '--db', db]).exited;
    // As soon as the server has begun the load, it is asked to stop.
    while (!serverOut.includes(`admin socket: loading ${big}`))
      await new Promise((resolve) => setTimeout(resolve, 20));
    const stopped = new Promise<number | null>((resolve) => server!.once('exit', resolve));
    server!.kill('SIGTERM');
    const loaded = await cli;
    expect(loaded.code, loaded.err).toBe(0);
    expect(loaded.out).toMatch(/^loaded extract 2026-10-31-full/);
    expect(await stopped).toBe(0);
    const again = await start();
    expect(again.code, again.err).toBeUndefined();
    server = again.child;
    expect((await (await fetch(`${base()}/api/version`)).json()).run_id).toBe(before + 1);
  }, 90_000);
});
