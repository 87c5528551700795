import { describe, expect, it } from 'vitest';
import { attainmentIsGood, attainmentOf } from './attainment.ts';

describe('attainment', () => {
  it('is null without a positive target', () => {
    expect(attainmentOf({ target: 1000, attainment: 0.95 })).toBe(0.95);
    expect(attainmentOf({ target: 0, attainment: 3 })).toBeNull();
    expect(attainmentOf({ target: -500, attainment: -2 })).toBeNull();
    expect(attainmentOf({ target: null, attainment: null })).toBeNull();
    expect(attainmentOf(undefined)).toBeNull();
  });
  it('is good news at or over target, or at or under it when lower is better', () => {
    expect(attainmentIsGood(1, 'higher_is_better')).toBe(true);
    expect(attainmentIsGood(0.9, 'higher_is_better')).toBe(false);
    expect(attainmentIsGood(0.9, 'lower_is_better')).toBe(true);
    expect(attainmentIsGood(null, 'lower_is_better')).toBeNull();
  });
});
