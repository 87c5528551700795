import { describe, expect, it } from 'vitest';
import { DRIVER_TREE, treeMetrics, visibleTree } from './driver-tree.ts';

describe('driver tree', () => {
  it('asks for at most 20 metrics in one request (the API limit)', () => {
    const ids = treeMetrics();
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeLessThanOrEqual(20);
  });
  it('drops the branches of metrics a user may not see', () => {
    const tree = visibleTree(DRIVER_TREE, (id) => !['fi_income', 'new_units'].includes(id))!;
    expect(tree.children!.map((c) => c.metric)).toEqual([
      'new_gross_incl_rebate',
      'used_gross_profit',
      'service_gross_profit',
      'parts_gross_profit',
    ]);
    expect(tree.children![0]!.children!.map((c) => c.metric)).toEqual(['new_gross_profit', 'rebate_income']);
    expect(tree.children![0]!.children![0]!.children!.map((c) => c.metric)).toEqual(['new_gross_per_unit']);
    expect(visibleTree(DRIVER_TREE, (id) => id !== 'gross_profit_incl_rebates')).toBeNull();
  });
});
