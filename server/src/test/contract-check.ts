// Tests only: every answer under /api is checked against its endpoint's schema in the contract
// (server/src/contract/api.ts) before it leaves, and a refusal against the error shape. An answer
// that does not match is replaced by a 500 naming the endpoint, the field and the problem, and is
// recorded, so no test passes on a missing, extra or mistyped field. Production never does this.
import express, { type RequestHandler } from 'express';
import type { z } from 'zod';
import { endpointOf, errorBody } from '../contract/api.ts';

/** Answers that are not the API's data: the generated document itself. */
const UNCHECKED = new Set(['/api/openapi.json']);

/** The app behind a check of its answers; what does not match is also pushed to `violations`. */
export function checkingResponses(app: express.Express, violations: string[]): express.Express {
  return express().disable('x-powered-by').use(checkResponses(violations)).use(app);
}

function checkResponses(violations: string[]): RequestHandler {
  return (req, res, next) => {
    if (!req.path.startsWith('/api/') || UNCHECKED.has(req.path)) return next();
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const problem = violation(
        req.method,
        req.baseUrl + (req.route?.path ?? req.path),
        res.statusCode,
        body,
      );
      if (!problem) return send(body);
      violations.push(problem);
      res.status(500).type('application/json');
      return send(JSON.stringify({ error: { code: 'response_contract', message: problem } }));
    };
    next();
  };
}

/** What is wrong with an answer, or null when it is what the contract says. */
export function violation(method: string, routePath: string, status: number, body: unknown): string | null {
  const where = `${method} ${routePath} → ${status}`;
  let json: unknown;
  try {
    json = typeof body === 'string' || Buffer.isBuffer(body) ? JSON.parse(String(body)) : body;
  } catch {
    return `${where}: the answer is not JSON`;
  }
  const endpoint = endpointOf(method, routePath);
  // A refusal, or "ask again later" (202) where the endpoint lists it, has the error shape.
  if (status >= 400 || (status === 202 && endpoint?.errors?.includes(202)))
    return issues(where, errorBody, json);
  if (!endpoint) return `${where}: no such endpoint in the contract (server/src/contract/api.ts)`;
  if (status !== endpoint.status) return `${where}: the contract says ${endpoint.status}`;
  if (!endpoint.response) return `${where}: the contract says there is no body`;
  return issues(where, endpoint.response, json);
}

function issues(where: string, schema: z.ZodType, json: unknown): string | null {
  const result = schema.safeParse(json);
  if (result.success) return null;
  return `${where}: ${result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`)
    .join('; ')}`;
}
