// The ETL killed with SIGKILL at random points of a load, ten times over: the warehouse is left
// exactly as it was each time (DuckDB replays its log and drops the unfinished transaction),
// and the next load, left alone, succeeds. A kill that lands after the COMMIT (while the risk
// rules are judged) must leave the whole new load instead: never anything in between.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateExtract } from '../fixtures/generate.ts';
import { openWarehouse } from '../server/src/db/warehouse.ts';
import { loadExtract } from './load.ts';
import { snapshot, tempDir } from './test/helpers.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SAMPLE = join(ROOT, 'fixtures/sample');
const KILLS = 10;

let dir: string;
let db: string;
let big: string;

/** `npm run etl` as one process (no tsx wrapper in between), so SIGKILL hits the loader itself. */
function etl(source: string, target: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'etl/cli.ts', '--source', source, '--db', target, '--json'], { cwd: ROOT });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; out: string }>((resolve) => {
    const started = Date.now();
    child.on('exit', (code, signal) => resolve({ code, signal, ms: Date.now() - started, out }));
  });
  return { child, exited };
}

async function state(path: string) {
  const w = await openWarehouse(path);
  try {
    return { tables: await snapshot(w), runs: (await w.knex.raw('SELECT * FROM etl.runs ORDER BY run_id')).rows };
  } finally {
    await w.close();
  }
}

beforeAll(async () => {
  dir = tempDir('etl-kill-');
  db = join(dir, 'warehouse.duckdb');
  const w = await openWarehouse(db);
  expect((await loadExtract(w, SAMPLE)).status).toBe('loaded');
  await w.close();
  // A bigger extract than the sample, so a load lasts long enough to be cut at many points.
  big = join(dir, 'big');
  await generateExtract({ out: big, stores: 16, months: 12, seed: 7 });
}, 120_000);

describe('the ETL killed mid-load', () => {
  it(`leaves the warehouse as it was, ${KILLS} times at random points, and the next load succeeds`, async () => {
    const before = await state(db);
    // Closed cleanly, so the file is the whole database (no log beside it): copies are exact.
    expect(existsSync(`${db}.wal`)).toBe(false);
    const pristine = join(dir, 'pristine.duckdb');
    copyFileSync(db, pristine);

    // How long a whole load takes here, on a copy: kills land between 10% and 85% of it.
    const probe = join(dir, 'probe.duckdb');
    copyFileSync(db, probe);
    const full = await etl(big, probe).exited;
    expect(full.code, full.out).toBe(0);
    const loadedState = (await state(probe)).tables;

    const points: number[] = [];
    const afterCommit: number[] = [];
    for (let attempt = 0; points.length < KILLS && attempt < KILLS * 3; attempt++) {
      const at = Math.round(full.ms * (0.15 + Math.random() * 0.7));
      const run = etl(big, db);
      const timer = setTimeout(() => run.child.kill('SIGKILL'), at);
      const result = await run.exited;
      clearTimeout(timer);
      const now = await state(db);
      if (now.runs.length > before.runs.length) {
        // The load had committed (the kill came later, or missed): the whole new load, then.
        expect(now.tables, `after a kill at ${at} ms, past the commit`).toEqual(loadedState);
        if (result.signal === 'SIGKILL') afterCommit.push(at);
        copyFileSync(pristine, db);
        continue;
      }
      expect(result.signal).toBe('SIGKILL');
      expect(now, `after a kill at ${at} ms`).toEqual(before);
      points.push(at);
    }
    expect(points).toHaveLength(KILLS);
    console.info(`etl kill: the whole run took ${full.ms} ms; killed before the commit at ${points.sort((a, b) => a - b).join(', ')} ms (warehouse unchanged each time)`
      + `; ${afterCommit.length} more kills landed after the commit (whole new load kept)`);

    const last = await etl(big, db).exited;
    expect(last.code, last.out).toBe(0);
    const loaded = JSON.parse(last.out);
    expect(loaded.status).toBe('loaded');
    const after = await state(db);
    expect(after.runs).toHaveLength(before.runs.length + 1);
    // The big extract replaced the sample: as many rows in each table as the extract loaded.
    const w = await openWarehouse(db);
    try {
      const sales = Number((await w.knex.raw('SELECT count(*) AS n FROM fact_vehicle_sales')).rows[0].n);
      expect(sales).toBe(loaded.files['vehicle_sales.csv'].loaded);
    } finally {
      await w.close();
    }
  }, 240_000);
});
