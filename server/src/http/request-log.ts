// One log line per HTTP request, when its answer is sent: request id, user, method, path (no
// query string: a wall's URL carries its kiosk token), status and latency. The request id comes
// from the caller's x-request-id when it is well-formed, else it is made here; it is echoed in
// the response, and req.log carries it to every line logged while answering (refusals, errors).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.ts';

const WELL_FORMED_ID = /^[\w.:-]{1,128}$/;

/** Who made the request, once signed in (requireUser puts the scope in res.locals). */
const userOf = (res: ServerResponse): string | undefined =>
  ((res as Response).locals?.scope as { user?: { username: string } } | undefined)?.user?.username;

function fields(req: IncomingMessage, res: ServerResponse, ms: number) {
  return {
    user: userOf(res) ?? null,
    method: req.method,
    path: ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').split('?')[0]!.slice(0, 200),
    status: res.statusCode,
    latency_ms: ms,
  };
}

export function requestLog(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req, res) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && WELL_FORMED_ID.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'request_id' },
    // req.log and the request line carry the id only; the fields below say the rest, flat.
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, res, value: { responseTime: number }) => fields(req, res, value.responseTime),
    customErrorObject: (req, res, err, value: { responseTime: number }) => ({
      ...fields(req, res, value.responseTime),
      err,
    }),
    customSuccessMessage: (req, res, ms) => `${req.method} ${fields(req, res, ms).path} ${res.statusCode}`,
    customErrorMessage: (req, res, err) =>
      `${req.method} ${fields(req, res, 0).path} ${res.statusCode}: ${err.message}`,
  });
}
