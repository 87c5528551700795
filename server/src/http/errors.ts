// One middleware turns every HttpError (../errors.ts) into JSON with its status and code.
// Nothing else reaches the client: no stack traces, no driver messages.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { HttpError } from '../errors.ts';

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no such endpoint: ${req.method} ${req.originalUrl.split('?')[0]}`));
};

/** Every refusal is logged: who, which node, what, and why (DESIGN: refusals are kept for review). */
function logRefusal(err: HttpError, req: Request, res: Response): void {
  // req.log (http/request-log.ts) adds the request id. Values are fields of a JSON line, so a
  // hostile one cannot forge log lines.
  req.log.warn(
    {
      status: err.status,
      code: err.code,
      user: (res.locals.scope as { user?: { username: string } } | undefined)?.user?.username ?? null,
      node: typeof req.query?.node === 'string' ? req.query.node.slice(0, 64) : null,
      method: req.method,
      path: req.originalUrl.split('?')[0]!.slice(0, 200),
      param: err.param,
      reason: err.message,
    },
    `refused ${err.status} ${err.code}`,
  );
}

export const errorMiddleware: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpError) {
    if (err.status === 401 || err.status === 403 || err.status === 429) logRefusal(err, req, res);
    const retryAfter = (err as HttpError & { retryAfter?: number }).retryAfter;
    if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
    // A conflicting write says what changed (budgets/service.ts).
    const conflicts = (err as HttpError & { conflicts?: unknown[] }).conflicts;
    res.status(err.status).json({
      error: {
        code: err.code,
        message: err.message,
        ...(err.param ? { param: err.param } : {}),
        ...(conflicts ? { conflicts } : {}),
      },
    });
    return;
  }
  // Body-parser and similar middleware errors carry a 4xx status of their own.
  const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
  // The request's log line carries it, with its stack (http/request-log.ts).
  if (status === 500) res.err = err;
  res.status(status).json({
    error: {
      code: status === 500 ? 'internal' : 'bad_request',
      message: status === 500 ? 'internal error' : String(err.message ?? 'bad request'),
    },
  });
};
