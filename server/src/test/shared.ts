// Work done once per test run and shared by the test files that need it: a warehouse loaded with
// an extract, the built client. The first file to ask does the work, in the run's shared folder
// (made and removed by global-setup.ts); files that ask meanwhile, in other workers, wait for it.
// A test file never opens a shared warehouse itself: it gets its own copy (a file copy costs
// milliseconds, a load seconds), so its writes (users, tokens, tasks, loads) stay its own.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { loadAndEvaluate } from '../../../etl/pipeline.ts';
import { tempDir } from '../../../etl/test/helpers.ts';
import { openWarehouse, type Warehouse } from '../db/warehouse.ts';

/** How long a file waits for another worker's work before it gives up. */
const WAIT_MS = 300_000;

/** The path of `name` in the run's shared folder, made by `make(path)` the first time any file asks for it. */
export async function once(name: string, make: (path: string) => Promise<void>): Promise<string> {
  const path = join(inject('sharedDir'), name);
  const done = `${path}.done`;
  const failed = `${path}.failed`;
  let mine = true;
  try {
    mkdirSync(`${path}.claimed`); // atomic: exactly one process succeeds
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    mine = false;
  }
  if (mine) {
    try {
      await make(path);
    } catch (err) {
      writeFileSync(failed, err instanceof Error ? (err.stack ?? err.message) : String(err));
      throw err;
    }
    writeFileSync(done, '');
    return path;
  }
  for (const start = Date.now(); !existsSync(done); await sleep(50)) {
    if (existsSync(failed))
      throw new Error(`shared ${name} failed in another test file:\n${readFileSync(failed, 'utf8')}`);
    if (Date.now() - start > WAIT_MS) throw new Error(`shared ${name}: not made after ${WAIT_MS / 1000} s`);
  }
  return path;
}

/**
 * A warehouse of this test file's own, copied from the shared one called `name` that `fill`
 * made once in this run.
 */
export async function sharedWarehouse(
  name: string,
  fill: (warehouse: Warehouse) => Promise<void>,
): Promise<Warehouse> {
  const shared = await once(`${name}.duckdb`, async (path) => {
    const warehouse = await openWarehouse(path);
    try {
      await fill(warehouse);
    } finally {
      await warehouse.close();
    }
    // Closed cleanly, the file is the whole database (no log beside it): a copy is exact.
    if (existsSync(`${path}.wal`)) throw new Error(`${path} was left with a log beside it`);
  });
  const copy = join(tempDir(), 'warehouse.duckdb');
  copyFileSync(shared, copy);
  return openWarehouse(copy);
}

/** A warehouse of this test file's own with `extract` loaded and its risks evaluated, as `npm run etl` does. */
export function loadedWarehouse(extract: string): Promise<Warehouse> {
  return sharedWarehouse(`loaded-${basename(extract)}`, async (warehouse) => {
    const { load } = await loadAndEvaluate(warehouse, extract);
    if (load.status !== 'loaded') throw new Error(`${extract} refused: ${load.message}`);
  });
}
