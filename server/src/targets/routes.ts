// /api/targets: parse, call, respond.
import { Router } from 'express';
import type { Knex } from 'knex';
import type { ResponseCache } from '../http/cache.ts';
import { targetsBody, targetsQuery } from '../contract/targets.ts';
import { parseBody, parseQuery } from '../validate.ts';
import { allocateTargets, parseMonths, targetGrid } from './service.ts';

/** Mounted behind requireUser (app.ts), which puts the caller's Scope in res.locals. */
export function targetRoutes(knex: Knex, cache: ResponseCache): Router {
  const router = Router();

  router.get('/targets', async (req, res) => {
    const q = parseQuery(targetsQuery, req.query);
    const { scope } = res.locals;
    const metric = scope.metric(q.metric);
    const node = await scope.node(q.node);
    res.json(await targetGrid(knex, scope, node, metric, parseMonths(q.from, q.to), q.by));
  });

  router.put('/targets', async (req, res) => {
    const grid = await allocateTargets(knex, res.locals.scope, parseBody(targetsBody, req.body));
    // Cached answers compared with the targets before.
    cache.invalidate();
    res.json(grid);
  });

  return router;
}
