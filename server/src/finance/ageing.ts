// Receivables a CFO can act on: the open amount at a date by counterparty type (customers, OEM,
// banks, insurers), split into not yet due and days past due (0–30, 31–60, 61–90, > 90), and the
// largest overdue documents. Only where the data covers the date: before the extract began, only
// the documents still open then were extracted, so a balance there would be made up.
import type { Knex } from 'knex';
import type { OrgNode, Scope } from '../scope/scope.ts';

export const AGEING_BUCKETS = ['not_due', 'd0_30', 'd31_60', 'd61_90', 'd90_plus'] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number];

export type AgeingRow = Record<AgeingBucket, number> & { counterparty_type: string; open: number; overdue: number };

const TOP_DOCUMENTS = 10;

/** The unsettled part of a document at `?` (as in metrics/measures.ts openAmount). */
const OPEN = `CASE WHEN f.settled_date IS NOT NULL AND f.settled_date <= ?::DATE THEN f.amount - f.settled_amount ELSE f.amount END`;

export async function receivablesAgeing(knex: Knex, scope: Scope, node: OrgNode, asOf: string) {
  const head = { node: { id: node.node_id, name: node.name, level: node.level }, as_of: asOf };
  const base = () => scope.factRows(node, 'fact_receivables', 'finance');
  const covered = (await scope.coverage()).ofFile('receivables.csv');
  if (!covered || asOf < covered.from || asOf > covered.to) {
    base(); // refuses a domain outside the scope before saying there is no data
    return { ...head, reason: 'no_data' as const, by_type: [], total: null, largest: [] };
  }
  const openAt = (q: Knex.QueryBuilder) => q.where('f.doc_date', '<=', asOf).whereRaw(`${OPEN} > 0`, [asOf]);
  // Every `?` of these fragments is the as-of date.
  const bucket = (name: AgeingBucket, condition: string) =>
    knex.raw(`coalesce(sum(${OPEN}) FILTER (WHERE ${condition}), 0) AS ${name}`, [asOf, asOf]);
  const rows = (await openAt(base())
    .groupBy('f.counterparty_type')
    .orderBy('f.counterparty_type')
    .select(
      'f.counterparty_type',
      knex.raw(`sum(${OPEN}) AS open`, [asOf]),
      bucket('not_due', 'f.due_date >= ?::DATE'),
      bucket('d0_30', '?::DATE - f.due_date BETWEEN 1 AND 30'),
      bucket('d31_60', '?::DATE - f.due_date BETWEEN 31 AND 60'),
      bucket('d61_90', '?::DATE - f.due_date BETWEEN 61 AND 90'),
      bucket('d90_plus', '?::DATE - f.due_date > 90'),
    )) as Record<string, unknown>[];
  const byType: AgeingRow[] = rows.map((r) => {
    const row = { counterparty_type: String(r.counterparty_type), open: Number(r.open) } as AgeingRow;
    for (const b of AGEING_BUCKETS) row[b] = Number(r[b]);
    row.overdue = row.open - row.not_due;
    return row;
  });
  const total = { counterparty_type: 'all', open: 0, overdue: 0 } as AgeingRow;
  for (const b of AGEING_BUCKETS) total[b] = 0;
  for (const row of byType) for (const k of ['open', 'overdue', ...AGEING_BUCKETS] as const) total[k] += row[k];
  const largest = (await openAt(base())
    .where('f.due_date', '<', asOf)
    .join('dim_org as store', 'store.node_id', 'f.store_id')
    .select(
      'f.doc_no', 'f.store_id', 'store.name as store_name', 'f.counterparty', 'f.counterparty_type', 'f.doc_date', 'f.due_date',
      knex.raw(`${OPEN} AS open_amount`, [asOf]), knex.raw('?::DATE - f.due_date AS days_overdue', [asOf]),
    )
    .orderByRaw(`${OPEN} DESC, f.doc_no`, [asOf])
    .limit(TOP_DOCUMENTS)) as Record<string, unknown>[];
  return {
    ...head,
    by_type: byType,
    total,
    largest: largest.map((d) => ({ ...d, open_amount: Number(d.open_amount), days_overdue: Number(d.days_overdue) })),
  };
}
