// splitExactly against sums worked out by hand.
import { describe, expect, it } from 'vitest';
import { splitExactly } from './allocate.ts';

describe('splitExactly', () => {
  it('splits by weight and gives the spare units to the largest remainders', () => {
    // 10 by 1:1:1 → 3.33 each; one spare unit to the first (ties to the earlier).
    expect(splitExactly(10, [1, 1, 1])).toEqual([4, 3, 3]);
    // 100 by 5:3:2 → 50, 30, 20 exactly.
    expect(splitExactly(100, [5, 3, 2])).toEqual([50, 30, 20]);
    // 7 by 0.45:0.35:0.2 → 3.15, 2.45, 1.4 → floors 3, 2, 1, spare 1 to the 0.45 remainder (2.45).
    expect(splitExactly(7, [0.45, 0.35, 0.2])).toEqual([3, 3, 1]);
  });

  it('keeps money to the fen and adds up exactly', () => {
    const parts = splitExactly(1_000_000.01, [3, 3, 3], 2);
    expect(parts).toEqual([333_333.34, 333_333.34, 333_333.33]);
    expect(Math.round(parts.reduce((a, b) => a + b, 0) * 100)).toBe(100_000_001);
  });

  it('splits evenly without weights, and a negative total (a loss target) too', () => {
    expect(splitExactly(5, [0, 0])).toEqual([3, 2]);
    expect(splitExactly(-5, [1, 1])).toEqual([-2, -3]);
    expect(splitExactly(-5, [1, 1]).reduce((a, b) => a + b, 0)).toBe(-5);
  });

  it('adds up for any weights', () => {
    for (let n = 1; n < 40; n++) {
      const weights = Array.from({ length: n }, (_, i) => ((i * 7919) % 13) + (i % 3 === 0 ? 0 : 0.5));
      const total = 1234 + n * 17;
      expect(splitExactly(total, weights).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });
});
