import { describe, expect, it } from 'vitest';
import { sparklineGeometry } from './sparkline.ts';

describe('a KPI card sparkline', () => {
  it('draws each run of months with data as its own line, a month alone as a dot, and gaps as nothing', () => {
    // 5 months across 100 wide: x = 0, 25, 50, 75, 100. Values 5..7 between y = 4 (top pad) and 18 (20 − 2).
    const g = sparklineGeometry([null, 5, null, 6, 7], 100, 20);
    expect(g.dots).toEqual([{ x: 25, y: 18 }]);
    expect(g.lines).toEqual(['M75 11 L100 4']);
    expect(g.areas).toEqual(['M75 11 L100 4 L100 20 L75 20 Z']);
  });

  it('never draws a missing month as zero and never joins across it', () => {
    const g = sparklineGeometry([3, 4, null, null, 4, 3], 50, 10, { top: 0, bottom: 0 });
    expect(g.lines).toEqual(['M0 10 L10 0', 'M40 0 L50 10']);
    expect(g.dots).toEqual([]);
  });

  it('draws nothing for months without any data', () => {
    expect(sparklineGeometry([null, null], 10, 10)).toEqual({ lines: [], areas: [], dots: [] });
  });

  it('draws a flat series across the middle', () => {
    expect(sparklineGeometry([2, 2], 10, 10, { top: 0, bottom: 0 }).lines).toEqual(['M0 5 L10 5']);
  });
});
