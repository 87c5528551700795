// /api/subscriptions: parse, call, respond.
import { Router } from 'express';
import type { Knex } from 'knex';
import { idParam as ID } from '../contract/params.ts';
import { deliveriesQuery, newSubscriptionBody, patchSubscriptionBody } from '../contract/subscriptions.ts';
import { parseBody, parseParam, parseQuery } from '../validate.ts';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listDeliveries,
  listSubscriptions,
  updateSubscription,
} from './service.ts';

const idParam = (value: unknown): number => parseParam(ID, value, 'id');

/** Mounted behind requireUser (app.ts), which puts the caller's Scope in res.locals. */
export function subscriptionRoutes(knex: Knex): Router {
  const router = Router();

  router.get('/subscriptions', async (_req, res) => {
    res.json(await listSubscriptions(knex, res.locals.scope));
  });

  router.post('/subscriptions', async (req, res) => {
    const body = parseBody(newSubscriptionBody, req.body);
    res.status(201).json(await createSubscription(knex, res.locals.scope, body));
  });

  router.get('/subscriptions/:id', async (req, res) => {
    res.json(await getSubscription(knex, res.locals.scope, idParam(req.params.id)));
  });

  router.patch('/subscriptions/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const body = parseBody(patchSubscriptionBody, req.body);
    res.json(await updateSubscription(knex, res.locals.scope, id, body));
  });

  router.delete('/subscriptions/:id', async (req, res) => {
    await deleteSubscription(knex, res.locals.scope, idParam(req.params.id));
    res.status(204).end();
  });

  router.get('/subscriptions/:id/deliveries', async (req, res) => {
    const { limit } = parseQuery(deliveriesQuery, req.query);
    res.json(await listDeliveries(knex, res.locals.scope, idParam(req.params.id), limit));
  });

  return router;
}
