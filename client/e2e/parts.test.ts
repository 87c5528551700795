// The parts view and the landing (预计完成) in Debian's Chromium against the real server on the
// sample extract: every figure of the replenishment table as /api/parts/forecast gives it (asked
// for here on its own, not through the page), the obsolete candidates, paging and the search, the
// order sheet's Excel export (the whole tab, rounded as shown), and the new-units card's landing
// as /api/landing gives it. The figures are formatted here by hand, not by the client's code.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatValue } from '../src/shared/format.ts';
import { translate } from '../src/shared/i18n.ts';
import { readXlsx } from '../src/shared/xlsx-inspect.ts';
import { DESKTOP, PHONE, settled } from './browser.ts';
import { SAMPLE_STORE } from './server.ts';
import { apiAs, openAs, SHOTS, useSampleProduct } from './sample-product.ts';

const product = useSampleProduct();

const open = (role: string, path: string, viewport: { width: number; height: number } = DESKTOP) =>
  openAs(product, role, path, viewport);

const api = (path: string, role = 'store') => apiAs(product, role, path);

const partsApi = (query: string) =>
  api(`/api/parts/forecast?node=${SAMPLE_STORE}&horizon=3&limit=50&${query}`);

/** Figures as the screen shows them, written out here. */
const oneDecimal = (x: number) => x.toFixed(1);
const whole = (x: number) => String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const signedPercent = (x: number) => {
  const text = (Math.abs(x) * 100).toFixed(1);
  return /[1-9]/.test(text) ? `${x < 0 ? '\u2212' : '+'}${text}%` : `${text}%`;
};

/** The row of the table as the API's part would show it, by column. */
function expectedRow(p: any): Record<string, string> {
  return {
    part_no: p.part_no,
    on_hand: whole(p.on_hand),
    on_hand_value: formatValue(p.on_hand_value, 'yuan', 'zh'),
    last_movement_date: p.last_movement_date ?? '',
    lead_time_days: whole(p.lead_time_days),
    forecast_1: p.forecast[0] ? oneDecimal(p.forecast[0].value) : '—',
    forecast_2: p.forecast[1] ? oneDecimal(p.forecast[1].value) : '—',
    forecast_3: p.forecast[2] ? oneDecimal(p.forecast[2].value) : '—',
    lead_time_demand: oneDecimal(p.lead_time_demand),
    safety_stock: oneDecimal(p.safety_stock),
    suggested_order: whole(p.suggested_order),
    method: translate('zh', `forecastMethod_${p.method ?? 'none'}` as never),
    mase: p.mase === null ? '—' : p.mase.toFixed(2),
    bias: p.bias === null ? '—' : signedPercent(p.bias),
  };
}

/** The table's rows on screen, by column key. */
const rowsOnScreen = (page: Page) =>
  page
    .locator('.parts-table .data-table tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) =>
        Object.fromEntries(
          [...tr.querySelectorAll('td[data-col]')].map((td) => [
            td.getAttribute('data-col')!,
            td.textContent!.trim(),
          ]),
        ),
      ),
    );

const pick = (row: Record<string, string>, keys: string[]) =>
  Object.fromEntries(keys.map((k) => [k, row[k]]));

