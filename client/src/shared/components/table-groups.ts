// Rows that belong together (alerts of one node and metric) shown as one: pure, for DataTable.

/**
 * Rows in groups, in the order of their first rows; `compare` orders the groups by their first
 * rows (none: as given). The rows of a group keep their order after the first.
 */
export function groupRows<Row>(
  rows: Row[],
  groupOf: (row: Row) => string,
  compare?: (a: Row, b: Row) => number,
): Row[][] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = groupOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const list = [...groups.values()];
  return compare ? list.sort((a, b) => compare(a[0]!, b[0]!)) : list;
}
