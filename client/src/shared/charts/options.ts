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

/**
 * A monthly trend of the metric, with the same months a year earlier dashed, the budget target of
 * each month (when the series has targets) and the metric's threshold levels. Months without data
 * are gaps: lines are never joined across them.
 */
export function trendOption(
  points: SeriesPoint[],
  o: { unit: Unit; lang: Lang; actual: string; lastYear: string; budget?: string; levels?: LevelLine[] },
) {
  const hasTargets = !!o.budget && points.some((p) => p.target !== undefined && p.target !== null);
  const levels = o.levels ?? [];
  const flat = (value: number) => points.map(() => value);
  const series = [
    {
      name: o.actual,
      type: 'line',
      data: points.map((p) => p.value),
      connectNulls: false,
      symbolSize: 6,
      lineStyle: { width: 2.5 },
      z: 3,
    },
    {
      name: o.lastYear,
      type: 'line',
      data: points.map((p) => p.yoy ?? null),
      connectNulls: false,
      symbol: 'none',
      lineStyle: { type: 'dashed', width: 1.5 },
    },
    ...(hasTargets
      ? [
          {
            name: o.budget!,
            type: 'line',
            data: points.map((p) => p.target ?? null),
            connectNulls: false,
            symbol: 'rect',
            symbolSize: 5,
            lineStyle: { type: 'dotted', width: 2 },
          },
        ]
      : []),
    ...levels.map((l) => ({
      name: l.name,
      type: 'line',
      data: flat(l.value),
      symbol: 'none',
      silent: true,
      lineStyle: { type: [6, 4], width: 1.2, color: COLORS[l.status] },
      itemStyle: { color: COLORS[l.status] },
    })),
  ];
  return {
    color: [COLORS.primary, COLORS.lastYear, ...(hasTargets ? [COLORS.budget] : [])],
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0, right: 0, data: series.map((x) => x.name) },
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => formatValue(v, o.unit, o.lang) },
    xAxis: { type: 'category', data: points.map((p) => p.period), axisTick: { alignWithLabel: true } },
    yAxis: {
      type: 'value',
      scale: o.unit !== 'yuan' && o.unit !== 'units',
      axisLabel: { formatter: axisValue(o.unit, o.lang) },
    },
    series,
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
