// "Why did it move?" in Debian's Chromium against the real server on the sample extract: the
// explain panel opened from an overview KPI card lists the units and their contributions as
// /api/explain gives them (fetched here on its own), a unit opens its own explanation down to a
// store, which has none; and the analysis view draws each bridge's steps as /api/bridge gives them
// and the commentary as /api/commentary words it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, settled } from './browser.ts';
import { DEMO_PASSWORD } from './server.ts';
import { openAs, SHOTS, useSampleProduct } from './sample-product.ts';

const product = useSampleProduct();
const PERIOD = 'from=2026-10-01&to=2026-10-31';

async function api(path: string): Promise<any> {
  const token = await product.server.login(product.users.group!, DEMO_PASSWORD);
  const res = await product.server.get(path, token);
  expect(res.status, path).toBe(200);
  return res.body;
}

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
      }
      return row;
    }),
  );

/** The series of the chart inside `selector`, as drawn (ECharts keeps its instance on the element in tests). */
const chartSeries = (page: Page, selector: string) =>
  page
    .locator(`${selector} .chart`)
    .first()
    .evaluate((el) => {
      const chart = (el as unknown as { echartsInstance: { getOption(): any } }).echartsInstance;
      return (chart.getOption().series as any[]).map((s) => ({
        name: s.name as string,
        stack: s.stack as string | undefined,
        data: (s.data as any[]).map((d) =>
          d === null || typeof d === 'number' ? d : { id: d.id as string, value: d.value as number | null },
        ),
      }));
    });

const close = (a: number | null, b: number | null) =>
  a === null || b === null ? a === b : Math.abs(a - b) < 1e-6 * Math.max(1, Math.abs(b));

