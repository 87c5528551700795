// The OpenAPI document served at /api/openapi.json. Query parameters come from the same zod
// schemas the routes validate with; response shapes are written here and checked against
// real responses by openapi.test.ts.
import { z } from 'zod';
import { KIOSK_ENDPOINTS } from '../auth/kiosks.ts';
import { QUERY_SCHEMAS as METRIC_QUERIES } from '../metrics/routes.ts';
import { FINANCE_QUERY_SCHEMAS } from '../finance/routes.ts';
import { RISK_QUERY_SCHEMAS } from '../risk/routes.ts';

const QUERY_SCHEMAS = { ...METRIC_QUERIES, ...RISK_QUERY_SCHEMAS, ...FINANCE_QUERY_SCHEMAS };

type JsonSchema = Record<string, unknown>;

const num = { type: ['number', 'null'] };
const nodeRef = {
  type: 'object',
  required: ['id', 'name', 'level'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, level: { type: 'string' } },
};
/** A value against a base: delta always when both exist; change only on a positive base and not for percentages; else why not. */
const comparison = {
  type: 'object',
  required: ['value', 'delta', 'change', 'from', 'to'],
  properties: {
    value: num,
    delta: num,
    change: num,
    from: { type: 'string' },
    to: { type: 'string' },
    reason: { enum: ['no_data', 'base_not_positive', 'percentage_points'] },
  },
};
/** An ageing answer: rows by `key` with their buckets, the total, and the largest overdue items. */
function ageingAnswer(rowsName: string, key: string, itemFields: string[]): JsonSchema {
  const buckets = ['open', 'overdue', 'not_due', 'd0_30', 'd31_60', 'd61_90', 'd90_plus'];
  const row = {
    type: 'object',
    required: [key, ...buckets],
    properties: {
      [key]: { type: 'string' },
      ...Object.fromEntries(buckets.map((b) => [b, { type: 'number' }])),
    },
  };
  const itemRequired = [...itemFields, 'store_id', 'store_name', 'due_date', 'open_amount', 'days_overdue'];
  return {
    type: 'object',
    required: ['node', 'as_of', rowsName, 'total', 'largest'],
    properties: {
      node: nodeRef,
      as_of: { type: 'string' },
      reason: { const: 'no_data' },
      [rowsName]: { type: 'array', items: row },
      total: { oneOf: [row, { type: 'null' }] },
      largest: {
        type: 'array',
        items: {
          type: 'object',
          required: itemRequired,
          properties: { open_amount: { type: 'number' }, days_overdue: { type: 'integer' } },
        },
      },
    },
  };
}
const budgetComparison = {
  type: 'object',
  required: ['target', 'variance', 'attainment'],
  properties: { target: num, variance: num, attainment: num, reason: { enum: ['no_data', 'no_target'] } },
};
const error = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, param: { type: 'string' } },
    },
  },
};

const alert = {
  type: 'object',
  required: [
    'id',
    'status',
    'level',
    'period',
    'last_period',
    'value',
    'threshold',
    'within',
    'metric',
    'node',
    'rule',
    'task',
  ],
  properties: {
    id: { type: 'integer' },
    status: { enum: ['open', 'closed'] },
    level: { enum: ['warning', 'critical'] },
    period: { type: 'string' },
    last_period: { type: 'string' },
    value: num,
    threshold: num,
    score: num,
    within: { type: 'boolean' },
    first_seen: { type: 'string' },
    last_seen: { type: 'string' },
    impact_yuan: num,
    group: { type: 'object', required: ['key', 'size', 'first'] },
    metric: { type: 'object', required: ['id', 'domain', 'unit'] },
    node: nodeRef,
    rule: { type: 'object', required: ['id', 'comparison', 'op', 'warning', 'floor'] },
    task: { type: ['object', 'null'], required: ['id', 'status', 'assignee', 'due_at'] },
  },
};
const rule = {
  type: 'object',
  required: [
    'rule_id',
    'metric_id',
    'comparison',
    'op',
    'warning',
    'critical',
    'warning_periods',
    'critical_periods',
    'floor',
    'levels',
    'enabled',
    'source',
  ],
  properties: {
    rule_id: { type: 'integer' },
    metric_id: { type: 'string' },
    comparison: { enum: ['value', 'attainment', 'yoy_change', 'peer_deviation'] },
    op: { enum: ['>', '<'] },
    warning: { type: 'number' },
    critical: num,
    warning_periods: { type: 'integer' },
    critical_periods: { type: 'integer' },
    floor: num,
    levels: { type: 'array', items: { enum: ['group', 'division', 'region', 'store'] } },
    enabled: { type: 'boolean' },
    source: { type: 'string' },
    note: { type: ['string', 'null'] },
  },
};
const task = {
  type: 'object',
  required: ['id', 'status', 'assignee', 'due_at', 'overdue', 'escalations', 'next', 'alert'],
  properties: {
    id: { type: 'integer' },
    status: { enum: ['plan', 'do', 'check', 'act', 'closed'] },
    assignee: { type: 'string' },
    due_at: { type: 'string' },
    overdue: { type: 'boolean' },
    escalations: { type: 'integer' },
    next: { type: 'array', items: { type: 'string' } },
    alert,
  },
};
const taskWithTrail = {
  ...task,
  required: [...task.required, 'events'],
  properties: {
    ...task.properties,
    root_cause: { type: ['string', 'null'] },
    action_plan: { type: ['string', 'null'] },
    conclusion: { type: ['string', 'null'] },
    standardised: { type: ['string', 'null'] },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['event_id', 'happened_at', 'actor', 'kind'],
        properties: {
          event_id: { type: 'integer' },
          happened_at: { type: 'string' },
          actor: { type: 'string' },
          kind: { type: 'string' },
          from_status: { type: ['string', 'null'] },
          to_status: { type: ['string', 'null'] },
          note: { type: ['string', 'null'] },
        },
      },
    },
  },
};

