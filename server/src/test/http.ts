// Test helpers: the real app on a real port, and small HTTP calls against it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../app.ts';
import type { Warehouse } from '../db/warehouse.ts';

export interface TestServer {
  base: string;
  app: App;
  close(): Promise<void>;
  login(username: string, password: string): Promise<string>;
  get(path: string, token?: string): Promise<{ status: number; body: any }>;
}

export async function startServer(warehouse: Warehouse): Promise<TestServer> {
  const app = await createApp(warehouse);
  const server: Server = app.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (path: string, token?: string) => {
    const res = await fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: await res.json() };
  };
  return {
    base,
    app,
    get,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    async login(username, password) {
      const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
      return ((await res.json()) as { token: string }).token;
    },
  };
}
