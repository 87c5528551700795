// /api/forecast, /api/landing, /api/parts/forecast: parse, find the families computed (or queue
// them and answer 202 with Retry-After), assemble the node's answer through its Scope.
import { Router } from 'express';
import {
  accuracyQuery,
  forecastQuery,
  type AccuracyResponse,
  type FamilyAccuracy,
  landingQuery,
  partsForecastQuery,
  type ForecastMember,
  type ForecastResponse,
  type LandingResponse,
  type PartsForecastResponse,
} from '../contract/forecast.ts';
import { LANDING_METRICS, type ProductLevel } from '../contract/vocabulary.ts';
import { HttpError } from '../errors.ts';
import type { ResponseCache } from '../http/cache.ts';
import { METRIC_BY_ID, supportsProduct, type MetricDefinition } from '../metrics/catalog.ts';
import { kpis } from '../metrics/service.ts';
import type { Scope, VettedNode } from '../scope/scope.ts';
import { parseQuery } from '../validate.ts';
import type { SeriesForecast } from './engine.ts';
import { currentPeriods, forecastOfRest } from './landing.ts';
import { productMembers, storeMembers, sumOf } from './nodes.ts';
import { storeParts } from './parts.ts';
import { filesOf, isForecastable } from './series.ts';
import { monthsOf, nonNegativeOf, type Family, type FamilyId, type ForecastService } from './service.ts';

/** Seconds a client waits before asking again for a forecast being computed (a small family takes
 *  under a second; asking again costs a cache lookup). */
const RETRY_AFTER_S = 1;

/** The families, computed; else every one not yet is queued and the request answers 202 (or 503). */
async function ready(forecasts: ForecastService, ids: readonly FamilyId[], asOf: string): Promise<Family[]> {
  const states = await Promise.all(ids.map((id) => forecasts.family(id, asOf)));
  const failed = states.find((s) => s.status === 'failed');
  if (failed)
    throw new HttpError(503, 'forecast_failed', `the forecast could not be computed: ${failed.message}`);
  if (states.some((s) => s.status !== 'ready'))
    throw Object.assign(
      new HttpError(
        202,
        'forecast_pending',
        'the forecast is being computed: ask again after Retry-After seconds',
      ),
      { retryAfter: RETRY_AFTER_S },
    );
  return states.map((s) => (s as { family: Family }).family);
}

/** The requested as_of within the family's whole months, or its last month end (coverage read
 *  once per data version, through the scope). */
async function asOfFor(scope: Scope, id: FamilyId, requested: string | undefined): Promise<string> {
  const months = monthsOf(id, await scope.coverage());
  if (!months)
    throw new HttpError(400, 'no_data', 'the data covers no whole month to forecast from', 'as_of');
  if (requested && requested > months.to)
    throw new HttpError(
      400,
      'invalid_parameter',
      `as_of ${requested} is after the data's last whole month (${months.to})`,
      'as_of',
    );
  if (requested && requested < months.from)
    throw new HttpError(
      400,
      'invalid_parameter',
      `as_of ${requested} is before the data's first whole month (${months.from})`,
      'as_of',
    );
  return requested ?? months.to;
}

/** Refuses (400) a metric with no monthly series to forecast. */
function forecastable(metric: MetricDefinition, param: string): void {
  if (!isForecastable(metric))
    throw new HttpError(
      400,
      'not_forecastable',
      `${metric.id} is not a sum of flows over months: it has no monthly series to forecast`,
      param,
    );
}

const nonNegative = (metric: MetricDefinition) => nonNegativeOf({ kind: 'metric', metric, level: null });

function shown(f: SeriesForecast | null, horizon: number) {
  return {
    method: f?.method ?? null,
    festival: f?.festival ?? false,
    backtest: f?.backtest ?? { mase: null, rmsse: null, bias: null },
    points: f?.points.slice(0, horizon) ?? [],
  };
}

