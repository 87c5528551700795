// Errors carry their HTTP status and a stable code; one middleware turns them into JSON.
// Nothing else reaches the client: no stack traces, no driver messages.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no such endpoint: ${req.method} ${req.originalUrl.split("?")[0]}`));
};

/** Every refusal is logged: who, what, and why (DESIGN: refusals are kept for review). */
function logRefusal(err: HttpError, req: Request, res: Response): void {
  const user = (res.locals.scope as { user?: { username: string } } | undefined)?.user?.username ?? '-';
  console.warn(`refused ${err.status} ${err.code} user=${user} ${req.method} ${req.originalUrl.split('?')[0]}${err.param ? ` param=${err.param}` : ''}: ${err.message}`);
}

export const errorMiddleware: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpError) {
    if (err.status === 401 || err.status === 403) logRefusal(err, req, res);
    res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.param ? { param: err.param } : {}) } });
    return;
  }
  // Body-parser and similar middleware errors carry a 4xx status of their own.
  const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
  if (status === 500) console.error('internal error:', err);
  res.status(status).json({ error: { code: status === 500 ? 'internal' : 'bad_request', message: status === 500 ? 'internal error' : String(err.message ?? 'bad request') } });
};
