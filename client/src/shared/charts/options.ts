// Pure functions from API rows to ECharts options: rows in, option out, no DOM (tested in
// options.test.ts). Components only render what these return.
import { formatValue, type Unit } from '../format.ts';
import type { Lang } from '../i18n.ts';
import type { Status } from '../status.ts';

/** Status colours match the stylesheet; `none` is a bar without a status, `no_data` one whose status is unknown. */
export const COLORS = {
  primary: '#1f6fb2',
  lastYear: '#a7b4c6',
  budget: '#8b6cc1',
  good: '#2e9d5b',
  warning: '#e0a526',
  critical: '#d64545',
  none: '#5b8fc7',
  no_data: '#a9b4c2',
} as const;

const PALETTE = [
  '#1f6fb2',
  '#46a4c9',
  '#2e9d5b',
  '#e0a526',
  '#d9773a',
  '#8b6cc1',
  '#c2598f',
  '#6b7b8f',
  '#99b83b',
  '#3a5f8f',
];

interface SeriesPoint {
  period: string;
  /** null where the data does not cover the month: drawn as a gap, never as zero. */
  value: number | null;
  yoy?: number | null;
  target?: number | null;
}

/**
 * A value axis that reaches `share` of the bars' span beyond the outermost bar on each side that
 * has bars (zero stays the edge on a side without), so the labels at the bars' ends fit.
 */
export const labelRoom = (share: number) => ({
  min: ({ min, max }: { min: number; max: number }) => (min < 0 ? min - (Math.max(max, 0) - min) * share : 0),
  max: ({ min, max }: { min: number; max: number }) => (max > 0 ? max + (max - Math.min(min, 0)) * share : 0),
});

const axisValue = (unit: Unit, lang: Lang) => (v: number) => formatValue(v, unit, lang, true);

/** A level drawn across the trend: a metric's warning or critical threshold on its value. */
export interface LevelLine {
  value: number;
  name: string;
  status: 'warning' | 'critical';
}

/** A month of a forecast with its 80% and 95% intervals (null where the backtest could not measure them). */
export interface ForecastMonth {
  period: string;
  value: number;
  lo80: number | null;
  hi80: number | null;
  lo95: number | null;
  hi95: number | null;
}

/** A forecast drawn after the actuals: its line dashed, its intervals shaded. */
export interface ForecastOverlay {
  points: ForecastMonth[];
  /** The line's name in the legend ("预测")… */
  name: string;
  /** …and in the tooltip, with its method ("预测（方法：SBA）"). */
  tooltipName: string;
  band80: string;
  /** Without it, the 80% interval only. */
  band95?: string;
}

/** The bands' colours: the forecast's own, lighter the wider the interval (the 80% one lies over the 95%). */
const BAND_COLORS = { band80: 'rgba(31, 111, 178, 0.22)', band95: 'rgba(31, 111, 178, 0.1)' } as const;

