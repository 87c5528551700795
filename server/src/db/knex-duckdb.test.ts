// The knex client for DuckDB: bindings, value conversion and concurrent connections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from './warehouse.ts';

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await openWarehouse(':memory:');
  await warehouse.knex.raw(`CREATE TABLE t (id INTEGER, name VARCHAR, amount DECIMAL(18,2), day DATE)`);
  await warehouse.knex('t').insert([
    { id: 1, name: 'a', amount: 10.25, day: '2025-01-31' },
    { id: 2, name: "o'brien", amount: 0.1, day: '2025-02-01' },
  ]);
});
afterAll(() => warehouse.close());

describe('knex on DuckDB', () => {
  it('binds values instead of splicing them into SQL', async () => {
    const hostile = "x' OR 1=1; DROP TABLE t; --";
    expect(await warehouse.knex('t').where({ name: hostile })).toEqual([]);
    expect(await warehouse.knex('t').where({ name: "o'brien" }).pluck('id')).toEqual([2]);
    const sql = warehouse.knex('t').where({ name: hostile }).toSQL().toNative();
    expect(sql.sql).toBe('select * from "t" where "name" = $1');
    expect(sql.bindings).toEqual([hostile]);
  });

  it('returns plain numbers for BIGINT and DECIMAL, strings for DATE', async () => {
    const row = await warehouse.knex('t').where('day', '>=', '2025-02-01').first();
    expect(row).toEqual({ id: 2, name: "o'brien", amount: 0.1, day: '2025-02-01' });
    const sums = (
      await warehouse.knex.raw(
        'SELECT count(*) AS n, sum(amount) AS total, 9007199254740993::BIGINT AS huge FROM t',
      )
    ).rows[0];
    expect(sums).toEqual({ n: 2, total: 10.35, huge: '9007199254740993' });
  });

  it('reports affected rows for updates and deletes', async () => {
    expect(await warehouse.knex('t').where({ id: 1 }).update({ name: 'b' })).toBe(1);
    expect(await warehouse.knex('t').where({ id: 99 }).del()).toBe(0);
  });

  it('rolls a failed transaction back', async () => {
    await expect(
      warehouse.knex.transaction(async (trx) => {
        await trx('t').del();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await warehouse.knex('t').count({ n: '*' }).first())!.n).toBe(2);
  });

  it('serves reads on other connections while a transaction is open, from the last committed state', async () => {
    const writer = await warehouse.connect();
    await writer.run('BEGIN TRANSACTION');
    await writer.run(`INSERT INTO t VALUES (3, 'c', 1, DATE '2025-03-01')`);
    const counts = await Promise.all([1, 2, 3].map(() => warehouse.knex('t').count({ n: '*' }).first()));
    expect(counts.map((c) => c!.n)).toEqual([2, 2, 2]);
    await writer.run('COMMIT');
    writer.closeSync();
    expect((await warehouse.knex('t').count({ n: '*' }).first())!.n).toBe(3);
  });
});
