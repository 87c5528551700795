// /api/metrics, /api/org, /api/kpi, /api/breakdown, /api/timeseries, /api/rank, /api/explain,
// /api/bridge, /api/commentary: parse, call, respond.
import { Router, type Response } from 'express';
import type { Knex } from 'knex';
import {
  breakdownQuery,
  kpiQuery,
  MAX_POINTS,
  MAX_SERIES_MONTHS,
  rankQuery,
  seriesQuery,
  timeseriesQuery,
} from '../contract/metrics.ts';
import type { ResponseCache } from '../http/cache.ts';
import { HttpError } from '../errors.ts';
import { checkPeriod, parseQuery } from '../validate.ts';
import { metricInfos } from './definitions.ts';
import { bucketsOf } from './periods.ts';
import { breakdown, kpis, monthlySeries, rank, timeseries } from './service.ts';
import { explain } from './explain.ts';
import { bridgeQuery, commentaryQuery, explainQuery } from '../contract/explain.ts';
import { bridge } from './bridge.ts';
import { commentary } from './commentary.ts';

/** The vetted metric, node and period of a single-metric request (400/403 otherwise). */
async function metricAtNode(q: { metric: string; node: string; from: string; to: string }, res: Response) {
  checkPeriod(q.from, q.to);
  const { scope } = res.locals;
  const metric = scope.metric(q.metric);
  return { scope, metric, node: await scope.node(q.node), period: { from: q.from, to: q.to } };
}

/** Mounted behind requireUser (app.ts), which puts the caller's Scope in res.locals. */
export function metricRoutes(knex: Knex, cache: ResponseCache): Router {
  const router = Router();

  router.get('/metrics', (_req, res) => {
    res.json({ metrics: metricInfos(res.locals.scope.user.domains) });
  });

  router.get(
    '/org',
    cache.wrap(async (_req, res) => res.locals.scope.tree()),
  );

  router.get(
    '/kpi',
    cache.wrap(async (req, res) => {
      const q = parseQuery(kpiQuery, req.query);
      checkPeriod(q.from, q.to);
      const { scope } = res.locals;
      const metrics = q.metrics.map((id) => scope.metric(id, 'metrics'));
      const node = await scope.node(q.node);
      const staff = q.staff === undefined ? undefined : await scope.staffMember(q.staff, node);
      return kpis(scope, node, metrics, { from: q.from, to: q.to }, q.compare ?? [], {
        product: q.product,
        staff,
      });
    }),
  );

  router.get(
    '/breakdown',
    cache.wrap(async (req, res) => {
      const q = parseQuery(breakdownQuery, req.query);
      const { scope, metric, node, period } = await metricAtNode(q, res);
      return breakdown(knex, scope, node, metric, period, q.by, {
        sort: q.sort,
        limit: q.limit,
        product: q.product,
        compare: q.compare,
      });
    }),
  );

  router.get(
    '/timeseries',
    cache.wrap(async (req, res) => {
      const q = parseQuery(timeseriesQuery, req.query);
      const { scope, metric, node, period } = await metricAtNode(q, res);
      if (bucketsOf({ from: q.from, to: q.to }, q.grain).length > MAX_POINTS) {
        throw new HttpError(
          400,
          'invalid_parameter',
          `more than ${MAX_POINTS} points: choose a coarser grain or a shorter period`,
          'grain',
        );
      }
      const staff = q.staff === undefined ? undefined : await scope.staffMember(q.staff, node);
      return timeseries(
        scope,
        node,
        metric,
        period,
        q.grain,
        { yoy: q.compare?.includes('yoy') ?? false, budget: q.compare?.includes('budget') ?? false },
        { product: q.product, staff },
      );
    }),
  );

  router.get(
    '/series',
    cache.wrap(async (req, res) => {
      const q = parseQuery(seriesQuery, req.query);
      checkPeriod(q.from, q.to);
      if (bucketsOf({ from: q.from, to: q.to }, 'month').length > MAX_SERIES_MONTHS) {
        throw new HttpError(
          400,
          'invalid_parameter',
          `more than ${MAX_SERIES_MONTHS} months: choose a shorter period`,
          'from',
        );
      }
      const { scope } = res.locals;
      const metrics = q.metrics.map((id) => scope.metric(id, 'metrics'));
      return monthlySeries(scope, await scope.node(q.node), metrics, { from: q.from, to: q.to });
    }),
  );

  router.get(
    '/explain',
    cache.wrap(async (req, res) => {
      const q = parseQuery(explainQuery, req.query);
      const { scope, metric, node, period } = await metricAtNode(q, res);
      return explain(knex, scope, node, metric, period, q.compare);
    }),
  );

  router.get(
    '/bridge',
    cache.wrap(async (req, res) => {
      const q = parseQuery(bridgeQuery, req.query);
      checkPeriod(q.from, q.to);
      const { scope } = res.locals;
      return bridge(scope, q.node, q.kind, { from: q.from, to: q.to }, q.compare);
    }),
  );

  router.get(
    '/commentary',
    cache.wrap(async (req, res) => {
      const q = parseQuery(commentaryQuery, req.query);
      checkPeriod(q.from, q.to);
      const { scope } = res.locals;
      return commentary(knex, scope, await scope.node(q.node), { from: q.from, to: q.to });
    }),
  );

  router.get(
    '/rank',
    cache.wrap(async (req, res) => {
      const q = parseQuery(rankQuery, req.query);
      const { scope, metric, node, period } = await metricAtNode(q, res);
      const staff = q.staff === undefined ? undefined : await scope.staffMember(q.staff, node);
      return rank(scope, node, metric, period, staff);
    }),
  );

  return router;
}
