// The response cache: hits for repeated requests in the same scope, never across data versions.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadExtract } from '../../../etl/load.ts';
import { TINY } from '../../../etl/test/helpers.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { startTinyServer, type TestServer } from '../test/http.ts';

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
