// Stores are compared like with like: the store-type switch above a ranking or table of stores.
import { useViewContext } from '../context.ts';
import { translate, useT } from '../i18n.ts';
import { STORE_TYPES, storeTypeName } from '../metrics/names.ts';
import type { BreakdownRow } from '../metrics/types.ts';
import { navigate, useLocation, withParams } from '../router.ts';

/**
 * Which store type a ranking of stores shows (`stype` in the URL): the largest group unless the
 * user chose another, or all of them; null when the units are not stores or all of one type.
 */
export function useStoreTypeFilter(rows: readonly Pick<BreakdownRow, 'store_type'>[] | undefined) {
  const { params } = useLocation();
  const counts = new Map<string, number>();
  for (const r of rows ?? []) if (r.store_type) counts.set(r.store_type, (counts.get(r.store_type) ?? 0) + 1);
  const types = [...counts.keys()].sort(
    (a, b) =>
      counts.get(b)! - counts.get(a)! || STORE_TYPES.indexOf(a as never) - STORE_TYPES.indexOf(b as never),
  );
  if (types.length < 2) return { types, counts, chosen: types[0] ?? null, filtering: false };
  const asked = params.get('stype');
  const chosen = asked === 'all' ? 'all' : asked && counts.has(asked) ? asked : types[0]!;
  return { types, counts, chosen, filtering: true };
}

export function StoreTypeFilter({ filter }: { filter: ReturnType<typeof useStoreTypeFilter> }) {
  const t = useT();
  const { lang } = useViewContext();
  if (!filter.filtering) return null;
  const total = [...filter.counts.values()].reduce((a, b) => a + b, 0);
  const choices = [...filter.types, 'all'];
  return (
    <span className="segmented store-types" role="group" aria-label={t('storeType')}>
      {choices.map((type) => (
        <button
          key={type}
          type="button"
          data-store-type={type}
          aria-pressed={type === filter.chosen}
          className={type === filter.chosen ? 'active' : undefined}
          onClick={() => navigate(withParams({ stype: type }), { replace: true })}
        >
          {type === 'all' ? translate(lang, 'allTypes') : storeTypeName(type, lang)} (
          {type === 'all' ? total : filter.counts.get(type)})
        </button>
      ))}
    </span>
  );
}
