// npm run backup / npm run restore, round trip: every table (warehouse, ETL record, users, kiosks,
// rules, alerts, tasks, audit trail) comes back exactly as it was backed up, after the database
// was changed in between. A backup also works through a running server; a restore under a running
// server, or from a broken backup, is refused with its reason and changes nothing.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAndEvaluate } from '../../../etl/pipeline.ts';
import { everyTableIn, tempDir } from '../../../etl/test/helpers.ts';
import { createDemoUsers } from '../auth/demo-users.ts';
import { createKiosk } from '../auth/kiosks.ts';
import { openWarehouse } from '../db/warehouse.ts';
import { startServer } from '../test/http.ts';
import { ROOT, runScript } from '../test/process.ts';
import { startAdminSocket } from './server.ts';

const SAMPLE = join(ROOT, 'fixtures/sample');
const TINY = join(ROOT, 'fixtures/tiny');

let dir: string;
let db: string;

const cli = (args: string[]) => runScript('server/src/admin/backup-cli.ts', [...args, '--db', db]).exited;

const stateOf = everyTableIn;

beforeAll(async () => {
  dir = tempDir('backup-');
  db = join(dir, 'warehouse.duckdb');
  const w = await openWarehouse(db);
  expect((await loadAndEvaluate(w, SAMPLE)).load.status).toBe('loaded');
  await createDemoUsers(w.knex, 'S0001');
  await createKiosk(w.knex, { name: 'ops-room', nodes: ['G'] });
  // A task moved on, with its audit trail, so the backup holds more than fresh rows.
  const task = (await w.knex('app.tasks').orderBy('task_id').first('task_id')).task_id;
  await w
    .knex('app.tasks')
    .where({ task_id: task })
    .update({ status: 'do', root_cause: '原因', action_plan: '计划' });
  await w.knex('app.task_events').insert({
    task_id: task,
    happened_at: new Date().toISOString(),
    actor: 'lin.min',
    kind: 'transition',
    from_status: 'plan',
    to_status: 'do',
    note: null,
  });
  await w.close();
}, 60_000);

