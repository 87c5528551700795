// A waterfall (a bridge from one figure to another, or a figure built up from its parts) as an
// ECharts stacked bar: each bar is an invisible base with the visible part stacked on it. ECharts
// stacks values of the same sign together (positives up from zero, negatives down), so a bar is
// split into a part above zero and a part below: one that stays on one side of zero is the
// invisible base (from zero to its nearer end) and one visible part; one that crosses zero has no
// base and a visible part on each side. Pure: rows in, option out (tested in waterfall.test.ts).
import { formatDelta, formatValue } from '../format.ts';
import type { Lang } from '../i18n.ts';
import { RICH, richText } from './contribution.ts';
import { COLORS } from './options.ts';

/** The first bar of a bridge: solid, in slate, apart from the blue of the period's figure. */
const START_COLOR = '#6b7b8f';

export interface WaterfallStep {
  id: string;
  label: string;
  value: number;
}

export interface WaterfallInput {
  /** The first bar (the base's figure, or net profit for the cash-flow bridge); null: it starts at zero, no bar. */
  start: { label: string; value: number } | null;
  steps: WaterfallStep[];
  end: { label: string; value: number };
}

export interface WaterfallBar {
  id: string;
  label: string;
  kind: 'start' | 'step' | 'end';
  /** The figure the bar stands for: a total for start and end, the change for a step. */
  value: number;
  /** Where the bar runs. */
  low: number;
  high: number;
  /** The stacked parts: the invisible base (0 where the bar crosses zero), the visible part above zero and below. */
  base: number;
  up: number;
  down: number;
  /** The visible part that carries the label, and where: above the bar for a rise or a total ≥ 0, below otherwise. */
  labelOn: 'up' | 'down';
  labelAt: 'top' | 'bottom';
}

/** The bar over [low, high] as an invisible base and a visible part above and below zero. */
function parts(low: number, high: number): Pick<WaterfallBar, 'base' | 'up' | 'down'> {
  if (low >= 0) return { base: low, up: high - low, down: 0 };
  if (high <= 0) return { base: high, up: 0, down: low - high };
  return { base: 0, up: high, down: low };
}

function bar(
  id: string,
  label: string,
  kind: WaterfallBar['kind'],
  value: number,
  from: number,
): WaterfallBar {
  const to = from + value;
  const low = Math.min(from, to);
  const high = Math.max(from, to);
  const rising = value >= 0;
  return {
    id,
    label,
    kind,
    value,
    low,
    high,
    ...parts(low, high),
    // The visible part that touches the bar's outer end: its top for a rise, its bottom for a fall.
    labelOn: rising ? (high > 0 ? 'up' : 'down') : low < 0 ? 'down' : 'up',
    labelAt: rising ? 'top' : 'bottom',
  };
}

/** The bars of a waterfall, in order: the start (if any), each step from the running total, the end. */
export function waterfallBars(input: WaterfallInput): WaterfallBar[] {
  const bars: WaterfallBar[] = [];
  let running = 0;
  if (input.start) {
    bars.push(bar('start', input.start.label, 'start', input.start.value, 0));
    running = input.start.value;
  }
  for (const step of input.steps) {
    bars.push(bar(step.id, step.label, 'step', step.value, running));
    running += step.value;
  }
  bars.push(bar('end', input.end.label, 'end', input.end.value, 0));
  return bars;
}

/** The colour of a bar: totals solid (the start slate, the end blue), steps green up and red down. */
export function waterfallColor(b: WaterfallBar): string {
  if (b.kind === 'start') return START_COLOR;
  if (b.kind === 'end') return COLORS.primary;
  return b.value >= 0 ? COLORS.good : COLORS.critical;
}

export interface WaterfallOptions {
  lang: Lang;
  /** Bars side by side (laptop, wall) or one row per bar (a phone: room for the labels). */
  horizontal?: boolean;
  /** The same bridge in the base period (composition bridges), drawn lighter beside each bar. */
  base?: { input: WaterfallInput; name: string } | null;
  /** The legend's name of the period's bars (shown with a base only). */
  name?: string;
  /** The chart's width in pixels, if known: side by side, a bar's label wraps within its bar's room. */
  width?: number;
}

/** A figure in a label: a total as it is, a step with its sign (万 in Chinese, K/M in English). */
const labelText = (b: WaterfallBar, lang: Lang) =>
  b.kind === 'step' ? formatDelta(b.value, 'yuan', lang, true) : formatValue(b.value, 'yuan', lang, true);

const LIGHT = 0.32;