const user = {
  type: 'object',
  required: ['username', 'role', 'nodes', 'domains'],
  properties: {
    username: { type: 'string' },
    role: { type: 'string' },
    nodes: { type: 'array', items: { type: 'string' } },
    domains: { type: 'array', items: { type: 'string' } },
    kiosk: { type: 'boolean' },
  },
};

export const RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  '/health': {
    type: 'object',
    required: ['status'],
    properties: { status: { const: 'ok' }, uptime_s: { type: 'number' } },
  },
  '/version': {
    type: 'object',
    required: ['run_id', 'extract_id', 'loaded_at'],
    properties: {
      run_id: { type: ['integer', 'null'] },
      extract_id: { type: ['string', 'null'] },
      kind: { type: ['string', 'null'] },
      period_to: { type: ['string', 'null'] },
      loaded_at: { type: ['string', 'null'] },
      data_from: { type: ['string', 'null'] },
    },
  },
  '/auth/login': {
    type: 'object',
    required: ['token', 'expires_in', 'user'],
    properties: {
      token: { type: 'string' },
      expires_in: { type: 'integer' },
      user,
    },
  },
  '/me': user,
  '/metrics': {
    type: 'object',
    required: ['metrics'],
    properties: {
      metrics: {
        type: 'array',
        items: {
          type: 'object',
          required: [
            'id',
            'name',
            'domain',
            'unit',
            'direction',
            'kind',
            'thresholds',
            'breakdowns',
            'definition',
          ],
          properties: {
            id: { type: 'string' },
            name: { type: 'object', required: ['zh', 'en'] },
            domain: { type: 'string' },
            unit: { type: 'string' },
            direction: { enum: ['higher_is_better', 'lower_is_better'] },
            kind: { enum: ['sum', 'ratio', 'balance', 'avg-balance', 'derived'] },
            thresholds: { type: ['object', 'null'] },
            breakdowns: { type: 'array', items: { type: 'string' } },
            definition: {
              type: 'object',
              required: ['zh', 'en'],
              properties: { zh: { type: 'string' }, en: { type: 'string' } },
            },
          },
        },
      },
    },
  },
  '/org': {
    type: 'object',
    required: ['nodes'],
    properties: {
      nodes: {
        type: 'array',
        items: {
          type: 'object',
          required: ['node_id', 'parent_id', 'level', 'name', 'in_scope'],
          properties: {
            node_id: { type: 'string' },
            parent_id: { type: ['string', 'null'] },
            level: { type: 'string' },
            name: { type: 'string' },
            in_scope: { type: 'boolean' },
          },
        },
      },
    },
  },
  '/kpi': {
    type: 'object',
    required: ['node', 'from', 'to', 'metrics'],
    properties: {
      node: nodeRef,
      from: { type: 'string' },
      to: { type: 'string' },
      metrics: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          required: ['value', 'unit'],
          properties: {
            value: num,
            unit: { type: 'string' },
            reason: { const: 'no_data' },
            prev: comparison,
            yoy: comparison,
            budget: budgetComparison,
          },
        },
      },
    },
  },
  '/breakdown': {
    type: 'object',
    required: ['rows', 'total'],
    properties: {
      metric: { type: 'string' },
      node: nodeRef,
      by: { type: 'string' },
      total: num,
      reason: { const: 'no_data' },
      rows: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name', 'value'],
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            store_type: { type: ['string', 'null'] },
            value: num,
            prev: comparison,
            yoy: comparison,
            budget: budgetComparison,
          },
        },
      },
    },
  },
  '/timeseries': {
    type: 'object',
    required: ['points'],
    properties: {
      metric: { type: 'string' },
      node: nodeRef,
      grain: { type: 'string' },
      unit: { type: 'string' },
      points: {
        type: 'array',
        items: {
          type: 'object',
          required: ['period', 'from', 'to', 'value'],
          properties: {
            period: { type: 'string' },
            from: { type: 'string' },
            to: { type: 'string' },
            value: num,
            yoy: num,
            target: num,
          },
        },
      },
    },
  },
  '/series': {
    type: 'object',
    required: ['series'],
    properties: {
      node: nodeRef,
      from: { type: 'string' },
      to: { type: 'string' },
      series: {
        type: 'object',
        additionalProperties: {
          type: 'array',
          items: {
            type: 'object',
            required: ['period', 'from', 'to', 'value'],
            properties: {
              period: { type: 'string' },
              from: { type: 'string' },
              to: { type: 'string' },
              value: num,
            },
          },
        },
      },
    },
  },
  '/rank': {
    type: 'object',
    required: ['rank', 'of', 'percentile', 'peer_group', 'gap'],
    properties: {
      metric: { type: 'string' },
      level: { type: 'string' },
      value: num,
      rank: { type: ['integer', 'null'] },
      of: { type: 'integer' },
      percentile: num,
      peer_group: {
        type: 'object',
        required: ['level', 'store_type', 'brand'],
        properties: {
          level: { type: 'string' },
          store_type: { type: ['string', 'null'] },
          brand: { type: ['string', 'null'] },
        },
      },
      gap: {
        type: 'object',
        required: ['median', 'top_quartile'],
        properties: { median: num, top_quartile: num },
      },
      peers: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name', 'value'],
          properties: { id: { type: 'string' }, name: { type: 'string' }, value: { type: 'number' } },
        },
      },
    },
  },
  '/alerts': {
    type: 'object',
    required: ['alerts'],
    properties: { alerts: { type: 'array', items: alert } },
  },
  '/receivables/ageing': ageingAnswer('by_type', 'counterparty_type', [
    'doc_no',
    'counterparty',
    'counterparty_type',
  ]),
  '/rebates/ageing': ageingAnswer('by_brand', 'brand', ['rebate_id', 'brand', 'kind', 'period']),
  '/rules': { type: 'object', required: ['rules'], properties: { rules: { type: 'array', items: rule } } },
  '/tasks': { type: 'object', required: ['tasks'], properties: { tasks: { type: 'array', items: task } } },
};

