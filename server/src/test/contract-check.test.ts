// The response check of the test server catches answers that break the contract: a route that
// answers a wrong shape over real HTTP gets a 500 naming the field, and the violation is kept.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkingResponses } from './contract-check.ts';

let server: Server;
let base: string;
const violations: string[] = [];
/** What the fake routes answer next. */
let health: unknown;
const REPORTS = { failed_24h: 0, last_failure_at: null };
let rankStatus = 200;

beforeAll(async () => {
  const app = express();
  app.get('/api/health', (_req, res) => void res.json(health));
  const api = express.Router();
  api.get('/rank', (_req, res) => void res.status(rankStatus).json({ error: { code: 'x', message: 'y' } }));
  api.get('/tasks/:id', (_req, res) => void res.type('application/json').send(Buffer.from('{"id":1}')));
  app.use('/api', api);
  server = checkingResponses(app, violations).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = async (path: string) => {
  const res = await fetch(base + path);
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
};

describe('checking answers against the contract', () => {
  it('lets an answer of the right shape through unchanged', async () => {
    health = { status: 'ok', uptime_s: 12, reports: { failed_24h: 0, last_failure_at: null } };
    expect(await get('/api/health')).toEqual({ status: 200, body: health });
    expect(violations).toEqual([]);
  });

  it.each([
    [
      'a mistyped field',
      { status: 'ok', uptime_s: '12', reports: REPORTS },
      /uptime_s: Invalid input: expected number/,
    ],
    ['a missing field', { status: 'ok', reports: REPORTS }, /uptime_s: Invalid input/],
    [
      'an extra field',
      { status: 'ok', uptime_s: 1, reports: REPORTS, debug: true },
      /Unrecognized key: "debug"/,
    ],
    ['a wrong literal', { status: 'fine', uptime_s: 1, reports: REPORTS }, /status: /],
  ])('refuses %s with a 500 naming it', async (_what, answer, problem) => {
    health = answer;
    const res = await get('/api/health');
    expect(res.status).toBe(500);
    expect(res.body.error?.code).toBe('response_contract');
    expect(res.body.error?.message).toMatch(/^GET \/api\/health → 200: /);
    expect(res.body.error?.message).toMatch(problem);
    expect(violations.at(-1)).toBe(res.body.error?.message);
  });

  it('checks answers sent as a buffer (the cache) and routes with path parameters', async () => {
    const res = await get('/api/tasks/7');
    expect(res.status).toBe(500);
    expect(res.body.error?.message).toMatch(
      /^GET \/api\/tasks\/:id → 200: status: Invalid option.*; assignee: Invalid input/,
    );
  });

  it('checks the status and the error shape of refusals', async () => {
    rankStatus = 201;
    expect((await get('/api/rank')).body.error?.message).toBe('GET /api/rank → 201: the contract says 200');
    rankStatus = 403;
    expect(await get('/api/rank')).toEqual({ status: 403, body: { error: { code: 'x', message: 'y' } } });
  });

  it('refuses an endpoint the contract does not list', async () => {
    const app = express().get('/api/secret', (_req, res) => void res.json({}));
    const seen: string[] = [];
    const s = checkingResponses(app, seen).listen(0, '127.0.0.1');
    await new Promise((resolve) => s.once('listening', resolve));
    const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/api/secret`);
    await new Promise<void>((resolve) => s.close(() => resolve()));
    expect(res.status).toBe(500);
    expect(seen).toEqual([
      'GET /api/secret → 200: no such endpoint in the contract (server/src/contract/api.ts)',
    ]);
  });
});
