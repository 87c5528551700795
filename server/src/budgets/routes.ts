// /api/budgets: parse, call, respond.
import { Router } from 'express';
import type { Knex } from 'knex';
import {
  allocateBody,
  budgetLinesBody,
  budgetLinesQuery,
  newBudgetBody,
  transitionBudgetBody,
} from '../contract/budgets.ts';
import { idParam as ID } from '../contract/params.ts';
import type { ForecastService } from '../forecast/service.ts';
import type { ResponseCache } from '../http/cache.ts';
import { parseBody, parseParam, parseQuery } from '../validate.ts';
import {
  allocate,
  createVersion,
  linesGrid,
  listVersions,
  transition,
  versionDetail,
  writeLines,
} from './service.ts';

const idParam = (value: unknown): number => parseParam(ID, value, 'id');

/** Mounted behind requireUser (app.ts), which puts the caller's Scope in res.locals. */
export function budgetRoutes(knex: Knex, cache: ResponseCache, forecasts: ForecastService): Router {
  const router = Router();

  router.get('/budgets', async (_req, res) => {
    res.json(await listVersions(knex, res.locals.scope));
  });

  router.post('/budgets', async (req, res) => {
    res
      .status(201)
      .json(await createVersion(knex, res.locals.scope, forecasts, parseBody(newBudgetBody, req.body)));
  });

  router.get('/budgets/:id', async (req, res) => {
    res.json(await versionDetail(knex, res.locals.scope, idParam(req.params.id)));
  });

  router.get('/budgets/:id/lines', async (req, res) => {
    const q = parseQuery(budgetLinesQuery, req.query);
    res.json(await linesGrid(knex, res.locals.scope, forecasts, idParam(req.params.id), q));
  });

  router.put('/budgets/:id/lines', async (req, res) => {
    const body = parseBody(budgetLinesBody, req.body);
    res.json(await writeLines(knex, res.locals.scope, idParam(req.params.id), body));
  });

  router.post('/budgets/:id/allocate', async (req, res) => {
    const body = parseBody(allocateBody, req.body);
    res.json(await allocate(knex, res.locals.scope, forecasts, idParam(req.params.id), body));
  });

  router.post('/budgets/:id/transition', async (req, res) => {
    const body = parseBody(transitionBudgetBody, req.body);
    const detail = await transition(knex, res.locals.scope, idParam(req.params.id), body);
    // An approval changes the budget every cached answer compared with.
    if (detail.status === 'approved') cache.invalidate();
    res.json(detail);
  });

  return router;
}
