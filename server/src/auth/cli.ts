// npm run users -- add USERNAME --role ROLE --nodes ID[,ID…] [--domains D,…]   (password on stdin)
//                  add USERNAME --role staff --staff STAFF_ID [--domains D,…]
//                  list | remove USERNAME
//                  kiosk NAME --nodes ID[,ID…] [--days N] | revoke NAME
// When the server is running it holds the warehouse file, so the command goes through its admin
// socket; otherwise it works on the file directly.
import { parseArgs } from 'node:util';
import { config } from '../config.ts';
import { AdminError, askServer } from '../admin/client.ts';
import { runUsersCommand, type CommandResult, type UsersCommand } from '../admin/commands.ts';
import { openWarehouse, WarehouseOpenError } from '../db/warehouse.ts';

const USAGE = `usage: npm run users -- add USERNAME --role group|division|region|store|finance|special --nodes ID[,ID…] [--domains sales,fi,funnel,aftersales,inventory,finance] [--name 显示名] [--email ADDRESS] [--wecom ID] [--dingtalk ID]
       npm run users -- add USERNAME --role staff --staff STAFF_ID [--domains …]   (one person of staff.csv: their own figures only)
       npm run users -- list
       npm run users -- remove USERNAME
       npm run users -- kiosk NAME --nodes ID[,ID…] [--days N]    (a wall screen's read-only token; default 365 days)
       npm run users -- revoke NAME                               (revokes a kiosk token)
(the password of "add" is read from standard input)`;

function fail(message: string, code = 1): never {
  process.stderr.write(`users: ${message}\n`);
  process.exit(code);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((v) => v.trim())
    .filter(Boolean);

async function parseCommand(): Promise<{ command: UsersCommand; db: string }> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        nodes: { type: 'string' },
        domains: { type: 'string' },
        staff: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string' },
        wecom: { type: 'string' },
        dingtalk: { type: 'string' },
        days: { type: 'string' },
        db: { type: 'string' },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  const [command, name, ...extra] = positionals;
  const db = values.db || config.dbPath;
  if (extra.length) fail(USAGE, 2);
  if (command === 'list' && !name) return { command: { command: 'list' }, db };
  if (!name) fail(USAGE, 2);
  if (command === 'remove') return { command: { command, username: name }, db };
  if (command === 'revoke') return { command: { command, name }, db };
  if (!values.nodes && !(command === 'add' && values.role === 'staff')) fail('--nodes is required', 2);
  if (command === 'kiosk') {
    if (values.days !== undefined && !/^\d{1,4}$/.test(values.days))
      fail('--days must be a whole number of days, 1–3660', 2);
    return {
      command: {
        command,
        name,
        nodes: list(values.nodes!)!,
        days: values.days === undefined ? undefined : Number(values.days),
      },
      db,
    };
  }
  if (command !== 'add') fail(USAGE, 2);
  if (!values.role) fail('--role is required', 2);
  if (process.stdin.isTTY) process.stderr.write(`password for ${name} (then Enter and Ctrl-D): `);
  const password = await readStdin();
  return {
    command: {
      command,
      username: name,
      password,
      role: values.role,
      nodes: list(values.nodes) ?? [],
      domains: list(values.domains),
      staff: values.staff,
      name: values.name,
      email: values.email,
      wecom: values.wecom,
      dingtalk: values.dingtalk,
    },
    db,
  };
}

async function onFile(db: string, command: UsersCommand): Promise<CommandResult> {
  const warehouse = await openWarehouse(db).catch((err) =>
    fail(err instanceof WarehouseOpenError ? err.message : String(err)),
  );
  try {
    return await runUsersCommand(warehouse.knex, command);
  } finally {
    await warehouse.close();
  }
}

const { command, db } = await parseCommand();
let result: CommandResult;
try {
  result = (await askServer<CommandResult>(db, '/users', command)) ?? (await onFile(db, command));
} catch (err) {
  fail(err instanceof AdminError ? err.message : String(err));
}
if ('error' in result) fail(result.error);
process.stdout.write(result.output);
