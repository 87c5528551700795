// Building blocks of request schemas: query-string values as the API accepts them. Pure zod, so
// the server validates with them and the OpenAPI document is generated from them.
import { z } from 'zod';
import { PRODUCT_LEVELS, type ProductLevel } from './vocabulary.ts';

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

/** A whole number in [1, max], `fallback` when absent. */
export const limit = (max: number, fallback: number) =>
  text(4)
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `must be 1–${max}`)
    .default(fallback);

/** A product filter such as brand:宝马 or powertrain:bev. */
export interface ProductFilter {
  level: ProductLevel;
  value: string;
}

export const product = text(120)
  .regex(
    /^(origin|brand|series|model|powertrain):.+$/,
    `must be LEVEL:VALUE with LEVEL one of ${PRODUCT_LEVELS.join(', ')}`,
  )
  .transform((s): ProductFilter => ({
    level: s.slice(0, s.indexOf(':')) as ProductLevel,
    value: s.slice(s.indexOf(':') + 1),
  }));

/** A task or rule id in a path. */
export const idParam = z
  .string()
  .regex(/^\d{1,9}$/, 'must be a whole number')
  .transform(Number);
