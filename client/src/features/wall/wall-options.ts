// The wall's charts as pure functions (rows in, ECharts option out; tested in wall-options.test.ts):
// dark, and sized by `s`, the wall's scale (1 at 1920×1080, 2 at 3840×2160), so text stays sharp
// and in proportion at any screen size.
import { formatValue, type Unit } from '../../shared/format.ts';
import type { Lang } from '../../shared/i18n.ts';
import type { Status } from '../../shared/status.ts';

export const WALL_COLORS = {
  ink: '#e8f1fc',
  muted: '#8fa4c0',
  grid: '#1e3050',
  accent: '#38b6ff',
  lastYear: '#6c7f9c',
  good: '#3ddc97',
  warning: '#f5b83d',
  critical: '#ff5d5d',
  land: '#13233b',
  border: '#2f4d75',
} as const;

/** Low → high on the map, for a metric where higher is better (reversed when lower is better). */
const SCALE = ['#173356', '#1f5f99', '#2f8fd0', '#5fc4f0', '#b4ecff'];

/** "广东省", "内蒙古自治区", "上海市" → the map's names "广东", "内蒙古", "上海". */
export function provinceKey(name: string): string {
  return name.trim().replace(/(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$/, '');
}

export interface ProvinceRow {
  id: string;
  value: number | null;
}

export interface MapInput {
  rows: ProvinceRow[];
  /** Stores per province (as in org.csv); provinces with stores but no figure still show them. */
  stores: Map<string, number>;
  /** Province centres from the geo data: where the store-count markers sit. */
  centres: Map<string, [number, number]>;
  unit: Unit;
  lang: Lang;
  name: string;
  direction: 'higher_is_better' | 'lower_is_better';
  storesLabel: (n: number) => string;
  s: number;
}

/** Provinces coloured by the metric, with a marker for the number of stores in each. */
export function mapOption(o: MapInput) {
  const byProvince = new Map<string, { value: number | null; stores: number }>();
  for (const [province, stores] of o.stores) byProvince.set(provinceKey(province), { value: null, stores });
  for (const row of o.rows) {
    const key = provinceKey(row.id);
    byProvince.set(key, { value: row.value, stores: byProvince.get(key)?.stores ?? 0 });
  }
  const values = [...byProvince.values()].map((p) => p.value).filter((v): v is number => v !== null);
  let min = values.length ? Math.min(...values) : 0;
  let max = values.length ? Math.max(...values) : 1;
  if (min === max) [min, max] = [min - Math.abs(min || 1) * 0.1, max + Math.abs(max || 1) * 0.1];
  const format = (v: number | null) => formatValue(v, o.unit, o.lang);
  const markers = [...byProvince.entries()].flatMap(([name, p]) => {
    const centre = o.centres.get(name);
    return centre && p.stores > 0 ? [{ name, value: [...centre, p.stores] }] : [];
  });
  return {
    tooltip: {
      trigger: 'item',
      textStyle: { fontSize: 14 * o.s },
      formatter: (p: { name: string; seriesType: string }) => {
        const row = byProvince.get(p.name);
        if (!row) return p.name;
        return `${p.name}<br/>${o.name}: ${format(row.value)}<br/>${o.storesLabel(row.stores)}`;
      },
    },
    visualMap: {
      type: 'continuous',
      min,
      max,
      seriesIndex: 0,
      calculable: false,
      orient: 'vertical',
      left: 8 * o.s,
      bottom: 8 * o.s,
      itemWidth: 12 * o.s,
      itemHeight: 120 * o.s,
      inRange: { color: o.direction === 'higher_is_better' ? SCALE : [...SCALE].reverse() },
      text: [format(max), format(min)],
      textGap: 8 * o.s,
      textStyle: { color: WALL_COLORS.muted, fontSize: 13 * o.s },
    },
    geo: {
      // Fitted into the panel whatever its shape: the map keeps its aspect ratio inside this box.
      map: 'china',
      roam: false,
      layoutCenter: ['50%', '52%'],
      layoutSize: '100%',
      label: { show: false },
      itemStyle: { areaColor: WALL_COLORS.land, borderColor: WALL_COLORS.border, borderWidth: o.s },
      emphasis: {
        label: { show: true, color: WALL_COLORS.ink, fontSize: 14 * o.s },
        itemStyle: { areaColor: '#2a6cb0' },
      },
      select: { disabled: true },
    },
    series: [
      {
        type: 'map',
        geoIndex: 0,
        name: o.name,
        data: [...byProvince.entries()]
          .filter(([, p]) => p.value !== null)
          .map(([name, p]) => ({ name, value: p.value })),
      },
      {
        type: 'scatter',
        coordinateSystem: 'geo',
        name: o.storesLabel(0),
        data: markers,
        symbolSize: (v: number[]) => (10 + 6 * Math.sqrt(v[2] ?? 0)) * o.s,
        itemStyle: { color: 'rgba(255, 214, 102, 0.9)', borderColor: '#0b1626', borderWidth: o.s },
        label: {
          show: true,
          formatter: (p: { value: number[] }) => String(p.value[2]),
          color: '#0b1626',
          fontSize: 11 * o.s,
          fontWeight: 700,
        },
        tooltip: { show: false },
        silent: true,
      },
    ],
  };
}

const axisText = (s: number) => ({ color: WALL_COLORS.muted, fontSize: 14 * s });

export interface WallRankingRow {
  id: string;
  name: string;
  value: number | null;
  status?: Status;
}

/** Horizontal bars, best at the top in the order given, with the figure at the end of each bar. */
export function wallRankingOption(rows: WallRankingRow[], o: { unit: Unit; lang: Lang; s: number }) {
  const shown = [...rows].reverse(); // ECharts draws the first category at the bottom
  return {
    grid: { left: 8 * o.s, right: 96 * o.s, top: 4 * o.s, bottom: 4 * o.s, containLabel: true },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      data: shown.map((r) => r.name),
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: {
        ...axisText(o.s),
        color: WALL_COLORS.ink,
        fontSize: 15 * o.s,
        width: (o.lang === 'en' ? 230 : 170) * o.s,
        overflow: 'truncate',
      },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 22 * o.s,
        data: shown.map((r) => ({
          id: r.id,
          value: r.value,
          itemStyle: {
            color:
              r.status === 'warning' || r.status === 'critical' ? WALL_COLORS[r.status] : WALL_COLORS.accent,
            borderRadius: [0, 3 * o.s, 3 * o.s, 0],
          },
        })),
        label: {
          show: true,
          position: 'right',
          color: WALL_COLORS.ink,
          fontSize: 14 * o.s,
          formatter: (p: { value: number | null }) => formatValue(p.value, o.unit, o.lang, true),
        },
      },
    ],
  };
}

