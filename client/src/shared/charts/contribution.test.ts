import { describe, expect, it } from 'vitest';
import { byMovement, contributionLabel, contributionOption, movementColor } from './contribution.ts';
import { COLORS } from './options.ts';

interface Series {
  name: string;
  stack?: string;
  data: {
    id: string;
    value: number | null;
    itemStyle: { color: string; opacity: number };
    label: { show: boolean; position?: string };
  }[];
}
const seriesOf = (option: { series: unknown }) => option.series as Series[];

const names = { contribution: '贡献', rate: '比率效应', mix: '结构效应' };

describe('contribution bars', () => {
  it('puts the biggest movers first, whatever their sign, and units without a contribution last', () => {
    const rows = [
      { id: 'a', contribution: 13 },
      { id: 'b', contribution: null },
      { id: 'c', contribution: -76 },
      { id: 'd', contribution: 142 },
    ];
    expect(byMovement(rows).map((r) => r.id)).toEqual(['d', 'c', 'a', 'b']);
  });

  it('colours by the metric’s direction, not the sign', () => {
    expect(movementColor(5, 'higher_is_better')).toBe(COLORS.good);
    expect(movementColor(-5, 'higher_is_better')).toBe(COLORS.critical);
    expect(movementColor(5, 'lower_is_better')).toBe(COLORS.critical);
    expect(movementColor(-5, 'lower_is_better')).toBe(COLORS.good);
    expect(movementColor(0, 'lower_is_better')).toBe(COLORS.no_data);
  });

  it('labels a contribution in the metric’s unit with its share of the change', () => {
    expect(contributionLabel({ id: 'a', name: 'A', contribution: -76, share: -0.5588 }, 'units', 'zh')).toBe(
      '\u221276（\u221255.9%）',
    );
    // A percentage's contributions in points to two decimals; nothing that rounds to zero is signed.
    expect(
      contributionLabel({ id: 'a', name: 'A', contribution: 0.0056, share: null }, 'percent', 'en'),
    ).toBe('+0.56 pp');
    expect(
      contributionLabel({ id: 'a', name: 'A', contribution: -0.00004, share: 0.4 }, 'percent', 'zh'),
    ).toBe('0.00个百分点（40.0%）');
  });

  it('additive: one bar per unit, labelled on the side of its sign', () => {
    const option = contributionOption(
      [
        { id: 'D1', name: '豪华', contribution: 13, share: 0.1 },
        { id: 'D2', name: '合资', contribution: -76, share: -0.56 },
      ],
      { unit: 'units', lang: 'zh', direction: 'higher_is_better', ratio: false, names },
    );
    expect(option.yAxis.data).toEqual(['合资', '豪华']);
    expect(option.yAxis.inverse).toBe(true);
    expect(seriesOf(option)).toHaveLength(1);
    const data = seriesOf(option)[0]!.data;
    expect(data.map((d) => [d.id, d.value, d.itemStyle.color, d.label.position])).toEqual([
      ['D2', -76, COLORS.critical, 'left'],
      ['D1', 13, COLORS.good, 'right'],
    ]);
  });

  it('ratios: rate and mix effects stacked, each coloured by direction, the label on the outer part', () => {
    const option = contributionOption(
      [
        // Both on the positive side: the mix is stacked outside the rate.
        { id: 'A', name: 'A', contribution: 0.006, rate: 0.004, mix: 0.002, share: 0.5 },
        // The mix pulls the other way: the label goes on the rate, the outer part on the contribution's side.
        { id: 'B', name: 'B', contribution: -0.005, rate: -0.0052, mix: 0.0002, share: -0.4 },
      ],
      { unit: 'days', lang: 'zh', direction: 'lower_is_better', ratio: true, names },
    );
    const [rate, mix] = seriesOf(option);
    expect(rate!.name).toBe('比率效应');
    expect(mix!.name).toBe('结构效应');
    expect(rate!.stack).toBe(mix!.stack);
    expect(rate!.data.map((d) => [d.value, d.itemStyle.color, d.label.show])).toEqual([
      [0.004, COLORS.critical, false],
      [-0.0052, COLORS.good, true],
    ]);
    expect(mix!.data.map((d) => [d.value, d.itemStyle.color, d.itemStyle.opacity < 1, d.label.show])).toEqual(
      [
        [0.002, COLORS.critical, true, true],
        [0.0002, COLORS.critical, true, false],
      ],
    );
    expect(option.legend).toBeDefined();
  });

  it('on a phone puts each unit’s figures under its name, coloured as its bar, and no label beside the bars', () => {
    const option = contributionOption(
      [
        { id: 'D1', name: '豪华', contribution: -9_615_000, share: 0.475 },
        { id: 'D2', name: '合资{x}', contribution: 1_000, share: -0.01 },
      ],
      { unit: 'yuan', lang: 'zh', direction: 'higher_is_better', ratio: false, names, compact: true },
    );
    const axis = option.yAxis.axisLabel as { formatter: (v: string, i: number) => string };
    expect([0, 1].map((i) => axis.formatter('', i))).toEqual([
      '{name|豪华}\n{bad|\u2212961.5万（47.5%）}',
      '{name|合资 x }\n{good|+1,000（\u22121.0%）}',
    ]);
    expect(seriesOf(option)[0]!.data.every((d) => !d.label.show)).toBe(true);
  });
});
