// The whole ETL as DESIGN.md draws it: load (one transaction) → refresh → evaluate risk rules.
// Evaluation runs once the load has committed, so a load that is refused raises nothing, and an
// evaluation that fails leaves the loaded data in place (it is reported, and runs again next load).
import type { Warehouse } from '../server/src/db/warehouse.ts';
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
  const load = await loadExtract(warehouse, sourceDir, options);
  if (load.status !== 'loaded') return { load, risk: null };
  try {
    return { load, risk: await evaluateRisks(warehouse.knex) };
  } catch (err) {
    return { load, risk: null, risk_error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}