describe('why did it move', () => {
  it('opens from a KPI card with the units and contributions of /api/explain; a unit opens its own, a store has none', async () => {
    const { page, errors } = await open('/overview/G?p=2026-10&cmp=prev');
    // The card's button, by keyboard.
    await page.focus('.kpi-card[data-metric=new_units] [data-explain]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-explain-panel=new_units] .explain-body[data-node=G]');
    await settled(page);
    expect(new URL(page.url()).searchParams.get('explain')).toBe('new_units');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('dialog');

    const expected = await api(`/api/explain?metric=new_units&node=G&${PERIOD}&compare=prev`);
    expect(expected.decomposition).toBe('additive');
    expect(expected.children.length).toBeGreaterThan(1);
    const shown = await tableFigures(page, '.explain-table');
    expect(shown.map((r) => r.key)).toEqual(expected.children.map((c: any) => c.id));
    for (const [i, c] of expected.children.entries()) {
      for (const [col, v] of [
        ['value', c.value],
        ['base', c.base],
        ['delta', c.delta],
        ['contribution', c.contribution],
        ['share', c.share_of_delta],
      ])
        expect(close(shown[i]![col] as number | null, v), `${c.id} ${col}`).toBe(true);
    }
    // The bars: each unit's contribution, biggest movers at the top.
    const [bars] = await chartSeries(page, '.explain-units');
    const byId = Object.fromEntries(bars!.data.map((d: any) => [d.id, d.value]));
    for (const c of expected.children) expect(close(byId[c.id], c.contribution), c.id).toBe(true);
    const sizes = bars!.data.map((d: any) => Math.abs(d.value ?? 0));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    // The node's figures and the change in words, as the API has them.
    for (const f of ['value', 'base', 'delta'] as const)
      expect(Number(await page.getAttribute(`[data-figure=${f}]`, 'data-value'))).toBeCloseTo(expected[f], 6);
    const text = page.locator('.explain-text');
    expect((await text.count()) ? await text.textContent() : null).toBe(expected.text?.zh || null);
    await page.screenshot({ path: `${SHOTS}/explain-desktop.png` });

    // A unit opens its own explanation, down to a store, which has no units to split among.
    let node = 'G';
    for (let level = 0; level < 4 && !(await page.locator('[data-no-units]').count()); level++) {
      const unit = (await api(`/api/explain?metric=new_units&node=${node}&${PERIOD}&compare=prev`))
        .children[0].id as string;
      await page.click(`.explain-unit[data-unit="${unit}"]`);
      await page.waitForSelector(`.explain-body[data-node="${unit}"]`);
      await settled(page);
      node = unit;
    }
    expect(node).toMatch(/^S\d+/);
    expect(await page.locator('[data-no-units]').textContent()).toBe(
      '门店没有下级单位，变动无法再按单位拆分。',
    );
    const store = await api(`/api/explain?metric=new_units&node=${node}&${PERIOD}&compare=prev`);
    expect(store.children).toEqual([]);
    expect(Number(await page.getAttribute('[data-figure=value]', 'data-value'))).toBe(store.value);
    // The way back up.
    await page.click('.explain-trail button >> nth=0');
    await page.waitForSelector('.explain-body[data-node=G]');

    // Escape closes the panel and gives the focus back to the card's button.
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-explain-panel]', { state: 'detached' });
    expect(new URL(page.url()).searchParams.get('explain')).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-explain'))).toBe('new_units');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('splits a ratio into rate and mix effects, and says "no data" where last year lies outside the data', async () => {
    const { page, errors } = await open('/overview/G?p=2026-10&cmp=prev&explain=finance_penetration');
    const expected = await api(`/api/explain?metric=finance_penetration&node=G&${PERIOD}&compare=prev`);
    expect(expected.decomposition).toBe('ratio');
    const shown = await tableFigures(page, '.explain-table');
    for (const [i, c] of expected.children.entries()) {
      expect(shown[i]!.key).toBe(c.id);
      for (const col of ['rate_effect', 'mix_effect', 'contribution'] as const)
        expect(close(shown[i]![col] as number, c[col]), `${c.id} ${col}`).toBe(true);
    }
    // Two stacked series, rate and mix, each unit's parts as the API splits them.
    const [rate, mix] = await chartSeries(page, '.explain-units');
    expect([rate!.name, mix!.name]).toEqual(['比率效应', '结构效应']);
    expect(rate!.stack).toBe(mix!.stack);
    for (const c of expected.children) {
      expect(close(rate!.data.find((d: any) => d.id === c.id).value, c.rate_effect)).toBe(true);
      expect(close(mix!.data.find((d: any) => d.id === c.id).value, c.mix_effect)).toBe(true);
    }

    // 同比 from inside the panel: the sample starts in 2026, so last year is outside the data.
    await page.click('[data-explain-panel] [data-compare-choice=yoy]');
    await page.waitForSelector('.explain-body[data-compare=yoy]');
    await settled(page);
    const yoy = await api(`/api/explain?metric=finance_penetration&node=G&${PERIOD}&compare=yoy`);
    expect(yoy.base).toBeNull();
    expect(await page.locator('[data-figure=base]').textContent()).toBe('无数据');
    expect(await page.locator('[data-figure=delta]').textContent()).toBe('无可比数据');
    expect(await page.locator('.explain-units .state.empty').textContent()).toBe('无可比数据');
    await page.close();

    // On a phone the panel takes the whole screen, without scrolling sideways.
    const phone = await open('/overview/G?p=2026-10&cmp=prev&explain=net_profit', PHONE);
    const box = await phone.page.locator('[data-explain-panel]').evaluate((el) => ({
      width: el.getBoundingClientRect().width,
      overflow: el.scrollWidth - el.clientWidth,
    }));
    expect(box).toEqual({ width: PHONE.width, overflow: 0 });
    await phone.page.screenshot({ path: `${SHOTS}/explain-phone.png` });
    expect([...errors, ...phone.errors]).toEqual([]);
    await phone.page.close();
  });

  it('draws each bridge as /api/bridge has it and the commentary as /api/commentary words it', async () => {
    const { page, errors } = await open('/analysis/G?p=2026-10&cmp=prev');
    const kinds = await page
      .locator('[data-bridge]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-bridge')!));
    expect(kinds).toEqual([
      'net_profit',
      'operating_cash_flow',
      'new_gross',
      'used_gross',
      'aftersales_gross',
    ]);
    for (const kind of kinds) {
      const b = await api(`/api/bridge?kind=${kind}&node=G&${PERIOD}&compare=prev`);
      expect(b.reason, kind).toBeUndefined();
      const expected = [
        ...(b.start_label ? [{ key: 'start', value: b.start, base: b.base_start ?? null }] : []),
        ...b.steps.map((s: any) => ({ key: s.id, value: s.value, base: s.base ?? null })),
        { key: 'end', value: b.end, base: b.base_end ?? null },
      ];
      const shown = await tableFigures(page, `[data-bridge=${kind}]`);
      expect(
        shown.map((r) => r.key),
        kind,
      ).toEqual(expected.map((r) => r.key));
      for (const [i, r] of expected.entries()) {
        expect(close(shown[i]!.value as number, r.value), `${kind} ${r.key}`).toBe(true);
        if (b.shape === 'composition')
          expect(close(shown[i]!.base as number, r.base), `${kind} ${r.key} base`).toBe(true);
      }
      // The waterfall: an invisible base and the visible parts, each bar as tall as its figure and
      // starting where the one before it ended.
      const series = await chartSeries(page, `.bridge-${kind}`);
      const [base, up, down] = series.filter((s) => s.stack === 'period');
      const v = (d: any) => (d === null ? 0 : typeof d === 'number' ? d : (d.value ?? 0));
      let running = 0;
      for (const [i, r] of expected.entries()) {
        const [from, to] = r.key === 'start' || r.key === 'end' ? [0, r.value] : [running, running + r.value];
        if (r.key !== 'end') running = to;
        // ECharts stacks positives on positives and negatives on negatives.
        const [b0, u, d] = [v(base!.data[i]), v(up!.data[i]), v(down!.data[i])];
        const pieces = [
          ...(u !== 0 ? [[Math.max(b0, 0), Math.max(b0, 0) + u]] : []),
          ...(d !== 0 ? [[Math.min(b0, 0) + d, Math.min(b0, 0)]] : []),
        ];
        if (from === to) continue;
        const drawn = [Math.min(...pieces.map((p) => p[0]!)), Math.max(...pieces.map((p) => p[1]!))];
        expect(close(drawn[0]!, Math.min(from, to)), `${kind} ${r.key} low`).toBe(true);
        expect(close(drawn[1]!, Math.max(from, to)), `${kind} ${r.key} high`).toBe(true);
      }
      // Composition bridges draw the base period beside the period, lighter.
      expect(
        series.some((s) => s.stack === 'base'),
        kind,
      ).toBe(b.shape === 'composition');
    }

    const commentary = await api(`/api/commentary?node=G&${PERIOD}`);
    expect(commentary.sections.length).toBeGreaterThan(0);
    const sections = () =>
      page.locator('[data-section]').evaluateAll((els) =>
        els.map((e) => ({
          metric: e.getAttribute('data-section'),
          text: e.querySelector('[data-commentary-text]')!.textContent,
        })),
      );
    expect(await sections()).toEqual(
      commentary.sections.map((s: any) => ({ metric: s.metric, text: s.text.zh })),
    );
    await page.screenshot({ path: `${SHOTS}/analysis-desktop.png`, fullPage: true });

    // In English, the commentary in English; against the budget, a bridge without one says so.
    await page.goto(`${product.server.base}/analysis/G?p=2026-10&lang=en`);
    await settled(page);
    expect(await sections()).toEqual(
      commentary.sections.map((s: any) => ({ metric: s.metric, text: s.text.en })),
    );
    for (const kind of kinds) {
      const b = await api(`/api/bridge?kind=${kind}&node=G&${PERIOD}&compare=budget`);
      const body = page.locator(`[data-bridge=${kind}]`);
      expect(await body.getAttribute('data-reason'), kind).toBe(b.reason ?? '');
      if (b.reason === 'no_target')
        expect(await body.textContent()).toBe('No budget is set: nothing to compare with');
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