export function forecastRoutes(
  cache: ResponseCache,
  forecasts: ForecastService,
  /** Days from order to shelf by part category (DEFAULT_LEAD_DAYS and PARTS_LEAD_DAYS). */
  leadDaysOf: Readonly<Record<string, number>>,
): Router {
  const router = Router();

  router.get(
    '/forecast',
    cache.wrap(async (req, res): Promise<ForecastResponse> => {
      const q = parseQuery(forecastQuery, req.query);
      const scope: Scope = res.locals.scope;
      const metric = scope.metric(q.metric);
      const node = await scope.node(q.node);
      forecastable(metric, 'metric');
      const stores = await scope.stores(node);
      const byProduct = q.by === 'brand' || q.by === 'series' ? q.by : null;
      if (q.product && byProduct)
        throw new HttpError(
          400,
          'invalid_parameter',
          'by=brand or by=series cannot be combined with product',
          'by',
        );
      const level: ProductLevel | null = q.product?.level ?? byProduct;
      if (level && !supportsProduct(metric))
        throw new HttpError(
          400,
          'unsupported_product_filter',
          `metric ${metric.id} has no product split`,
          q.product ? 'product' : 'by',
        );
      const totalsId: FamilyId = { kind: 'metric', metric, level: null };
      const asOf = await asOfFor(scope, totalsId, q.as_of);
      const [totals, products] = await ready(
        forecasts,
        level ? [totalsId, { kind: 'metric', metric, level }] : [totalsId],
        asOf,
      );
      const positive = nonNegative(metric);
      /** The forecast of some stores, all of them or the one product's. */
      const ofStores = (ids: readonly string[]) =>
        q.product
          ? sumOf(productMembers(totals!, products!, ids).get(q.product.value) ?? [], positive)
          : sumOf(storeMembers(totals!, ids), positive);

      let members: ForecastMember[] | undefined;
      if (q.by === 'children') {
        members = [];
        for (const child of await scope.children(node))
          members.push({
            id: child.node_id,
            name: child.name,
            name_en: child.name_en,
            ...shown(ofStores(await scope.stores(child)), q.horizon),
          });
      } else if (byProduct) {
        members = [...productMembers(totals!, products!, stores)]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([value, ms]) => ({
            id: value,
            name: value,
            name_en: null,
            ...shown(sumOf(ms, positive), q.horizon),
          }));
      }
      return {
        metric: metric.id as ForecastResponse['metric'],
        node: { id: node.node_id, name: node.name, level: node.level },
        unit: metric.unit,
        as_of: asOf,
        product: q.product ? `${q.product.level}:${q.product.value}` : null,
        ...shown(ofStores(stores), q.horizon),
        ...(members ? { members } : {}),
      };
    }),
  );

  router.get(
    '/forecast/accuracy',
    cache.wrap(async (req, res): Promise<AccuracyResponse> => {
      const q = parseQuery(accuracyQuery, req.query);
      const scope: Scope = res.locals.scope;
      const node = await scope.node(q.node);
      const stores = await scope.stores(node);
      const sees = (domain: string) => scope.user.domains.includes(domain as never);
      const landing = LANDING_METRICS.map((id) => METRIC_BY_ID.get(id)!).filter((m) => sees(m.domain));
      const newUnits = METRIC_BY_ID.get('new_units')!;
      const wanted: { id: FamilyId; metric: FamilyAccuracy['metric']; level: FamilyAccuracy['level'] }[] = [
        ...landing.map((m) => ({
          id: { kind: 'metric', metric: m, level: null } as FamilyId,
          metric: m.id as FamilyAccuracy['metric'],
          level: 'store' as const,
        })),
        ...(sees(newUnits.domain)
          ? [
              {
                id: { kind: 'metric', metric: newUnits, level: 'brand' } as FamilyId,
                metric: 'new_units' as const,
                level: 'brand' as const,
              },
            ]
          : []),
        ...(sees('aftersales')
          ? [{ id: { kind: 'parts' } as FamilyId, metric: 'parts_qty' as const, level: 'part' as const }]
          : []),
      ];
      // Every family asked for at once, so one round of computing serves them all.
      const computed = await Promise.all(
        wanted.map(async (w) => {
          const asOf = await asOfFor(scope, w.id, undefined);
          return { ...w, asOf, family: (await ready(forecasts, [w.id], asOf))[0]! };
        }),
      );
      const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
      return {
        node: { id: node.node_id, name: node.name, level: node.level },
        as_of: computed[0]?.asOf ?? '',
        families: computed.map(({ metric, level, family }) => {
          const members = storeMembers(family, stores);
          const measured = members.filter((m) => m.forecast.backtest.mase !== null);
          const methods = new Map<string, number>();
          for (const m of members) methods.set(m.forecast.method, (methods.get(m.forecast.method) ?? 0) + 1);
          const of = (k: 'mase' | 'rmsse') =>
            mean(measured.flatMap((m) => (m.forecast.backtest[k] === null ? [] : [m.forecast.backtest[k]!])));
          // Bias over the family: Σ(forecast − actual) / Σ actual of every series' backtest (a mean
          // of the series' ratios would let one slow series' +300% swamp the rest).
          const biased = measured.filter((m) => m.forecast.backtest.bias !== null);
          const sold = biased.reduce((s, m) => s + m.forecast.errors.actual, 0);
          const bias =
            sold > 0
              ? biased.reduce((s, m) => s + m.forecast.backtest.bias! * m.forecast.errors.actual, 0) / sold
              : null;
          return {
            metric,
            level,
            series: members.length,
            measured: measured.length,
            mase: of('mase'),
            rmsse: of('rmsse'),
            bias,
            methods: [...methods]
              .sort((a, b) => b[1] - a[1])
              .map(([method, series]) => ({
                method: method as FamilyAccuracy['methods'][number]['method'],
                series,
              })),
          };
        }),
        node_backtest: computed
          .filter((c) => c.level === 'store')
          .map(({ metric, id, family }) => {
            const f = sumOf(
              storeMembers(family, stores),
              nonNegative((id as { metric: MetricDefinition }).metric),
            );
            return {
              metric: metric as AccuracyResponse['node_backtest'][number]['metric'],
              method: f?.method ?? null,
              ...(f?.backtest ?? { mase: null, rmsse: null, bias: null }),
            };
          }),
      };
    }),
  );

  router.get(
    '/landing',
    cache.wrap(async (req, res): Promise<LandingResponse> => {
      const q = parseQuery(landingQuery, req.query);
      const scope: Scope = res.locals.scope;
      const metrics = q.metrics.split(',').map((id) => scope.metric(id.trim(), 'metrics'));
      const node = await scope.node(q.node);
      for (const m of metrics) forecastable(m, 'metrics');
      const stores = await scope.stores(node);
      const coverage = await scope.coverage();
      // Every metric's family asked for at once, so one round of computing serves them all.
      const families = await Promise.all(
        metrics.map(async (metric) => {
          const id: FamilyId = { kind: 'metric', metric, level: null };
          const asOf = await asOfFor(scope, id, undefined);
          return { asOf, totals: (await ready(forecasts, [id], asOf))[0]! };
        }),
      );
      const items = [];
      for (const [i, metric] of metrics.entries()) {
        const { asOf, totals } = families[i]!;
        const forecast = sumOf(storeMembers(totals, stores), nonNegative(metric));
        // The data's last day: the earliest end among the metric's files.
        const dataTo = filesOf(metric)
          .map((f) => coverage.ofFile(f)!.to)
          .sort()[0]!;
        const periods = currentPeriods(dataTo);
        const targets = await scope.targets(
          node,
          [metric],
          periods.map((p) => ({ key: p.kind, from: p.from, to: p.to })),
        );
        items.push({
          metric: metric.id as LandingResponse['items'][number]['metric'],
          unit: metric.unit,
          data_to: dataTo,
          as_of: asOf,
          method: forecast?.method ?? null,
          periods: await Promise.all(
            periods.map(async (p) => {
              const actual = dataTo < p.from ? 0 : await actualOf(scope, node, metric, p.from, dataTo);
              const rest = forecastOfRest(forecast, dataTo, p);
              const landing = actual === null ? null : actual + rest;
              const target = targets.get(p.kind)?.get(metric.id) ?? null;
              return {
                ...p,
                actual,
                forecast: rest,
                landing,
                target,
                attainment: target && landing !== null ? landing / target : null,
              };
            }),
          ),
        });
      }
      return { node: { id: node.node_id, name: node.name, level: node.level }, items };
    }),
  );

  router.get(
    '/parts/forecast',
    cache.wrap(async (req, res): Promise<PartsForecastResponse> => {
      const q = parseQuery(partsForecastQuery, req.query);
      const scope: Scope = res.locals.scope;
      scope.domain('aftersales', 'node'); // before anything is computed or queued
      const node = await scope.node(q.node);
      if (node.level !== 'store')
        throw new HttpError(
          400,
          'invalid_parameter',
          `node ${node.node_id} is a ${node.level}: parts are ordered per store`,
          'node',
        );
      await scope.stores(node);
      const id: FamilyId = { kind: 'parts' };
      const asOf = await asOfFor(scope, id, q.as_of);
      const [parts] = await ready(forecasts, [id], asOf);
      return storeParts(
        scope,
        node,
        parts!,
        {
          asOf,
          horizon: q.horizon,
          serviceLevel: q.service_level,
          partNo: q.part_no,
          only: q.only,
          limit: q.limit,
          offset: q.offset,
        },
        leadDaysOf,
      );
    }),
  );

  return router;
}

/** The metric's actual at the node over [from, to]: what /api/kpi answers (null outside the data). */
async function actualOf(
  scope: Scope,
  node: VettedNode,
  metric: MetricDefinition,
  from: string,
  to: string,
): Promise<number | null> {
  const answer = await kpis(scope, node, [metric], { from, to }, []);
  return answer.metrics[metric.id]?.value ?? null;
}
