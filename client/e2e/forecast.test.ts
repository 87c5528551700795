// Forecasts in Debian's Chromium against the real server on 15 months of the sample's stores: the overview's
// trend of new units draws the next months' forecast and its 80% and 95% bands with the figures
// /api/forecast gives (fetched here on its own), from the month after the actuals end; the
// forecast view lists the units below, and the brands, with their totals, methods and backtests as
// the API has them, and the accuracy of each family as /api/forecast/accuracy has it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { methodName } from '../src/shared/forecast/forecastable.ts';
import { DESKTOP, PHONE, settled } from './browser.ts';

import { apiAs, openAs, SHOTS, useSampleProduct } from './sample-product.ts';
import { longSampleWarehouse } from '../../server/src/test/shared.ts';

// Fifteen months of the sample's stores: enough history for the backtest to measure intervals.
const product = useSampleProduct(longSampleWarehouse);

const api = (path: string) => apiAs(product, 'group', path);

const open = (path: string, viewport: { width: number; height: number } = DESKTOP) =>
  openAs(product, 'group', path, viewport);

/** The figures behind a table's cells (data-value), by row key and column. */
const tableFigures = (page: Page, table: string) =>
  page.locator(table).evaluate((el) =>
    [...el.querySelectorAll('tbody tr[data-key], tfoot tr[data-key]')].map((tr) => {
      const row: Record<string, string | number | null> = { key: tr.getAttribute('data-key') };
      for (const td of tr.querySelectorAll('td[data-col]')) {
        const v = td.querySelector('[data-value]')?.getAttribute('data-value');
        if (v !== undefined) row[td.getAttribute('data-col')!] = v === '' ? null : Number(v);
        else row[td.getAttribute('data-col')!] = td.textContent;
      }
      return row;
    }),
  );

/** The months and series of the chart inside `selector`, as drawn (ECharts keeps its instance on the element in tests). */
const chartOf = (page: Page, selector: string) =>
  page
    .locator(`${selector} .chart`)
    .first()
    .evaluate((el) => {
      const option = (el as unknown as { echartsInstance: { getOption(): any } }).echartsInstance.getOption();
      return {
        months: option.xAxis[0].data as string[],
        series: Object.fromEntries(
          (option.series as any[]).map((s) => [
            s.id as string,
            { stack: s.stack, data: s.data as (number | null)[] },
          ]),
        ),
      };
    });

const close = (a: number | null, b: number | null) =>
  a === null || b === null ? a === b : Math.abs(a - b) < 1e-6 * Math.max(1, Math.abs(b));

const sum = (points: { value: number }[], months: number) =>
  points.slice(0, months).reduce((s, p) => s + p.value, 0);

