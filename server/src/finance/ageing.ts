// Money owed to a dealer that a CFO can act on: open receivables by counterparty type (customers,
// OEM, banks, insurers) and open OEM rebates by brand, at a date, split into not yet due and days
// past due (0–30, 31–60, 61–90, > 90), with the largest overdue items. Only where the data covers
// the date: before the extract began, only the items still open then were extracted, so a
// balance there would be made up.
import type { Knex } from 'knex';
import { AGEING_BUCKETS, type AgeingBucket } from '../contract/vocabulary.ts';
import type { Scope, VettedNode } from '../scope/scope.ts';

const TOP_ITEMS = 10;

/** Where open items come from. SQL fragments are fixed text over alias `f`; `?` is the as-of date. */
interface OpenItems {
  table: 'fact_receivables' | 'fact_oem_rebates';
  file: string;
  /** What the rows are grouped by, and its name in the answer. */
  group: { column: string; as: string };
  /** The part still open at `?`. */
  open: string;
  /** The item exists from this date on. */
  opened: string;
  due: string;
  /** Columns of an item in the largest-overdue list (aliased). */
  item: string[];
}

const RECEIVABLES: OpenItems = {
  table: 'fact_receivables',
  file: 'receivables.csv',
  group: { column: 'f.counterparty_type', as: 'counterparty_type' },
  // As metrics/measures.ts openAmount: a part-settled document stays open for the rest.
  open: 'CASE WHEN f.settled_date IS NOT NULL AND f.settled_date <= ?::DATE THEN f.amount - f.settled_amount ELSE f.amount END',
  opened: 'f.doc_date',
  due: 'f.due_date',
  item: ['f.doc_no', 'f.counterparty', 'f.counterparty_type', 'f.doc_date'],
};

const REBATES: OpenItems = {
  table: 'fact_oem_rebates',
  file: 'oem_rebates.csv',
  group: { column: 'f.brand', as: 'brand' },
  // As metrics/measures.ts rebate_receivable: a part received leaves the rest open.
  open: 'f.accrued_amount - CASE WHEN f.received_date IS NOT NULL AND f.received_date <= ?::DATE THEN f.received_amount ELSE 0 END',
  opened: 'f.period',
  due: 'f.expected_date',
  item: ['f.rebate_id', 'f.brand', 'f.kind', "strftime(f.period, '%Y-%m') AS period"],
};

async function ageing(knex: Knex, scope: Scope, node: VettedNode, asOf: string, source: OpenItems) {
  const head = { node: { id: node.node_id, name: node.name, level: node.level }, as_of: asOf };
  const base = () => scope.factRows(node, source.table, 'finance');
  const covered = (await scope.coverage()).ofFile(source.file);
  if (!covered || asOf < covered.from || asOf > covered.to) {
    base(); // refuses a domain outside the scope before saying there is no data
    return { ...head, reason: 'no_data' as const, rows: [], total: null, largest: [] };
  }
  const open = source.open;
  const openAt = (q: Knex.QueryBuilder) =>
    q.where(knex.raw(source.opened), '<=', asOf).whereRaw(`${open} > 0`, [asOf]);
  const bucket = (name: AgeingBucket, condition: string) =>
    knex.raw(`coalesce(sum(${open}) FILTER (WHERE ${condition}), 0) AS ${name}`, [asOf, asOf]);
  const grouped = (await openAt(base())
    .groupBy(knex.raw(source.group.column))
    .orderBy(knex.raw(source.group.column))
    .select(
      knex.raw(`${source.group.column} AS ??`, [source.group.as]),
      knex.raw(`sum(${open}) AS open`, [asOf]),
      bucket('not_due', `${source.due} >= ?::DATE`),
      bucket('d0_30', `?::DATE - ${source.due} BETWEEN 1 AND 30`),
      bucket('d31_60', `?::DATE - ${source.due} BETWEEN 31 AND 60`),
      bucket('d61_90', `?::DATE - ${source.due} BETWEEN 61 AND 90`),
      bucket('d90_plus', `?::DATE - ${source.due} > 90`),
    )) as Record<string, unknown>[];
  const rows = grouped.map((r) => {
    const row: Record<string, string | number> = {
      [source.group.as]: String(r[source.group.as]),
      open: Number(r.open),
    };
    for (const b of AGEING_BUCKETS) row[b] = Number(r[b]);
    row.overdue = (row.open as number) - (row.not_due as number);
    return row;
  });
  const total: Record<string, string | number> = { [source.group.as]: 'all' };
  for (const k of ['open', 'overdue', ...AGEING_BUCKETS])
    total[k] = rows.reduce((sum, r) => sum + (r[k] as number), 0);
  const largest = (await openAt(base())
    .where(knex.raw(source.due), '<', asOf)
    .join('dim_org as store', 'store.node_id', 'f.store_id')
    .select(
      ...source.item.map((c) => knex.raw(c)),
      'f.store_id',
      'store.name as store_name',
      knex.raw(`${source.due} AS due_date`),
      knex.raw(`${open} AS open_amount`, [asOf]),
      knex.raw(`?::DATE - ${source.due} AS days_overdue`, [asOf]),
    )
    .orderByRaw(`${open} DESC, 1`, [asOf])
    .limit(TOP_ITEMS)) as Record<string, unknown>[];
  return {
    ...head,
    rows,
    total,
    largest: largest.map((d) => ({
      ...d,
      open_amount: Number(d.open_amount),
      days_overdue: Number(d.days_overdue),
    })),
  };
}

export async function receivablesAgeing(knex: Knex, scope: Scope, node: VettedNode, asOf: string) {
  const { rows, ...rest } = await ageing(knex, scope, node, asOf, RECEIVABLES);
  return { ...rest, by_type: rows };
}

/** OEM rebates earned and not yet received, by brand, aged from the date each was expected. */
export async function rebatesAgeing(knex: Knex, scope: Scope, node: VettedNode, asOf: string) {
  const { rows, ...rest } = await ageing(knex, scope, node, asOf, REBATES);
  return { ...rest, by_brand: rows };
}