describe('parts view at a store', () => {
  it('lists the parts to order, then the obsolete candidates, with exactly the figures /api/parts/forecast gives', async () => {
    const { page, errors } = await open('store', `/parts/${SAMPLE_STORE}`);
    const order = await partsApi('only=order');
    expect(order.parts.length).toBeGreaterThan(0);
    expect(order.parts.every((p: any) => p.suggested_order > 0)).toBe(true);
    expect(await page.locator('.parts-as-of').getAttribute('data-as-of')).toBe(order.as_of);
    expect(await page.locator('.parts-tabs [aria-pressed=true]').textContent()).toBe('建议订货');
    // The months ahead are named in the headers: the three after as_of.
    expect(
      await page
        .locator('.parts-table th[data-col^=forecast_]')
        .evaluateAll((ths) => ths.map((th) => th.textContent!.trim())),
    ).toEqual(order.parts[0].forecast.map((f: any) => `${Number(f.period.slice(5))}月预测`));
    const shown = await rowsOnScreen(page);
    // The order sheet: every column but the obsolete list's stock value and last movement.
    const keys = Object.keys(expectedRow(order.parts[0])).filter(
      (k) => k !== 'on_hand_value' && k !== 'last_movement_date',
    );
    expect(shown.map((r) => pick(r, keys))).toEqual(order.parts.map((p: any) => pick(expectedRow(p), keys)));
    expect(await page.locator('.pager [data-total]').textContent()).toBe(
      `第 1–${order.parts.length} 项，共 ${order.total} 项`,
    );
    // What the suggestion is made of holds on screen as it does in the API: ⌈D + SS − on hand⌉.
    for (const p of order.parts)
      expect(p.suggested_order).toBe(
        Math.max(0, Math.ceil(p.lead_time_demand + p.safety_stock - p.on_hand - 1e-9)),
      );
    await page.screenshot({ path: `${SHOTS}/parts-order-desktop.png`, fullPage: true });

    // The obsolete candidates: stock on hand and no demand ahead.
    await page.locator('.parts-tabs [data-tab=obsolete]').click();
    await page.waitForURL(/tab=obsolete/);
    await settled(page);
    const obsolete = await partsApi('only=obsolete');
    expect(obsolete.parts.every((p: any) => p.obsolete && p.on_hand > 0)).toBe(true);
    expect(obsolete.total).toBeGreaterThan(0);
    // Nothing to order: the list is the stock, the months ahead and the method (why: no history).
    expect(
      await page
        .locator('.parts-table th[data-col]')
        .evaluateAll((ths) => ths.map((th) => th.getAttribute('data-col'))),
    ).toEqual([
      'part_no',
      'category',
      'on_hand',
      'on_hand_value',
      'last_movement_date',
      'forecast_1',
      'forecast_2',
      'forecast_3',
      'method',
    ]);
    const listed = [
      'part_no',
      'on_hand',
      'on_hand_value',
      'last_movement_date',
      'forecast_1',
      'forecast_2',
      'forecast_3',
      'method',
    ];
    expect((await rowsOnScreen(page)).map((r) => pick(r, listed))).toEqual(
      obsolete.parts.map((p: any) => pick(expectedRow(p), listed)),
    );
    expect(await page.locator('.parts-hint').textContent()).toContain('未来12个月没有需求预测');
    await page.screenshot({ path: `${SHOTS}/parts-obsolete-desktop.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pages through every part, finds one by its number, and follows the service level in the URL', async () => {
    const all = await partsApi('offset=0');
    const { page, errors } = await open('store', `/parts/${SAMPLE_STORE}?tab=all&sl=0.98`);
    expect(await page.locator('.parts-as-of').getAttribute('data-service-level')).toBe('0.98');
    const at98 = await partsApi('service_level=0.98');
    const keys = ['part_no', 'safety_stock', 'suggested_order'];
    expect((await rowsOnScreen(page)).map((r) => pick(r, keys))).toEqual(
      at98.parts.map((p: any) => pick(expectedRow(p), keys)),
    );
    // A higher service level never asks for less safety stock.
    for (const [i, p] of at98.parts.entries())
      expect(p.safety_stock).toBeGreaterThanOrEqual(all.parts[i].safety_stock);
    // The sample store has more parts than a page holds: the second page is the API's next 50.
    expect(all.total).toBeGreaterThan(50);
    await page.locator('.pager button', { hasText: '下一页' }).click();
    await page.waitForURL(/page=2/);
    await settled(page);
    const second = await partsApi('offset=50&service_level=0.98');
    expect((await rowsOnScreen(page)).map((r) => r.part_no)).toEqual(second.parts.map((p: any) => p.part_no));
    expect(await page.locator('.pager [data-total]').textContent()).toBe(
      `第 51–${50 + second.parts.length} 项，共 ${all.total} 项`,
    );
    // The search: one part number, exactly.
    const wanted = all.parts[Math.floor(all.parts.length / 2)].part_no as string;
    await page.fill('.parts-search input', wanted);
    await page.locator('.parts-search button[type=submit]').click();
    await page.waitForURL(new RegExp(`part=${wanted}`));
    await settled(page);
    expect((await rowsOnScreen(page)).map((r) => r.part_no)).toEqual([wanted]);
    expect(new URL(page.url()).searchParams.get('page')).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('exports the whole tab as the order sheet: every part, quantities to one decimal, orders whole', async () => {
    const { page } = await open('store', `/parts/${SAMPLE_STORE}?tab=all`);
    const every = await api(`/api/parts/forecast?node=${SAMPLE_STORE}&horizon=3&limit=500`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.parts-panel').getByRole('button', { name: '导出 Excel' }).click(),
    ]);
    const store = (await api('/api/org')).nodes.find((n: any) => n.node_id === SAMPLE_STORE).name;
    expect(download.suggestedFilename()).toBe(`全部-${store}-${every.as_of}.xlsx`);
    const rows = readXlsx(readFileSync((await download.path())!));
    const months = every.parts
      .find((p: any) => p.forecast.length)
      .forecast.map((f: any) => `${Number(f.period.slice(5))}月预测`);
    expect(rows[0]!.map((c) => c.value)).toEqual([
      '零件号',
      '类别',
      '库存',
      '订货周期（天）',
      ...months,
      '周期内需求',
      '安全库存',
      '建议订货量',
      '预测方法',
      'MASE',
      '偏差',
    ]);
    // Every part of the tab, not only the page on screen (it holds 50), in the table's order.
    expect(every.total).toBeGreaterThan(50);
    expect(rows.length - 1).toBe(every.total);
    expect(rows.slice(1).map((r) => r[0]!.value)).toEqual(every.parts.map((p: any) => p.part_no));
    const byPart = new Map(rows.slice(1).map((r) => [r[0]!.value, r]));
    const tenth = (x: number) => Number(x.toFixed(1));
    for (const p of every.parts) {
      const r = byPart.get(p.part_no)!;
      const cell = (i: number) => r.find((c) => c.ref.startsWith(String.fromCharCode(65 + i)));
      expect(cell(2)!.value, p.part_no).toBe(p.on_hand);
      expect(cell(3)!.value).toBe(p.lead_time_days);
      for (const [i, f] of p.forecast.entries()) {
        expect(cell(4 + i)!.value).toBe(tenth(f.value));
        expect(cell(4 + i)!.format).toBe('#,##0.0');
      }
      expect(cell(7)!.value).toBe(tenth(p.lead_time_demand));
      expect(cell(8)!.value).toBe(tenth(p.safety_stock));
      expect([cell(9)!.value, cell(9)!.format]).toEqual([p.suggested_order, '#,##0']);
      if (p.mase !== null) expect(cell(11)!.value).toBe(Number(p.mase.toFixed(2)));
    }
    await page.close();
  });
});

describe('parts view above a store', () => {
  it('lists the stores under the group, each opening its own parts orders', async () => {
    const { page, errors } = await open('group', '/parts/G');
    const stores = (await api('/api/org', 'group')).nodes.filter(
      (n: any) => n.level === 'store' && n.in_scope,
    );
    expect(
      (
        await page
          .locator('.parts-store-group a')
          .evaluateAll((as) => as.map((a) => a.getAttribute('data-node')))
      ).sort(),
    ).toEqual(stores.map((s: any) => s.node_id).sort());
    await page.screenshot({ path: `${SHOTS}/parts-group-desktop.png`, fullPage: true });
    await page.locator(`.parts-store-group a[data-node=${SAMPLE_STORE}]`).click();
    await page.waitForURL(new RegExp(`/parts/${SAMPLE_STORE}`));
    await settled(page);
    expect(await page.locator('.parts-table tbody tr').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('landing (预计完成)', () => {
  /** What the card's line says for a landing period, written out here. */
  const lineOf = (p: any) =>
    p.attainment !== null
      ? `${p.label.zh}预计完成 ${(p.attainment * 100).toFixed(1)}%`
      : `${p.label.zh}预计 ${whole(p.landing)}台`;

  it('shows on the new-units card the landing /api/landing gives, of the month, then of the quarter', async () => {
    const landing = await api('/api/landing?node=G&metrics=new_units', 'group');
    const item = landing.items.find((i: any) => i.metric === 'new_units');
    const { page, errors } = await open('group', '/overview/G');
    const line = page.locator('.kpi-card[data-metric=new_units] .kpi-landing');
    await page.waitForSelector('.kpi-card[data-metric=new_units] .kpi-landing[data-kind]', {
      timeout: 120_000,
    });
    const month = item.periods.find((p: any) => p.kind === 'month');
    expect(month.landing).not.toBeNull();
    expect(await line.getAttribute('data-kind')).toBe('month');
    expect(Number(await line.getAttribute('data-landing'))).toBe(month.landing);
    expect(await line.textContent()).toBe(lineOf(month));
    // The figures behind it on hover: actual to date, the forecast of the rest, the target.
    const title = (await line.getAttribute('title'))!;
    expect(title).toContain(`截至 ${item.data_to} 实际 ${whole(month.actual)}台`);
    expect(title).toContain(`其余预测 ${whole(month.forecast)}台`);
    await page.screenshot({ path: `${SHOTS}/overview-landing-desktop.png` });

    // The quarter the user picks reads the quarter's landing.
    const quarter = item.periods.find((p: any) => p.kind === 'quarter');
    await page.goto(
      `${product.server.base}/overview/G?p=${quarter.from.slice(0, 4)}Q${Math.ceil(Number(quarter.from.slice(5, 7)) / 3)}`,
    );
    await page.waitForSelector('.kpi-card[data-metric=new_units] .kpi-landing[data-kind=quarter]', {
      timeout: 120_000,
    });
    expect(Number(await line.getAttribute('data-landing'))).toBe(quarter.landing);
    expect(await line.textContent()).toBe(lineOf(quarter));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("gives the store manager's phone report the month's landing under each row's attainment", async () => {
    const landing = await api(`/api/landing?node=${SAMPLE_STORE}&metrics=new_units`);
    const month = landing.items[0].periods.find((p: any) => p.kind === 'month');
    const { page, errors } = await open('store', `/m/${SAMPLE_STORE}`, PHONE);
    const line = page.locator('tr[data-metric=new_units] .m-landing');
    await page.waitForSelector('tr[data-metric=new_units] .m-landing[data-kind]', { timeout: 120_000 });
    expect(Number(await line.getAttribute('data-landing'))).toBe(month.landing);
    expect(await line.textContent()).toBe(
      `${Number(month.from.slice(5, 7))}月预计 ${
        month.attainment !== null ? `${(month.attainment * 100).toFixed(1)}%` : whole(month.landing)
      }`,
    );
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/m-landing-phone.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('layout', () => {
  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const)(
    'the parts view fits %s without sideways scrolling, in Chinese and English',
    async (size, viewport) => {
      for (const lang of ['zh', 'en'] as const) {
        const { page, errors } = await open(
          'store',
          `/parts/${SAMPLE_STORE}${lang === 'en' ? '?lang=en' : ''}`,
          viewport,
        );
        await page.locator('.parts-table').waitFor();
        expect(
          await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
          lang,
        ).toBeLessThanOrEqual(0);
        if (size === 'desktop')
          expect(
            await page
              .locator('.parts-table .table-scroll')
              .evaluate((el) => el.scrollWidth - el.clientWidth),
            `table ${lang}`,
          ).toBeLessThanOrEqual(0);
        if (lang === 'en') expect(await page.locator('.parts').textContent()).not.toMatch(/\p{Script=Han}/u);
        await page.screenshot({ path: `${SHOTS}/parts-${lang}-${size}.png`, fullPage: true });
        expect(errors).toEqual([]);
        await page.close();
      }
    },
  );
});
