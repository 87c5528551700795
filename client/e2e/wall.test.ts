// The wall screen in Debian's Chromium against the real server on the sample extract, signed in
// with a kiosk token as an operations room would be: it fits 1920×1080 and 3840×2160 without
// overflow, rotates in order, follows a load made through the server's admin socket without a
// reload, shows "stale" while the server is down, and shows nothing once its token is revoked.
// What happens over time is checked as the order of events, logged in the page on its own clock
// (a page shown, the run the version poll saw, a figure, the stale badge) and in its resource
// timings, not as seconds on the test's clock: waits only have generous time-outs, so a slow
// 2-core machine makes the tests slower, not red.
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
import { blankPage } from './browser.ts';
import { SHOTS, useSampleProduct } from './sample-product.ts';

const product = useSampleProduct();
let token: string;
let admin: Server;
let november: string;

const sql = async <T = Record<string, unknown>>(query: string) =>
  (await product.warehouse.knex.raw(query)).rows as T[];

beforeAll(async () => {
  token = (await createKiosk(product.warehouse.knex, { name: 'ops-room', nodes: ['G'] })).token;
  admin = (await startAdminSocket(product.warehouse, product.server.app))!;
  // The month after the sample, as the group's next nightly extract would bring it.
  november = join(mkdtempSync(join(tmpdir(), 'wall-extract-')), 'nov');
  await generateExtract({
    out: november,
    stores: 4,
    months: 1,
    kind: 'incremental',
    end: '2026-11-30',
    anchor: '2026-10',
  });
}, 60_000);

afterAll(async () => {
  if (admin) await new Promise((resolve) => admin.close(resolve));
});

/** Opens the wall with the kiosk token in its URL; `errors` collects script errors. */
async function openWall(
  viewport: { width: number; height: number },
  query = 'rotate=0',
  kiosk = token,
): Promise<{ page: Page; errors: string[] }> {
  const page = await blankPage(product.browser, { viewport });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.addInitScript(recordWallEvents);
  await page.goto(`${product.server.base}/wall?kiosk=${kiosk}&${query}`);
  return { page, errors };
}

type WallEvent = { kind: 'page' | 'run' | 'tile' | 'stale'; value: string | null; at: number };

/**
 * Runs in the page before its own scripts: logs in order, with the page's clock
 * (performance.now()), every change of the page shown, of the data run the wall has seen (its
 * version poll), of the new-units tile's figure ('' while it has none; null without a tile) and of
 * the stale badge.
 */
function recordWallEvents() {
  const log: { kind: string; value: string | null; at: number }[] = [];
  const last: Record<string, string | null | undefined> = {};
  const read: Record<string, () => string | null> = {
    page: () => document.querySelector('.wall')?.getAttribute('data-page') ?? null,
    run: () => document.querySelector('.wall')?.getAttribute('data-run') ?? null,
    tile: () =>
      document.querySelector('.wall-tile[data-metric=new_units] .tile-value')?.getAttribute('data-value') ??
      null,
    stale: () => (document.querySelector('.stale-badge') ? 'shown' : null),
  };
  Object.assign(window, { wallLog: log });
  new MutationObserver(() => {
    const at = performance.now();
    for (const [kind, get] of Object.entries(read)) {
      const value = get();
      if (value !== last[kind]) log.push({ kind, value, at });
      last[kind] = value;
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
}

const wallLog = (page: Page) => page.evaluate(() => (window as unknown as { wallLog: WallEvent[] }).wallLog);
const pageNow = (page: Page) => page.evaluate(() => performance.now());

/** Waits until the page's figures and charts (map, ranking, trend) are drawn. */
async function drawn(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const charts = [...document.querySelectorAll('.wall [data-chart-ready]')];
      return (
        document.documentElement.dataset.busy === '0' &&
        document.querySelectorAll('.tile-value[data-value]:not([data-value=""])').length > 0 &&
        charts.length === 3 &&
        charts.every((c) => c.getAttribute('data-chart-ready') === 'true')
      );
    },
    undefined,
    { timeout: 60_000, polling: 100 },
  );
}

/** Everything on the wall that leaves the screen or cuts its own text (the ticker scrolls by design). */
const overflowing = (page: Page) =>
  page.evaluate(() => {
    const out: string[] = [];
    const root = document.scrollingElement!;
    if (root.scrollWidth > innerWidth || root.scrollHeight > innerHeight)
      out.push(`page scrolls: ${root.scrollWidth}×${root.scrollHeight}`);
    for (const el of document.querySelectorAll<HTMLElement>('.wall *')) {
      if (el.closest('.ticker-window')) continue;
      const r = el.getBoundingClientRect();
      if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5)
        out.push(`off screen: ${el.className} ${el.textContent?.slice(0, 20)}`);
      // Text wider than its box spills into its neighbours or is cut; taller only matters where it is cut
      // (a CJK font's glyphs reach past a tight line box without harm).
      const cut = getComputedStyle(el).overflow !== 'visible';
      if (
        el.children.length === 0 &&
        el.clientWidth > 0 &&
        (el.scrollWidth > el.clientWidth + 1 || (cut && el.scrollHeight > el.clientHeight + 1))
      ) {
        out.push(`clipped text: ${el.className} "${el.textContent?.slice(0, 20)}"`);
      }
    }
    return out;
  });

