// The Express app: routes mounted under /api, JSON errors from one middleware.
import express from 'express';
import type { Warehouse } from './db/warehouse.ts';
import { versionRoutes } from './etl-runs/routes.ts';
import { errorMiddleware, notFound } from './http/errors.ts';

export function createApp(warehouse: Warehouse): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '100kb' }));

  app.get('/api/health', async (_req, res) => {
    await warehouse.knex.raw('SELECT 1');
    res.json({ status: 'ok', uptime_s: Math.round(process.uptime()) });
  });
  app.use('/api', versionRoutes(warehouse.knex));

  app.use('/api', notFound);
  app.use(errorMiddleware);
  return app;
}
