// The wall's page order, rotation setting and map data, as pure functions.
import { describe, expect, it } from 'vitest';
import { rotationSeconds, wallPages } from './pages.ts';
import { mapOption, provinceKey } from './wall-options.ts';

describe('wall pages', () => {
  const all = () => true;

  it("show the node's operations and finance, then tour the units below it", () => {
    expect(wallPages('G', ['D1', 'D2'], { visible: all, tour: true }).map((p) => p.key)).toEqual([
      'operations:G',
      'finance:G',
      'operations:D1',
      'operations:D2',
    ]);
    expect(wallPages('G', ['D1', 'D2'], { visible: all, tour: false }).map((p) => p.key)).toEqual([
      'operations:G',
      'finance:G',
    ]);
  });

  it('leave out what the viewer may not see, and colour the map by ?map= when they may', () => {
    const financeOnly = (id: string) => ['inventory_coefficient', 'dso', 'operating_cash_flow'].includes(id);
    const pages = wallPages('G', ['D1'], { visible: financeOnly, tour: true, map: 'dso' });
    expect(pages.map((p) => p.key)).toEqual(['finance:G']); // no operations metric is visible
    expect(pages[0]).toMatchObject({
      tiles: ['inventory_coefficient', 'operating_cash_flow', 'dso'],
      map: 'dso',
      rank: 'inventory_coefficient',
    });
    expect(wallPages('G', [], { visible: financeOnly, tour: true, map: 'new_units' })[0]!.map).toBe(
      'inventory_coefficient',
    );
  });

  it('rotate every 20 s unless ?rotate= says otherwise (0 stays, never faster than 3 s)', () => {
    expect([null, '', 'abc', '-5', '1.5'].map(rotationSeconds)).toEqual([20, 20, 20, 20, 20]);
    expect(['0', '1', '3', '45'].map(rotationSeconds)).toEqual([0, 3, 3, 45]);
  });
});

describe('wall map', () => {
  it('matches provinces written with or without their suffix', () => {
    expect(
      ['广东省', '内蒙古自治区', '广西壮族自治区', '上海市', '香港特别行政区', '浙江'].map(provinceKey),
    ).toEqual(['广东', '内蒙古', '广西', '上海', '香港', '浙江']);
  });

  const input = {
    rows: [
      { id: '广东省', value: 30 },
      { id: '浙江', value: 10 },
    ],
    stores: new Map([
      ['广东省', 3],
      ['浙江', 1],
      ['四川', 2],
    ]),
    centres: new Map<string, [number, number]>([
      ['广东', [113, 23]],
      ['浙江', [120, 29]],
      ['四川', [104, 30]],
    ]),
    unit: 'units' as const,
    lang: 'zh' as const,
    name: '新车销量',
    storesLabel: (n: number) => `${n} 家门店`,
    s: 1,
  };

  it('colours provinces with a figure and marks every province with stores, with their count', () => {
    const option = mapOption({ ...input, direction: 'higher_is_better' });
    expect(option.series[0]!.data).toEqual([
      { name: '广东', value: 30 },
      { name: '浙江', value: 10 },
    ]);
    expect(option.series[1]!.data).toEqual([
      { name: '广东', value: [113, 23, 3] },
      { name: '浙江', value: [120, 29, 1] },
      { name: '四川', value: [104, 30, 2] },
    ]);
    expect([option.visualMap.min, option.visualMap.max]).toEqual([10, 30]);
  });

  it('puts the bright end of the scale on the good end', () => {
    const up = mapOption({ ...input, direction: 'higher_is_better' }).visualMap.inRange.color;
    const down = mapOption({ ...input, direction: 'lower_is_better' }).visualMap.inRange.color;
    expect(down).toEqual([...up].reverse());
    expect(up.at(-1)).toBe('#b4ecff'); // the highest value is brightest when higher is better
  });
});