describe('forecasts', () => {
  it('draws the next 6 months of new units on the overview trend, bands and all, as /api/forecast has them', async () => {
    // Asked for first, so the page finds it computed.
    const expected = await api('/api/forecast?metric=new_units&node=G&horizon=6');
    expect(expected.as_of).toBe('2026-10-31');
    expect(expected.points.map((p: any) => p.period)).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
      '2027-03',
      '2027-04',
    ]);
    const { page, errors } = await open('/overview/G?p=2026-10&metric=new_units');
    const { months, series } = await chartOf(page, '.trend');
    // The actuals run to the as_of month; the forecast takes over the month after.
    const first = months.indexOf('2026-11');
    expect(months[first - 1]).toBe('2026-10');
    expect(months.slice(first)).toEqual(expected.points.map((p: any) => p.period));
    expect(series.actual!.data.slice(first)).toEqual(expected.points.map(() => null));
    // The dashed line carries on from the last actual.
    expect(series.forecast!.data[first - 1]).toBe(series.actual!.data[first - 1]);
    expect(series.forecast!.data.slice(0, first - 1).every((v) => v === null)).toBe(true);
    for (const [i, p] of expected.points.entries()) {
      const at = first + i;
      expect(close(series.forecast!.data[at]!, p.value), p.period).toBe(true);
      for (const band of ['80', '95'] as const) {
        const [lo, hi] = [p[`lo${band}`], p[`hi${band}`]];
        const low = series[`band${band}-low`];
        const width = series[`band${band}`];
        if (lo === null) {
          expect(low?.data[at] ?? null, `${p.period} ${band}`).toBeNull();
          continue;
        }
        // Each band is its low end and the width stacked on it.
        expect(width!.stack).toBe(low!.stack);
        expect(close(low!.data[at]!, lo), `${p.period} lo${band}`).toBe(true);
        expect(close(low!.data[at]! + width!.data[at]!, hi), `${p.period} hi${band}`).toBe(true);
      }
    }
    // Both bands, each month measured, and none before the forecast's first month.
    const bands = Object.keys(series).filter((id) => id.startsWith('band'));
    expect(expected.points.every((p: any) => p.lo80 !== null && p.lo95 !== null)).toBe(true);
    expect(bands.length).toBe(4);
    for (const id of bands) expect(series[id]!.data.slice(0, first).every((v) => v === null)).toBe(true);
    expect(await page.locator('.trend .subtitle').textContent()).toBe(
      '虚线为未来6个月预测，阴影为80%/95%区间',
    );

    // The tooltip of a forecast month, the pointer on it, names the method, with the 80% interval.
    const chart = page.locator('.trend .chart');
    const [x, y] = await chart.evaluate(
      (el, month) =>
        (el as unknown as { echartsInstance: any }).echartsInstance.convertToPixel(
          { xAxisIndex: 0, yAxisIndex: 0 },
          [month, 0],
        ) as [number, number],
      '2026-11',
    );
    await chart.hover({ position: { x, y: y - 20 } });
    const tooltip = chart.locator('div', { hasText: '预测（' }).last();
    await tooltip.waitFor();
    const tip = await tooltip.textContent();
    expect(tip).toContain(`预测（方法：${methodName(expected.method, 'zh')}）`);
    expect(tip).toContain('80%区间');
    await page.screenshot({ path: `${SHOTS}/trend-forecast-desktop.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists the units below and the brands with the totals, methods and backtests of /api/forecast', async () => {
    const expected = await api('/api/forecast?metric=new_units&node=G&horizon=12&by=children');
    expect(expected.members.length).toBeGreaterThan(0);
    const { page, errors } = await open('/forecast/G?metric=new_units');
    const members = async (answer: any) => {
      const shown = await tableFigures(page, '.members-table');
      const byKey = new Map(shown.map((r) => [r.key, r]));
      expect(shown.length).toBe(answer.members.length + 1);
      for (const m of [...answer.members, { ...answer, id: 'total' }]) {
        const row = byKey.get(m.id)!;
        expect(row, m.id).toBeDefined();
        expect(close(row.next3 as number, sum(m.points, 3)), `${m.id} next3`).toBe(true);
        expect(close(row.next12 as number, sum(m.points, 12)), `${m.id} next12`).toBe(true);
        expect(close(row.mase as number | null, m.backtest.mase), `${m.id} mase`).toBe(true);
        expect(close(row.bias as number | null, m.backtest.bias), `${m.id} bias`).toBe(true);
        expect(row.method, m.id).toBe(methodName(m.method, 'zh'));
      }
    };
    await members(expected);

    // The headline: the next month, 3 and 12 months, and the backtest, as the node's own forecast has them.
    const own = await api('/api/forecast?metric=new_units&node=G&horizon=12');
    const figure = async (key: string) => {
      const v = await page.getAttribute(`[data-figure=${key}]`, 'data-value');
      return v === '' ? null : Number(v);
    };
    expect(close(await figure('next1'), own.points[0].value)).toBe(true);
    expect(close(await figure('next3'), sum(own.points, 3))).toBe(true);
    expect(close(await figure('next12'), sum(own.points, 12))).toBe(true);
    expect(close(await figure('mase'), own.backtest.mase)).toBe(true);
    // The chart: 12 months of forecast after the actuals.
    const { months, series } = await chartOf(page, '.forecast-chart');
    const first = months.indexOf(own.points[0].period);
    expect(months.slice(first)).toEqual(own.points.map((p: any) => p.period));
    for (const [i, p] of own.points.entries())
      expect(close(series.forecast!.data[first + i]!, p.value), p.period).toBe(true);

    // The forecast made six months before the data's end, against what happened (plain counts).
    const past = await api('/api/forecast?metric=new_units&node=G&horizon=6&as_of=2026-04-30');
    const actual = await api(
      '/api/timeseries?metric=new_units&node=G&grain=month&from=2026-05-01&to=2026-10-31',
    );
    const rows = await tableFigures(page, '.past-table');
    expect(rows.map((r) => r.key)).toEqual(past.points.map((p: any) => p.period));
    for (const [i, p] of past.points.entries()) {
      const sold = actual.points[i].value as number;
      expect(close(rows[i]!.forecast as number, p.value), p.period).toBe(true);
      expect(rows[i]!.actual).toBe(sold);
      expect(close(rows[i]!.error as number, (p.value - sold) / sold), p.period).toBe(true);
    }
    // The accuracy of every family this user may see.
    const accuracy = await api('/api/forecast/accuracy?node=G');
    const families = await tableFigures(page, '.accuracy-table');
    expect(families.map((f) => f.key)).toEqual(accuracy.families.map((f: any) => `${f.metric}|${f.level}`));
    for (const [i, f] of accuracy.families.entries()) {
      expect(close(families[i]!.mase as number | null, f.mase), `${f.metric} mase`).toBe(true);
      expect(close(families[i]!.bias as number | null, f.bias), `${f.metric} bias`).toBe(true);
    }
    await page.screenshot({ path: `${SHOTS}/forecast-desktop.png`, fullPage: true });

    // By brand: the same figures per brand.
    const byBrand = await api('/api/forecast?metric=new_units&node=G&horizon=12&by=brand');
    await page.click('[data-by=brand]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('by') === 'brand');
    await settled(page);
    await members(byBrand);

    // A unit below opens its own forecast.
    await page.click('[data-by=children]');
    await settled(page);
    const child = expected.members[0].id as string;
    await page.click(`.members-table tr[data-key="${child}"] a`);
    await page.waitForFunction((id) => location.pathname === `/forecast/${id}`, child);
    await settled(page);
    expect(new URL(page.url()).searchParams.get('metric')).toBe('new_units');
    expect(await page.locator('.forecast-head h2').textContent()).toContain(expected.members[0].name);
    expect(errors).toEqual([]);
    await page.close();

    // On a phone: one column, nothing wider than the screen.
    const phone = await open('/forecast/G?metric=new_units', PHONE);
    await phone.page.screenshot({ path: `${SHOTS}/forecast-phone.png`, fullPage: true });
    expect(
      await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    expect(phone.errors).toEqual([]);
    await phone.page.close();
  });
});
