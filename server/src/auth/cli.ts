// npm run users -- add USERNAME --role ROLE --nodes ID[,ID…] [--domains D,…]   (password on stdin)
//                  list | remove USERNAME
// Works on the warehouse file directly, so the server must not be running (DuckDB lets one
// process hold the file); a locked file is reported as such.
import { parseArgs } from 'node:util';
import { DEFAULT_DB_PATH } from '../../../etl/settings.ts';
import { openWarehouse, WarehouseOpenError } from '../db/warehouse.ts';
import { addUser, listUsers, removeUser, UserError } from './users.ts';

const USAGE = `usage: npm run users -- add USERNAME --role group|division|region|store|finance|special --nodes ID[,ID…] [--domains sales,fi,funnel,aftersales,inventory,finance]
       npm run users -- list
       npm run users -- remove USERNAME
(the password of "add" is read from standard input)`;

function fail(message: string, code = 1): never {
  process.stderr.write(`users: ${message}\n`);
  process.exit(code);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { role: { type: 'string' }, nodes: { type: 'string' }, domains: { type: 'string' }, db: { type: 'string' } },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  const [command, username, ...extra] = positionals;
  if (!command || extra.length || (command !== 'list' && !username) || !['add', 'list', 'remove'].includes(command)) fail(USAGE, 2);

  const warehouse = await openWarehouse(values.db || process.env.DB_PATH || DEFAULT_DB_PATH).catch((err) =>
    fail(err instanceof WarehouseOpenError ? err.message : String(err)),
  );
  try {
    if (command === 'list') {
      for (const u of await listUsers(warehouse.knex)) {
        process.stdout.write(`${u.username.padEnd(20)} ${u.role.padEnd(9)} nodes ${u.nodes.join(',').padEnd(16)} domains ${u.domains.join(',')}\n`);
      }
    } else if (command === 'remove') {
      if (!(await removeUser(warehouse.knex, username!))) fail(`no user ${username}`);
      process.stdout.write(`removed ${username}\n`);
    } else {
      if (!values.role) fail('--role is required', 2);
      if (!values.nodes) fail('--nodes is required', 2);
      if (process.stdin.isTTY) process.stderr.write(`password for ${username} (then Enter and Ctrl-D): `);
      const password = await readStdin();
      const user = await addUser(warehouse.knex, {
        username: username!, password, role: values.role,
        nodes: values.nodes.split(',').map((n) => n.trim()).filter(Boolean),
        domains: values.domains?.split(',').map((d) => d.trim()).filter(Boolean),
      });
      process.stdout.write(`added ${user.username} (${user.role}; nodes ${user.nodes.join(',')}; domains ${user.domains.join(',')})\n`);
    }
  } catch (err) {
    if (err instanceof UserError) fail(err.message);
    throw err;
  } finally {
    await warehouse.close();
  }
}

await main();
