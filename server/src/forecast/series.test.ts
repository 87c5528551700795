// The engine's series read from the warehouse (the generated sample, August–October 2026) against
// plain SQL: new units per store × brand through the metric compiler, parts per store × part.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Warehouse } from '../db/warehouse.ts';
import { METRIC_BY_ID } from '../metrics/catalog.ts';
import { sampleWarehouse } from '../test/shared.ts';
import { metricSeries, partSeries, wholeMonthsWithin } from './series.ts';

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await sampleWarehouse();
});
afterAll(async () => {
  await warehouse.close();
});
const RANGE = { from: '2026-08-01', to: '2026-10-31' };
const MONTHS = ['2026-08', '2026-09', '2026-10'];

/** Plain SQL's monthly figures by key, as series from the first month with one. */
function asSeries(rows: { k: string; m: string; v: number }[]) {
  const byKey = new Map<string, number[]>();
  for (const r of rows) {
    const values = byKey.get(r.k) ?? MONTHS.map(() => 0);
    values[MONTHS.indexOf(r.m)] = Number(r.v);
    byKey.set(r.k, values);
  }
  return new Map(
    [...byKey].map(([k, values]) => {
      const first = values.findIndex((v) => v !== 0);
      return [k, { start: MONTHS[first], values: values.slice(first) }];
    }),
  );
}

it('new units per store × brand are the sales counted by plain SQL', async () => {
  const series = await metricSeries(warehouse.knex, METRIC_BY_ID.get('new_units')!, RANGE, 'brand');
  const rows = (
    await warehouse.knex.raw(
      `SELECT f.store_id || '|' || p.brand AS k, strftime(f.sale_date, '%Y-%m') AS m, count(*) AS v
       FROM fact_vehicle_sales f JOIN dim_product p USING (model_id)
       WHERE f.sale_type = 'new' AND f.sale_date BETWEEN ? AND ? GROUP BY ALL`,
      [RANGE.from, RANGE.to],
    )
  ).rows as { k: string; m: string; v: number }[];
  const expected = asSeries(rows);
  expect(series.length).toBe(expected.size);
  expect(series.length).toBeGreaterThan(5);
  for (const s of series) expect({ start: s.start, values: s.values }, s.key).toEqual(expected.get(s.key));
  expect(series[0]!.key).toBe(`${series[0]!.store}|${series[0]!.member}`);
});

it('parts quantities per store × part are the lines summed by plain SQL', async () => {
  const series = await partSeries(warehouse.knex, RANGE);
  const rows = (
    await warehouse.knex.raw(
      `SELECT store_id || '|' || part_no AS k, strftime(sale_date, '%Y-%m') AS m, sum(qty) AS v
       FROM fact_parts_sales WHERE sale_date BETWEEN ? AND ? GROUP BY ALL`,
      [RANGE.from, RANGE.to],
    )
  ).rows as { k: string; m: string; v: number }[];
  const expected = asSeries(rows);
  expect(series.length).toBe(expected.size);
  for (const s of series) expect({ start: s.start, values: s.values }, s.key).toEqual(expected.get(s.key));
  expect(series.every((s) => s.category)).toBe(true);
});

it('learns from whole months only: a month covered in part is left out', () => {
  expect(wholeMonthsWithin({ from: '2023-11-01', to: '2026-10-31' })).toEqual({
    from: '2023-11-01',
    to: '2026-10-31',
  });
  expect(wholeMonthsWithin({ from: '2023-11-15', to: '2026-10-20' })).toEqual({
    from: '2023-12-01',
    to: '2026-09-30',
  });
  expect(wholeMonthsWithin({ from: '2026-10-02', to: '2026-10-30' })).toBeNull();
});
