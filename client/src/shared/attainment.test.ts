import { describe, expect, it } from 'vitest';
import { compareWithTarget } from '../../../server/src/contract/compare.ts';
import { attainmentIsGood, attainmentOf } from './attainment.ts';

describe('attainment', () => {
  it('is what compare.ts gives: null without a positive target', () => {
    expect(attainmentOf(compareWithTarget(950, 1000))).toBe(0.95);
    expect(attainmentOf(compareWithTarget(3, 0))).toBeNull();
    expect(attainmentOf(compareWithTarget(-2, -500))).toBeNull();
    expect(attainmentOf(compareWithTarget(5, null))).toBeNull();
    expect(attainmentOf(undefined)).toBeNull();
  });
  it('is good news at or over target, or at or under it when lower is better', () => {
    expect(attainmentIsGood(1, 'higher_is_better')).toBe(true);
    expect(attainmentIsGood(0.9, 'higher_is_better')).toBe(false);
    expect(attainmentIsGood(0.9, 'lower_is_better')).toBe(true);
    expect(attainmentIsGood(null, 'lower_is_better')).toBeNull();
  });
});