const SUMMARIES: Record<string, string> = {
  '/health': 'Liveness: the server and its database answer.',
  '/version': 'The data version: the last loaded extract.',
  '/auth/login': 'Exchange a username and password for a bearer token.',
  '/me': `Who the token belongs to: a user, or a wall screen's kiosk (kiosk tokens open only GET ${KIOSK_ENDPOINTS.join(', ')}).`,
  '/metrics': 'The metric catalog (the metrics of your domains).',
  '/org': 'The org tree you may see; ancestors of your nodes by name only.',
  '/kpi': 'Metric values for a node and period, with comparisons.',
  '/breakdown': 'One metric split by child org nodes or by a product level.',
  '/timeseries': 'One metric per day, ISO week, month, quarter or year.',
  '/series':
    'Several metrics month by month (sparklines): one request instead of one per metric; at most 36 months.',
  '/rank':
    'A node’s rank, percentile and gap to the median and top quartile among its like-for-like peers (stores of the same type, and main brand for brand-driven metrics); peers’ names and figures only to a caller who may see them all.',
  '/alerts':
    'Risk alerts at nodes and on metrics in your scope (open ones unless status says otherwise): critical first, then by money at stake; alerts of one node and metric together.',
  '/rules': 'The risk rules.',
  '/tasks': 'PDCA tasks in your scope: assignee=me for yours, node=ID for a subtree.',
  '/rebates/ageing':
    'OEM rebates earned and not yet received, by brand: not yet expected and 0–30, 31–60, 61–90, > 90 days past the expected date; the ten largest overdue (finance domain). No data without oem_rebates.csv or outside its coverage.',
  '/receivables/ageing':
    'Open receivables at a date by counterparty type: not yet due and 0–30, 31–60, 61–90, > 90 days past due; the ten largest overdue documents (finance domain). No data before the extract began.',
};

