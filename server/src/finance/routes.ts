// /api/receivables/ageing, /api/rebates/ageing: parse, call, respond.
import { Router, type RequestHandler, type Response } from 'express';
import type { Knex } from 'knex';
import { ageingQuery } from '../contract/finance.ts';
import type { ResponseCache } from '../http/cache.ts';
import { parseQuery } from '../validate.ts';
import type { Scope } from '../scope/scope.ts';
import { rebatesAgeing, receivablesAgeing } from './ageing.ts';

const scopeOf = (res: Response) => res.locals.scope as Scope;

export function financeRoutes(knex: Knex, cache: ResponseCache, signedIn: RequestHandler): Router {
  const router = Router();
  router.get(
    '/receivables/ageing',
    signedIn,
    cache.wrap(async (req, res) => {
      const q = parseQuery(ageingQuery, req.query);
      const scope = scopeOf(res);
      return receivablesAgeing(knex, scope, await scope.node(q.node), q.date);
    }),
  );
  router.get(
    '/rebates/ageing',
    signedIn,
    cache.wrap(async (req, res) => {
      const q = parseQuery(ageingQuery, req.query);
      const scope = scopeOf(res);
      return rebatesAgeing(knex, scope, await scope.node(q.node), q.date);
    }),
  );
  return router;
}
