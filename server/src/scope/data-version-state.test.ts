// What every request reads about the loaded data is read once per data version: org nodes with
// their ancestors (the scope check), coverage and the roll-up. Checked on fixtures/tiny, with the
// warehouse changed behind the state's back to see when it reads again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY } from '../../../etl/test/helpers.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { currentDataVersion } from '../etl-runs/service.ts';
import { loadedWarehouse } from '../test/shared.ts';
import { DataVersionState } from './data-version-state.ts';

let warehouse: Warehouse;
let runId: number;
/** The data version the state is told; moved by hand to stand for a load that committed. */
let version: number;
let state: DataVersionState;

beforeAll(async () => {
  warehouse = await loadedWarehouse(TINY);
  runId = (await currentDataVersion(warehouse.knex)).run_id!;
  version = runId;
  state = new DataVersionState(warehouse.knex, async () => ({ run_id: version }));
});
afterAll(() => warehouse.close());

describe('DataVersionState', () => {
  it('knows a node with every node it lies under, itself included', async () => {
    const s1 = await state.node('S1');
    expect(s1?.node).toMatchObject({ node_id: 'S1', parent_id: 'R1', level: 'store', store_type: '4s' });
    expect([...s1!.ancestors].sort()).toEqual(['D1', 'G', 'R1', 'S1']);
    expect((await state.node('G'))?.ancestors).toEqual(['G']);
  });

  it('reads a node again only when the data version changes; an unknown id is never kept', async () => {
    expect(await state.node('S9')).toBeNull();
    await warehouse.knex('dim_org').where({ node_id: 'S1' }).update({ name: '改名' });
    await warehouse.knex('dim_org').insert({
      node_id: 'S9',
      parent_id: 'R2',
      level: 'store',
      name: '新店',
      name_en: 'New store',
      store_type: '4s',
      province: '广东',
      city: '广州',
      opened_on: '2025-01-01',
      owner: 'x',
      batch_id: 'test',
    });
    await warehouse.knex('org_closure').insert([
      { ancestor_id: 'S9', descendant_id: 'S9', depth: 0 },
      { ancestor_id: 'R2', descendant_id: 'S9', depth: 1 },
      { ancestor_id: 'D2', descendant_id: 'S9', depth: 2 },
      { ancestor_id: 'G', descendant_id: 'S9', depth: 3 },
    ]);
    // Same version: the known node as it was read; the unknown one is looked up again.
    expect((await state.node('S1'))?.node.name).not.toBe('改名');
    expect([...(await state.node('S9'))!.ancestors].sort()).toEqual(['D2', 'G', 'R2', 'S9']);
    version = runId + 1;
    expect((await state.node('S1'))?.node.name).toBe('改名');
  });

  it('uses the roll-up only while it holds the version read', async () => {
    version = runId;
    expect(await state.rollup()).toEqual({ from: '2025-01-01', to: '2025-03-01' });
    version = runId + 1;
    expect(await state.rollup()).toBeNull();
  });

  it('reads the coverage once per version', async () => {
    version = runId;
    const first = await state.coverage();
    expect(await state.coverage()).toBe(first);
    version = runId + 2;
    expect(await state.coverage()).not.toBe(first);
  });
});
