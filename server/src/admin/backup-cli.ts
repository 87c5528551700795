// npm run backup -- --out DIR [--db FILE]     the whole database (warehouse and app state) into DIR
// npm run restore -- --from DIR [--db FILE]   DIR back as the database (the server must be stopped)
// A backup while the server runs goes through its admin socket (the server holds the file).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { config } from '../config.ts';
import { openWarehouse, WarehouseOpenError } from '../db/warehouse.ts';
import { AdminError, askServer } from './client.ts';
import { backupTo, BackupError, restoreFrom, type BackupManifest } from './backup.ts';

const USAGE =
  'usage: npm run backup -- --out DIR [--db FILE]\n       npm run restore -- --from DIR [--db FILE]';

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const summary = (m: BackupManifest) => {
  const rows = Object.values(m.tables).reduce((n, c) => n + c, 0);
  const app = Object.entries(m.tables)
    .filter(([t]) => t.startsWith('app.'))
    .map(([t, n]) => `${t.slice(4)} ${n}`)
    .join(', ');
  return `${Object.keys(m.tables).length} tables, ${rows} rows (data version ${m.data_version.run_id ?? '—'}, ${m.data_version.extract_id ?? 'no extract'}; app: ${app})`;
};

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, from: { type: 'string' }, db: { type: 'string' } },
  });
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`, 2);
}
const { values, positionals } = parsed;
const command = positionals[0];
const db = values.db || config.dbPath;

try {
  if (command === 'backup' && values.out) {
    const out = resolve(values.out);
    let manifest = await askServer<BackupManifest>(db, '/backup', { out });
    if (manifest)
      process.stderr.write('backup: the server holds the database; backed up through its admin socket\n');
    else {
      const warehouse = await openWarehouse(db);
      try {
        manifest = await backupTo(warehouse.knex, out);
      } finally {
        await warehouse.close();
      }
    }
    process.stdout.write(`backed up to ${out}: ${summary(manifest)}\n`);
  } else if (command === 'restore' && values.from) {
    const { manifest, kept } = await restoreFrom(resolve(values.from), db);
    process.stdout.write(
      `restored ${resolve(db)} from ${resolve(values.from)} (made ${manifest.created_at}): ${summary(manifest)}\n`,
    );
    if (kept) process.stdout.write(`the database it replaced is kept as ${kept}\n`);
  } else {
    fail(USAGE, 2);
  }
} catch (err) {
  if (err instanceof BackupError || err instanceof AdminError || err instanceof WarehouseOpenError)
    fail(`${command}: ${err.message}`);
  throw err;
}
