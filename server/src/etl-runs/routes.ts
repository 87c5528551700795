import { Router } from 'express';
import type { Knex } from 'knex';
import { currentDataVersion } from './service.ts';

export function versionRoutes(knex: Knex): Router {
  const router = Router();
  router.get('/version', async (_req, res) => {
    res.json(await currentDataVersion(knex));
  });
  return router;
}
