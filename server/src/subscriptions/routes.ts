// /api/subscriptions: parse, call, respond.
import { Router } from 'express';
import type { Knex } from 'knex';
import { idParam as ID } from '../contract/params.ts';
import { deliveriesQuery, newSubscriptionBody, patchSubscriptionBody } from '../contract/subscriptions.ts';
import { HttpError } from '../errors.ts';
import { parseBody, parseParam, parseQuery } from '../validate.ts';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listDeliveries,
  listRecipientUsers,
  listSubscriptions,
  updateSubscription,
} from './service.ts';

const idParam = (value: unknown): number => parseParam(ID, value, 'id');

/** What the routes need of the scheduler (reports/delivery.ts). */
export interface Sender {
  /** Reads the schedules again after a subscription changed. */
  reschedule(): Promise<void>;
  /** Records a run at once and works it in the background: its id. */
  runNow(subscriptionId: number, actor: string): Promise<number>;
}

/** Mounted behind requireUser (app.ts), which puts the caller's Scope in res.locals. */
export function subscriptionRoutes(knex: Knex, sender: Sender): Router {
  const router = Router();

  router.get('/subscriptions', async (_req, res) => {
    res.json(await listSubscriptions(knex, res.locals.scope));
  });

  router.post('/subscriptions', async (req, res) => {
    const body = parseBody(newSubscriptionBody, req.body);
    res.status(201).json(await createSubscription(knex, res.locals.scope, body));
    await sender.reschedule();
  });

  // Before /subscriptions/:id, which would read "recipients" as an id.
  router.get('/subscriptions/recipients', async (_req, res) => {
    res.json(await listRecipientUsers(knex, res.locals.scope));
  });

  router.get('/subscriptions/:id', async (req, res) => {
    res.json(await getSubscription(knex, res.locals.scope, idParam(req.params.id)));
  });

  router.patch('/subscriptions/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const body = parseBody(patchSubscriptionBody, req.body);
    res.json(await updateSubscription(knex, res.locals.scope, id, body));
    await sender.reschedule();
  });

  router.delete('/subscriptions/:id', async (req, res) => {
    await deleteSubscription(knex, res.locals.scope, idParam(req.params.id));
    res.status(204).end();
    await sender.reschedule();
  });

  // Send now: whoever may change the subscription.
  router.post('/subscriptions/:id/run', async (req, res) => {
    const id = idParam(req.params.id);
    const { scope } = res.locals;
    const sub = await getSubscription(knex, scope, id);
    if (!sub.editable)
      throw new HttpError(
        403,
        'forbidden',
        `subscription ${id}: only its owner or a group user over its node sends it`,
      );
    res.status(202).json({ run: await sender.runNow(id, scope.user.username) });
  });

  router.get('/subscriptions/:id/deliveries', async (req, res) => {
    const { limit } = parseQuery(deliveriesQuery, req.query);
    res.json(await listDeliveries(knex, res.locals.scope, idParam(req.params.id), limit));
  });

  return router;
}
