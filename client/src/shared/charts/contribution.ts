// What each unit below added to a node's change (GET /api/explain), as horizontal bars, biggest
// movers at the top. A bar's colour says whether its part of the change is good or bad news for
// the metric (its direction), not its sign. For ratios the bar is the unit's rate effect and mix
// effect stacked, the mix lighter; the label at the bar's outer end is the unit's whole
// contribution and its share of the change. Pure: rows in, option out (contribution.test.ts).
import { isImprovement, type Direction } from '../../../../server/src/contract/compare.ts';
import { formatDelta, formatPercent, formatValue, MINUS, type Unit } from '../format.ts';
import type { Lang } from '../i18n.ts';
import { COLORS, labelRoom } from './options.ts';

export interface ContributionRow {
  id: string;
  name: string;
  /** The unit's part of the node's change (null: no figure to split). */
  contribution: number | null;
  /** Ratios: the part from the unit's own rate, and the part from its weight moving. */
  rate?: number | null;
  mix?: number | null;
  /** contribution / the node's change; null when the node did not move. */
  share: number | null;
}

/** Biggest movers first (by the size of their contribution); units without one last, as given. */
export const byMovement = <R extends { contribution: number | null }>(rows: readonly R[]): R[] =>
  [...rows].sort((a, b) => {
    if (a.contribution === null || b.contribution === null)
      return a.contribution === null ? (b.contribution === null ? 0 : 1) : -1;
    return Math.abs(b.contribution) - Math.abs(a.contribution);
  });

/** Good news green, bad news red, no move grey: by the metric's direction, not the sign. */
export const movementColor = (value: number | null | undefined, direction: Direction): string => {
  const good = isImprovement(value, direction);
  return good === null ? COLORS.no_data : good ? COLORS.good : COLORS.critical;
};

/**
 * A unit's part of a change, in the metric's unit: for a percentage in points to two decimals (a
 * unit's share of a move of a few tenths of a point is hundredths); nothing that rounds to zero
 * carries a sign.
 */
export function formatContribution(value: number, unit: Unit, lang: Lang): string {
  if (unit !== 'percent') return formatDelta(value, unit, lang, true);
  const text = (Math.abs(value) * 100).toFixed(2);
  const sign = /[1-9]/.test(text) ? (value < 0 ? MINUS : '+') : '';
  return `${sign}${text}${lang === 'zh' ? '个百分点' : ' pp'}`;
}

/** The label of a unit's bar: its contribution in the metric's unit (points for a percentage) and its share of the change. */
export function contributionLabel(row: ContributionRow, unit: Unit, lang: Lang): string {
  if (row.contribution === null) return '';
  const amount = formatContribution(row.contribution, unit, lang);
  if (row.share === null) return amount;
  const share = formatPercent(row.share);
  return lang === 'zh' ? `${amount}（${share}）` : `${amount} (${share})`;
}

const MIX_OPACITY = 0.45;

/** Styles of an axis label in two lines: the name, and a figure coloured as its bar. */
export const RICH = {
  name: { color: '#1c2633', fontSize: 12, lineHeight: 16, width: 118, overflow: 'truncate', align: 'right' },
  good: { color: COLORS.good, fontSize: 11, lineHeight: 15, align: 'right' },
  bad: { color: COLORS.critical, fontSize: 11, lineHeight: 15, align: 'right' },
  flat: { color: '#5d6b7e', fontSize: 11, lineHeight: 15, align: 'right' },
  total: { color: '#1c2633', fontSize: 11, lineHeight: 15, fontWeight: 'bold', align: 'right' },
} as const;

/** Text inside a rich label: without the characters that mark its styles. */
export const richText = (text: string) => text.replace(/[{}|]/g, ' ');

const movementTone = (value: number | null, direction: Direction): 'good' | 'bad' | 'flat' => {
  const good = isImprovement(value, direction);
  return good === null ? 'flat' : good ? 'good' : 'bad';
};

