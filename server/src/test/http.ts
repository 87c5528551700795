// Test helpers: the real app on a real port, and small HTTP calls against it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App, type AppOptions } from '../app.ts';
import { TINY } from '../../../etl/test/helpers.ts';
import { addUser, type NewUser } from '../auth/users.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { checkingResponses } from './contract-check.ts';
import { loadedWarehouse } from './shared.ts';

export interface TestServer {
  base: string;
  app: App;
  /** Answers that did not match the contract (each was replaced by a 500); close() fails on any. */
  violations: string[];
  close(): Promise<void>;
  /** Stops listening and drops open connections (a server that went down); restart() listens on the same port again. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  login(username: string, password: string): Promise<string>;
  get(path: string, token?: string): Promise<{ status: number; body: any }>;
  /** A JSON request with a method and body (POST, PUT, PATCH). */
  send(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
  ): Promise<{ status: number; body: any }>;
}

/** `checkResponses: false` (benchmarks) skips checking every answer against the contract. */
export async function startServer(
  warehouse: Warehouse,
  options: AppOptions & { checkResponses?: boolean } = {},
): Promise<TestServer> {
  const app = await createApp(warehouse, options);
  const violations: string[] = [];
  const handler = options.checkResponses === false ? app.app : checkingResponses(app.app, violations);
  const listen = async (port: number) => {
    const listening: Server = handler.listen(port, '127.0.0.1');
    await new Promise((resolve) => listening.once('listening', resolve));
    return listening;
  };
  let server = await listen(0);
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  app.listening(base);
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const close = async () => {
    await stop();
    // The report scheduler's browser, if a test had a report printed.
    await app.delivery.stop();
    if (violations.length)
      throw new Error(`answers that break the contract:\n${[...new Set(violations)].join('\n')}`);
  };
  const get = async (path: string, token?: string) => {
    const res = await fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: await res.json() };
  };
  const send = async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  return {
    base,
    app,
    violations,
    get,
    send,
    close,
    stop,
    async restart() {
      server = await listen(port);
    },
    async login(username, password) {
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
      return ((await res.json()) as { token: string }).token;
    },
  };
}

export const TEST_PASSWORD = 'password-1';

/**
 * A warehouse of the test file's own with fixtures/tiny loaded (a copy of the run's shared one),
 * these users (password TEST_PASSWORD), the server, and a token each.
 */
export async function startTinyServer(
  users: Omit<NewUser, 'password'>[],
): Promise<{ warehouse: Warehouse; server: TestServer; tokens: Record<string, string> }> {
  const warehouse = await loadedWarehouse(TINY);
  for (const u of users) await addUser(warehouse.knex, { ...u, password: TEST_PASSWORD });
  const server = await startServer(warehouse);
  const tokens: Record<string, string> = {};
  for (const u of users) tokens[u.username] = await server.login(u.username, TEST_PASSWORD);
  return { warehouse, server, tokens };
}
