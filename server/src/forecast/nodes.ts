// A node's forecast from its stores' (families computed by service.ts): a store's own series'
// forecast, a region's or the group's the sum of its stores' (bottom-up, hierarchy.ts). Products
// are forecast per store × product (brand, series…) and reconciled to the store's own forecast
// month by month — scaled in proportion so a store's products add up to the store — and then summed
// over the stores like the totals; so every level and every product split adds up.
import type { ForecastPoint, SeriesForecast } from './engine.ts';
import { bottomUp } from './hierarchy.ts';
import type { Family, FamilyMember } from './service.ts';

/** The members' forecasts summed: one member's own, several bottom-up; null with none. */
export function sumOf(members: readonly FamilyMember[], nonNegative: boolean): SeriesForecast | null {
  if (!members.length) return null;
  if (members.length === 1) return members[0]!.forecast;
  return bottomUp(
    members.map((m) => ({ history: m.series, forecast: m.forecast })),
    nonNegative,
  );
}

/** A store's products' forecasts scaled month by month so they add up to the store's own. */
export function reconciled(store: SeriesForecast, products: readonly FamilyMember[]): FamilyMember[] {
  const factors = store.points.map((p, h) => {
    const sum = products.reduce((s, m) => s + (m.forecast.points[h]?.value ?? 0), 0);
    return sum > 0 ? p.value / sum : 1;
  });
  const scale = (v: number | null, f: number) => (v === null ? null : v * f);
  return products.map((m) => ({
    series: m.series,
    forecast: {
      ...m.forecast,
      points: m.forecast.points.map((p, h): ForecastPoint => ({
        period: p.period,
        value: p.value * factors[h]!,
        lo80: scale(p.lo80, factors[h]!),
        hi80: scale(p.hi80, factors[h]!),
        lo95: scale(p.lo95, factors[h]!),
        hi95: scale(p.hi95, factors[h]!),
      })),
    },
  }));
}

/** The stores' own series of a store-level family. */
export function storeMembers(totals: Family, stores: readonly string[]): FamilyMember[] {
  const wanted = new Set(stores);
  return totals.members.filter((m) => wanted.has(m.series.store));
}

/**
 * The stores' product members (of a family at a product level), each store's reconciled to its
 * own forecast, by product value.
 */
export function productMembers(
  totals: Family,
  products: Family,
  stores: readonly string[],
): Map<string, FamilyMember[]> {
  const byStore = new Map<string, FamilyMember[]>();
  const wanted = new Set(stores);
  for (const m of products.members) {
    if (!wanted.has(m.series.store)) continue;
    byStore.set(m.series.store, [...(byStore.get(m.series.store) ?? []), m]);
  }
  const totalOf = new Map(totals.members.map((m) => [m.series.store, m.forecast]));
  const byProduct = new Map<string, FamilyMember[]>();
  for (const [store, members] of byStore) {
    const total = totalOf.get(store);
    for (const m of total ? reconciled(total, members) : members)
      byProduct.set(m.series.member!, [...(byProduct.get(m.series.member!) ?? []), m]);
  }
  return byProduct;
}
