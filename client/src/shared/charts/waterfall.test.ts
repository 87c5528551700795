import { describe, expect, it } from 'vitest';
import { COLORS } from './options.ts';
import {
  categoryLabelWidth,
  waterfallBars,
  waterfallColor,
  waterfallOption,
  type WaterfallInput,
} from './waterfall.ts';

/** The option's series as the tests read them (the option's own type is a union of series shapes). */
interface Item {
  value: number | null;
  itemStyle: { color: string; opacity: number };
  label: { show: boolean; position?: string; formatter?: string };
}
interface Series {
  name: string;
  stack: string;
  itemStyle?: unknown;
  data: Item[];
}
const seriesOf = (option: { series: unknown }) => option.series as Series[];
const axis = (a: unknown) => a as { data: string[] };

const steps = (...values: number[]) => values.map((value, i) => ({ id: `s${i}`, label: `S${i}`, value }));

/** Where the visible parts are drawn as ECharts stacks them: positives on positives, negatives on negatives. */
const drawn = (input: WaterfallInput) =>
  waterfallBars(input).map((b) => {
    const pieces: [number, number][] = [];
    if (b.up !== 0) pieces.push([Math.max(b.base, 0), Math.max(b.base, 0) + b.up]);
    if (b.down !== 0) pieces.push([Math.min(b.base, 0) + b.down, Math.min(b.base, 0)]);
    return [Math.min(...pieces.map((p) => p[0])), Math.max(...pieces.map((p) => p[1]))];
  });

describe('waterfall bars', () => {
  it('stacks each step on an invisible base from the running total, and ends at the end', () => {
    const input = {
      start: { label: '上年同期', value: 100 },
      steps: steps(30, -50, 20),
      end: { label: '本期', value: 100 },
    };
    const bars = waterfallBars(input);
    expect(bars.map((b) => [b.kind, b.low, b.high, b.base, b.up, b.down])).toEqual([
      ['start', 0, 100, 0, 100, 0],
      ['step', 100, 130, 100, 30, 0],
      ['step', 80, 130, 80, 50, 0],
      ['step', 80, 100, 80, 20, 0],
      ['end', 0, 100, 0, 100, 0],
    ]);
    // A rise is labelled above its bar, a fall below.
    expect(bars.map((b) => `${b.labelOn}/${b.labelAt}`)).toEqual([
      'up/top',
      'up/top',
      'up/bottom',
      'up/top',
      'up/top',
    ]);
    expect(drawn(input)).toEqual(bars.map((b) => [b.low, b.high]));
  });

  it('below zero: the base runs from zero down to the bar, the visible part below it', () => {
    const input = {
      start: { label: 'A', value: -100 },
      steps: steps(-30, 20),
      end: { label: 'B', value: -110 },
    };
    const bars = waterfallBars(input);
    expect(bars.map((b) => [b.low, b.high, b.base, b.up, b.down])).toEqual([
      [-100, 0, 0, 0, -100],
      [-130, -100, -100, 0, -30],
      [-130, -110, -110, 0, -20],
      [-110, 0, 0, 0, -110],
    ]);
    // A rise below zero is labelled at its top, which is the visible part's top.
    expect(bars.map((b) => `${b.labelOn}/${b.labelAt}`)).toEqual([
      'down/bottom',
      'down/bottom',
      'down/top',
      'down/bottom',
    ]);
    expect(drawn(input)).toEqual(bars.map((b) => [b.low, b.high]));
  });

  it('a step that crosses zero has no base and a visible part on each side of zero', () => {
    const input = {
      start: { label: 'A', value: 40 },
      steps: steps(-100, 150),
      end: { label: 'B', value: 90 },
    };
    const bars = waterfallBars(input);
    expect(bars[1]).toMatchObject({
      low: -60,
      high: 40,
      base: 0,
      up: 40,
      down: -60,
      labelOn: 'down',
      labelAt: 'bottom',
    });
    expect(bars[2]).toMatchObject({
      low: -60,
      high: 90,
      base: 0,
      up: 90,
      down: -60,
      labelOn: 'up',
      labelAt: 'top',
    });
    expect(drawn(input)).toEqual(bars.map((b) => [b.low, b.high]));
  });

  it('without a start (a figure built from zero) draws no first bar, and the last running total is the end', () => {
    const input = { start: null, steps: steps(500, -200, -350), end: { label: '净利润', value: -50 } };
    const bars = waterfallBars(input);
    expect(bars.map((b) => b.kind)).toEqual(['step', 'step', 'step', 'end']);
    expect(bars[2]).toMatchObject({ low: -50, high: 300, base: 0, up: 300, down: -50 });
    expect(bars[3]).toMatchObject({ low: -50, high: 0, down: -50 });
  });

  it('colours totals solid and steps by their direction', () => {
    const bars = waterfallBars({
      start: { label: 'A', value: 1 },
      steps: steps(2, -1),
      end: { label: 'B', value: 2 },
    });
    expect(bars.map(waterfallColor)).toEqual(['#6b7b8f', COLORS.good, COLORS.critical, COLORS.primary]);
  });
});

