import { describe, expect, it } from 'vitest';
import { isAdditive } from './additive.ts';

describe('additive metrics', () => {
  it('are flows and balances of amounts', () => {
    expect(isAdditive({ kind: 'sum', unit: 'units' })).toBe(true);
    expect(isAdditive({ kind: 'balance', unit: 'yuan' })).toBe(true); // stock_value, floorplan_balance
    expect(isAdditive({ kind: 'balance', unit: 'units' })).toBe(true); // new_stock_units
    expect(isAdditive({ kind: 'balance', unit: 'percent' })).toBe(false); // aged_stock_share_90
    expect(isAdditive({ kind: 'balance', unit: 'multiple' })).toBe(false); // current_ratio
    expect(isAdditive({ kind: 'ratio', unit: 'yuan_per_unit' })).toBe(false);
    expect(isAdditive({ kind: 'derived', unit: 'days' })).toBe(false);
  });
});
