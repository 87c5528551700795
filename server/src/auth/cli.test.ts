// npm run users: add (password from stdin), list, remove, and clear refusals.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExtract } from '../../../etl/load.ts';
import { tempDir, TINY } from '../../../etl/test/helpers.ts';
import { openWarehouse } from '../db/warehouse.ts';
import { verifyPassword } from './passwords.ts';

const ROOT = new URL('../../..', import.meta.url).pathname;
let db: string;

function users(args: string[], input = '') {
  const run = spawnSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    ['server/src/auth/cli.ts', ...args, '--db', db],
    { cwd: ROOT, input, encoding: 'utf8' },
  );
  return { code: run.status, out: run.stdout, err: run.stderr };
}

beforeAll(async () => {
  db = join(tempDir(), 'w.duckdb');
  const w = await openWarehouse(db);
  await loadExtract(w, TINY);
  await w.close();
});

describe('npm run users', () => {
  it('adds a user with the password from stdin, stored as a scrypt hash', async () => {
    const run = users(['add', 'zhang.wei', '--role', 'store', '--nodes', 'S1'], 'correct horse\n');
    expect(run.code).toBe(0);
    expect(run.out).toBe(
      'added zhang.wei (store; nodes S1; domains sales,fi,funnel,aftersales,inventory,finance)\n',
    );
    const w = await openWarehouse(db);
    const row = await w.knex('app.users').where({ username: 'zhang.wei' }).first('password_hash');
    await w.close();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', row.password_hash)).toBe(true);
    expect(await verifyPassword('correct horsf', row.password_hash)).toBe(false);
  });

  it('lists and removes users', () => {
    expect(users(['add', 'cfo', '--role', 'finance', '--nodes', 'G'], 'long-enough').code).toBe(0);
    expect(users(['list']).out).toBe(
      'cfo                  finance   nodes G                domains finance,inventory\n' +
        'zhang.wei            store     nodes S1               domains sales,fi,funnel,aftersales,inventory,finance\n',
    );
    expect(users(['remove', 'cfo']).out).toBe('removed cfo\n');
    expect(users(['remove', 'cfo'])).toMatchObject({ code: 1, err: 'users: no user cfo\n' });
  });

  it('refuses bad grants with a clear reason', () => {
    expect(users(['add', 'x.y', '--role', 'store', '--nodes', 'R1'], 'long-enough').err).toBe(
      "users: a store user's nodes must be store nodes; R1 is a region\n",
    );
    expect(users(['add', 'x.y', '--role', 'region', '--nodes', 'R9'], 'long-enough').err).toBe(
      'users: unknown node R9\n',
    );
    expect(users(['add', 'x.y', '--role', 'special', '--nodes', 'S1'], 'long-enough').err).toBe(
      'users: role special needs --domains\n',
    );
    expect(
      users(['add', 'x.y', '--role', 'special', '--nodes', 'S1', '--domains', 'hr'], 'long-enough').err,
    ).toMatch(/^users: unknown domain hr/);
    expect(users(['add', 'x.y', '--role', 'store', '--nodes', 'S1'], 'short').err).toBe(
      'users: password must be at least 8 characters\n',
    );
    expect(users(['add', 'zhang.wei', '--role', 'store', '--nodes', 'S1'], 'long-enough').err).toBe(
      'users: user zhang.wei already exists\n',
    );
    expect(users(['frobnicate']).code).toBe(2);
  });
});
