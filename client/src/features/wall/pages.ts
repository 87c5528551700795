// Which pages a wall shows and in what order: each theme at the wall's node, then a tour down
// through the units below it (divisions under the group). Pure, so the order is tested directly.
import type { StringKey } from '../../shared/i18n.ts';
import type { MetricId } from '../../shared/metrics/types.ts';

export type WallTheme = 'operations' | 'finance';

interface ThemeSpec {
  title: StringKey;
  /** The big-number tiles, in reading order. */
  tiles: readonly MetricId[];
  /** What the map is coloured by, what the units are ranked on, and what the trend shows. */
  map: MetricId;
  rank: MetricId;
  trend: MetricId;
}

export const THEMES: Record<WallTheme, ThemeSpec> = {
  operations: {
    title: 'wallOperations',
    tiles: [
      'new_units',
      'new_gross_profit',
      'aftersales_revenue',
      'finance_penetration',
      'used_units',
      'net_profit',
    ],
    map: 'new_units',
    rank: 'new_units',
    trend: 'new_units',
  },
  finance: {
    title: 'wallFinance',
    tiles: [
      'inventory_coefficient',
      'aged_stock_share_90',
      'operating_cash_flow',
      'dso',
      'cash_conversion_cycle',
      'overdue_receivables_share',
    ],
    map: 'inventory_coefficient',
    rank: 'inventory_coefficient',
    trend: 'operating_cash_flow',
  },
};

export interface WallPage {
  key: string;
  node: string;
  theme: WallTheme;
  tiles: string[];
  map: string;
  rank: string;
  trend: string;
}

export interface PageOptions {
  /** Whether the caller may see the metric (their domains). */
  visible: (metric: string) => boolean;
  /** Tour the units below the node (`?tour=0` turns it off). */
  tour: boolean;
  /** Colour every page's map by this metric (`?map=`), when visible. */
  map?: string | null;
}

export function wallPages(node: string, below: readonly string[], o: PageOptions): WallPage[] {
  const page = (at: string, theme: WallTheme): WallPage[] => {
    const spec = THEMES[theme];
    const tiles = spec.tiles.filter(o.visible);
    if (tiles.length === 0) return [];
    const or = (id: string) => (o.visible(id) ? id : tiles[0]!);
    const map = o.map && o.visible(o.map) ? o.map : or(spec.map);
    return [
      { key: `${theme}:${at}`, node: at, theme, tiles, map, rank: or(spec.rank), trend: or(spec.trend) },
    ];
  };
  const home = [...page(node, 'operations'), ...page(node, 'finance')];
  const tour = o.tour ? below.flatMap((unit) => page(unit, 'operations')) : [];
  return [...home, ...tour];
}

/** Seconds per page from `?rotate=`: 20 by default, 0 to stay on one page, at least 3 otherwise. */
export function rotationSeconds(param: string | null): number {
  if (param === null || !/^\d{1,5}$/.test(param)) return 20;
  const seconds = Number(param);
  return seconds === 0 ? 0 : Math.max(3, seconds);
}
