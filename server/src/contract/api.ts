// Every endpoint of the API in one table: method, path, parameters, body, answer and the errors
// it may give. The server validates requests with these schemas, the tests check every answer
// against them, the OpenAPI document (/api/openapi.json) is generated from them, and the client
// takes its types from them. Paths are under /api, in OpenAPI form ({id}).
import { z } from 'zod';
import { loginBody, loginResponse, user } from './auth.ts';
import { ageingQuery, rebatesAgeingResponse, receivablesAgeingResponse } from './finance.ts';
import {
  breakdownQuery,
  breakdownResponse,
  kpiQuery,
  kpiResponse,
  metricsResponse,
  orgResponse,
  rankQuery,
  rankResponse,
  seriesQuery,
  seriesResponse,
  timeseriesQuery,
  timeseriesResponse,
  versionResponse,
} from './metrics.ts';
import { idParam } from './params.ts';
import {
  accuracyQuery,
  accuracyResponse,
  forecastQuery,
  forecastResponse,
  landingQuery,
  landingResponse,
  partsForecastQuery,
  partsForecastResponse,
} from './forecast.ts';
import {
  dayReportQuery,
  monthlyReportQuery,
  REPORT_KINDS,
  reportResponse,
  type ReportKind,
} from './reports.ts';
import { targetsBody, targetsQuery, targetsResponse } from './targets.ts';
import {
  deliveriesQuery,
  runStarted,
  deliveriesResponse,
  newSubscriptionBody,
  patchSubscriptionBody,
  recipientsResponse,
  subscription,
  subscriptionsResponse,
} from './subscriptions.ts';
import {
  allocateBody,
  budgetConflict,
  budgetDetail,
  budgetLinesBody,
  budgetLinesQuery,
  budgetLinesResponse,
  budgetLinesWritten,
  budgetsResponse,
  newBudgetBody,
  transitionBudgetBody,
} from './budgets.ts';
import {
  bridgeQuery,
  bridgeResponse,
  commentaryQuery,
  commentaryResponse,
  explainQuery,
  explainResponse,
} from './explain.ts';
import {
  definitionBody,
  definitionsResponse,
  scorecardDefinition,
  scorecardsQuery,
  scorecardsResponse,
} from './scorecards.ts';
import {
  alertsQuery,
  alertsResponse,
  assignBody,
  assigneesResponse,
  commentBody,
  newRuleBody,
  patchRuleBody,
  rule,
  rulesQuery,
  rulesResponse,
  taskDetail,
  tasksQuery,
  tasksResponse,
  transitionBody,
} from './risk.ts';

const REPORT_SUMMARIES: Record<ReportKind, string> = {
  monthly:
    "The monthly business review (经营分析月报) of a node for the caller: the month's key figures against budget and last year, the written commentary, the units below (a store: its rank among its peers), open risks and PDCA status. period=YYYY-MM (default: the data's last whole month).",
  weekly:
    "The weekly sales flash (周报): the 7 days to period=YYYY-MM-DD (default: the data's last day) — units, the funnel, gross per unit — against the 7 days before and last year, by unit below.",
  daily:
    "The daily quick report (日报): the day period=YYYY-MM-DD (default: the data's last day) and its month to date against budget and last year, by unit below.",
  risk: 'Risk and PDCA status: open alerts by level and the worst of them, tasks by status and the overdue ones, alerts closed in the 30 days to period=YYYY-MM-DD (default: today in Asia/Shanghai).',
};

/** GET /reports/KIND, one endpoint per report kind. */
function reportEndpoints() {
  return Object.fromEntries(
    REPORT_KINDS.map((kind) => [
      `GET /reports/${kind}`,
      {
        method: get,
        path: `/reports/${kind}`,
        summary: REPORT_SUMMARIES[kind],
        auth: signedIn,
        query: kind === 'monthly' ? monthlyReportQuery : dayReportQuery,
        status: 200,
        response: reportResponse,
        errors: [409],
      } satisfies Endpoint,
    ]),
  ) as unknown as Record<`GET /reports/${ReportKind}`, Endpoint>;
}