export interface TrendPoint {
  period: string;
  value: number | null;
  yoy?: number | null;
}

/** The months of the trend metric, with the same months a year earlier dashed. */
export function wallTrendOption(
  points: TrendPoint[],
  o: { unit: Unit; lang: Lang; s: number; actual: string; lastYear: string },
) {
  return {
    color: [WALL_COLORS.accent, WALL_COLORS.lastYear],
    grid: { left: 8 * o.s, right: 16 * o.s, top: 30 * o.s, bottom: 4 * o.s, containLabel: true },
    legend: {
      top: 0,
      right: 0,
      data: [o.actual, o.lastYear],
      textStyle: axisText(o.s),
      itemWidth: 18 * o.s,
      itemHeight: 8 * o.s,
    },
    xAxis: {
      type: 'category',
      data: points.map((p) => p.period.slice(2)),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: WALL_COLORS.grid } },
      axisLabel: { ...axisText(o.s), hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      scale: o.unit !== 'yuan' && o.unit !== 'units',
      splitLine: { lineStyle: { color: WALL_COLORS.grid } },
      axisLabel: { ...axisText(o.s), formatter: (v: number) => formatValue(v, o.unit, o.lang, true) },
    },
    series: [
      {
        // Months outside the data's coverage are null: a gap, never joined across, never zero.
        name: o.actual,
        type: 'line',
        data: points.map((p) => p.value),
        connectNulls: false,
        symbolSize: 6 * o.s,
        lineStyle: { width: 3 * o.s },
        areaStyle: {
          color: {
            type: 'linear',
            x: 0,
            y: 0,
            x2: 0,
            y2: 1,
            colorStops: [
              { offset: 0, color: 'rgba(56,182,255,0.35)' },
              { offset: 1, color: 'rgba(56,182,255,0)' },
            ],
          },
        },
      },
      {
        name: o.lastYear,
        type: 'line',
        data: points.map((p) => p.yoy ?? null),
        connectNulls: false,
        symbol: 'none',
        lineStyle: { type: 'dashed', width: 2 * o.s },
      },
    ],
  };
}
