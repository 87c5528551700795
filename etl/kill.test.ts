// The ETL killed with SIGKILL at random points of a load, six times over: the warehouse is left
// exactly as it was each time (DuckDB replays its log and drops the unfinished transaction),
// and the next load, left alone, succeeds. A kill that lands after the COMMIT (while the roll-up
// is built or the risk rules are judged) must leave the whole new load instead: never anything in
// between.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateExtract } from '../fixtures/generate.ts';
import { openWarehouse } from '../server/src/db/warehouse.ts';
import { currentDataVersion } from '../server/src/etl-runs/service.ts';
import { rollupOf } from '../server/src/metrics/rollup.ts';
import { ROOT, runScript } from '../server/src/test/process.ts';
import { loadExtract } from './load.ts';
import { fingerprintsIn, tempDir } from './test/helpers.ts';

const SAMPLE = join(ROOT, 'fixtures/sample');
const KILLS = 6;

let dir: string;
let db: string;
let big: string;

/** `npm run etl` as one process, so SIGKILL hits the loader itself; its log says when the load began. */
const etl = (source: string, target: string) =>
  runScript('etl/cli.ts', ['--source', source, '--db', target, '--json'], { env: { LOG_LEVEL: 'info' } });

/** Every table's fingerprint, the ETL record (etl.runs, etl.run_files …) and the app state included. */
const state = fingerprintsIn;

/**
 * The warehouse's own tables: not the ETL record or the app state, whose times and ids differ from
 * one run to the next (and whose risk evaluation runs after the load's commit), nor the store ×
 * month roll-up, built after the commit too: a kill before it is built leaves it tagged with the
 * previous run, so no reader uses it, until the next load or the server's start rebuilds it.
 */
const withoutRecord = (tables: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(tables).filter(
      ([t]) => !t.startsWith('etl.') && !t.startsWith('app.') && !t.startsWith('main.agg_store_month'),
    ),
  );

beforeAll(async () => {
  dir = tempDir('etl-kill-');
  db = join(dir, 'warehouse.duckdb');
  const w = await openWarehouse(db);
  expect((await loadExtract(w, SAMPLE)).status).toBe('loaded');
  await w.close();
  // A bigger extract than the sample, so a load lasts long enough to be cut at many points.
  big = join(dir, 'big');
  await generateExtract({ out: big, stores: 8, months: 12, seed: 7 });
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
    // And how long it takes to start and open the warehouse: a run refused at once (no such folder).
    const startup = (await etl(join(dir, 'no-such-extract'), probe).exited).ms;
    const loadMs = JSON.parse(full.out).duration_ms as number;
    const loadedState = withoutRecord(await state(probe));

    const points: number[] = [];
    const afterCommit: number[] = [];
    for (let attempt = 0; points.length < KILLS && attempt < KILLS * 4; attempt++) {
      // The run is start-up, the load (duration_ms in its output), then the risk rules: aim at the
      // load, timed from the log line that says it began (start-up varies on a busy machine).
      const into = Math.round(loadMs * (0.05 + Math.random() * 0.85));
      const run = etl(big, db);
      let timer: NodeJS.Timeout | undefined;
      const began = () => {
        if (timer || !run.output.err.includes('etl loading')) return;
        timer = setTimeout(() => run.child.kill('SIGKILL'), into);
      };
      run.child.stderr.on('data', began);
      const result = await run.exited;
      clearTimeout(timer);
      const at = into;
      const now = await state(db);
      if (now['etl.runs'] !== before['etl.runs']) {
        // The load had committed (the kill came later, or missed): the whole new load, then.
        expect(withoutRecord(now), `after a kill ${at} ms into the load, past the commit`).toEqual(
          loadedState,
        );
        if (result.signal === 'SIGKILL') afterCommit.push(at);
        copyFileSync(pristine, db);
        continue;
      }
      expect(result.signal).toBe('SIGKILL');
      expect(now, `after a kill ${at} ms into the load`).toEqual(before);
      points.push(at);
    }
    expect(points).toHaveLength(KILLS);
    console.info(
      `etl kill: the whole run took ${full.ms} ms (start-up ${startup} ms, load ${loadMs} ms); killed before the commit at ${points.sort((a, b) => a - b).join(', ')} ms into the load (warehouse unchanged each time)` +
        `; ${afterCommit.length} more kills landed after the commit (whole new load kept)`,
    );

    const last = await etl(big, db).exited;
    expect(last.code, last.out).toBe(0);
    const loaded = JSON.parse(last.out);
    expect(loaded.status).toBe('loaded');
    const after = await state(db);
    expect(after['etl.runs']).toMatch(new RegExp(`^${Number(before['etl.runs']!.split(' ')[0]) + 1} rows`));
    // The big extract replaced the sample: as many rows in each table as the extract loaded.
    const w = await openWarehouse(db);
    try {
      const sales = Number((await w.knex.raw('SELECT count(*) AS n FROM fact_vehicle_sales')).rows[0].n);
      expect(sales).toBe(loaded.files['vehicle_sales.csv'].loaded);
      // And the roll-up was built from it, whatever a kill left before.
      expect(await rollupOf(w.knex, (await currentDataVersion(w.knex)).run_id)).not.toBeNull();
    } finally {
      await w.close();
    }
  }, 240_000);
});
