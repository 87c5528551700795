// The server over real HTTP: health, and the data version moving when a load commits.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExtract } from '../../etl/load.ts';
import { freshWarehouse, TINY } from '../../etl/test/helpers.ts';
import { createApp } from './app.ts';
import type { Warehouse } from './db/warehouse.ts';
import { checkingResponses } from './test/contract-check.ts';

const TINY_INCREMENTAL = new URL('../../fixtures/tiny-incremental/', import.meta.url).pathname;
let warehouse: Warehouse;
let server: Server;
let base: string;
const violations: string[] = [];

beforeAll(async () => {
  warehouse = await freshWarehouse();
  server = checkingResponses((await createApp(warehouse)).app, violations).listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await warehouse.close();
  expect(violations).toEqual([]);
});

describe('GET /api/health and /api/version', () => {
  it('reports health', async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('gives the last loaded extract as the data version, and moves with each load', async () => {
    expect(await (await fetch(`${base}/api/version`)).json()).toEqual({
      run_id: null,
      extract_id: null,
      kind: null,
      period_to: null,
      loaded_at: null,
      data_from: null,
    });

    // A load made outside the server (not through it) is noticed within a second.
    await loadExtract(warehouse, TINY);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const first = await (await fetch(`${base}/api/version`)).json();
    expect(first).toMatchObject({
      run_id: 1,
      extract_id: 'tiny-2025-03-full',
      kind: 'full',
      period_to: '2025-03-31',
      data_from: '2025-01-01',
    });
    expect(Date.parse(first.loaded_at)).toBeGreaterThan(Date.now() - 60_000);

    // A refused load does not change the version.
    await loadExtract(warehouse, '/nonexistent');
    expect(await (await fetch(`${base}/api/version`)).json()).toEqual(first);

    await loadExtract(warehouse, TINY_INCREMENTAL);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await (await fetch(`${base}/api/version`)).json()).toMatchObject({
      run_id: 3,
      extract_id: 'tiny-2025-04-incremental',
      kind: 'incremental',
    });
  });

  it('answers unknown endpoints with a JSON 404, no stack trace', async () => {
    const res = await fetch(`${base}/api/nothing-here`);
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body).toEqual({
      error: { code: 'not_found', message: 'no such endpoint: GET /api/nothing-here' },
    });
  });

  it('answers a malformed JSON body with 400, not 500', async () => {
    const res = await fetch(`${base}/api/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).not.toMatch(/at .*\.js|node_modules/);
  });
});
