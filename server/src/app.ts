// The Express app: routes mounted under /api, JSON errors from one middleware.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express from 'express';
import { authRoutes, Identities, loadAuthConfig, requireUser } from './auth/routes.ts';
import { config as processConfig, type Config } from './config.ts';
import type { Warehouse } from './db/warehouse.ts';
import { logger as processLogger, type Logger } from './logger.ts';
import { ReadGate } from './db/read-gate.ts';
import { versionRoutes } from './etl-runs/routes.ts';
import { ResponseCache } from './http/cache.ts';
import { endpointAt } from './contract/api.ts';
import { errorMiddleware, notFound } from './http/errors.ts';
import { openApiDocument } from './http/openapi.ts';
import { requestLog } from './http/request-log.ts';
import { corsFrom, securityHeaders } from './http/security.ts';
import { validateCatalog } from './metrics/catalog.ts';
import { financeRoutes } from './finance/routes.ts';
import { metricRoutes } from './metrics/routes.ts';
import { metricInfos } from './metrics/definitions.ts';
import { DataVersionState } from './scope/data-version-state.ts';
import { Scope } from './scope/scope.ts';
import type { AppContext } from './contract/auth.ts';
import type { OrgResponse } from './contract/metrics.ts';
import type { User } from './auth/users.ts';
import { METRIC_DOMAINS } from './contract/metric-ids.ts';
import { ensureRules } from './risk/rules.ts';
import { riskRoutes } from './risk/routes.ts';
import { budgetRoutes } from './budgets/routes.ts';
import { proposeRollForward } from './budgets/service.ts';
import { targetRoutes } from './targets/routes.ts';
import { Mailer } from './reports/channels.ts';
import { ReportDelivery, type DeliveryOptions } from './reports/delivery.ts';
import { ReportRenderer } from './reports/render.ts';
import { reportRoutes } from './reports/routes.ts';
import { scorecardRoutes } from './scorecards/routes.ts';
import { subscriptionRoutes } from './subscriptions/routes.ts';
import { forecastRoutes } from './forecast/routes.ts';
import { ForecastService } from './forecast/service.ts';
import { DEFAULT_LEAD_DAYS } from './forecast/replenishment.ts';

export interface App {
  app: express.Express;
  /** Drop cached responses; call after a load commits in this process. */
  cache: ResponseCache;
  /** Drop remembered users and kiosks; call after changing them in this process. */
  identities: Identities;
  /** Held shared while a metric answer is computed; a load commits under it exclusively. */
  gate: ReadGate;
  /** Forecasts computed off the request path; warm() after a load commits. */
  forecasts: ForecastService;
  /** After a load or at start: the next rolling budget draft once a month has closed (its id, or null). */
  rollForward: () => Promise<number | null>;
  /** The report scheduler: start() once the server listens, stop() before the warehouse closes. */
  delivery: ReportDelivery;
  /** Where the server answers (its report copies are printed from there). */
  listening: (url: string) => void;
}

/** How long one report copy may take to print before its delivery fails. */
const RENDER_TIMEOUT_MS = 60_000;

/** Where `vite build` puts the dashboard (see vite.config.ts). */
export const CLIENT_DIR = resolve('dist/client');

export interface AppOptions {
  clientDir?: string;
  /** Defaults to this process's configuration (config.ts). */
  config?: Config;
  /** Defaults to this process's logger (logger.ts). */
  logger?: Logger;
  /** The report sender's retries (tests shorten the waits). */
  delivery?: Partial<Pick<DeliveryOptions, 'attempts' | 'backoffMs' | 'robotTimeoutMs'>>;
}