/** The month before a YYYY-MM month. */
const monthBefore = (period: string) => {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/**
 * A monthly trend of the metric, with the same months a year earlier dashed, the budget target of
 * each month (when the series has targets) and the metric's threshold levels. Months without data
 * are gaps: lines are never joined across them. With a forecast, the months after the actuals
 * follow: its line dashed on from the last actual month, and its 80% and 95% intervals as shaded
 * bands (each a stacked area: the low end, invisible, and the width above it) from its first month.
 */
export function trendOption(
  points: SeriesPoint[],
  o: {
    unit: Unit;
    lang: Lang;
    actual: string;
    /** Without it, no last-year line. */
    lastYear?: string;
    budget?: string;
    levels?: LevelLine[];
    forecast?: ForecastOverlay;
  },
) {
  const hasTargets = !!o.budget && points.some((p) => p.target !== undefined && p.target !== null);
  const levels = o.levels ?? [];
  const ahead = new Map((o.forecast?.points ?? []).map((p) => [p.period, p]));
  const actualAt = new Map(points.map((p) => [p.period, p]));
  const months = [...new Set([...actualAt.keys(), ...ahead.keys()])].sort();
  const of = (pick: (p: SeriesPoint) => number | null | undefined) =>
    months.map((m) => {
      const p = actualAt.get(m);
      return p ? (pick(p) ?? null) : null;
    });
  const flat = (value: number) => months.map(() => value);
  const series = [
    {
      id: 'actual',
      name: o.actual,
      type: 'line',
      data: of((p) => p.value),
      connectNulls: false,
      symbolSize: 6,
      lineStyle: { width: 2.5 },
      z: 3,
    },
    ...(o.lastYear
      ? [
          {
            id: 'last-year',
            name: o.lastYear,
            type: 'line',
            data: of((p) => p.yoy),
            connectNulls: false,
            symbol: 'none',
            lineStyle: { type: 'dashed', width: 1.5 },
          },
        ]
      : []),
    ...(hasTargets
      ? [
          {
            id: 'budget',
            name: o.budget!,
            type: 'line',
            data: of((p) => p.target),
            connectNulls: false,
            symbol: 'rect',
            symbolSize: 5,
            lineStyle: { type: 'dotted', width: 2 },
          },
        ]
      : []),
    ...levels.map((l) => ({
      id: `level-${l.status}`,
      name: l.name,
      type: 'line',
      data: flat(l.value),
      symbol: 'none',
      silent: true,
      lineStyle: { type: [6, 4], width: 1.2, color: COLORS[l.status] },
      itemStyle: { color: COLORS[l.status] },
    })),
    ...(o.forecast ? forecastSeries(o.forecast, months, actualAt) : []),
  ];
  const forecast = o.forecast;
  // A band is in the legend by its name (its two series share it, so the legend hides both).
  const legend = [
    ...series.filter((x) => !x.id.startsWith('band')).map((x) => x.name),
    ...(['band80', 'band95'] as const).flatMap((id) =>
      series
        .filter((x) => x.id === id)
        .map((x) => ({ name: x.name, icon: 'rect', itemStyle: { color: BAND_COLORS[id] } })),
    ),
  ];
  const format = (v: number | null | undefined) => formatValue(v, o.unit, o.lang);
  return {
    color: [COLORS.primary, ...(o.lastYear ? [COLORS.lastYear] : []), ...(hasTargets ? [COLORS.budget] : [])],
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    // With a forecast the legend is long: on one line, scrolling where it does not fit (a phone),
    // rather than wrapping over the plot; its tooltip, with the interval, is kept inside the chart.
    legend: forecast
      ? { type: 'scroll', top: 0, right: 0, data: legend }
      : { top: 0, right: 0, data: legend },
    tooltip: forecast
      ? { trigger: 'axis', confine: true, formatter: forecastTooltip(forecast, ahead, format) }
      : { trigger: 'axis', valueFormatter: format },
    xAxis: { type: 'category', data: months, axisTick: { alignWithLabel: true } },
    yAxis: {
      type: 'value',
      scale: o.unit !== 'yuan' && o.unit !== 'units',
      axisLabel: { formatter: axisValue(o.unit, o.lang) },
    },
    series,
  };
}

/**
 * The forecast's line, from the last actual month before it (so it carries the actual line on),
 * and its bands: per interval the low end (invisible) and the width above it, stacked whatever
 * their signs (a forecast of a loss has a negative low end).
 */
function forecastSeries(f: ForecastOverlay, months: string[], actualAt: Map<string, SeriesPoint>) {
  const ahead = new Map(f.points.map((p) => [p.period, p]));
  const first = f.points[0]?.period;
  const anchor = first ? monthBefore(first) : null;
  const line = months.map(
    (m) => ahead.get(m)?.value ?? (m === anchor ? (actualAt.get(m)?.value ?? null) : null),
  );
  const band = (id: 'band80' | 'band95', name: string, lo: keyof ForecastMonth, hi: keyof ForecastMonth) => {
    const low = months.map((m) => (ahead.get(m)?.[lo] as number | null | undefined) ?? null);
    const width = months.map((m, i) => {
      const top = ahead.get(m)?.[hi] as number | null | undefined;
      return top === null || top === undefined || low[i] === null ? null : top - low[i]!;
    });
    const common = {
      name,
      type: 'line',
      stack: id,
      stackStrategy: 'all',
      symbol: 'none',
      silent: true,
      connectNulls: false,
      lineStyle: { opacity: 0 },
      itemStyle: { color: BAND_COLORS[id] },
      z: 1,
    };
    return [
      { ...common, id: `${id}-low`, data: low },
      { ...common, id, data: width, areaStyle: { color: BAND_COLORS[id], opacity: 1 } },
    ];
  };
  // An interval the backtest could not measure in any month: no band, and none in the legend.
  const measured = (lo: keyof ForecastMonth) => f.points.some((p) => p[lo] !== null);
  return [
    ...(f.band95 && measured('lo95') ? band('band95', f.band95, 'lo95', 'hi95') : []),
    ...(measured('lo80') ? band('band80', f.band80, 'lo80', 'hi80') : []),
    {
      id: 'forecast',
      name: f.name,
      type: 'line',
      data: line,
      connectNulls: false,
      symbol: 'emptyCircle',
      symbolSize: 5,
      lineStyle: { type: 'dashed', width: 2, color: COLORS.primary },
      itemStyle: { color: COLORS.primary },
      z: 3,
    },
  ];
}

interface AxisTooltipParam {
  seriesId: string;
  seriesName: string;
  marker: string;
  axisValue: string;
  value: number | null | undefined;
}

/** The tooltip of a month: each line's figure; in a forecast month the forecast with its method and 80% interval (the bands themselves are not listed). */
function forecastTooltip(
  f: ForecastOverlay,
  ahead: Map<string, ForecastMonth>,
  format: (v: number | null | undefined) => string,
) {
  return (params: AxisTooltipParam[]) => {
    const month = params[0]?.axisValue ?? '';
    const forecast = ahead.get(month);
    const rows = params
      .filter((p) => !p.seriesId.startsWith('band'))
      .flatMap((p) => {
        if (p.seriesId === 'forecast') {
          // In the last actual month the line is the actual's: listed once, as the actual.
          if (!forecast) return [];
          const interval =
            forecast.lo80 === null || forecast.hi80 === null
              ? ''
              : `<br/>${f.band80}: ${format(forecast.lo80)} – ${format(forecast.hi80)}`;
          return [`${p.marker}${f.tooltipName}: <b>${format(forecast.value)}</b>${interval}`];
        }
        // Past the actuals a missing figure is not news.
        if (forecast && (p.value === null || p.value === undefined)) return [];
        return [`${p.marker}${p.seriesName}: <b>${format(p.value)}</b>`];
      });
    return [month, ...rows].join('<br/>');
  };
}

export interface RankingRow {
  id: string;
  name: string;
  value: number | null;
  status?: Status;
}

/** Horizontal bars, best at the top in the order given; each bar carries its row id for drilling. */
export function rankingOption(
  rows: RankingRow[],
  o: { unit: Unit; lang: Lang; name: string; reference?: { value: number; label: string } },
) {
  const shown = [...rows].reverse(); // ECharts draws the first category at the bottom
  return {
    grid: { left: 8, right: 72, top: o.reference ? 28 : 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', valueFormatter: (v: number | null) => formatValue(v, o.unit, o.lang) },
    xAxis: { type: 'value', axisLabel: { formatter: axisValue(o.unit, o.lang), hideOverlap: true } },
    // English names of units are longer than Chinese ones.
    yAxis: {
      type: 'category',
      data: shown.map((r) => r.name),
      axisLabel: { width: o.lang === 'en' ? 230 : 150, overflow: 'truncate' },
      axisTick: { show: false },
    },
    series: [
      {
        name: o.name,
        type: 'bar',
        barMaxWidth: 22,
        data: shown.map((r) => ({
          id: r.id,
          name: r.name,
          value: r.value,
          itemStyle: { color: COLORS[r.status ?? 'none'] },
        })),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { value: number | null }) => formatValue(p.value, o.unit, o.lang, true),
        },
        ...(o.reference
          ? {
              markLine: {
                symbol: 'none',
                data: [{ xAxis: o.reference.value, name: o.reference.label }],
                lineStyle: { color: COLORS.critical, type: 'dashed' },
                label: { formatter: o.reference.label, position: 'end', color: COLORS.critical },
              },
            }
          : {}),
      },
    ],
  };
}

