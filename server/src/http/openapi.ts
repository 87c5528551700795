// The OpenAPI document served at /api/openapi.json, generated from the contract's zod schemas
// (server/src/contract/api.ts): the same schemas validate requests in the routes and every answer
// in the tests; openapi.test.ts checks real responses against this document.
import { z } from 'zod';
import { KIOSK_ENDPOINTS } from '../auth/kiosks.ts';
import { ENDPOINTS, errorBody, type Endpoint } from '../contract/api.ts';

type JsonSchema = Record<string, unknown>;

/** Parameters and bodies as a client sends them; answers as the server gives them. */
const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
};

function queryParameters(query: z.ZodType) {
  const schema = jsonSchema(query, 'input') as {
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

const REFUSALS: Record<number, string> = {
  202: 'Being computed: ask again after Retry-After seconds',
  400: 'Bad parameter or field',
  401: 'Not signed in, or bad credentials',
  403: 'Outside your scope, or not allowed for your role',
  404: 'No such rule, task, budget version or subscription',
  409: 'Not allowed from its current status, or changed since it was read',
  429: 'Too many failed sign-ins: try again after Retry-After seconds',
  503: 'The forecast could not be computed',
};

function refusals(endpoint: Endpoint): number[] {
  const statuses: number[] =
    endpoint.auth === 'signed-in' ? [400, 401, 403] : endpoint.body ? [400, 401] : [];
  return [...statuses, ...(endpoint.errors ?? [])];
}

function operation(endpoint: Endpoint): JsonSchema {
  const error = jsonSchema(errorBody, 'output');
  return {
    summary:
      endpoint.path === '/me'
        ? `${endpoint.summary} Kiosk tokens open only GET ${KIOSK_ENDPOINTS.join(', ')}.`
        : endpoint.summary,
    ...(endpoint.auth === 'public' ? { security: [] } : {}),
    ...(endpoint.query || endpoint.id
      ? {
          parameters: [
            ...(endpoint.id
              ? [{ name: 'id', in: 'path', required: true, schema: jsonSchema(endpoint.id, 'input') }]
              : []),
            ...(endpoint.query ? queryParameters(endpoint.query) : []),
          ],
        }
      : {}),
    ...(endpoint.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(endpoint.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [endpoint.status]: endpoint.response
        ? {
            description: 'OK',
            content: { 'application/json': { schema: jsonSchema(endpoint.response, 'output') } },
          }
        : { description: 'Done (no body)' },
      ...Object.fromEntries(
        refusals(endpoint).map((status) => [
          status,
          { description: REFUSALS[status], content: { 'application/json': { schema: error } } },
        ]),
      ),
    },
  };
}

export function openApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const endpoint of Object.values(ENDPOINTS) as Endpoint[])
    (paths[`/api${endpoint.path}`] ??= {})[endpoint.method] = operation(endpoint);
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
