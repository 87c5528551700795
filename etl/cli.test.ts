// The etl command as a user runs it: exit codes, --json output, one-line reasons.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runScript } from '../server/src/test/process.ts';
import { BAD, tempDir, TINY } from './test/helpers.ts';

async function etl(...args: string[]) {
  const run = await runScript('etl/cli.ts', args, { env: { DB_PATH: '' } }).exited;
  return { code: run.code, stdout: run.out, stderr: run.err };
}

describe('npm run etl', () => {
  it('prints one JSON object with --json and exits 0 when the extract loaded, rejects included', async () => {
    const db = join(tempDir(), 'w.duckdb');
    expect((await etl('--source', TINY, '--db', db)).code).toBe(0);
    const run = await etl('--source', BAD + '13-duplicate-keys', '--db', db, '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(Object.keys(out).sort()).toEqual([
      'duration_ms',
      'extract_id',
      'files',
      'rejects',
      'risk',
      'status',
      'warnings',
    ]);
    // The risk rules are judged once the load has committed, over the data's latest complete month.
    expect(out.risk).toMatchObject({ month: '2025-03', raised: expect.any(Number) });
    expect(out).toMatchObject({
      extract_id: 'bad-13-duplicate-keys',
      status: 'loaded',
      files: { 'vehicle_sales.csv': { read: 4, loaded: 2, rejected: 2, warned: 0 } },
      rejects: [
        {
          file: 'vehicle_sales.csv',
          line: 4,
          column: 'order_no',
          reason: 'duplicate order_no "SO-0101" (first on line 2)',
        },
        {
          file: 'vehicle_sales.csv',
          line: 5,
          column: 'order_no',
          reason: 'duplicate order_no "SO-0102" (first on line 3)',
        },
      ],
      warnings: [],
    });
    // A row naming a staff_id tiny's staff.csv does not hold loads, and is listed where it is.
    const warned = JSON.parse(
      (await etl('--source', BAD + '34-unknown-staff-ids', '--db', db, '--json')).stdout,
    );
    expect(warned.files['vehicle_sales.csv']).toEqual({ read: 4, loaded: 3, rejected: 1, warned: 1 });
    expect(warned.warnings).toEqual([
      {
        file: 'vehicle_sales.csv',
        line: 3,
        column: 'salesperson',
        reason: 'unknown staff_id "E-777" (not in staff.csv): loaded, counted as unassigned',
      },
    ]);
  });

  it('exits 1 with a one-line reason when the extract is refused', async () => {
    const db = join(tempDir(), 'w.duckdb');
    const run = await etl('--source', BAD + '06-checksum-mismatch', '--db', db);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^etl: refused: vehicle_sales\.csv: sha256 .* does not match/);
  });

  it('exits 1 when the source folder does not exist', async () => {
    const run = await etl('--source', '/nonexistent/extract', '--db', join(tempDir(), 'w.duckdb'));
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('etl: refused: source folder /nonexistent/extract does not exist');
  });

  it('exits 1 with a clear reason when the database cannot be written', async () => {
    const run = await etl('--source', TINY, '--db', '/etc/hostname/warehouse.duckdb');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^etl: (cannot open database|database .* is not writable)/);
  });

  it('exits 1 and names the lock when another process holds the database', async () => {
    const db = join(tempDir(), 'w.duckdb');
    expect((await etl('--source', TINY, '--db', db)).code).toBe(0);
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api'; await DuckDBInstance.create(${JSON.stringify(db)}); console.log('holding'); setInterval(() => {}, 1000);`,
      ],
      { cwd: ROOT },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d) => String(d).includes('holding') && resolve());
        holder.on('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
      });
      const run = await etl('--source', TINY, '--db', db);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(`^etl: database .*w\\.duckdb is locked by another process \\(PID ${holder.pid}\\)`),
      );
    } finally {
      holder.kill();
    }
  });

  it('exits 2 on bad usage', async () => {
    expect((await etl()).code).toBe(2);
    expect((await etl('--source', TINY, '--bogus')).stderr).toMatch(/^etl: .*bogus/);
  });
});
