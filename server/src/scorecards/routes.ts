// /api/scorecards: parse, call, respond.
import { Router } from 'express';
import type { Knex } from 'knex';
import { SCORECARD_ROLES, scorecardsQuery, type ScorecardRole } from '../contract/scorecards.ts';
import { HttpError } from '../errors.ts';
import { parseQuery } from '../validate.ts';
import { definitions, saveDefinition, scorecards } from './service.ts';

/** Mounted behind requireUser (app.ts), which puts the caller's Scope in res.locals. */
export function scorecardRoutes(knex: Knex): Router {
  const router = Router();

  router.get('/scorecards', async (req, res) => {
    res.json(await scorecards(knex, res.locals.scope, parseQuery(scorecardsQuery, req.query)));
  });

  router.get('/scorecards/definitions', async (_req, res) => {
    res.json({ definitions: await definitions(knex) });
  });

  router.put('/scorecards/definitions/:role', async (req, res) => {
    const role = req.params.role as ScorecardRole;
    if (!SCORECARD_ROLES.includes(role))
      throw new HttpError(
        400,
        'invalid_parameter',
        `role: must be one of ${SCORECARD_ROLES.join(', ')}`,
        'role',
      );
    res.json(await saveDefinition(knex, res.locals.scope, role, req.body));
  });

  return router;
}