const tileValue = (page: Page, metric: string) =>
  page.locator(`.wall-tile[data-metric=${metric}] .tile-value`).getAttribute('data-value').then(Number);

describe('wall screen', () => {
  for (const [label, viewport] of [
    ['1080p', { width: 1920, height: 1080 }],
    ['4k', { width: 3840, height: 2160 }],
  ] as const) {
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
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe(
        `${(16 * viewport.width) / 1920}px`,
      );
      expect(errors).toEqual([]);
      await page.close();
    }, 180_000);
  }

  it("shows the group's month-to-date figures as plain SQL counts them", async () => {
    const { page } = await openWall({ width: 1920, height: 1080 });
    await drawn(page);
    const [expected] = await sql<{ n: number }>(
      `SELECT count(*) AS n FROM fact_vehicle_sales WHERE sale_type = 'new' AND sale_date BETWEEN '2026-10-01' AND '2026-10-31'`,
    );
    expect(await tileValue(page, 'new_units')).toBe(Number(expected!.n));
    expect(await page.locator('.wall-period').textContent()).toBe('2026年10月');
    await page.close();
  }, 90_000);

  it('rotates through its pages in order: the group, its finance, then each division', async () => {
    const { page, errors } = await openWall({ width: 1920, height: 1080 }, 'rotate=3');
    await page.waitForFunction(
      () =>
        (window as unknown as { wallLog: WallEvent[] }).wallLog.filter((e) => e.kind === 'page' && e.value)
          .length >= 3,
      undefined,
      { timeout: 60_000, polling: 200 },
    );
    const shown = (await wallLog(page)).filter((e) => e.kind === 'page' && e.value);
    // Every page the wall showed, from its first: none skipped, none repeated.
    expect(shown.slice(0, 3).map((e) => e.value)).toEqual(['operations:G', 'finance:G', 'operations:D1']);
    // A page's 3 seconds start once it is shown, so the next comes no sooner; a slow machine only
    // makes it later. (Not for the first page: its time may start while the wall is still connecting.)
    expect(shown[2]!.at - shown[1]!.at).toBeGreaterThanOrEqual(2900);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('shows a new load in place once it has committed and the version poll has seen its run', async () => {
    const { page, errors } = await openWall({ width: 1920, height: 1080 });
    await drawn(page);
    const before = await tileValue(page, 'new_units');
    const runBefore = await page.locator('.wall').getAttribute('data-run');
    await page.evaluate(() => {
      Object.assign(window, { notReloaded: true });
      performance.setResourceTimingBufferSize(100_000);
      performance.clearResourceTimings();
    });
    const sentAt = await pageNow(page);
    const result = await askServer<{ load: { status: string; run_id: number } }>(
      product.warehouse.path,
      '/etl',
      { source: november },
    );
    expect(result?.load.status).toBe('loaded');
    const run = String(result!.load.run_id);
    expect(run).not.toBe(runBefore);
    // The run the load committed, as the data version reads it back (committed runs only).
    const [committed] = await sql<{ run_id: number }>(
      `SELECT max(run_id) AS run_id FROM etl.runs WHERE status = 'loaded'`,
    );
    expect(String(committed!.run_id)).toBe(run);
    const [expected] = await sql<{ n: number }>(
      `SELECT count(*) AS n FROM fact_vehicle_sales WHERE sale_type = 'new' AND sale_date BETWEEN '2026-11-01' AND '2026-11-30'`,
    );
    const figure = String(Number(expected!.n));
    expect(figure).not.toBe(String(before));
    // A time-out only against a wall that never follows the load.
    await page.waitForFunction(
      (n) =>
        document
          .querySelector('.wall-tile[data-metric=new_units] .tile-value')
          ?.getAttribute('data-value') === n,
      figure,
      { timeout: 60_000, polling: 100 },
    );

    const events = (await wallLog(page)).filter((e) => e.at > sentAt);
    const runSeen = events.find((e) => e.kind === 'run' && e.value === run);
    const figureShown = events.find((e) => e.kind === 'tile' && e.value === figure);
    expect(runSeen, JSON.stringify(events)).toBeDefined();
    // The order: the load is sent → a version poll answers (with the committed run, which the wall
    // then shows) → after that answer the wall asks for the new month's figures → they replace the
    // old ones. Only comparisons that hold however busy the page's main thread is: a DOM change is
    // logged at or after it happens, a request starts after the answer that caused it was received.
    const resources = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({
        url: r.name,
        start: r.startTime,
        end: r.responseEnd,
      })),
    );
    const versionAnswers = resources.filter(
      (r) => r.url.includes('/api/version') && r.end > sentAt && r.end <= runSeen!.at,
    );
    const newFigures = resources.filter(
      (r) => r.url.includes('/api/kpi?') && r.url.includes('new_units') && r.url.includes('from=2026-11-01'),
    );
    const trace = JSON.stringify({
      sentAt,
      events,
      newFigures,
      versions: resources.filter((r) => r.url.includes('/api/version')),
    });
    expect(
      versionAnswers.length,
      `a version poll answered between the load and the run on screen: ${trace}`,
    ).toBeGreaterThan(0);
    // The last answer before the run changed on screen is the one that brought it.
    const newRunAnswer = versionAnswers.reduce((a, b) => (b.end > a.end ? b : a));
    expect(
      newFigures.some((r) => r.start >= newRunAnswer.end && r.end <= figureShown!.at),
      trace,
    ).toBe(true);
    expect(events.indexOf(runSeen!)).toBeLessThan(events.indexOf(figureShown!));
    // In place: the tile went from the old figure to the new one, never blank, and changed only after the run was seen.
    const tile = events.filter((e) => e.kind === 'tile');
    expect(tile.map((e) => e.value)).toEqual([figure]);
    expect(await page.locator('.wall-period').textContent()).toBe('2026年11月');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    console.log(
      `wall: the load's figures were on screen ${((figureShown!.at - sentAt) / 1000).toFixed(1)} s after the load was sent (for information)`,
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('keeps its figures with a "stale since" badge while the server is down, and recovers by itself', async () => {
    const { page } = await openWall({ width: 1920, height: 1080 });
    await drawn(page);
    const shown = await tileValue(page, 'new_units');
    expect(await page.locator('.stale-badge').count()).toBe(0);
    const stoppedAt = await pageNow(page);
    const stoppedAtClock = Date.now();
    await product.server.stop();
    let restartedAt: number;
    try {
      await page.waitForSelector('.stale-badge', { timeout: 60_000 });
      // "Since" is the time of the last answer, which came before the server stopped.
      const since = Number(await page.locator('.stale-badge').getAttribute('data-stale-since'));
      expect(since).toBeLessThanOrEqual(stoppedAtClock);
      const hhmm = await page.evaluate((t) => new Date(t).toTimeString().slice(0, 5), since);
      expect(await page.locator('.stale-badge').textContent()).toBe(`数据未更新 · 自 ${hhmm} 起无法连接`);
      expect(await tileValue(page, 'new_units')).toBe(shown);
      await page.screenshot({ path: `${SHOTS}/wall-stale.png` });
    } finally {
      restartedAt = await pageNow(page);
      await product.server.restart();
    }
    await page.waitForSelector('.stale-badge', { state: 'detached', timeout: 60_000 });
    expect(await tileValue(page, 'new_units')).toBe(shown);
    // The badge came only after the server stopped and went only after it was back; the figure never changed.
    const events = (await wallLog(page)).filter((e) => e.at > stoppedAt);
    const badge = events.filter((e) => e.kind === 'stale');
    expect(badge.map((e) => e.value)).toEqual(['shown', null]);
    expect(badge[1]!.at).toBeGreaterThan(restartedAt);
    expect(events.filter((e) => e.kind === 'tile')).toEqual([]);
    await page.close();
  }, 150_000);

  it('shows nothing once its kiosk token is revoked, and a revoked token opens nothing', async () => {
    const { page } = await openWall({ width: 1920, height: 1080 });
    await drawn(page);
    expect(await revokeKiosk(product.warehouse.knex, 'ops-room')).toBe(true);
    product.server.app.identities.forget(); // what the admin socket does after `npm run users -- revoke`
    await page.waitForSelector('[data-kiosk-refused]', { timeout: 60_000 });
    expect(await page.locator('.wall-tile, .wall-chart').count()).toBe(0);
    await page.close();

    const again = await openWall({ width: 1920, height: 1080 });
    await again.page.waitForSelector('[data-kiosk-refused]', { timeout: 60_000 });
    expect(await again.page.locator('.wall-tile').count()).toBe(0);
    // Someone at the screen may sign in with their own account instead.
    await again.page.click('[data-kiosk-refused] button');
    await again.page.waitForSelector('input[name=username]');
    const api = await fetch(
      `${product.server.base}/api/kpi?node=G&metrics=new_units&from=2026-11-01&to=2026-11-30`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(api.status).toBe(401);
    await again.page.close();
  }, 150_000);
});