/** A donut of each row's share of the total (only for metrics that add up). */
export function mixOption(
  rows: { id: string; name: string; value: number | null }[],
  o: { unit: Unit; lang: Lang; name: string },
) {
  const positive = rows.filter((r) => r.value !== null && r.value > 0);
  return {
    color: PALETTE,
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number; percent: number }) =>
        `${p.name}<br/>${formatValue(p.value, o.unit, o.lang)} · ${p.percent.toFixed(1)}%`,
    },
    legend: { type: 'scroll', bottom: 0 },
    series: [
      {
        name: o.name,
        type: 'pie',
        radius: ['42%', '68%'],
        center: ['50%', '45%'],
        data: positive.map((r) => ({ id: r.id, name: r.name, value: r.value })),
        label: { formatter: '{b}\n{d}%' },
      },
    ],
  };
}

/** Monthly operating cash flow: bars, red below zero. */
export function cashFlowOption(points: SeriesPoint[], o: { lang: Lang; name: string }) {
  return {
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => formatValue(v, 'yuan', o.lang) },
    xAxis: { type: 'category', data: points.map((p) => p.period) },
    yAxis: { type: 'value', axisLabel: { formatter: axisValue('yuan', o.lang) } },
    series: [
      {
        name: o.name,
        type: 'bar',
        data: points.map((p) => ({
          value: p.value,
          itemStyle: { color: p.value !== null && p.value < 0 ? COLORS.critical : COLORS.good },
        })),
      },
    ],
  };
}

/** DIO, DSO and DPO by month with the cash conversion cycle (DIO + DSO − DPO) over them. */
export function cashCycleOption(
  rows: { period: string; dio: number | null; dso: number | null; dpo: number | null; ccc: number | null }[],
  o: { lang: Lang; names: { dio: string; dso: string; dpo: string; ccc: string } },
) {
  return {
    color: ['#46a4c9', '#8b6cc1', '#99b83b', COLORS.critical],
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => formatValue(v, 'days', o.lang) },
    xAxis: { type: 'category', data: rows.map((r) => r.period) },
    yAxis: { type: 'value', axisLabel: { formatter: axisValue('days', o.lang) } },
    series: [
      { name: o.names.dio, type: 'bar', stack: 'in', data: rows.map((r) => r.dio) },
      { name: o.names.dso, type: 'bar', stack: 'in', data: rows.map((r) => r.dso) },
      { name: o.names.dpo, type: 'bar', data: rows.map((r) => (r.dpo === null ? null : -r.dpo)) },
      { name: o.names.ccc, type: 'line', data: rows.map((r) => r.ccc), symbolSize: 6 },
    ],
  };
}
