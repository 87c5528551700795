// The operating driver tree (经营决策树) as data: gross profit by department, each department down
// to the figures that drive it. `relation` says how the children make the parent.
export interface DriverNode {
  metric: string;
  relation?: 'sum' | 'product' | 'drivers';
  children?: DriverNode[];
}

// The root is the ledger's gross profit with the OEM rebates the new-car department books as other
// income: for most Chinese dealers the rebates, not the showroom price, carry new-car profit.
export const DRIVER_TREE: DriverNode = {
  metric: 'gross_profit_incl_rebates',
  relation: 'sum',
  children: [
    {
      metric: 'new_gross_incl_rebate',
      relation: 'drivers',
      children: [
        {
          metric: 'new_gross_profit',
          relation: 'product',
          children: [{ metric: 'new_units' }, { metric: 'new_gross_per_unit' }],
        },
        { metric: 'rebate_income' },
      ],
    },
    {
      metric: 'used_gross_profit',
      relation: 'product',
      children: [{ metric: 'used_units' }, { metric: 'used_gross_per_unit' }],
    },
    {
      metric: 'service_gross_profit',
      relation: 'drivers',
      children: [
        { metric: 'repair_orders' },
        { metric: 'revenue_per_ro' },
        { metric: 'effective_labour_rate' },
      ],
    },
    {
      metric: 'parts_gross_profit',
      relation: 'drivers',
      children: [{ metric: 'parts_turnover' }, { metric: 'obsolete_parts_share' }],
    },
    {
      metric: 'fi_income',
      relation: 'drivers',
      children: [
        { metric: 'finance_penetration' },
        { metric: 'insurance_penetration' },
        { metric: 'fi_income_per_unit' },
      ],
    },
  ],
};

export function treeMetrics(node: DriverNode = DRIVER_TREE): string[] {
  return [node.metric, ...(node.children ?? []).flatMap((c) => treeMetrics(c))];
}

/** The tree with the nodes this user may not see removed (with their drivers). */
export function visibleTree(node: DriverNode, canSee: (metric: string) => boolean): DriverNode | null {
  if (!canSee(node.metric)) return null;
  const children = (node.children ?? []).flatMap((c) => visibleTree(c, canSee) ?? []);
  return { ...node, children };
}
