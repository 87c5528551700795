// A load committing while 50 clients read: no errors, and every answer is wholly from the data
// before the load (which does not cover November: no data) or wholly from the data after it. Each /api/kpi answer below runs one query
// per fact source; its figures are checked, as a set, against plain SQL before and after. The
// clients ask for random periods, so most answers are computed (not cached) while the load runs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAndEvaluate } from '../../../etl/pipeline.ts';
import { freshWarehouse } from '../../../etl/test/helpers.ts';
import { generateExtract } from '../../../fixtures/generate.ts';
import { loadThroughServer } from '../admin/commands.ts';
import { addUser } from '../auth/users.ts';
import { startServer, TEST_PASSWORD, type TestServer } from '../test/http.ts';
import type { Warehouse } from './warehouse.ts';

const SAMPLE = new URL('../../../fixtures/sample/', import.meta.url).pathname;
const day = (month: string, d: number) => `2026-${month}-${String(d).padStart(2, '0')}`;
/** A period from a day in August to a day in November. */
const randomPeriod = () => ({
  from: day('08', 1 + Math.floor(Math.random() * 31)),
  to: day('11', 1 + Math.floor(Math.random() * 30)),
});

let warehouse: Warehouse;
let server: TestServer;
let token: string;
let november: string;

beforeAll(async () => {
  warehouse = await freshWarehouse();
  await loadAndEvaluate(warehouse, SAMPLE);
  await addUser(warehouse.knex, { username: 'du.min', password: TEST_PASSWORD, role: 'group', nodes: ['G'] });
  server = await startServer(warehouse);
  token = await server.login('du.min', TEST_PASSWORD);
  november = join(mkdtempSync(join(tmpdir(), 'consistency-')), 'nov');
  await generateExtract({
    out: november,
    stores: 4,
    months: 1,
    kind: 'incremental',
    end: '2026-11-30',
    anchor: '2026-10',
  });
}, 60_000);

afterAll(async () => {
  await server.close();
  await warehouse.close();
});

type Daily = Map<string, number>[];

/** new_units, repair_orders and leads per day, by plain SQL on the fact tables. */
async function daily(): Promise<Daily> {
  const byDay = async (query: string) =>
    new Map(
      ((await warehouse.knex.raw(query)).rows as { d: string; n: number }[]).map((r) => [r.d, Number(r.n)]),
    );
  return [
    await byDay(
      `SELECT sale_date::VARCHAR AS d, count(*) AS n FROM fact_vehicle_sales WHERE sale_type = 'new' GROUP BY ALL`,
    ),
    await byDay(
      `SELECT close_date::VARCHAR AS d, count(*) AS n FROM fact_service_orders WHERE close_date IS NOT NULL GROUP BY ALL`,
    ),
    await byDay(`SELECT created_date::VARCHAR AS d, count(*) AS n FROM fact_leads GROUP BY ALL`),
  ];
}

/** The answer for a period outside the data's coverage: three nulls. */
const NO_DATA = [null, null, null].join(',');

/** The three figures of a period, "new_units,repair_orders,leads". */
const figures = (days: Daily, p: { from: string; to: string }) =>
  days.map((m) => [...m].filter(([d]) => d >= p.from && d <= p.to).reduce((n, [, v]) => n + v, 0)).join(',');

describe('a load committing while 50 clients read', () => {
  it('gives no errors, and every answer wholly before or wholly after the load', async () => {
    const seen: { period: { from: string; to: string }; figures: string }[] = [];
    const failures: string[] = [];
    let loading = true;
    const client = async () => {
      while (loading) {
        const period = randomPeriod();
        const res = await fetch(
          `${server.base}/api/kpi?node=G&metrics=new_units,repair_orders,leads&from=${period.from}&to=${period.to}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        if (res.status !== 200) {
          failures.push(`${res.status} ${await res.text()}`);
          continue;
        }
        const m = (await res.json()).metrics;
        seen.push({ period, figures: [m.new_units.value, m.repair_orders.value, m.leads.value].join(',') });
      }
    };
    const clients = Array.from({ length: 50 }, client);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await loadThroughServer(warehouse, server.app, november);
    expect(result.load.status).toBe('loaded');
    await new Promise((resolve) => setTimeout(resolve, 300));
    loading = false;
    await Promise.all(clients);

    const after = await daily();
    expect(failures).toEqual([]);
    let old = 0;
    let fresh = 0;
    const torn: string[] = [];
    for (const s of seen) {
      // Before the load the data ends on 31 October: a period reaching into November has no data (not a partial sum).
      const [was, is] = [NO_DATA, figures(after, s.period)];
      expect(was).not.toBe(is); // every period reaches into November, which the load adds
      if (s.figures === was) old++;
      else if (s.figures === is) fresh++;
      else torn.push(`${s.period.from}…${s.period.to}: ${s.figures} (before ${was}, after ${is})`);
    }
    expect(torn).toEqual([]);
    expect(old).toBeGreaterThan(0);
    expect(fresh).toBeGreaterThan(0);
    console.info(
      `consistency: ${seen.length} answers, ${old} before the load and ${fresh} after, none mixed`,
    );
  }, 60_000);
});
