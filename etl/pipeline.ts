// The whole ETL as DESIGN.md draws it: load (one transaction) → refresh → roll-up → evaluate risk rules.
// Evaluation runs once the load has committed, so a load that is refused raises nothing, and an
// evaluation that fails leaves the loaded data in place (it is reported, and runs again next load).
import type { Warehouse } from '../server/src/db/warehouse.ts';
import { logger } from '../server/src/logger.ts';
import { buildRollupIfStale } from '../server/src/metrics/rollup.ts';
import { evaluateRisks, type EvaluationSummary } from '../server/src/risk/evaluate.ts';
import { loadExtract, type LoadOptions, type LoadResult } from './load.ts';

export interface PipelineResult {
  load: LoadResult;
  /** null when the load was refused. */
  risk: EvaluationSummary | null;
  /** Why the evaluation failed, when it did. */
  risk_error?: string;
}

export async function loadAndEvaluate(
  warehouse: Warehouse,
  sourceDir: string,
  options: LoadOptions = {},
): Promise<PipelineResult> {
  // When a load began, for whoever reads the log (and the kill test, which aims inside the load).
  logger.info({ source: sourceDir }, `etl loading ${sourceDir}`);
  const load = await loadExtract(warehouse, sourceDir, options);
  logLoad(sourceDir, load);
  if (load.status !== 'loaded') return { load, risk: null };
  // Until the roll-up holds this version, answers come from the facts (slower, the same figures).
  try {
    await buildRollupIfStale(warehouse.knex);
  } catch (err) {
    logger.error({ err }, 'rollup build failed (answers come from the facts)');
  }
  try {
    return { load, risk: await evaluateRisks(warehouse.knex) };
  } catch (err) {
    const riskError = err instanceof Error ? err.message.split('\n')[0] : String(err);
    logger.error({ err }, `risk evaluation failed (the data stays loaded): ${riskError}`);
    return { load, risk: null, risk_error: riskError };
  }
}

/** The load's figures, for the operator: what came in, what went in, what was turned away, how long. */
function logLoad(source: string, load: LoadResult): void {
  const total = (key: 'read' | 'loaded' | 'rejected' | 'warned') =>
    Object.values(load.files).reduce((n, f) => n + f[key], 0);
  const figures = {
    extract_id: load.extract_id,
    run_id: load.run_id,
    source,
    status: load.status,
    rows_read: total('read'),
    rows_loaded: total('loaded'),
    rows_rejected: total('rejected'),
    rows_warned: total('warned'),
    duration_ms: load.duration_ms,
    files: load.files,
  };
  if (load.status === 'loaded') logger.info(figures, `etl loaded ${load.extract_id}`);
  else logger.warn({ ...figures, reason: load.message }, `etl refused ${source}: ${load.message}`);
}