/** Every refusal: a stable code, a message, and the parameter or field at fault. */
export const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    param: z.string().optional(),
    /** A write refused because its lines changed since they were read (409): each as it now is. */
    conflicts: z.array(budgetConflict).optional(),
  }),
});

export const healthResponse = z.strictObject({
  status: z.literal('ok'),
  uptime_s: z.number(),
  /** Report deliveries that failed for good in the last 24 hours, and when the latest did (who and
   *  why is on the subscription's page: this answer is public). */
  reports: z.strictObject({ failed_24h: z.int(), last_failure_at: z.string().nullable() }),
});

export interface Endpoint {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  summary: string;
  /** public: no token needed. */
  auth: 'public' | 'signed-in';
  query?: z.ZodType;
  /** The path's {id}, a whole number. */
  id?: z.ZodType;
  body?: z.ZodType;
  /** The success status and answer (null: no body). */
  status: 200 | 201 | 202 | 204;
  response: z.ZodType | null;
  /** Statuses of refusals beyond 400/401/403 (which every signed-in endpoint may give). */
  errors?: readonly (202 | 404 | 409 | 429 | 503)[];
}

const signedIn = 'signed-in' as const;
const get = 'get' as const;

export const ENDPOINTS = {
  'GET /health': {
    method: get,
    path: '/health',
    summary: 'Liveness: the server and its database answer.',
    auth: 'public',
    status: 200,
    response: healthResponse,
  },
  'GET /version': {
    method: get,
    path: '/version',
    summary: 'The data version: the last loaded extract.',
    auth: 'public',
    status: 200,
    response: versionResponse,
  },
  'POST /auth/login': {
    method: 'post',
    path: '/auth/login',
    summary: 'Exchange a username and password for a bearer token.',
    auth: 'public',
    body: loginBody,
    status: 200,
    response: loginResponse,
    errors: [429],
  },
  'POST /auth/logout': {
    method: 'post',
    path: '/auth/logout',
    summary: 'Revoke the token this is called with (until it would have expired).',
    auth: signedIn,
    status: 204,
    response: null,
  },
  'GET /me': {
    method: get,
    path: '/me',
    summary: "Who the token belongs to: a user, or a wall screen's kiosk.",
    auth: signedIn,
    status: 200,
    response: user,
  },
  'GET /metrics': {
    method: get,
    path: '/metrics',
    summary: 'The metric catalog (the metrics of your domains).',
    auth: signedIn,
    status: 200,
    response: metricsResponse,
  },
  'GET /org': {
    method: get,
    path: '/org',
    summary: 'The org tree you may see; ancestors of your nodes by name only.',
    auth: signedIn,
    status: 200,
    response: orgResponse,
  },
  'GET /kpi': {
    method: get,
    path: '/kpi',
    summary: 'Metric values for a node and period, with comparisons.',
    auth: signedIn,
    query: kpiQuery,
    status: 200,
    response: kpiResponse,
  },
  'GET /breakdown': {
    method: get,
    path: '/breakdown',
    summary: 'One metric split by child org nodes, by province or by a product level.',
    auth: signedIn,
    query: breakdownQuery,
    status: 200,
    response: breakdownResponse,
  },
  'GET /timeseries': {
    method: get,
    path: '/timeseries',
    summary: 'One metric per day, ISO week, month, quarter or year.',
    auth: signedIn,
    query: timeseriesQuery,
    status: 200,
    response: timeseriesResponse,
  },
  'GET /series': {
    method: get,
    path: '/series',
    summary:
      'Several metrics month by month (sparklines): one request instead of one per metric; at most 36 months.',
    auth: signedIn,
    query: seriesQuery,
    status: 200,
    response: seriesResponse,
  },
  'GET /rank': {
    method: get,
    path: '/rank',
    summary:
      'A node’s rank, percentile and gap to the median and top quartile among its like-for-like peers (stores of the same type, and main brand for brand-driven metrics); peers’ names and figures only to a caller who may see them all.',
    auth: signedIn,
    query: rankQuery,
    status: 200,
    response: rankResponse,
  },
  'GET /alerts': {
    method: get,
    path: '/alerts',
    summary:
      'Risk alerts at nodes and on metrics in your scope (open ones unless status says otherwise): critical first, then by money at stake; alerts of one node and metric together.',
    auth: signedIn,
    query: alertsQuery,
    status: 200,
    response: alertsResponse,
  },
  'GET /receivables/ageing': {
    method: get,
    path: '/receivables/ageing',
    summary:
      'Open receivables at a date by counterparty type: not yet due and 0–30, 31–60, 61–90, > 90 days past due; the ten largest overdue documents (finance domain). No data before the extract began.',
    auth: signedIn,
    query: ageingQuery,
    status: 200,
    response: receivablesAgeingResponse,
  },
  'GET /rebates/ageing': {
    method: get,
    path: '/rebates/ageing',
    summary:
      'OEM rebates earned and not yet received, by brand: not yet expected and 0–30, 31–60, 61–90, > 90 days past the expected date; the ten largest overdue (finance domain). No data without oem_rebates.csv or outside its coverage.',
    auth: signedIn,
    query: ageingQuery,
    status: 200,
    response: rebatesAgeingResponse,
  },
  'GET /rules': {
    method: get,
    path: '/rules',
    summary: 'The risk rules.',
    auth: signedIn,
    query: rulesQuery,
    status: 200,
    response: rulesResponse,
  },
  'POST /rules': {
    method: 'post',
    path: '/rules',
    summary: 'Add a risk rule (group users).',
    auth: signedIn,
    body: newRuleBody,
    status: 201,
    response: rule,
  },
  'PATCH /rules/{id}': {
    method: 'patch',
    path: '/rules/{id}',
    summary: 'Change or disable a risk rule (group users).',
    auth: signedIn,
    id: idParam,
    body: patchRuleBody,
    status: 200,
    response: rule,
    errors: [404],
  },
  'GET /tasks': {
    method: get,
    path: '/tasks',
    summary: 'PDCA tasks in your scope: assignee=me for yours, node=ID for a subtree.',
    auth: signedIn,
    query: tasksQuery,
    status: 200,
    response: tasksResponse,
  },
  'GET /tasks/{id}': {
    method: get,
    path: '/tasks/{id}',
    summary: 'One task with its audit trail.',
    auth: signedIn,
    id: idParam,
    status: 200,
    response: taskDetail,
    errors: [404],
  },
  'POST /tasks/{id}/transition': {
    method: 'post',
    path: '/tasks/{id}/transition',
    summary:
      'Move a task: plan→do (root_cause, action_plan), do→check, do/check/act→plan (note), act→closed (conclusion, standardised). Illegal moves answer 409.',
    auth: signedIn,
    id: idParam,
    body: transitionBody,
    status: 200,
    response: taskDetail,
    errors: [404, 409],
  },
  'GET /targets': {
    method: get,
    path: '/targets',
    summary:
      "A node's target and its units' (children, or a store's people: by=staff) month by month, with locks, sources and, for additive metrics, by how much the units miss the node's.",
    auth: signedIn,
    query: targetsQuery,
    status: 200,
    response: targetsResponse,
  },
  'PUT /targets': {
    method: 'put',
    path: '/targets',
    summary:
      "Split a month's target among the node's units by share of the last N months' actuals, equally, by headcount, or as typed in; locked cells stay; the node's own total only for a caller whose scope covers its parent. Additive units that would not add up answer 400 with the gap.",
    auth: signedIn,
    body: targetsBody,
    status: 200,
    response: targetsResponse,
  },
  'GET /budgets': {
    method: get,
    path: '/budgets',
    summary:
      'Budget versions, newest first: status, horizon, the months each is the budget of, and who must act next. Not for staff users or special grants.',
    auth: signedIn,
    status: 200,
    response: budgetsResponse,
  },
  'POST /budgets': {
    method: 'post',
    path: '/budgets',
    summary:
      "A new draft version (finance and the group) over a horizon of months, its lines seeded for the stores in the caller's scope: from the forecast (flows the engine forecasts; other months and rates from last year), from last year × (1 + growth), or from another version.",
    auth: signedIn,
    body: newBudgetBody,
    status: 201,
    response: budgetDetail,
    errors: [404],
  },
  'GET /budgets/{id}': {
    method: get,
    path: '/budgets/{id}',
    summary: "A version with the parts of the caller's nodes (open, submitted, approved, returned).",
    auth: signedIn,
    id: idParam,
    status: 200,
    response: budgetDetail,
    errors: [404],
  },
  'GET /budgets/{id}/lines': {
    method: get,
    path: '/budgets/{id}/lines',
    summary:
      "A node's planning grid for one metric: its own target, each unit below month by month with its line's revision, last year's actual and the forecast beside it, the totals and, for additive metrics, by how much the units miss the node's target.",
    auth: signedIn,
    id: idParam,
    query: budgetLinesQuery,
    status: 200,
    response: budgetLinesResponse,
    errors: [404],
  },
  'PUT /budgets/{id}/lines': {
    method: 'put',
    path: '/budgets/{id}/lines',
    summary:
      'Change lines of a draft, each with the revision it was read at: all are written, or none and 409 listing the lines that changed since (never a silent overwrite). Managers change their own stores while their part is open or returned.',
    auth: signedIn,
    id: idParam,
    body: budgetLinesBody,
    status: 200,
    response: budgetLinesWritten,
    errors: [404, 409],
  },
  'POST /budgets/{id}/allocate': {
    method: 'post',
    path: '/budgets/{id}/allocate',
    summary:
      "Split a node's target (set first with total) among the units below it, level by level down to the stores, by share of last year, of the forecast, equally, or as typed in: locked lines stay, every level adds up exactly.",
    auth: signedIn,
    id: idParam,
    body: allocateBody,
    status: 200,
    response: budgetLinesResponse,
    errors: [404, 409],
  },
  'POST /budgets/{id}/transition': {
    method: 'post',
    path: '/budgets/{id}/transition',
    summary:
      "Submit, approve or return (with a note) a node's part or the whole version. A part is submitted by its managers and approved or returned by the level above; the version is submitted by finance or the group and approved by the group, when it becomes the budget of the months it covers that are still open.",
    auth: signedIn,
    id: idParam,
    body: transitionBudgetBody,
    status: 200,
    response: budgetDetail,
    errors: [404, 409],
  },
  'GET /explain': {
    method: get,
    path: '/explain',
    summary:
      "How much of a metric's change against the previous period, last year or the budget each unit below contributed: additive metrics their own changes, ratios split into rate and mix effects; the contributions add up exactly to the node's change.",
    auth: signedIn,
    query: explainQuery,
    status: 200,
    response: explainResponse,
  },
  'GET /bridge': {
    method: get,
    path: '/bridge',
    summary:
      "A waterfall whose steps add up exactly: a gross profit from the base (previous period, last year, budget) to the period by volume, model mix and gross per unit (no mix against the budget); net profit from the departments' gross through rebates and expenses, operating cash flow from net profit through the working capital, each step beside its base.",
    auth: signedIn,
    query: bridgeQuery,
    status: 200,
    response: bridgeResponse,
  },
  'GET /commentary': {
    method: get,
    path: '/commentary',
    summary:
      'The written commentary (zh and en) for a node and period: per key metric its value against the budget and last year, the units, models and bridge steps that explain most of the change, and the open critical risks. Every number is a figure of /explain, /breakdown, /bridge or /alerts.',
    auth: signedIn,
    query: commentaryQuery,
    status: 200,
    response: commentaryResponse,
  },
  ...reportEndpoints(),
  'GET /subscriptions': {
    method: get,
    path: '/subscriptions',
    summary:
      "The report subscriptions the caller may see: their own, a group user's those at nodes in their scope, and those sent to them (read-only). Each with its channels (a webhook's host only, never its URL or secret), its next run times and whom its recipients expand to now. Not for staff users.",
    auth: signedIn,
    status: 200,
    response: subscriptionsResponse,
  },
  'POST /subscriptions': {
    method: 'post',
    path: '/subscriptions',
    summary:
      'Subscribe to a tracking report of a node in your scope on a schedule (a 5-field cron in a time zone): group users subscribe users in their scope, or every user of a role under a node; division, region, store and finance users only themselves (recipients [{user: themselves}]); staff users and special grants nobody (403). Channels: e-mail, a WeCom robot, a DingTalk robot (webhook https; secret optional).',
    auth: signedIn,
    body: newSubscriptionBody,
    status: 201,
    response: subscription,
  },
  'GET /subscriptions/recipients': {
    method: get,
    path: '/subscriptions/recipients',
    summary:
      "The users the caller may name as recipients of a subscription (the form's list): for a group user every user but staff whose nodes all lie in their scope, for division, region, store and finance users themselves, for a special grant nobody; each with name, role, nodes and whether they have an e-mail address, a WeCom and a DingTalk user id. Not for staff users.",
    auth: signedIn,
    status: 200,
    response: recipientsResponse,
  },
  'GET /subscriptions/{id}': {
    method: get,
    path: '/subscriptions/{id}',
    summary: 'One subscription, if it is yours, sent to you, or (group users) at a node in your scope.',
    auth: signedIn,
    id: idParam,
    status: 200,
    response: subscription,
    errors: [404],
  },
  'PATCH /subscriptions/{id}': {
    method: 'patch',
    path: '/subscriptions/{id}',
    summary:
      'Change a subscription (its owner, or a group user whose scope holds its node), with the rules of POST; a robot channel sent without its webhook keeps the stored one. A stale revision answers 409. Every change is audited, webhooks masked.',
    auth: signedIn,
    id: idParam,
    body: patchSubscriptionBody,
    status: 200,
    response: subscription,
    errors: [404, 409],
  },
  'DELETE /subscriptions/{id}': {
    method: 'delete',
    path: '/subscriptions/{id}',
    summary:
      'Delete a subscription (its owner, or a group user whose scope holds its node); its runs and deliveries stay as its history.',
    auth: signedIn,
    id: idParam,
    status: 204,
    response: null,
    errors: [404, 409],
  },
  'GET /subscriptions/{id}/deliveries': {
    method: get,
    path: '/subscriptions/{id}/deliveries',
    summary:
      "A subscription's runs, newest first, each with its deliveries (recipient, channel, status, attempts, last error, why skipped, the node rendered); a recipient who may not edit it sees their own.",
    auth: signedIn,
    id: idParam,
    query: deliveriesQuery,
    status: 200,
    response: deliveriesResponse,
    errors: [404],
  },
  'POST /subscriptions/{id}/run': {
    method: 'post',
    path: '/subscriptions/{id}/run',
    summary:
      "Send now: a run of the subscription at once, each recipient's copy rendered as that recipient and sent through each channel in the background; its deliveries show in /subscriptions/{id}/deliveries. Whoever may change the subscription may run it.",
    auth: signedIn,
    id: idParam,
    status: 202,
    response: runStarted,
    errors: [404, 409],
  },
  'GET /forecast': {
    method: get,
    path: '/forecast',
    summary:
      "A metric's monthly forecast for a node from the month after as_of (default: the data's last whole month): method, backtest accuracy (MASE, RMSSE, bias) and 80%/95% intervals; a region's or the group's is its stores' summed, a product's reconciled to its stores' own; with by, one per brand, series or child node. 202 with Retry-After while it is being computed.",
    auth: signedIn,
    query: forecastQuery,
    status: 200,
    response: forecastResponse,
    errors: [202, 503],
  },
  'GET /forecast/accuracy': {
    method: get,
    path: '/forecast/accuracy',
    summary:
      "How accurate the forecasts are at a node: per family (a landing metric's store series, new units by store × brand, parts by store × part) the mean backtest MASE, RMSSE and bias of the node's series and the methods chosen; and the node's own forecast's backtest per landing metric. 202 with Retry-After while it is being computed.",
    auth: signedIn,
    query: accuracyQuery,
    status: 200,
    response: accuracyResponse,
    errors: [202, 503],
  },
  'GET /landing': {
    method: get,
    path: '/landing',
    summary:
      "Landing (预计完成) of the current month, quarter and year per metric: actual to the data's last day plus the forecast of the rest, against the budget. 202 with Retry-After while the forecast is being computed.",
    auth: signedIn,
    query: landingQuery,
    status: 200,
    response: landingResponse,
    errors: [202, 503],
  },
  'GET /parts/forecast': {
    method: get,
    path: '/parts/forecast',
    summary:
      "A store's parts, by part number: the demand forecast with its method and accuracy, lead-time demand, safety stock for the service level, on hand at as_of and the suggested order; obsolete candidates flagged. 202 with Retry-After while it is being computed.",
    auth: signedIn,
    query: partsForecastQuery,
    status: 200,
    response: partsForecastResponse,
    errors: [202, 503],
  },
  'GET /scorecards': {
    method: get,
    path: '/scorecards',
    summary:
      "Monthly scorecards of a role under a node: each unit's items (actual, target, attainment, points), penalties, score and rank; with unit=ID that unit's card over the last months. A staff user gets their own card and rank.",
    auth: signedIn,
    query: scorecardsQuery,
    status: 200,
    response: scorecardsResponse,
  },
  'GET /scorecards/definitions': {
    method: get,
    path: '/scorecards/definitions',
    summary: "Each role's scorecard in force: metrics with weights, scoring (gate, cap), penalties.",
    auth: signedIn,
    status: 200,
    response: definitionsResponse,
  },
  'PUT /scorecards/definitions/{role}': {
    method: 'put',
    path: '/scorecards/definitions/{role}',
    summary:
      "Group users set a role's scorecard (a new version): weights must add up to 100%, metrics must have targets and fit the role.",
    auth: signedIn,
    body: definitionBody,
    status: 200,
    response: scorecardDefinition,
  },
  'GET /tasks/{id}/assignees': {
    method: get,
    path: '/tasks/{id}/assignees',
    summary:
      'Whom the task may go to: the users who may see it (its node in their scope, its metric in their domains), special grants apart; each with name and job title.',
    auth: signedIn,
    id: idParam,
    status: 200,
    response: assigneesResponse,
    errors: [404],
  },
  'POST /tasks/{id}/assign': {
    method: 'post',
    path: '/tasks/{id}/assign',
    summary:
      'Hand the task to someone who may see it (an entry in its audit trail); not for special grants or staff users (403). Someone outside its scope answers 400 on `to`.',
    auth: signedIn,
    id: idParam,
    body: assignBody,
    status: 200,
    response: taskDetail,
    errors: [404, 409],
  },
  'POST /tasks/{id}/comments': {
    method: 'post',
    path: '/tasks/{id}/comments',
    summary: 'Comment on a task, or log an action taken (kind=action, in do).',
    auth: signedIn,
    id: idParam,
    body: commentBody,
    status: 201,
    response: taskDetail,
    errors: [404, 409],
  },
} as const satisfies Record<string, Endpoint>;