export function contributionOption(
  rows: readonly ContributionRow[],
  o: {
    unit: Unit;
    lang: Lang;
    direction: Direction;
    /** Stack the rate and mix effects (ratios); else one bar of the contribution. */
    ratio: boolean;
    names: { contribution: string; rate: string; mix: string };
    /** A phone: each unit's figures under its name instead of at the end of its bar (no room beside a bar). */
    compact?: boolean;
  },
) {
  const compact = o.compact ?? false;
  const shown = byMovement(rows);
  const item = (
    row: ContributionRow,
    value: number | null | undefined,
    carriesLabel: boolean,
    light = false,
  ) => ({
    id: row.id,
    name: row.name,
    value: value ?? null,
    itemStyle: { color: movementColor(value, o.direction), opacity: light ? MIX_OPACITY : 1 },
    label:
      carriesLabel && !compact
        ? {
            show: true,
            position: (row.contribution ?? 0) < 0 ? 'left' : 'right',
            formatter: contributionLabel(row, o.unit, o.lang),
          }
        : { show: false },
  });
  /** In a stack the label goes on the part at the bar's outer end on the side of the whole contribution. */
  const outer = (row: ContributionRow): 'rate' | 'mix' => {
    const total = row.contribution ?? 0;
    const sameSide = (v: number | null | undefined) => (v ?? 0) !== 0 && (v ?? 0) < 0 === total < 0;
    // ECharts stacks the mix after the rate on its side of zero: it is outermost when it lies on that side.
    return sameSide(row.mix) ? 'mix' : 'rate';
  };
  const series = o.ratio
    ? [
        {
          name: o.names.rate,
          type: 'bar',
          stack: 'effect',
          barMaxWidth: 22,
          itemStyle: { color: '#5d6b7e' },
          data: shown.map((r) => item(r, r.rate, outer(r) === 'rate')),
        },
        {
          name: o.names.mix,
          type: 'bar',
          stack: 'effect',
          barMaxWidth: 22,
          itemStyle: { color: '#5d6b7e', opacity: MIX_OPACITY },
          data: shown.map((r) => item(r, r.mix, outer(r) === 'mix', true)),
        },
      ]
    : [
        {
          name: o.names.contribution,
          type: 'bar',
          barMaxWidth: 22,
          data: shown.map((r) => item(r, r.contribution, true)),
        },
      ];
  const colon = o.lang === 'zh' ? '：' : ': ';
  return {
    grid: { left: 8, right: 16, top: o.ratio ? 28 : 8, bottom: 8, containLabel: true },
    ...(o.ratio ? { legend: { top: 0, left: 0, selectedMode: false } } : {}),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: { dataIndex: number }[]) => {
        const row = shown[params[0]?.dataIndex ?? -1];
        if (!row) return '';
        const lines = [row.name, `${o.names.contribution}${colon}${contributionLabel(row, o.unit, o.lang)}`];
        if (o.ratio) {
          for (const [name, v] of [
            [o.names.rate, row.rate],
            [o.names.mix, row.mix],
          ] as const)
            if (v !== null && v !== undefined)
              lines.push(`${name}${colon}${formatContribution(v, o.unit, o.lang)}`);
        }
        return lines.map((l) => l.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)).join('<br/>');
      },
    },
    xAxis: {
      type: 'value',
      // Room beyond the bars on either side for the labels at their ends.
      ...(compact ? {} : labelRoom(0.4)),
      axisLabel: {
        formatter: (v: number) => formatValue(v, o.unit, o.lang, true),
        hideOverlap: true,
        showMinLabel: compact,
        showMaxLabel: compact,
      },
      splitLine: { lineStyle: { color: '#e6eaef' } },
    },
    yAxis: {
      type: 'category',
      data: shown.map((r) => r.name),
      // Biggest movers at the top; the names at the chart's edge, not on the zero line.
      inverse: true,
      axisLine: { onZero: false },
      axisTick: { show: false },
      axisLabel: compact
        ? {
            formatter: (_: string, i: number) => {
              const row = shown[i];
              if (!row) return '';
              const tone = movementTone(row.contribution, o.direction);
              return `{name|${richText(row.name)}}\n{${tone}|${richText(contributionLabel(row, o.unit, o.lang))}}`;
            },
            rich: RICH,
          }
        : { width: o.lang === 'en' ? 200 : 140, overflow: 'truncate' },
    },
    series,
  };
}
