import { Router } from 'express';
import type { ResponseCache } from '../http/cache.ts';

/** GET /api/version: public, asked often (every wall every 5 s), so answered from the cache's copy. */
export function versionRoutes(cache: ResponseCache): Router {
  const router = Router();
  router.get('/version', async (_req, res) => {
    res.json(await cache.dataVersion());
  });
  return router;
}
