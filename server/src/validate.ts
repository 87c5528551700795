// Request validation against the contract's schemas (server/src/contract/): any problem is a 400
// naming the offending parameter or field; unknown parameters are refused too.
import type { z } from 'zod';
import { HttpError } from './errors.ts';

export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  return parseWith(schema, query, 'invalid_parameter', 'parameter');
}

/** The same for a JSON body: a 400 naming the offending field. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  return parseWith(schema, body ?? {}, 'invalid_body', 'field');
}

/** A path parameter such as a task's id: a 400 naming it. */
export function parseParam<T extends z.ZodType>(schema: T, value: unknown, name: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError(400, 'invalid_parameter', `${name}: ${result.error.issues[0]!.message}`, name);
}

function parseWith<T extends z.ZodType>(schema: T, input: unknown, code: string, noun: string): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param =
    issue.code === 'unrecognized_keys'
      ? String(issue.keys[0])
      : String(issue.path[0] ?? (noun === 'field' ? 'body' : ''));
  const message =
    issue.code === 'unrecognized_keys' ? `unknown ${noun} "${param}"` : `${param}: ${issue.message}`;
  throw new HttpError(400, code, message, param);
}

/** from ≤ to, and a span the API will compute (at most ten years). */
export function checkPeriod(from: string, to: string): void {
  if (to < from) throw new HttpError(400, 'invalid_parameter', `to (${to}) is before from (${from})`, 'to');
  if (Date.parse(to) - Date.parse(from) > 3660 * 86_400_000)
    throw new HttpError(400, 'invalid_parameter', 'the period may span at most ten years', 'from');
}
