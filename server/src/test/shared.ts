// Work done once per test run and shared by the test files that need it: a warehouse loaded with
// an extract, the built client. The first file to ask does the work, in the run's shared folder
// (made and removed by global-setup.ts); files that ask meanwhile, in other workers, wait for it.
// A test file never opens a shared warehouse itself: it gets its own copy (a file copy costs
// milliseconds, a load seconds), so its writes (users, tokens, tasks, loads) stay its own.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { loadAndEvaluate } from '../../../etl/pipeline.ts';
import { tempDir } from '../../../etl/test/helpers.ts';
import { openWarehouse, type Warehouse } from '../db/warehouse.ts';
import { createDemoUsers } from '../auth/demo-users.ts';
import { chineseNameOf } from '../../../fixtures/names.ts';
import { generateExtract } from '../../../fixtures/generate.ts';

/** How long a file waits for another worker's work before it gives up. */
const WAIT_MS = 300_000;

/** The path of `name` in the run's shared folder, made by `make(path)` the first time any file asks for it. */
export async function once(name: string, make: (path: string) => Promise<void>): Promise<string> {
  const path = join(inject('sharedDir'), name);
  const claim = `${path}.claimed`;
  const done = `${path}.done`;
  const failed = `${path}.failed`;
  try {
    writeFileSync(claim, String(process.pid), { flag: 'wx' }); // exactly one process creates it
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return waitFor(name, path);
  }
  try {
    await make(path);
  } catch (err) {
    writeFileSync(failed, err instanceof Error ? (err.stack ?? err.message) : String(err));
    throw err;
  }
  writeFileSync(done, '');
  return path;
}

/** Waits for another process to make `name`; fails at once if it failed or stopped before it finished. */
async function waitFor(name: string, path: string): Promise<string> {
  for (const start = Date.now(); !existsSync(`${path}.done`); await sleep(50)) {
    if (existsSync(`${path}.failed`))
      throw new Error(
        `shared ${name} failed in another test file:\n${readFileSync(`${path}.failed`, 'utf8')}`,
      );
    const pid = Number(readFileSync(`${path}.claimed`, 'utf8')); // 0 while the claim is being written
    if (pid && !alive(pid))
      throw new Error(`shared ${name}: the test file making it stopped before it finished`);
    if (Date.now() - start > WAIT_MS) throw new Error(`shared ${name}: not made after ${WAIT_MS / 1000} s`);
  }
  return path;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

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

export const SAMPLE = new URL('../../../fixtures/sample/', import.meta.url).pathname;
/** The store of the sample's demo store manager. */
export const SAMPLE_STORE = 'S0001';

/** A warehouse of this test file's own with the sample's options over 15 months (a history long
 *  enough for forecast intervals: the committed sample's three months give none), generated and
 *  loaded once per run, with the demo users. */
export function longSampleWarehouse(): Promise<Warehouse> {
  return sharedWarehouse('sample-15-months', async (w) => {
    const extract = join(tempDir(), 'extract');
    await generateExtract({ out: extract, stores: 4, months: 15 });
    const loaded = (await loadAndEvaluate(w, extract)).load;
    if (loaded.status !== 'loaded') throw new Error(`15-month sample refused: ${loaded.message}`);
    await createDemoUsers(w.knex, SAMPLE_STORE, chineseNameOf);
  });
}

/** A warehouse of this test file's own with the committed sample extract loaded and the demo users (browser tests, people). */
export function sampleWarehouse(): Promise<Warehouse> {
  return sharedWarehouse('sample-demo-users', async (w) => {
    const loaded = (await loadAndEvaluate(w, SAMPLE)).load;
    if (loaded.status !== 'loaded') throw new Error(`sample extract refused: ${loaded.message}`);
    await createDemoUsers(w.knex, SAMPLE_STORE, chineseNameOf);
  });
}
