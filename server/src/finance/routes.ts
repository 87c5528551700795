// /api/receivables/ageing, /api/rebates/ageing: parse, call, respond.
import { Router } from 'express';
import type { Knex } from 'knex';
import { ageingQuery } from '../contract/finance.ts';
import type { ResponseCache } from '../http/cache.ts';
import { parseQuery } from '../validate.ts';
import { rebatesAgeing, receivablesAgeing } from './ageing.ts';

/** Mounted behind requireUser (app.ts), which puts the caller's Scope in res.locals. */
export function financeRoutes(knex: Knex, cache: ResponseCache): Router {
  const router = Router();
  router.get(
    '/receivables/ageing',
    cache.wrap(async (req, res) => {
      const q = parseQuery(ageingQuery, req.query);
      const { scope } = res.locals;
      return receivablesAgeing(knex, scope, await scope.node(q.node), q.date);
    }),
  );
  router.get(
    '/rebates/ageing',
    cache.wrap(async (req, res) => {
      const q = parseQuery(ageingQuery, req.query);
      const { scope } = res.locals;
      return rebatesAgeing(knex, scope, await scope.node(q.node), q.date);
    }),
  );
  return router;
}