export type DataVersion = z.output<typeof versionResponse>;
export type ErrorBody = z.output<typeof errorBody>;

export type EndpointKey = keyof typeof ENDPOINTS;

/** The answer of an endpoint, as the client receives it. */
export type ResponseOf<K extends EndpointKey> = (typeof ENDPOINTS)[K]['response'] extends z.ZodType
  ? z.output<(typeof ENDPOINTS)[K]['response']>
  : never;

const PATTERNS = Object.values(ENDPOINTS as Record<string, Endpoint>).map((endpoint) => ({
  endpoint,
  // As express matches routes: any case, an optional trailing slash, {id} one path segment.
  pattern: new RegExp(`^${endpoint.path.replace(/\{\w+\}/g, '[^/]+')}/?$`, 'i'),
}));

/** The endpoint a request names (e.g. GET /tasks/12, under /api), if the contract lists it. */
export function endpointAt(method: string, path: string): Endpoint | undefined {
  const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  return PATTERNS.find((p) => p.endpoint.method === m && p.pattern.test(path))?.endpoint;
}

/** The endpoint a request was routed to: method and express route path (e.g. GET /api/tasks/:id). */
export function endpointOf(method: string, routePath: string): Endpoint | undefined {
  const path = routePath.replace(/^\/api/, '').replace(/:(\w+)/g, '{$1}');
  return (ENDPOINTS as Record<string, Endpoint>)[`${method.toUpperCase()} ${path}`];
}
