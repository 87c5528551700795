// Request validation: one zod schema per endpoint gives both the check and the type. Any
// problem is a 400 naming the offending parameter; unknown parameters are refused too.
import { z } from 'zod';
import { HttpError } from './errors.ts';

export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  return parseWith(schema, query, 'invalid_parameter', 'parameter');
}

/** The same for a JSON body: a 400 naming the offending field. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  return parseWith(schema, body ?? {}, 'invalid_body', 'field');
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

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

/** A single query-string value (a repeated parameter arrives as an array and is refused). */
export const text = (max = 64) =>
  z
    .string({ error: 'must be given once, as text' })
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

export const date = text(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isRealDate, 'is not a real date');

/** A comma-separated list of distinct values from a fixed set. */
export const listOf = <T extends string>(values: readonly T[], max: number) =>
  text(max * 32)
    .transform((s) => s.split(',').map((v) => v.trim()))
    .refine((items) => items.length <= max, `at most ${max} items`)
    .refine((items) => new Set(items).size === items.length, 'repeats an item')
    .refine(
      (items) => items.every((v) => (values as readonly string[]).includes(v)),
      `items must be among ${values.join(', ')}`,
    )
    .transform((items) => items as T[]);

/** from ≤ to, and a span the API will compute (at most ten years). */
export function checkPeriod(from: string, to: string): void {
  if (to < from) throw new HttpError(400, 'invalid_parameter', `to (${to}) is before from (${from})`, 'to');
  if (Date.parse(to) - Date.parse(from) > 3660 * 86_400_000)
    throw new HttpError(400, 'invalid_parameter', 'the period may span at most ten years', 'from');
}
