// The response cache: hits for repeated requests in the same scope, never across data versions.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadExtract } from '../../../etl/load.ts';
import { TINY } from '../../../etl/test/helpers.ts';
import { config } from '../config.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { startServer, startTinyServer, type TestServer } from '../test/http.ts';

const TINY_INCREMENTAL = new URL('../../../fixtures/tiny-incremental/', import.meta.url).pathname;
let warehouse: Warehouse;
let server: TestServer;
let token: string;

beforeAll(async () => {
  let tokens: Record<string, string>;
  ({ warehouse, server, tokens } = await startTinyServer([
    { username: 'chen.zong', role: 'group', nodes: ['G'] },
  ]));
  token = tokens['chen.zong']!;
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

const newSales = async () => {
  const res = await fetch(`${server.base}/api/kpi?metrics=new_units&node=G&from=2025-01-01&to=2025-04-30`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { cache: res.headers.get('x-cache'), value: ((await res.json()) as any).metrics.new_units.value };
};

it('serves a repeated request from the cache and a new data version afresh', async () => {
  // Tiny covers January–March: a period reaching into April has no data until April is loaded.
  expect(await newSales()).toEqual({ cache: 'miss', value: null });
  expect(await newSales()).toEqual({ cache: 'hit', value: null });

  // A load in this process invalidates at once (SO-0005 is an April new sale).
  await loadExtract(warehouse, TINY_INCREMENTAL);
  server.app.cache.invalidate();
  expect(await newSales()).toEqual({ cache: 'miss', value: 4 });
  expect(await newSales()).toEqual({ cache: 'hit', value: 4 });

  // A load the server did not make is noticed once the data version is read again (1 s).
  await loadExtract(warehouse, TINY);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  expect(await newSales()).toEqual({ cache: 'miss', value: null });
});

it('answers identical requests that arrive together with one computation', async () => {
  server.app.cache.invalidate();
  const queries: string[] = [];
  const count = (q: { sql: string }) => q.sql.includes('fact_vehicle_sales') && queries.push(q.sql);
  warehouse.knex.on('query', count);
  try {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${server.base}/api/kpi?metrics=used_units&node=G&from=2025-02-01&to=2025-02-28`, {
          headers: { authorization: `Bearer ${token}` },
        }),
      ),
    );
    const kinds = answers.map((a) => a.headers.get('x-cache'));
    expect(kinds.filter((k) => k === 'miss')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'shared').length + kinds.filter((k) => k === 'hit').length).toBe(19);
    const values = await Promise.all(
      answers.map(async (a) => ((await a.json()) as any).metrics.used_units.value),
    );
    expect(new Set(values).size).toBe(1);
    expect(queries).toHaveLength(1);
  } finally {
    warehouse.knex.off('query', count);
  }
});

it('keeps answers up to its size in bytes, dropping the least recently used', async () => {
  const kpi = (metric: string) => `/api/kpi?metrics=${metric}&node=G&from=2025-01-01&to=2025-03-31`;
  const ask = async (s: TestServer, path: string) => {
    const res = await fetch(s.base + path, { headers: { authorization: `Bearer ${token}` } });
    return { cache: res.headers.get('x-cache'), bytes: Buffer.byteLength(await res.text()) };
  };
  // The sizes of two answers, from the default cache (64 MB: both kept).
  server.app.cache.invalidate();
  const a = (await ask(server, kpi('new_units'))).bytes;
  const b = (await ask(server, kpi('used_units'))).bytes;
  expect(server.app.cache.held).toEqual({ entries: 2, bytes: a + b });

  // A cache with room for the bigger of the two, not for both.
  const small = await startServer(warehouse, { config: { ...config, cacheMaxBytes: Math.max(a, b) + 10 } });
  try {
    expect(await ask(small, kpi('new_units'))).toEqual({ cache: 'miss', bytes: a });
    expect(await ask(small, kpi('new_units'))).toEqual({ cache: 'hit', bytes: a });
    expect(await ask(small, kpi('used_units'))).toEqual({ cache: 'miss', bytes: b });
    expect(small.app.cache.held).toEqual({ entries: 1, bytes: b });
    // new_units made room for used_units: asked again, it is computed again (and evicts used_units).
    expect(await ask(small, kpi('new_units'))).toEqual({ cache: 'miss', bytes: a });
    expect(await ask(small, kpi('used_units'))).toEqual({ cache: 'miss', bytes: b });
  } finally {
    await small.close();
  }
});