/** Operations beyond the GETs above: writes and single tasks. */
const MORE_OPERATIONS: {
  method: 'post' | 'patch' | 'get';
  path: string;
  summary: string;
  body?: JsonSchema;
  status: number;
  response: JsonSchema;
}[] = [
  {
    method: 'post',
    path: '/rules',
    summary: 'Add a risk rule (group users).',
    status: 201,
    response: rule,
    body: {
      type: 'object',
      required: ['metric_id', 'comparison', 'op', 'warning'],
      properties: { ...rule.properties, rule_id: undefined, source: undefined },
    },
  },
  {
    method: 'patch',
    path: '/rules/{id}',
    summary: 'Change or disable a risk rule (group users).',
    status: 200,
    response: rule,
    body: { type: 'object', properties: { ...rule.properties, rule_id: undefined, source: undefined } },
  },
  {
    method: 'get',
    path: '/tasks/{id}',
    summary: 'One task with its audit trail.',
    status: 200,
    response: taskWithTrail,
  },
  {
    method: 'post',
    path: '/tasks/{id}/transition',
    summary:
      'Move a task: plan→do (root_cause, action_plan), do→check, do/check/act→plan (note), act→closed (conclusion, standardised). Illegal moves answer 409.',
    status: 200,
    response: taskWithTrail,
    body: {
      type: 'object',
      required: ['to'],
      properties: {
        to: { enum: ['plan', 'do', 'check', 'act', 'closed'] },
        note: { type: 'string' },
        root_cause: { type: 'string' },
        action_plan: { type: 'string' },
        conclusion: { type: 'string' },
        standardised: { type: 'string' },
      },
    },
  },
  {
    method: 'post',
    path: '/tasks/{id}/comments',
    summary: 'Comment on a task, or log an action taken (kind=action, in do).',
    status: 201,
    response: taskWithTrail,
    body: {
      type: 'object',
      required: ['text'],
      properties: { text: { type: 'string' }, kind: { enum: ['comment', 'action'] } },
    },
  },
];

const PUBLIC = new Set(['/health', '/version', '/auth/login']);

function queryParameters(path: keyof typeof QUERY_SCHEMAS) {
  const schema = z.toJSONSchema(QUERY_SCHEMAS[path], { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(schema.properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: s,
  }));
}

export function openApiDocument(): JsonSchema {
  const paths: Record<string, unknown> = {};
  for (const [path, schema] of Object.entries(RESPONSE_SCHEMAS)) {
    const method = path === '/auth/login' ? 'post' : 'get';
    paths[`/api${path}`] = {
      [method]: {
        summary: SUMMARIES[path],
        ...(PUBLIC.has(path) ? { security: [] } : {}),
        ...(path in QUERY_SCHEMAS ? { parameters: queryParameters(path as keyof typeof QUERY_SCHEMAS) } : {}),
        ...(method === 'post'
          ? {
              requestBody: {
                required: true,
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      required: ['username', 'password'],
                      properties: { username: { type: 'string' }, password: { type: 'string' } },
                    },
                  },
                },
              },
            }
          : {}),
        responses: {
          200: { description: 'OK', content: { 'application/json': { schema } } },
          ...(PUBLIC.has(path) && path !== '/auth/login'
            ? {}
            : { 400: { description: 'Bad parameter', content: { 'application/json': { schema: error } } } }),
          ...(PUBLIC.has(path) && path !== '/auth/login'
            ? {}
            : {
                401: {
                  description: 'Not signed in, or bad credentials',
                  content: { 'application/json': { schema: error } },
                },
              }),
          ...(PUBLIC.has(path)
            ? {}
            : {
                403: {
                  description: 'Node or metric outside your scope',
                  content: { 'application/json': { schema: error } },
                },
              }),
        },
      },
    };
  }
  for (const op of MORE_OPERATIONS) {
    const pathItem = (paths[`/api${op.path}`] ??= {}) as Record<string, unknown>;
    pathItem[op.method] = {
      summary: op.summary,
      ...(op.path.includes('{id}')
        ? { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }] }
        : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: JSON.parse(JSON.stringify(op.body)) } },
            },
          }
        : {}),
      responses: {
        [op.status]: { description: 'OK', content: { 'application/json': { schema: op.response } } },
        400: { description: 'Bad parameter or field', content: { 'application/json': { schema: error } } },
        401: { description: 'Not signed in', content: { 'application/json': { schema: error } } },
        403: {
          description: 'Outside your scope, or not allowed for your role',
          content: { 'application/json': { schema: error } },
        },
        404: { description: 'No such rule or task', content: { 'application/json': { schema: error } } },
        ...(op.path.endsWith('/transition') || op.path.endsWith('/comments')
          ? {
              409: {
                description: 'Not allowed from the task’s current status',
                content: { 'application/json': { schema: error } },
              },
            }
          : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '汽车经销商集团经营驾驶舱 API',
      version: '1.0.0',
      description:
        'KPI and drill-down queries scoped by role. Amounts in yuan; ratios as fractions (0.535, not 53.5).',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