/** The three stacked series (base, up, down) of one waterfall. */
function stackSeries(
  bars: WaterfallBar[],
  o: { stack: string; name: string; horizontal: boolean; lang: Lang; labels: boolean; light: boolean },
) {
  const outer = (at: 'top' | 'bottom') => (o.horizontal ? (at === 'top' ? 'right' : 'left') : at);
  const visible = (part: 'up' | 'down') => ({
    name: o.name,
    type: 'bar',
    stack: o.stack,
    barMaxWidth: o.horizontal ? 18 : 44,
    data: bars.map((b) => ({
      value: b[part] === 0 && b.labelOn !== part ? null : b[part],
      id: b.id,
      itemStyle: { color: waterfallColor(b), opacity: o.light ? LIGHT : 1 },
      label:
        o.labels && b.labelOn === part
          ? { show: !o.horizontal, position: outer(b.labelAt), formatter: labelText(b, o.lang) }
          : { show: false },
    })),
  });
  return [
    {
      name: `${o.stack}-base`,
      type: 'bar',
      stack: o.stack,
      silent: true,
      tooltip: { show: false },
      itemStyle: { color: 'transparent' },
      emphasis: { disabled: true },
      data: bars.map((b) => (b.base === 0 ? null : b.base)),
    },
    visible('up'),
    visible('down'),
  ];
}

/**
 * Side by side a label wraps within its bar's room (the plot's width over the bars, less a gap),
 * at most five Chinese characters or a long English word to a line.
 */
export function categoryLabelWidth(bars: number, lang: Lang, width?: number): number {
  const most = lang === 'en' ? 76 : 62;
  if (!width || bars === 0) return most;
  // The value axis's labels take about 64 px at the left.
  return Math.max(36, Math.min(most, Math.floor((width - 72) / bars) - 6));
}

/** API labels go into the tooltip's HTML: as text. */
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The ECharts option of a waterfall (amounts in yuan). */
export function waterfallOption(input: WaterfallInput, o: WaterfallOptions) {
  const horizontal = o.horizontal ?? false;
  const bars = waterfallBars(input);
  const baseBars = o.base ? waterfallBars(o.base.input) : null;
  const name = o.name ?? '';
  const series = [
    ...stackSeries(bars, { stack: 'period', name, horizontal, lang: o.lang, labels: true, light: false }),
    ...(baseBars && o.base
      ? stackSeries(baseBars, {
          stack: 'base',
          name: o.base.name,
          horizontal,
          lang: o.lang,
          labels: false,
          light: true,
        })
      : []),
  ];
  const categoryAxis = {
    type: 'category',
    data: bars.map((b) => b.label),
    // A phone reads the rows top to bottom (ECharts draws the first category at the bottom).
    inverse: horizontal,
    // The labels stay at the chart's edge, not on the zero line among the bars below zero.
    axisLine: { onZero: false },
    axisTick: { show: false },
    axisLabel: horizontal
      ? {
          // A phone: each bar's figure under its name (there is no room beside the bars).
          interval: 0,
          formatter: (_: string, i: number) => {
            const b = bars[i];
            if (!b) return '';
            const tone = b.kind !== 'step' ? 'total' : b.value >= 0 ? 'good' : 'bad';
            return `{name|${richText(b.label)}}\n{${tone}|${richText(labelText(b, o.lang))}}`;
          },
          rich: RICH,
        }
      : {
          width: categoryLabelWidth(bars.length, o.lang, o.width),
          overflow: 'break',
          interval: 0,
          lineHeight: 14,
        },
  };
  const valueAxis = {
    type: 'value',
    // Room beyond the outermost bars for their labels.
    ...(horizontal ? {} : { boundaryGap: ['8%', '8%'] }),
    axisLabel: { formatter: (v: number) => formatValue(v, 'yuan', o.lang, true), hideOverlap: true },
    splitLine: { lineStyle: { color: '#e6eaef' } },
  };
  const line = (b: WaterfallBar | undefined, title: string) =>
    b ? `${escape(title)}${escape(labelText(b, o.lang))}` : '';
  const colon = o.lang === 'zh' ? '：' : ': ';
  return {
    grid: horizontal
      ? { left: 8, right: 16, top: baseBars ? 28 : 8, bottom: 8, containLabel: true }
      : { left: 8, right: 8, top: baseBars ? 40 : 24, bottom: 8, containLabel: true },
    ...(baseBars && o.base
      ? {
          legend: {
            top: 0,
            right: 0,
            selectedMode: false,
            data: [
              { name, itemStyle: { color: COLORS.primary } },
              { name: o.base.name, itemStyle: { color: COLORS.primary, opacity: LIGHT } },
            ],
          },
        }
      : {}),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: { dataIndex: number }[]) => {
        const i = params[0]?.dataIndex;
        if (i === undefined) return '';
        const lines = [`<b>${escape(bars[i]?.label ?? '')}</b>`];
        lines.push(line(bars[i], baseBars ? `${name}${colon}` : ''));
        if (baseBars && o.base) lines.push(line(baseBars[i], `${o.base.name}${colon}`));
        return lines.filter(Boolean).join('<br/>');
      },
    },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series,
  };
}