describe('backup and restore', () => {
  it('round-trips every table, after the database was changed in between', async () => {
    const original = await stateOf(db);
    expect(original['app.users']!.length).toBeGreaterThan(0);
    expect(original['app.task_events']!.length).toBeGreaterThan(0);

    const out = join(dir, 'backup-1');
    const backup = await cli(['backup', '--out', out]);
    expect(backup.code, backup.err).toBe(0);
    expect(backup.out).toMatch(
      /^backed up to .*backup-1: \d+ tables, \d+ rows \(data version 1, 2026-10-31-full; app: /,
    );
    const manifest = JSON.parse(readFileSync(join(out, 'backup.json'), 'utf8'));
    for (const [table, rows] of Object.entries(original))
      expect(manifest.tables[table], table).toBe(rows.length);

    // Change everything a backup must bring back: data, users, kiosks, rules, alerts, tasks.
    const w = await openWarehouse(db);
    expect((await loadAndEvaluate(w, TINY)).load.status).toBe('loaded');
    await w.knex('app.users').del();
    await w.knex('app.kiosks').del();
    await w.knex('app.task_events').del();
    await w.knex('app.risk_rules').update({ enabled: false });
    await w.close();
    expect(await stateOf(db)).not.toEqual(original);

    const restore = await cli(['restore', '--from', out]);
    expect(restore.code, restore.err).toBe(0);
    expect(restore.out).toMatch(/^restored .*warehouse\.duckdb from .*backup-1/);
    expect(await stateOf(db)).toEqual(original);
    // The database it replaced is kept, and ids continue after the restored ones.
    const kept = readdirSync(dir).filter((f) => f.startsWith('warehouse.duckdb.before-restore-'));
    expect(kept).toHaveLength(1);
    const r = await openWarehouse(db);
    const next = Number((await r.knex.raw(`SELECT nextval('app.task_ids') AS n`)).rows[0].n);
    const max = Number((await r.knex.raw('SELECT max(task_id) AS m FROM app.tasks')).rows[0].m);
    await r.close();
    expect(next).toBe(max + 1);
  }, 120_000);

  it('backs up through a running server, and refuses to restore under it', async () => {
    const w = await openWarehouse(db);
    const server = await startServer(w);
    const admin = (await startAdminSocket(w, server.app)) as Server;
    const out = join(dir, 'backup-2');
    try {
      const backup = await cli(['backup', '--out', out]);
      expect(backup.code, backup.err).toBe(0);
      expect(backup.err).toContain('backed up through its admin socket');
      const again = await cli(['backup', '--out', out]);
      expect(again).toMatchObject({
        code: 1,
        err: `backup: ${out} is not empty: choose a new folder for the backup\n`,
      });
      const restore = await cli(['restore', '--from', out]);
      expect(restore.code).toBe(1);
      expect(restore.err).toMatch(
        /^restore: database .*warehouse\.duckdb is in use by another process \(PID \d+\): stop the server before restoring\n$/,
      );
    } finally {
      await new Promise((resolve) => admin.close(resolve));
      await server.close();
      await w.close();
    }
  }, 60_000);

  it('refuses a broken backup with its reason, and leaves the database alone', async () => {
    const before = await stateOf(db);
    const out = join(dir, 'backup-2');
    const manifest = JSON.parse(readFileSync(join(out, 'backup.json'), 'utf8'));
    writeFileSync(
      join(out, 'backup.json'),
      JSON.stringify({ ...manifest, tables: { ...manifest.tables, 'app.users': 999 } }),
    );
    const tampered = await cli(['restore', '--from', out]);
    expect(tampered.code).toBe(1);
    expect(tampered.err).toMatch(
      /^restore: the backup does not restore as recorded: app\.users has \d+ rows, backup\.json says 999\n$/,
    );
    rmSync(join(out, 'load.sql'));
    expect((await cli(['restore', '--from', out])).err).toMatch(/lacks load\.sql: the backup is incomplete/);
    expect((await cli(['restore', '--from', join(dir, 'nowhere')])).err).toMatch(/has no backup\.json/);
    expect(await stateOf(db)).toEqual(before);
    expect(existsSync(`${db}.restoring`)).toBe(false);
    expect((await cli(['frobnicate'])).code).toBe(2);
  }, 60_000);

  it('restores a backup moved to another folder over a damaged database, and runs nothing outside the backup', async () => {
    const out = join(dir, 'backup-3');
    expect((await cli(['backup', '--out', out])).code).toBe(0);
    const original = await stateOf(db);
    const moved = join(dir, 'elsewhere', 'copy');
    cpSync(out, moved, { recursive: true });
    rmSync(out, { recursive: true });
    writeFileSync(join(dir, 'a-file'), 'x');
    expect((await cli(['backup', '--out', join(dir, 'a-file')])).err).toMatch(
      /a-file is a file: give a folder for the backup/,
    );

    // A database that no longer opens is what a restore is for.
    writeFileSync(db, 'not a database'.repeat(1000));
    const restore = await cli(['restore', '--from', moved]);
    expect(restore.code, restore.err).toBe(0);
    expect(await stateOf(db)).toEqual(original);

    // A backup's schema script that tries to write or read outside its folder is stopped.
    const evil = join(dir, 'evil');
    cpSync(moved, evil, { recursive: true });
    const outside = join(dir, 'stolen.csv');
    writeFileSync(
      join(evil, 'schema.sql'),
      readFileSync(join(evil, 'schema.sql'), 'utf8') + `COPY (SELECT 42) TO '${outside}';\n`,
    );
    const refused = await cli(['restore', '--from', evil]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^restore: cannot import .*file system operations are disabled/);
    expect(existsSync(outside)).toBe(false);
    expect(await stateOf(db)).toEqual(original);
  }, 60_000);
});