export async function createApp(warehouse: Warehouse, options: AppOptions = {}): Promise<App> {
  validateCatalog();
  const config = options.config ?? processConfig;
  const { knex } = warehouse;
  const auth = await loadAuthConfig(knex, config);
  // Metric answers are computed under the gate, so a load's commit never lands inside one.
  const gate = new ReadGate();
  const cache = new ResponseCache(knex, gate, config.cacheMaxBytes);
  await ensureRules(knex);
  const identities = new Identities(knex);
  // Coverage, roll-up and org nodes: read once per data version, not once per request.
  const loaded = new DataVersionState(knex, () => cache.dataVersion());
  const signedIn = requireUser(knex, auth, identities, loaded);
  const forecasts = new ForecastService(
    knex,
    gate,
    () => cache.dataVersion(),
    options.logger ?? processLogger,
  );

  // Report copies are printed by the dashboard's own report page, on the address this server listens on.
  let base = `http://127.0.0.1:${config.port}`;
  const renderer = new ReportRenderer(knex, loaded, {
    baseUrl: () => base,
    secret: auth.secret,
    chromiumPath: config.chromiumPath,
    timeoutMs: RENDER_TIMEOUT_MS,
    gate,
  });
  const delivery = new ReportDelivery(knex, renderer, {
    mailer: config.smtpUrl ? new Mailer(config.smtpUrl, config.mailFrom) : null,
    publicUrl: config.publicUrl,
    logger: options.logger ?? processLogger,
    attempts: 3,
    backoffMs: [5_000, 30_000],
    robotTimeoutMs: 10_000,
    ...options.delivery,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestLog(options.logger ?? processLogger));
  // Behind a reverse proxy, TRUST_PROXY (e.g. 1 or loopback) lets req.ip be the client's address.
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders);
  app.use('/api', corsFrom(config.corsOrigins));
  app.use(express.json({ limit: '100kb' }));

  app.get('/api/health', async (_req, res) => {
    await knex.raw('SELECT 1');
    res.json({ status: 'ok', uptime_s: Math.round(process.uptime()), reports: await delivery.health() });
  });
  const openApi = openApiDocument();
  app.get('/api/openapi.json', (_req, res) => void res.json(openApi));
  app.use('/api', versionRoutes(cache));
  // Given with the sign-in, so the first page asks for its own data at once (no round trip first).
  const appContext = async (user: User): Promise<AppContext> => {
    const scope = new Scope(knex, user, loaded);
    const [version, org] = await Promise.all([
      cache.dataVersion(),
      cache.answer(scope.key, '/org', '', () => scope.tree()),
    ]);
    return {
      version,
      metrics: { metrics: metricInfos(user.domains) },
      org: JSON.parse(org.body) as OrgResponse,
    };
  };
  app.use('/api', authRoutes(knex, auth, signedIn, identities, appContext));
  // Every data route is behind one sign-in check; a path the contract does not list skips it
  // and answers 404, as it does to anyone.
  const data = express.Router();
  data.use((req, _res, next) => next(endpointAt(req.method, req.path) ? undefined : 'router'), signedIn);
  data.use(
    metricRoutes(knex, cache),
    riskRoutes(knex),
    financeRoutes(knex, cache),
    targetRoutes(knex, cache),
    budgetRoutes(knex, cache, forecasts),
    scorecardRoutes(knex),
    reportRoutes(knex, gate),
    subscriptionRoutes(knex, delivery),
    forecastRoutes(cache, forecasts, { ...DEFAULT_LEAD_DAYS, ...config.partsLeadDays }),
  );
  app.use('/api', data);

  app.use('/api', notFound);
  serveClient(app, options.clientDir ?? CLIENT_DIR);
  app.use(errorMiddleware);
  // The roll-forward is the product's own doing: seeded as a group user over the whole tree would be.
  const rollOnce = async () => {
    const roots = (await knex('dim_org').whereNull('parent_id').pluck('node_id')) as string[];
    const system: User = { username: 'system', role: 'group', nodes: roots, domains: [...METRIC_DOMAINS] };
    const id = await proposeRollForward(knex, new Scope(knex, system, loaded), forecasts);
    if (id !== null)
      (options.logger ?? processLogger).info({ version: id }, `budget: rolling draft ${id} proposed`);
    return id;
  };
  // One at a time: a start and a load close together must not each propose the same draft.
  let rolling: Promise<number | null> = Promise.resolve(null);
  const rollForward = () => (rolling = rolling.catch(() => null).then(rollOnce));
  const listening = (url: string) => void (base = url);
  return { app, cache, identities, gate, forecasts, rollForward, delivery, listening };
}

/** The built dashboard: hashed assets cached for good, every other path gets index.html (client-side routes). */
function serveClient(app: express.Express, dir: string): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    app.get(
      /^(?!\/api\/).*/,
      (_req, res) =>
        void res.type('text').send('The dashboard is not built: run `npx vite build` (npm start does it).'),
    );
    return;
  }
  app.use(
    '/assets',
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }),
  );
  app.use(express.static(dir, { index: false }));
  app.get(/^(?!\/api\/).*/, (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
