// A store's parts answer (/api/parts/forecast): every part number sold in the history or stocked
// up to as_of, each with its forecast, accuracy and replenishment (replenishment.ts), and the
// categories' forecasts as their parts' summed (bottom-up, so a category adds up to its parts).
import type { PartForecast, PartsForecastResponse } from '../contract/forecast.ts';
import type { Scope, VettedNode } from '../scope/scope.ts';
import type { SeriesForecast } from './engine.ts';
import { sumOf } from './nodes.ts';
import { FALLBACK_LEAD_DAYS, replenish } from './replenishment.ts';
import type { Family, FamilyMember } from './service.ts';

export interface PartsRequest {
  asOf: string;
  horizon: number;
  serviceLevel: number;
  partNo?: string;
  only?: 'order' | 'obsolete';
  limit: number;
  offset: number;
}

/** The forecast's first months, with the 80% interval a parts list shows. */
const months = (f: SeriesForecast | null | undefined, horizon: number) =>
  (f?.points ?? []).slice(0, horizon).map(({ period, value, lo80, hi80 }) => ({ period, value, lo80, hi80 }));

type StockRow = {
  part_no: string;
  part_category: string;
  qty_on_hand?: number;
  unit_cost?: number;
  last_movement_date?: string | null;
};

export async function storeParts(
  scope: Scope,
  store: VettedNode,
  parts: Family,
  q: PartsRequest,
  leadDaysOf: Readonly<Record<string, number>>,
): Promise<PartsForecastResponse> {
  // Stock through the scope like every fact: on hand at as_of's snapshot, and every part stocked before.
  const stock = () => scope.factRows(store, 'fact_parts_stock', 'aftersales').where('f.qty_on_hand', '>', 0);
  const [atAsOf, stocked] = (await Promise.all([
    stock()
      .where('f.snapshot_date', q.asOf)
      .select('f.part_no', 'f.part_category', 'f.qty_on_hand', 'f.unit_cost', 'f.last_movement_date'),
    stock().where('f.snapshot_date', '<=', q.asOf).distinct('f.part_no', 'f.part_category'),
  ])) as [StockRow[], StockRow[]];
  const onHand = new Map(atAsOf.map((s) => [s.part_no, s]));
  const categoryOf = new Map(stocked.map((s) => [s.part_no, s.part_category]));
  const members = new Map<string, FamilyMember>();
  for (const m of parts.members) if (m.series.store === store.node_id) members.set(m.series.member!, m);

  const rows: PartForecast[] = [...new Set([...members.keys(), ...categoryOf.keys()])]
    .sort()
    .map((partNo) => {
      const f = members.get(partNo)?.forecast ?? null;
      const category = members.get(partNo)?.series.category ?? categoryOf.get(partNo)!;
      const leadDays = leadDaysOf[category] ?? FALLBACK_LEAD_DAYS;
      const held = onHand.get(partNo);
      const qty = Number(held?.qty_on_hand ?? 0);
      const unitCost = held?.unit_cost == null ? null : Number(held.unit_cost);
      return {
        part_no: partNo,
        part_category: category,
        method: f?.method ?? null,
        mase: f?.backtest.mase ?? null,
        rmsse: f?.backtest.rmsse ?? null,
        bias: f?.backtest.bias ?? null,
        forecast: months(f, q.horizon),
        lead_time_days: leadDays,
        on_hand: qty,
        unit_cost: unitCost,
        on_hand_value: unitCost === null ? null : qty * unitCost,
        last_movement_date: held?.last_movement_date ?? null,
        ...replenish(f, { asOf: q.asOf, leadDays, serviceLevel: q.serviceLevel, onHand: qty }),
      };
    });

  const byCategory = new Map<string, PartForecast[]>();
  for (const r of rows) byCategory.set(r.part_category, [...(byCategory.get(r.part_category) ?? []), r]);
  const categories = [...byCategory]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, list]) => {
      const summed = sumOf(
        list.flatMap((r) => members.get(r.part_no) ?? []),
        true,
      );
      return {
        part_category: category,
        parts: list.length,
        on_hand: list.reduce((s, r) => s + r.on_hand, 0),
        suggested_order: list.reduce((s, r) => s + r.suggested_order, 0),
        forecast: months(summed, q.horizon),
      };
    });

  const kept = rows.filter(
    (r) =>
      (!q.partNo || r.part_no === q.partNo) &&
      (q.only !== 'order' || r.suggested_order > 0) &&
      (q.only !== 'obsolete' || r.obsolete),
  );
  return {
    node: { id: store.node_id, name: store.name, level: store.level },
    as_of: q.asOf,
    service_level: q.serviceLevel,
    parts: kept.slice(q.offset, q.offset + q.limit),
    total: kept.length,
    categories,
  };
}
