// /api/reports/KIND: parse, build for the caller's scope, respond. Not cached: the risk and PDCA
// parts change with every task moved, not only with a load.
import { Router } from 'express';
import type { Knex } from 'knex';
import { dayReportQuery, monthlyReportQuery, REPORT_KINDS } from '../contract/reports.ts';
import type { ReadGate } from '../db/read-gate.ts';
import { parseQuery } from '../validate.ts';
import { buildReport } from './build.ts';

/** Mounted behind requireUser (app.ts), which puts the caller's Scope in res.locals. */
export function reportRoutes(knex: Knex, gate: ReadGate): Router {
  const router = Router();
  for (const kind of REPORT_KINDS)
    router.get(`/reports/${kind}`, async (req, res) => {
      const q = parseQuery(kind === 'monthly' ? monthlyReportQuery : dayReportQuery, req.query);
      const { scope } = res.locals;
      const node = await scope.node(q.node);
      // Under the read gate: a load's commit never lands between the report's queries.
      const leave = await gate.enter();
      try {
        res.json(await buildReport(knex, scope, kind, node, q.period));
      } finally {
        leave();
      }
    });
  return router;
}
