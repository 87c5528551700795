// The OpenAPI document served at /api/openapi.json. Query parameters come from the same zod
// schemas the routes validate with; response shapes are written here and checked against
// real responses by openapi.test.ts.
import { z } from 'zod';
import { QUERY_SCHEMAS } from '../metrics/routes.ts';

type JsonSchema = Record<string, unknown>;

const num = { type: ['number', 'null'] };
const nodeRef = { type: 'object', required: ['id', 'name', 'level'], properties: { id: { type: 'string' }, name: { type: 'string' }, level: { type: 'string' } } };
const error = {
  type: 'object', required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, param: { type: 'string' } } } },
};

export const RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  '/health': { type: 'object', required: ['status'], properties: { status: { const: 'ok' }, uptime_s: { type: 'number' } } },
  '/version': {
    type: 'object', required: ['run_id', 'extract_id', 'loaded_at'],
    properties: { run_id: { type: ['integer', 'null'] }, extract_id: { type: ['string', 'null'] }, kind: { type: ['string', 'null'] }, period_to: { type: ['string', 'null'] }, loaded_at: { type: ['string', 'null'] }, data_from: { type: ['string', 'null'] } },
  },
  '/auth/login': {
    type: 'object', required: ['token', 'expires_in', 'user'],
    properties: {
      token: { type: 'string' }, expires_in: { type: 'integer' },
      user: { type: 'object', required: ['username', 'role', 'nodes', 'domains'], properties: { username: { type: 'string' }, role: { type: 'string' }, nodes: { type: 'array', items: { type: 'string' } }, domains: { type: 'array', items: { type: 'string' } } } },
    },
  },
  '/metrics': {
    type: 'object', required: ['metrics'],
    properties: {
      metrics: {
        type: 'array',
        items: {
          type: 'object', required: ['id', 'name', 'domain', 'unit', 'direction', 'kind', 'thresholds', 'breakdowns'],
          properties: {
            id: { type: 'string' }, name: { type: 'object', required: ['zh', 'en'] }, domain: { type: 'string' }, unit: { type: 'string' },
            direction: { enum: ['higher_is_better', 'lower_is_better'] }, kind: { enum: ['sum', 'ratio', 'balance', 'avg-balance', 'derived'] },
            thresholds: { type: ['object', 'null'] }, breakdowns: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  },
  '/org': {
    type: 'object', required: ['nodes'],
    properties: {
      nodes: {
        type: 'array',
        items: { type: 'object', required: ['node_id', 'parent_id', 'level', 'name', 'in_scope'], properties: { node_id: { type: 'string' }, parent_id: { type: ['string', 'null'] }, level: { type: 'string' }, name: { type: 'string' }, in_scope: { type: 'boolean' } } },
      },
    },
  },
  '/kpi': {
    type: 'object', required: ['node', 'from', 'to', 'metrics'],
    properties: {
      node: nodeRef, from: { type: 'string' }, to: { type: 'string' },
      metrics: {
        type: 'object',
        additionalProperties: {
          type: 'object', required: ['value', 'unit'],
          properties: {
            value: num, unit: { type: 'string' },
            prev: { type: 'object', required: ['value', 'change'], properties: { value: num, change: num } },
            yoy: { type: 'object', required: ['value', 'change'], properties: { value: num, change: num } },
            budget: { type: 'object', required: ['target', 'attainment'], properties: { target: num, attainment: num } },
          },
        },
      },
    },
  },
  '/breakdown': {
    type: 'object', required: ['rows', 'total'],
    properties: {
      metric: { type: 'string' }, node: nodeRef, by: { type: 'string' }, total: num,
      rows: { type: 'array', items: { type: 'object', required: ['id', 'name', 'value'], properties: { id: { type: 'string' }, name: { type: 'string' }, value: num } } },
    },
  },
  '/timeseries': {
    type: 'object', required: ['points'],
    properties: {
      metric: { type: 'string' }, node: nodeRef, grain: { type: 'string' }, unit: { type: 'string' },
      points: { type: 'array', items: { type: 'object', required: ['period', 'from', 'to', 'value'], properties: { period: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, value: num, yoy: num } } },
    },
  },
  '/rank': {
    type: 'object', required: ['rank', 'of', 'percentile'],
    properties: { metric: { type: 'string' }, level: { type: 'string' }, value: num, rank: { type: ['integer', 'null'] }, of: { type: 'integer' }, percentile: num },
  },
};

const SUMMARIES: Record<string, string> = {
  '/health': 'Liveness: the server and its database answer.',
  '/version': 'The data version: the last loaded extract.',
  '/auth/login': 'Exchange a username and password for a bearer token.',
  '/metrics': 'The metric catalog (the metrics of your domains).',
  '/org': 'The org tree you may see; ancestors of your nodes by name only.',
  '/kpi': 'Metric values for a node and period, with comparisons.',
  '/breakdown': 'One metric split by child org nodes or by a product level.',
  '/timeseries': 'One metric per day, ISO week, month, quarter or year.',
  '/rank': 'A node’s rank and percentile among all nodes of its level; peers’ figures are not revealed.',
};

const PUBLIC = new Set(['/health', '/version', '/auth/login']);

function queryParameters(path: keyof typeof QUERY_SCHEMAS) {
  const schema = z.toJSONSchema(QUERY_SCHEMAS[path], { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties).map(([name, s]) => ({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: s }));
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
          ? { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string' } } } } } } }
          : {}),
        responses: {
          200: { description: 'OK', content: { 'application/json': { schema } } },
          ...(PUBLIC.has(path) && path !== '/auth/login' ? {} : { 400: { description: 'Bad parameter', content: { 'application/json': { schema: error } } } }),
          ...(PUBLIC.has(path) && path !== '/auth/login' ? {} : { 401: { description: 'Not signed in, or bad credentials', content: { 'application/json': { schema: error } } } }),
          ...(PUBLIC.has(path) ? {} : { 403: { description: 'Node or metric outside your scope', content: { 'application/json': { schema: error } } } }),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: '汽车经销商集团经营驾驶舱 API', version: '1.0.0', description: 'KPI and drill-down queries scoped by role. Amounts in yuan; ratios as fractions (0.535, not 53.5).' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
