// /api/metrics, /api/org, /api/kpi, /api/breakdown, /api/timeseries, /api/rank: parse, call, respond.
import { Router, type RequestHandler, type Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { ResponseCache } from '../http/cache.ts';
import { HttpError } from '../http/errors.ts';
import { checkPeriod, date, listOf, parseQuery, text } from '../http/validate.ts';
import type { Scope } from '../scope/scope.ts';
import { METRICS, PRODUCT_LEVELS, supportsProduct, type ProductLevel } from './catalog.ts';
import { definitionOf } from './definitions.ts';
import type { ProductFilter } from './compiler.ts';
import { GRAINS, bucketsOf } from './periods.ts';
import { breakdown, kpis, monthlySeries, rank, timeseries, type BreakdownBy } from './service.ts';

const MAX_METRICS = 20;
const MAX_POINTS = 1000;

const product = text(120)
  .regex(
    /^(origin|brand|series|model|powertrain):.+$/,
    `must be LEVEL:VALUE with LEVEL one of ${PRODUCT_LEVELS.join(', ')}`,
  )
  .transform((s): ProductFilter => ({
    level: s.slice(0, s.indexOf(':')) as ProductLevel,
    value: s.slice(s.indexOf(':') + 1),
  }));

const period = { node: text(), from: date, to: date };

const kpiQuery = z
  .object({
    metrics: text(MAX_METRICS * 40)
      .transform((s) => s.split(',').map((v) => v.trim()))
      .refine((ids) => ids.length <= MAX_METRICS, `at most ${MAX_METRICS} metrics`),
    ...period,
    compare: listOf(['prev', 'yoy', 'budget'] as const, 3).optional(),
    product: product.optional(),
  })
  .strict();

const breakdownQuery = z
  .object({
    metric: text(),
    ...period,
    by: z.enum(['children', 'province', ...PRODUCT_LEVELS], {
      error: `must be one of children, province, ${PRODUCT_LEVELS.join(', ')}`,
    }),
    sort: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc'),
    limit: text(4)
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 500, 'must be 1–500')
      .default(100),
    product: product.optional(),
    compare: listOf(['prev', 'yoy', 'budget'] as const, 3).optional(),
  })
  .strict();

const timeseriesQuery = z
  .object({
    metric: text(),
    ...period,
    grain: z.enum(GRAINS, { error: `must be one of ${GRAINS.join(', ')}` }),
    compare: listOf(['yoy', 'budget'] as const, 2).optional(),
    product: product.optional(),
  })
  .strict();

const rankQuery = z.object({ metric: text(), ...period }).strict();

const MAX_SERIES_MONTHS = 36;
const seriesQuery = z
  .object({
    metrics: kpiQuery.shape.metrics,
    ...period,
  })
  .strict();

/** The query schemas by path: the OpenAPI document's parameters are generated from them. */
export const QUERY_SCHEMAS = {
  '/kpi': kpiQuery,
  '/breakdown': breakdownQuery,
  '/timeseries': timeseriesQuery,
  '/series': seriesQuery,
  '/rank': rankQuery,
} as const;

const scopeOf = (res: Response) => res.locals.scope as Scope;

/** The vetted metric, node and period of a single-metric request (400/403 otherwise). */
async function metricAtNode(q: { metric: string; node: string; from: string; to: string }, res: Response) {
  checkPeriod(q.from, q.to);
  const scope = scopeOf(res);
  const metric = scope.metric(q.metric);
  return { scope, metric, node: await scope.node(q.node), period: { from: q.from, to: q.to } };
}

/** `signedIn` puts the caller's Scope in res.locals; every route here needs it. */
export function metricRoutes(knex: Knex, cache: ResponseCache, signedIn: RequestHandler): Router {
  const router = Router();

  router.get('/metrics', signedIn, (_req, res) => {
    const domains = scopeOf(res).user.domains;
    res.json({
      metrics: METRICS.filter((m) => domains.includes(m.domain)).map((m) => ({
        id: m.id,
        name: m.name,
        domain: m.domain,
        unit: m.unit,
        direction: m.direction,
        kind: m.kind,
        thresholds: m.thresholds ?? null,
        definition: definitionOf(m),
        breakdowns: ['children', 'province', ...(supportsProduct(m) ? PRODUCT_LEVELS : [])],
      })),
    });
  });

  router.get(
    '/org',
    signedIn,
    cache.wrap(async (_req, res) => scopeOf(res).tree()),
  );

  router.get(
    '/kpi',
    signedIn,
    cache.wrap(async (req, res) => {
      const q = parseQuery(kpiQuery, req.query);
      checkPeriod(q.from, q.to);
      const scope = scopeOf(res);
      const metrics = q.metrics.map((id) => scope.metric(id, 'metrics'));
      const node = await scope.node(q.node);
      return kpis(scope, node, metrics, { from: q.from, to: q.to }, q.compare ?? [], q.product);
    }),
  );

  router.get(
    '/breakdown',
    signedIn,
    cache.wrap(async (req, res) => {
      const q = parseQuery(breakdownQuery, req.query);
      const { scope, metric, node, period } = await metricAtNode(q, res);
      return breakdown(knex, scope, node, metric, period, q.by as BreakdownBy, {
        sort: q.sort,
        limit: q.limit,
        product: q.product,
        compare: q.compare,
      });
    }),
  );

  router.get(
    '/timeseries',
    signedIn,
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
      return timeseries(
        scope,
        node,
        metric,
        period,
        q.grain,
        { yoy: q.compare?.includes('yoy') ?? false, budget: q.compare?.includes('budget') ?? false },
        q.product,
      );
    }),
  );

  router.get(
    '/series',
    signedIn,
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
      const scope = scopeOf(res);
      const metrics = q.metrics.map((id) => scope.metric(id, 'metrics'));
      return monthlySeries(scope, await scope.node(q.node), metrics, { from: q.from, to: q.to });
    }),
  );

  router.get(
    '/rank',
    signedIn,
    cache.wrap(async (req, res) => {
      const { scope, metric, node, period } = await metricAtNode(parseQuery(rankQuery, req.query), res);
      return rank(scope, node, metric, period);
    }),
  );

  return router;
}