describe('waterfall option', () => {
  const input = {
    start: { label: '上年同期', value: 1_000_000 },
    steps: steps(250_000, -1_500_000),
    end: { label: '本期', value: -250_000 },
  };

  it('draws an invisible base series and the visible parts, labelled in 万 with signs on the steps', () => {
    const option = waterfallOption(input, { lang: 'zh' });
    expect(axis(option.xAxis).data).toEqual(['上年同期', 'S0', 'S1', '本期']);
    const [base, up, down] = seriesOf(option);
    expect(base!.itemStyle).toEqual({ color: 'transparent' });
    expect(base!.data as unknown).toEqual([null, 1_000_000, null, null]);
    expect(up!.data.map((d) => d.value)).toEqual([1_000_000, 250_000, 1_250_000, null]);
    expect(down!.data.map((d) => d.value)).toEqual([null, null, -250_000, -250_000]);
    const labels = [...up!.data, ...down!.data].flatMap((d) => (d.label.show ? [d.label] : []));
    expect(labels.map((l) => [l.formatter, l.position])).toEqual([
      ['100.0万', 'top'],
      ['+25.0万', 'top'],
      ['\u2212150.0万', 'bottom'],
      ['\u221225.0万', 'bottom'],
    ]);
    expect(option.legend).toBeUndefined();
  });

  it('on a phone puts the bars in rows, first at the top, each figure under its name', () => {
    const option = waterfallOption(input, { lang: 'en', horizontal: true });
    const yAxis = option.yAxis as unknown as {
      type: string;
      inverse: boolean;
      data: string[];
      axisLabel: { formatter: (value: string, i: number) => string };
    };
    expect(yAxis).toMatchObject({ type: 'category', inverse: true, data: ['上年同期', 'S0', 'S1', '本期'] });
    expect(yAxis.data.map((_, i) => yAxis.axisLabel.formatter('', i))).toEqual([
      '{name|上年同期}\n{total|¥1.00M}',
      '{name|S0}\n{good|+¥250.0K}',
      '{name|S1}\n{bad|\u2212¥1.50M}',
      '{name|本期}\n{total|\u2212¥250.0K}',
    ]);
    // No label beside a bar: there is no room for one on a phone.
    expect(seriesOf(option).every((s) => s.data.every((d) => d === null || !d.label?.show))).toBe(true);
  });

  it('draws the base period lighter beside the period, in a stack of its own', () => {
    const option = waterfallOption(
      { start: null, steps: steps(10, -4), end: { label: 'NP', value: 6 } },
      {
        lang: 'zh',
        name: '本期',
        base: {
          name: '上年同期',
          input: { start: null, steps: steps(8, -5), end: { label: 'NP', value: 3 } },
        },
      },
    );
    expect(seriesOf(option).map((s) => s.stack)).toEqual([
      'period',
      'period',
      'period',
      'base',
      'base',
      'base',
    ]);
    expect(seriesOf(option)[4]!.data.map((d) => d.value)).toEqual([8, 5, 3]);
    expect(seriesOf(option)[4]!.data.every((d) => !d.label.show && d.itemStyle.opacity < 1)).toBe(true);
    expect(option.legend?.data.map((d) => d.name)).toEqual(['本期', '上年同期']);
    const tip = option.tooltip.formatter([{ dataIndex: 1 }]);
    expect(tip).toBe('<b>S1</b><br/>本期：\u22124<br/>上年同期：\u22125');
  });

  it('wraps a bar’s label within its bar’s room, five Chinese characters at most', () => {
    expect(categoryLabelWidth(5, 'zh')).toBe(62);
    expect(categoryLabelWidth(5, 'zh', 1200)).toBe(62);
    expect(categoryLabelWidth(5, 'zh', 360)).toBe(51);
    expect(categoryLabelWidth(13, 'en', 1000)).toBe(65);
    expect(categoryLabelWidth(13, 'en', 300)).toBe(36);
  });
});
