// The wall screen in Debian's Chromium against the real server on the sample extract, signed in
// with a kiosk token as an operations room would be: it fits 1920×1080 and 3840×2160 without
// overflow, rotates, follows a load made through the server's admin socket within 15 s without a
// reload, shows "stale" while the server is down, and shows nothing once its token is revoked.
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExtract } from '../../fixtures/generate.ts';
import { askServer } from '../../server/src/admin/client.ts';
import { startAdminSocket } from '../../server/src/admin/server.ts';
import { createKiosk, revokeKiosk } from '../../server/src/auth/kiosks.ts';
import { SHOTS, useSampleProduct } from './sample-product.ts';

const product = useSampleProduct();
let token: string;
let admin: Server;
let november: string;

const sql = async <T = Record<string, unknown>>(query: string) => (await product.warehouse.knex.raw(query)).rows as T[];

beforeAll(async () => {
  token = (await createKiosk(product.warehouse.knex, { name: 'ops-room', nodes: ['G'] })).token;
  admin = (await startAdminSocket(product.warehouse, product.server.app))!;
  // The month after the sample, as the group's next nightly extract would bring it.
  november = join(mkdtempSync(join(tmpdir(), 'wall-extract-')), 'nov');
  await generateExtract({ out: november, stores: 4, months: 1, kind: 'incremental', end: '2026-11-30', anchor: '2026-10' });
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => admin?.close(resolve));
});

/** Opens the wall with the kiosk token in its URL; `errors` collects script errors. */
async function openWall(viewport: { width: number; height: number }, query = 'rotate=0', kiosk = token): Promise<{ page: Page; errors: string[] }> {
  const page = await product.browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(`${product.server.base}/wall?kiosk=${kiosk}&${query}`);
  return { page, errors };
}

/** Waits until the page's figures and charts (map, ranking, trend) are drawn. */
async function drawn(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const charts = [...document.querySelectorAll('.wall [data-chart-ready]')];
    return document.documentElement.dataset.busy === '0' && document.querySelectorAll('.tile-value[data-value]:not([data-value=""])').length > 0
      && charts.length === 3 && charts.every((c) => c.getAttribute('data-chart-ready') === 'true');
  }, undefined, { timeout: 20_000, polling: 100 });
}

/** Everything on the wall that leaves the screen or cuts its own text (the ticker scrolls by design). */
const overflowing = (page: Page) => page.evaluate(() => {
  const out: string[] = [];
  const root = document.scrollingElement!;
  if (root.scrollWidth > innerWidth || root.scrollHeight > innerHeight) out.push(`page scrolls: ${root.scrollWidth}×${root.scrollHeight}`);
  for (const el of document.querySelectorAll<HTMLElement>('.wall *')) {
    if (el.closest('.ticker-window')) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) out.push(`off screen: ${el.className} ${el.textContent?.slice(0, 20)}`);
    // Text wider than its box spills into its neighbours or is cut; taller only matters where it is cut
    // (a CJK font's glyphs reach past a tight line box without harm).
    const cut = getComputedStyle(el).overflow !== 'visible';
    if (el.children.length === 0 && el.clientWidth > 0 && (el.scrollWidth > el.clientWidth + 1 || (cut && el.scrollHeight > el.clientHeight + 1))) {
      out.push(`clipped text: ${el.className} "${el.textContent?.slice(0, 20)}"`);
    }
  }
  return out;
});

const tileValue = (page: Page, metric: string) => page.locator(`.wall-tile[data-metric=${metric}] .tile-value`).getAttribute('data-value').then(Number);

