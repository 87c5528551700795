// npm run bench:etl -- [--stores N] [--months M] [--seed S] [--reuse]
// Generates an extract, loads it with the ETL in a child process (so its peak RSS is the ETL's
// own), then loads the same files with plain `CREATE TABLE … AS SELECT * FROM read_csv(…)`: the
// floor no ETL can beat. Prints rows/s per file and in total, peak RSS, ETL / floor, and the time
// of the store × month roll-up built after the load.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateExtract } from '../fixtures/generate.ts';
import { ETL_MEMORY_LIMIT } from './settings.ts';
import type { Manifest } from './manifest.ts';
import { FILE_SPECS } from './jobs/index.ts';
import { SQL_TYPES } from './spec.ts';
import { ident } from './validate-sql.ts';

const { values } = parseArgs({
  options: {
    stores: { type: 'string', default: '400' },
    months: { type: 'string', default: '36' },
    seed: { type: 'string', default: '1' },
    reuse: { type: 'boolean', default: false },
  },
});
const stores = Number(values.stores);
const months = Number(values.months);
const root = resolve('data/bench');
const extractDir = join(root, `extract-${stores}x${months}-seed${values.seed}`);

async function main(): Promise<void> {
  let generateSeconds: number | null = null;
  if (!values.reuse || !existsSync(join(extractDir, 'manifest.json'))) {
    rmSync(extractDir, { recursive: true, force: true });
    const t0 = Date.now();
    await generateExtract({ out: extractDir, stores, months, seed: Number(values.seed) });
    generateSeconds = (Date.now() - t0) / 1000;
  }
  const manifest = JSON.parse(readFileSync(join(extractDir, 'manifest.json'), 'utf8')) as Manifest;
  const totalRows = Object.values(manifest.files).reduce((n, f) => n + f.rows, 0);

  // The ETL, as a user runs it, in its own process.
  const etlDb = join(root, 'bench-etl.duckdb');
  rmSync(etlDb, { force: true });
  rmSync(etlDb + '.wal', { force: true });
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'etl/bench-load.ts', extractDir, etlDb], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (child.status !== 0) throw new Error(`ETL failed: ${child.stderr}`);
  const etl = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
    status: string;
    message?: string;
    duration_ms: number;
    max_rss_mb: number;
    files: Record<string, { read: number; ms: number }>;
    rollup: { ms: number; rows: number } | null;
  };
  if (etl.status !== 'loaded') throw new Error(`ETL refused the extract: ${etl.message}`);

  const floor = await floorLoad(extractDir, manifest);

  const lines = [
    `extract: ${stores} stores × ${months} months, ${totalRows.toLocaleString('en')} rows` +
      (generateSeconds === null ? ' (reused)' : `, generated in ${generateSeconds.toFixed(1)} s`),
    '',
    `${'file'.padEnd(20)} ${'rows'.padStart(11)} ${'etl s'.padStart(7)} ${'etl rows/s'.padStart(11)} ${'floor s'.padStart(8)} ${'ratio'.padStart(6)}`,
  ];
  for (const spec of FILE_SPECS) {
    const e = etl.files[spec.file];
    const f = floor.files[spec.file];
    if (!e || f === undefined) continue; // an optional file the extract does not carry
    lines.push(
      `${spec.file.padEnd(20)} ${e.read.toLocaleString('en').padStart(11)} ${(e.ms / 1000).toFixed(2).padStart(7)} ${rate(e.read, e.ms).padStart(11)} ${(f / 1000).toFixed(2).padStart(8)} ${(e.ms / Math.max(f, 1)).toFixed(2).padStart(6)}`,
    );
  }
  lines.push(
    '',
    `ETL total:   ${(etl.duration_ms / 1000).toFixed(1)} s, ${rate(totalRows, etl.duration_ms)} rows/s, peak RSS ${etl.max_rss_mb} MiB (memory_limit ${ETL_MEMORY_LIMIT})`,
    `floor total: ${(floor.totalMs / 1000).toFixed(1)} s, ${rate(totalRows, floor.totalMs)} rows/s`,
    `ETL / floor: ${(etl.duration_ms / floor.totalMs).toFixed(2)}×`,
    `roll-up after the load: ${etl.rollup ? `${(etl.rollup.ms / 1000).toFixed(1)} s, ${etl.rollup.rows.toLocaleString('en')} store-months` : 'not built'}`,
  );
  if (generateSeconds !== null)
    lines.push(`generate + load: ${(generateSeconds + etl.duration_ms / 1000).toFixed(1)} s`);
  console.log(lines.join('\n'));
}

const rate = (rows: number, ms: number) => Math.round(rows / Math.max(ms / 1000, 0.001)).toLocaleString('en');

/** CREATE TABLE AS SELECT * FROM read_csv with the same explicit types, file by file. */
async function floorLoad(
  dir: string,
  manifest: Manifest,
): Promise<{ totalMs: number; files: Record<string, number> }> {
  const path = join(root, 'bench-floor.duckdb');
  rmSync(path, { force: true });
  rmSync(path + '.wal', { force: true });
  const instance = await DuckDBInstance.create(path, { memory_limit: ETL_MEMORY_LIMIT });
  const conn = await instance.connect();
  const files: Record<string, number> = {};
  const t0 = Date.now();
  for (const spec of FILE_SPECS) {
    if (!(spec.file in manifest.files)) continue;
    const types = spec.columns
      .map((c) => `'${c.name}': '${c.type === 'period' ? 'VARCHAR' : SQL_TYPES[c.type]}'`)
      .join(', ');
    const start = Date.now();
    await conn.run(
      `CREATE TABLE ${ident(spec.table)} AS SELECT * FROM read_csv('${join(dir, spec.file)}', header = true, auto_detect = false, columns = {${types}})`,
    );
    await conn.run('CHECKPOINT');
    files[spec.file] = Date.now() - start;
  }
  const totalMs = Date.now() - t0;
  conn.closeSync();
  instance.closeSync();
  return { totalMs, files };
}

await main();
