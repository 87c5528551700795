// npm run etl -- --source DIR [--db FILE] [--json]
// Loads one extract folder into the warehouse file. Exit 0 when the extract loaded (even with
// rejected rows), 1 with a one-line reason when it could not be loaded at all, 2 on bad usage.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { askServer } from '../server/src/admin/client.ts';
import { config } from '../server/src/config.ts';
import { logToStderr } from '../server/src/logger.ts';
import { openWarehouse, WarehouseOpenError } from '../server/src/db/warehouse.ts';
import type { LoadResult, Progress, RejectSummary } from './load.ts';
import { loadAndEvaluate, type PipelineResult } from './pipeline.ts';
import { ETL_MEMORY_LIMIT } from './settings.ts';

function usage(message: string): never {
  process.stderr.write(`etl: ${message}\nusage: npm run etl -- --source DIR [--db FILE] [--json]\n`);
  process.exit(2);
}

/** One status line on a terminal, redrawn as phases change and every half second in between. */
function progressPrinter(): { update: (p: Progress) => void; stop: () => void } | null {
  if (!process.stderr.isTTY) return null;
  const started = Date.now();
  let last: Progress | null = null;
  const draw = () => {
    if (!last) return;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const label = last.phase === 'refreshing' ? 'refreshing derived tables' : `${last.file} — ${last.phase}`;
    process.stderr.write(
      `\r\x1b[K[${Math.min(last.index + 1, last.total)}/${last.total}] ${label} (${seconds}s)`,
    );
  };
  const timer = setInterval(draw, 500);
  return {
    update: (p) => {
      last = p;
      draw();
    },
    stop: () => {
      clearInterval(timer);
      process.stderr.write('\r\x1b[K');
    },
  };
}

function summary(result: LoadResult): string {
  const lines = Object.entries(result.files).map(
    ([file, s]) =>
      `  ${file.padEnd(20)} read ${String(s.read).padStart(9)}  loaded ${String(s.loaded).padStart(9)}  rejected ${String(s.rejected).padStart(7)}${s.warned ? `  warned ${s.warned}` : ''}`,
  );
  const head = `loaded extract ${result.extract_id} in ${(result.duration_ms / 1000).toFixed(1)}s (run ${result.run_id})`;
  /** The first rows of a kind, and how many more the table keeps. */
  const listed = (title: string, rows: RejectSummary[], count: 'rejected' | 'warned', table: string) => {
    const total = Object.values(result.files).reduce((n, s) => n + s[count], 0);
    if (!total) return [];
    const shown = rows.slice(0, 10).map((r) => `  ${r.file}:${r.line} ${r.column ?? ''}: ${r.reason}`);
    const more =
      total > shown.length
        ? [`  … ${total - shown.length} more in ${table} (run_id = ${result.run_id})`]
        : [];
    return [title, ...shown, ...more];
  };
  return (
    [
      head,
      ...lines,
      ...listed('rejected rows:', result.rejects, 'rejected', 'etl.rejects'),
      ...listed('loaded with a warning:', result.warnings, 'warned', 'etl.warnings'),
    ].join('\n') + '\n'
  );
}

function riskLine(risk: PipelineResult['risk'], error: string | undefined): string {
  if (!risk)
    return `risk evaluation failed (the data is loaded; it runs again after the next load): ${error}\n`;
  return `risk rules judged ${risk.month}: ${risk.breaches} in breach, ${risk.raised} new alerts, ${risk.recovered} tasks recovered, ${risk.escalated} escalated\n`;
}

function refuse(message: string, json: boolean): never {
  if (json)
    process.stdout.write(
      JSON.stringify({
        extract_id: null,
        status: 'refused',
        message,
        files: {},
        rejects: [],
        warnings: [],
        duration_ms: 0,
        risk: null,
      }) + '\n',
    );
  process.stderr.write(`etl: ${message}\n`);
  process.exit(1);
}

async function loadOnFile(dbPath: string, source: string, json: boolean): Promise<PipelineResult> {
  let warehouse;
  try {
    warehouse = await openWarehouse(dbPath, { memoryLimit: ETL_MEMORY_LIMIT, poolMax: 1 });
  } catch (err) {
    refuse(err instanceof WarehouseOpenError ? err.message : String(err), json);
  }
  const progress = json ? null : progressPrinter();
  try {
    return await loadAndEvaluate(warehouse, source, { onProgress: progress?.update });
  } finally {
    progress?.stop();
    await warehouse.close();
  }
}

async function main(): Promise<void> {
  // stdout carries the summary (or the --json object); log lines go beside it.
  logToStderr();
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        source: { type: 'string' },
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  if (!values.source) usage('--source DIR is required');
  const dbPath = values.db || config.dbPath;

  // A running server holds the warehouse file: then it does the load (and its walls refresh).
  let through: PipelineResult | undefined;
  try {
    through = await askServer<PipelineResult>(dbPath, '/etl', { source: resolve(values.source) });
  } catch (err) {
    refuse((err as Error).message, values.json);
  }
  if (through && !values.json)
    process.stderr.write('etl: the server holds the warehouse; loaded through its admin socket\n');
  const {
    load: result,
    risk,
    risk_error: riskError,
  } = through ?? (await loadOnFile(dbPath, values.source, values.json));

  if (values.json) {
    const { run_id: _, ...json } = result;
    process.stdout.write(
      JSON.stringify({ ...json, risk, ...(riskError ? { risk_error: riskError } : {}) }) + '\n',
    );
  } else if (result.status === 'loaded') {
    process.stdout.write(summary(result) + riskLine(risk, riskError));
  }
  if (result.status !== 'loaded') {
    process.stderr.write(`etl: refused: ${result.message}\n`);
    process.exit(1);
  }
}

await main();
