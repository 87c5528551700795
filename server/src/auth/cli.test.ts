// npm run users: add (password from stdin), list, remove, and clear refusals.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExtract } from '../../../etl/load.ts';
import { tempDir, TINY } from '../../../etl/test/helpers.ts';
import { openWarehouse } from '../db/warehouse.ts';
import { runScript } from '../test/process.ts';
import { verifyPassword } from './passwords.ts';
import { addUser, UserError, type NewUser } from './users.ts';

let db: string;

async function users(args: string[], input = '') {
  const { code, out, err } = await runScript('server/src/auth/cli.ts', [...args, '--db', db], { input })
    .exited;
  return { code, out, err };
}

beforeAll(async () => {
  db = join(tempDir(), 'w.duckdb');
  const w = await openWarehouse(db);
  await loadExtract(w, TINY);
  await w.close();
});

describe('npm run users', () => {
  it('adds a user with the password from stdin, stored as a scrypt hash', async () => {
    const run = await users(['add', 'zhang.wei', '--role', 'store', '--nodes', 'S1'], 'correct horse\n');
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

  it('lists and removes users', async () => {
    const cfo = await users(
      [
        'add',
        'cfo',
        '--role',
        'finance',
        '--nodes',
        'G',
        '--email',
        'cfo@huasheng.example',
        '--wecom',
        'HS-0001',
      ],
      'long-enough',
    );
    expect(cfo.code).toBe(0);
    expect((await users(['list'])).out).toBe(
      'cfo                  finance   nodes G                domains finance,inventory email cfo@huasheng.example wecom HS-0001\n' +
        'zhang.wei            store     nodes S1               domains sales,fi,funnel,aftersales,inventory,finance\n',
    );
    expect((await users(['remove', 'cfo'])).out).toBe('removed cfo\n');
    expect(await users(['remove', 'cfo'])).toMatchObject({ code: 1, err: 'users: no user cfo\n' });
  });

  it('adds a staff user bound to one person of staff.csv, at their store, with the domains of their job', async () => {
    // tiny's staff.csv: E-101 王芳, sales consultant at S1; E-103 赵强, service advisor at S1.
    const sales = await users(['add', 'wang.fang', '--role', 'staff', '--staff', 'E-101'], 'long-enough');
    expect(sales).toMatchObject({
      code: 0,
      out: 'added wang.fang (staff; staff E-101; nodes S1; domains sales,fi,funnel)\n',
    });
    const advisor = await users(['add', 'zhao.qiang', '--role', 'staff', '--staff', 'E-103'], 'long-enough');
    expect(advisor.out).toBe('added zhao.qiang (staff; staff E-103; nodes S1; domains aftersales)\n');
    for (const name of ['wang.fang', 'zhao.qiang']) expect((await users(['remove', name])).code).toBe(0);
  });

  it('refuses bad grants with a clear reason', async () => {
    // Each reason, from the function the CLI calls (a process per case would cost a second each) …
    const w = await openWarehouse(db);
    const refusal = (input: Omit<NewUser, 'password'> & { password?: string }) =>
      addUser(w.knex, { password: 'long-enough', ...input }).then(
        () => 'added',
        (err: unknown) => (err instanceof UserError ? err.message : `not a UserError: ${String(err)}`),
      );
    try {
      expect(await refusal({ username: 'x.y', role: 'store', nodes: ['R1'] })).toBe(
        "a store user's nodes must be store nodes; R1 is a region",
      );
      expect(await refusal({ username: 'x.y', role: 'region', nodes: ['R9'] })).toBe('unknown node R9');
      expect(await refusal({ username: 'x.y', role: 'special', nodes: ['S1'] })).toBe(
        'role special needs --domains',
      );
      expect(await refusal({ username: 'x.y', role: 'special', nodes: ['S1'], domains: ['hr'] })).toMatch(
        /^unknown domain hr/,
      );
      expect(await refusal({ username: 'x.y', role: 'store', nodes: ['S1'], password: 'short' })).toBe(
        'password must be at least 8 characters',
      );
      expect(await refusal({ username: 'zhang.wei', role: 'store', nodes: ['S1'] })).toBe(
        'user zhang.wei already exists',
      );
      expect(await refusal({ username: 'x.y', role: 'staff', nodes: [] })).toBe(
        'a staff user needs --staff ID',
      );
      expect(await refusal({ username: 'x.y', role: 'store', nodes: ['S1'], staff: 'E-101' })).toBe(
        '--staff is for role staff only',
      );
      expect(await refusal({ username: 'x.y', role: 'staff', nodes: [], staff: 'E-999' })).toBe(
        'unknown staff E-999 (not in the loaded staff.csv)',
      );
      expect(await refusal({ username: 'x.y', role: 'staff', nodes: ['S2'], staff: 'E-101' })).toBe(
        'staff E-101 works at S1, not S2',
      );
      expect(await refusal({ username: 'x.y', role: 'store', nodes: ['S1'], email: 'zhang.wei' })).toBe(
        '--email: "zhang.wei" is not an e-mail address like name@example.com',
      );
      expect(await refusal({ username: 'x.y', role: 'store', nodes: ['S1'], dingtalk: 'a b' })).toBe(
        '--dingtalk: "a b" is not a DingTalk user id (letters, digits, . _ @ -; up to 64)',
      );
    } finally {
      await w.close();
    }
    // … and as the CLI reports one: on stderr, one line, exit code 1; bad usage exits with 2.
    expect(await users(['add', 'x.y', '--role', 'store', '--nodes', 'R1'], 'long-enough')).toMatchObject({
      code: 1,
      err: "users: a store user's nodes must be store nodes; R1 is a region\n",
    });
    expect((await users(['frobnicate'])).code).toBe(2);
  });
});