describe('wall screen', () => {
  for (const [label, viewport] of [['1080p', { width: 1920, height: 1080 }], ['4k', { width: 3840, height: 2160 }]] as const) {
    it(`fits ${viewport.width}×${viewport.height} on every page: nothing off screen, no clipped text`, async () => {
      const { page, errors } = await openWall(viewport);
      await drawn(page);
      // Unit-less: the kiosk's URL token is gone from the address bar once it has signed in.
      expect(new URL(page.url()).searchParams.has('kiosk')).toBe(false);
      const pages = await page.locator('.page-dots .dot').count();
      expect(pages).toBe(5); // operations and finance at G, then the tour of D1, D2, D3 (fixtures/sample/org.csv)
      for (let i = 0; i < pages; i++) {
        await drawn(page);
        expect(await overflowing(page), `page ${i + 1}`).toEqual([]);
        if (i === 0) await page.screenshot({ path: `${SHOTS}/wall-${label}.png` });
        await page.keyboard.press('ArrowRight');
      }
      // The root font size scales the whole stage: 16 px at 1920×1080, 32 px at 3840×2160.
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe(`${16 * viewport.width / 1920}px`);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);
  }

  it('shows the group\'s month-to-date figures as plain SQL counts them', async () => {
    const { page } = await openWall({ width: 1920, height: 1080 });
    await drawn(page);
    const [expected] = await sql<{ n: number }>(`SELECT count(*) AS n FROM fact_vehicle_sales WHERE sale_type = 'new' AND sale_date BETWEEN '2026-10-01' AND '2026-10-31'`);
    expect(await tileValue(page, 'new_units')).toBe(Number(expected!.n));
    expect(await page.locator('.wall-period').textContent()).toBe('2026年10月');
    await page.close();
  }, 30_000);

  it('rotates through its pages in order: the group, its finance, then each division', async () => {
    const { page, errors } = await openWall({ width: 1920, height: 1080 }, 'rotate=3');
    await page.waitForSelector('.wall[data-page]');
    const seen: { key: string; at: number }[] = [];
    const started = Date.now();
    while (seen.length < 3 && Date.now() - started < 20_000) {
      const key = await page.locator('.wall').getAttribute('data-page');
      if (key && seen.at(-1)?.key !== key) seen.push({ key, at: Date.now() });
      await page.waitForTimeout(100);
    }
    expect(seen.map((s) => s.key)).toEqual(['operations:G', 'finance:G', 'operations:D1']);
    // Each page stays its 3 seconds (give or take the polling).
    expect(seen[2]!.at - seen[1]!.at).toBeGreaterThan(2500);
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);

  it('shows a new load within 15 s, without reloading the page', async () => {
    const { page, errors } = await openWall({ width: 1920, height: 1080 });
    await drawn(page);
    const before = await tileValue(page, 'new_units');
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    const started = Date.now();
    const result = await askServer<{ load: { status: string } }>(product.warehouse.path, '/etl', { source: november });
    expect(result?.load.status).toBe('loaded');
    const [expected] = await sql<{ n: number }>(`SELECT count(*) AS n FROM fact_vehicle_sales WHERE sale_type = 'new' AND sale_date BETWEEN '2026-11-01' AND '2026-11-30'`);
    expect(Number(expected!.n)).not.toBe(before);
    await page.waitForFunction((n) => document.querySelector('.wall-tile[data-metric=new_units] .tile-value')?.getAttribute('data-value') === String(n), Number(expected!.n), { timeout: 15_000, polling: 100 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`wall: the load's figures were on screen ${seconds.toFixed(1)} s after the load was sent`);
    expect(seconds).toBeLessThan(15);
    expect(await page.locator('.wall-period').textContent()).toBe('2026年11月');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('keeps its figures with a "stale since" badge while the server is down, and recovers by itself', async () => {
    const { page } = await openWall({ width: 1920, height: 1080 });
    await drawn(page);
    const shown = await tileValue(page, 'new_units');
    expect(await page.locator('.stale-badge').count()).toBe(0);
    await product.server.stop();
    try {
      await page.waitForSelector('.stale-badge', { timeout: 15_000 });
      expect(await page.locator('.stale-badge').textContent()).toMatch(/^数据未更新 · 自 \d\d:\d\d 起无法连接$/);
      expect(await tileValue(page, 'new_units')).toBe(shown);
      await page.screenshot({ path: `${SHOTS}/wall-stale.png` });
    } finally {
      await product.server.restart();
    }
    await page.waitForSelector('.stale-badge', { state: 'detached', timeout: 15_000 });
    expect(await tileValue(page, 'new_units')).toBe(shown);
    await page.close();
  }, 60_000);

  it('shows nothing once its kiosk token is revoked, and a revoked token opens nothing', async () => {
    const { page } = await openWall({ width: 1920, height: 1080 });
    await drawn(page);
    expect(await revokeKiosk(product.warehouse.knex, 'ops-room')).toBe(true);
    product.server.app.identities.forget(); // what the admin socket does after `npm run users -- revoke`
    await page.waitForSelector('[data-kiosk-refused]', { timeout: 15_000 });
    expect(await page.locator('.wall-tile, .wall-chart').count()).toBe(0);
    await page.close();

    const again = await openWall({ width: 1920, height: 1080 });
    await again.page.waitForSelector('[data-kiosk-refused]', { timeout: 15_000 });
    expect(await again.page.locator('.wall-tile').count()).toBe(0);
    // Someone at the screen may sign in with their own account instead.
    await again.page.click('[data-kiosk-refused] button');
    await again.page.waitForSelector('input[name=username]');
    const api = await fetch(`${product.server.base}/api/kpi?node=G&metrics=new_units&from=2026-11-01&to=2026-11-30`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(401);
    await again.page.close();
  }, 60_000);
});
