// Security over real HTTP: headers, CORS closed unless configured, login lockout, logout that
// revokes the token (also after a restart).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, LoginGuard } from '../auth/login-guard.ts';
import { readConfig } from '../config.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { startServer, startTinyServer, TEST_PASSWORD, type TestServer } from '../test/http.ts';

let warehouse: Warehouse;
let server: TestServer;
let tokens: Record<string, string>;

beforeAll(async () => {
  ({ warehouse, server, tokens } = await startTinyServer([
    { username: 'chen.zong', role: 'group', nodes: ['G'] },
    { username: 'zhang.wei', role: 'store', nodes: ['S1'] },
    { username: 'li.hua', role: 'division', nodes: ['D1'] },
    { username: 'sun.li', role: 'store', nodes: ['S2'] },
  ]));
});

afterAll(async () => {
  await server.close();
  await warehouse.close();
});

const login = (username: string, password: string, base = server.base) =>
  fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
  fetch(server.base + path, {
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });

describe('security headers', () => {
  it('are on the API and on the dashboard', async () => {
    for (const path of [
      '/api/health',
      '/api/kpi?node=G&metrics=new_units&from=2025-01-01&to=2025-01-31',
      '/',
      '/overview/G',
    ]) {
      const res = await get(path, tokens['chen.zong']);
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'self'");
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-powered-by'), path).toBeNull();
    }
    expect((await get('/api/org', tokens['chen.zong'])).headers.get('cache-control')).toBe('no-store');
  });
});

describe('CORS', () => {
  it('is closed by default: another origin gets no permission, and its preflight none either', async () => {
    const res = await get('/api/org', tokens['chen.zong'], { origin: 'https://evil.example' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${server.base}/api/org`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('opens to the origins named in CORS_ORIGINS, and only to them', async () => {
    const config = readConfig({ CORS_ORIGINS: 'https://bi.dealer.example, https://ops.dealer.example/' });
    const open = await startServer(warehouse, { config });
    try {
      const allowed = await fetch(`${open.base}/api/org`, {
        method: 'OPTIONS',
        headers: { origin: 'https://ops.dealer.example', 'access-control-request-method': 'GET' },
      });
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ops.dealer.example');
      expect(allowed.headers.get('access-control-allow-headers')).toContain('Authorization');
      const other = await fetch(`${open.base}/api/org`, { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await open.close();
    }
  });
});

describe('login lockout', () => {
  it('locks a username after 5 wrong passwords, even against the right one, and says when to retry', async () => {
    for (let i = 0; i < DEFAULT_POLICY.userFailures; i++)
      expect((await login('li.hua', 'wrong-password')).status).toBe(401);
    const locked = await login('li.hua', TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect((await locked.json()).error.code).toBe('too_many_attempts');
    // Other users are not affected; an unknown username locks the same way (nothing tells which exist).
    expect((await login('chen.zong', TEST_PASSWORD)).status).toBe(200);
    for (let i = 0; i < DEFAULT_POLICY.userFailures; i++) await login('no.such.user', 'wrong-password');
    expect((await login('no.such.user', 'wrong-password')).status).toBe(429);
  });

  it('counts guesses sent all at once: the sixth and later are refused, the right password among them too', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login('sun.li', i === 9 ? TEST_PASSWORD : `guess-${i}`)),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(12 - DEFAULT_POLICY.userFailures);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
  });

  it('lets a locked username in again once the lock has run out; locks an address that tries many usernames', () => {
    const guard = new LoginGuard({ userFailures: 3, addressFailures: 5, windowMs: 60_000, lockMs: 300_000 });
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) guard.attempt('a.user', '10.0.0.1', t0 + i);
    expect(() => guard.check('a.user', '10.0.0.2', t0 + 10)).toThrow(/too many failed sign-ins/);
    expect(() => guard.check('a.user', '10.0.0.2', t0 + 300_010)).not.toThrow();
    // Failures spread over the window do not add up to a lock.
    guard.attempt('b.user', '10.0.0.3', t0);
    guard.attempt('b.user', '10.0.0.3', t0 + 61_000);
    guard.attempt('b.user', '10.0.0.3', t0 + 122_000);
    expect(() => guard.check('b.user', '10.0.0.4', t0 + 122_001)).not.toThrow();
    for (let i = 0; i < 5; i++) guard.attempt(`user.${i}`, '10.0.0.9', t0 + i);
    expect(() => guard.check('someone.else', '10.0.0.9', t0 + 10)).toThrow(/too many failed sign-ins/);
    // A correct password clears the username's count.
    guard.attempt('c.user', '10.0.0.5', t0);
    guard.attempt('c.user', '10.0.0.5', t0 + 1);
    guard.succeeded('c.user', '10.0.0.5');
    guard.attempt('c.user', '10.0.0.5', t0 + 2);
    guard.attempt('c.user', '10.0.0.5', t0 + 3);
    expect(() => guard.check('c.user', '10.0.0.5', t0 + 4)).not.toThrow();
  });
});

describe('logout', () => {
  it('revokes that token only, for good (a restart keeps it revoked)', async () => {
    const first = await server.login('zhang.wei', TEST_PASSWORD);
    const second = await server.login('zhang.wei', TEST_PASSWORD);
    expect((await get('/api/me', first)).status).toBe(200);
    const out = await fetch(`${server.base}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first}` },
    });
    expect(out.status).toBe(204);
    const refused = await get('/api/me', first);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.message).toBe('this token was logged out; log in again');
    expect((await get('/api/me', second)).status).toBe(200);
    // A new server on the same warehouse (a restart) still refuses it.
    const restarted = await startServer(warehouse);
    try {
      expect(
        (await fetch(`${restarted.base}/api/me`, { headers: { authorization: `Bearer ${first}` } })).status,
      ).toBe(401);
      expect(
        (await fetch(`${restarted.base}/api/me`, { headers: { authorization: `Bearer ${second}` } })).status,
      ).toBe(200);
    } finally {
      await restarted.close();
    }
  });
});
