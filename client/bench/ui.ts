// npm run bench:ui — the dashboard's speed in Debian's Chromium on the demo group (40 stores × 36
// months; generated and loaded into data/bench-ui/ on first run):
//   - initial JavaScript: gzip size of what index.html loads before any view (target ≤ 400 KB);
//   - sign-in: Enter pressed on the login form → the group overview fully drawn, against the floor
//     of the same run: the sign-in answer plus the slowest single data request of the page (no
//     request waits for another); target ≤ 1.5 × the floor;
//   - group overview from a bookmark (already signed in): every card, chart and request finished;
//   - ranking click: a click on a unit in the overview's ranking → that unit's own ranking drawn,
//     the pointer resting on the bar for 150 ms first as a hand does (target ≤ 300 ms), and with no
//     rest at all; each with the server's cache emptied before the click, and warm;
//   - drill click: a bar in the drill view → the next level's chart drawn (target < 500 ms).
// Each page uses a fresh browser context (empty browser cache). The first page also meets a cold
// server cache; the rest are warm. Options: --runs N (default 5).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/src/auth/demo-users.ts';
import { openWarehouse } from '../../server/src/db/warehouse.ts';
import { ensureDemo } from '../../server/src/demo.ts';
import { createLogger } from '../../server/src/logger.ts';
import { buildRollupIfStale } from '../../server/src/metrics/rollup.ts';
import { startServer, type TestServer } from '../../server/src/test/http.ts';
import { DESKTOP, launchBrowser } from '../e2e/browser.ts';
import { buildClient } from '../e2e/server.ts';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(args.runs);

/** Resolves with performance.now() (ms since navigation) once nothing is loading and every chart has drawn. */
const whenSettled = (page: Page) =>
  page
    .waitForFunction(
      () => {
        const idle =
          document.documentElement.dataset.busy === '0' &&
          !document.querySelector('.state.loading') &&
          document.querySelector('[data-view]');
        const charts = [...document.querySelectorAll('[data-chart-ready]')];
        return idle &&
          charts.length > 0 &&
          charts.every((el) => el.getAttribute('data-chart-ready') === 'true')
          ? performance.now()
          : false;
      },
      undefined,
      { timeout: 30_000, polling: 'raf' },
    )
    .then((h) => h.jsonValue() as Promise<number>);

function initialJsKb(clientDir: string): { files: string[]; gzipKb: number } {
  const html = readFileSync(join(clientDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const bytes = files.reduce((n, f) => n + gzipSync(readFileSync(join(clientDir, f))).length, 0);
  return { files, gzipKb: bytes / 1024 };
}

async function signedInPage(browser: Browser, server: TestServer, username: string): Promise<Page> {
  const res = await fetch(`${server.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const body = (await res.json()) as { token: string; expires_in: number; user: unknown };
  const context = await browser.newContext({ viewport: DESKTOP });
  await context.addInitScript(
    (session) => localStorage.setItem('cockpit.session', session),
    JSON.stringify({ token: body.token, expiresAt: Date.now() + body.expires_in * 1000, user: body.user }),
  );
  return context.newPage();
}

/** What the drill click needs of the ranking's ECharts instance. */
interface RankingChart {
  getOption(): { series: { data: { id: string; value: number }[] }[] };
  convertToPixel(finder: { seriesIndex: number }, value: number[]): [number, number];
}

async function drillClick(page: Page, targetId: string): Promise<number> {
  const point = await barPoint(page, targetId);
  const start = await page.evaluate(() => performance.now());
  await page.mouse.click(point.x, point.y);
  await page.waitForURL(new RegExp(`/drill/${targetId}\\?`));
  return (await whenSettled(page)) - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;

const warehouse = await openWarehouse('data/bench-ui/warehouse.duckdb');
await ensureDemo(warehouse, 'data/bench-ui/demo-extract');
// As npm start does for a warehouse loaded before the roll-up (or its definition) changed.
await buildRollupIfStale(warehouse.knex);
const clientDir = await buildClient();
// As the product serves: answers not checked against the contract (a test's job), a log of warnings only.
const server = await startServer(warehouse, {
  clientDir,
  checkResponses: false,
  logger: createLogger({ level: 'warn', json: true, destination: process.stderr }),
});
const browser = await launchBrowser();
const groupUser = (await warehouse.knex('app.users').where({ role: 'group' }).first('username'))
  .username as string;
const divisions = (
  (await warehouse.knex('dim_org').where({ parent_id: 'G' }).orderBy('node_id').select('node_id')) as {
    node_id: string;
  }[]
).map((d) => d.node_id);

const js = initialJsKb(clientDir);
console.log(`initial JavaScript: ${js.gzipKb.toFixed(1)} KB gzip (${js.files.join(', ')}) — target ≤ 400 KB`);

interface SignIn {
  drawn: number;
  floor: number;
  login: number;
  slowest: number;
  requests: number;
  /** From the sign-in answer to the last data request leaving: what a waterfall would lengthen. */
  lastLeft: number;
  /** From the last data answer to the page drawn: the browser's own work (render, layout, charts). */
  afterLast: number;
}

/**
 * Sign-in through the form; times are from Enter, the floor from the page's own resource timings.
 * `cold`: the server's response cache is emptied first (the first user after a load).
 */
async function signInToOverview(cold: boolean): Promise<SignIn> {
  if (cold) server.app.cache.invalidate();
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto(`${server.base}/`);
  await page.fill('input[name=username]', groupUser);
  await page.fill('input[name=password]', DEMO_PASSWORD);
  // A person takes seconds to type a password; the login page uses them to fetch the next page's
  // code and the chart library. Playwright types at once, so it waits for that to have finished.
  await page.waitForLoadState('networkidle');
  // Playwright's own page script is set up by its first wait: before the clock starts, not inside it.
  await page.waitForFunction(() => true, undefined, { polling: 'raf' });
  const start = await page.evaluate(() => performance.now());
  await page.press('input[name=password]', 'Enter');
  await page.waitForURL(/\/overview\/G/);
  const drawn = (await whenSettled(page)) - start;
  const timings = await page.evaluate(
    (from) =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => e.name.includes('/api/'))
        .map((e) => ({ url: e.name, start: e.startTime - from, end: e.responseEnd - from })),
    start,
  );
  await context.close();
  const login = timings.find((t) => t.url.includes('/api/auth/login'))!;
  const data = timings.filter((t) => t !== login);
  const slowest = Math.max(...data.map((t) => t.end - t.start));
  return {
    drawn,
    floor: login.end - login.start + slowest,
    login: login.end - login.start,
    slowest,
    requests: data.length,
    lastLeft: Math.max(...data.map((t) => t.start)) - login.end,
    afterLast: drawn - Math.max(...data.map((t) => t.end)),
  };
}

for (const cold of [true, false]) {
  const signIns: SignIn[] = [];
  for (let i = 0; i < runs; i++) signIns.push(await signInToOverview(cold));
  const ratios = signIns.map((s) => s.drawn / s.floor);
  console.log(
    `sign-in → group overview fully drawn (${cold ? 'server cache emptied before each' : 'server cache warm'}): ` +
      `median ${ms(median(signIns.map((s) => s.drawn)))}, floor median ${ms(median(signIns.map((s) => s.floor)))}, ` +
      `(sign-in answer ${ms(median(signIns.map((s) => s.login)))}, slowest data request ${ms(median(signIns.map((s) => s.slowest)))}), ` +
      `ratio median ${median(ratios).toFixed(2)} max ${Math.max(...ratios).toFixed(2)} over ${signIns[0]!.requests} API requests — target ≤ 1.5 × floor; ` +
      `the last data request left ${ms(median(signIns.map((s) => s.lastLeft)))} after the sign-in answer, ` +
      `the page was drawn ${ms(median(signIns.map((s) => s.afterLast)))} after the last data answer (medians)`,
  );
}

const overview: number[] = [];
for (let i = 0; i < runs; i++) {
  const page = await signedInPage(browser, server, groupUser);
  await page.goto(`${server.base}/overview/G`);
  overview.push(await whenSettled(page));
  await page.context().close();
}
console.log(
  `group overview from a bookmark, fully rendered: first ${ms(overview[0]!)}, median of ${runs} ${ms(median(overview))}, max ${ms(Math.max(...overview))} — target < 1500 ms`,
);

/** The pixel centre of a unit's bar in the ranking chart (canvas: found through the ECharts instance). */
async function barPoint(page: Page, targetId: string): Promise<{ x: number; y: number }> {
  const chart = page.locator('.ranking .chart').first();
  await chart.scrollIntoViewIfNeeded();
  return chart.evaluate((el, id) => {
    const instance = (el as HTMLElement & { echartsInstance: RankingChart }).echartsInstance;
    const data = instance.getOption().series[0]!.data;
    const index = data.findIndex((d) => d.id === id);
    const [x, y] = instance.convertToPixel({ seriesIndex: 0 }, [data[index]!.value / 2, index]);
    const rect = el.getBoundingClientRect();
    return { x: rect.left + x, y: rect.top + y };
  }, targetId);
}

/** Resolves when the ranking chart shows exactly `ids` (the next level's units), drawn. */
const rankingShows = (page: Page, ids: string[]) =>
  page
    .waitForFunction(
      (want) => {
        const el = document.querySelector('.ranking .chart') as
          (HTMLElement & { echartsInstance?: RankingChart }) | null;
        if (!el?.echartsInstance || el.getAttribute('data-chart-ready') !== 'true') return false;
        // Between two pages the instance may be disposed and have no option at all.
        const option = el.echartsInstance.getOption() as ReturnType<RankingChart['getOption']> | undefined;
        const data = option?.series[0]?.data ?? [];
        const shown = data.map((d) => d.id).sort();
        return shown.length === want.length && shown.every((id, i) => id === want[i])
          ? performance.now()
          : false;
      },
      [...ids].sort(),
      { timeout: 30_000, polling: 'raf' },
    )
    .then((h) => h.jsonValue() as Promise<number>);

const childrenOf = async (id: string) =>
  (
    (await warehouse.knex('dim_org').where({ parent_id: id }).orderBy('node_id').select('node_id')) as {
      node_id: string;
    }[]
  ).map((d) => d.node_id);

async function rankingClick(restMs: number, coldServer: boolean): Promise<number[]> {
  const times: number[] = [];
  for (const division of divisions) {
    const page = await signedInPage(browser, server, groupUser);
    await page.goto(`${server.base}/overview/G`);
    await whenSettled(page);
    const point = await barPoint(page, division);
    // A cold server cache: the first user to open this unit since the load. Warm: another user
    // (or this one's earlier pass) asked already; the browser's own cache is empty either way.
    if (coldServer) server.app.cache.invalidate();
    await page.mouse.move(point.x, point.y);
    if (restMs) await page.waitForTimeout(restMs);
    const start = await page.evaluate(() => performance.now());
    await page.mouse.down();
    await page.mouse.up();
    times.push((await rankingShows(page, await childrenOf(division))) - start);
    await page.context().close();
  }
  return times;
}
/** Puts every division's overview answers in the server's cache, as a user who opened them would. */
async function warmDivisions(): Promise<void> {
  for (const division of divisions) {
    const page = await signedInPage(browser, server, groupUser);
    await page.goto(`${server.base}/overview/${division}`);
    await whenSettled(page);
    await page.context().close();
  }
}

for (const [rest, cold] of [
  [150, true],
  [0, true],
  [150, false],
  [0, false],
] as const) {
  // A cold pass leaves the cache emptied before its last click: warm it for the warm passes.
  if (!cold) await warmDivisions();
  const times = await rankingClick(rest, cold);
  console.log(
    `overview ranking click → next level's ranking drawn (${rest ? `pointer rests ${rest} ms first` : 'click at once'}, server cache ${cold ? 'emptied' : 'warm'}): ` +
      `median ${ms(median(times))}, max ${ms(Math.max(...times))} over ${times.length} clicks — target ≤ 300 ms`,
  );
}

const drills: number[] = [];
for (const division of divisions) {
  const page = await signedInPage(browser, server, groupUser);
  await page.goto(`${server.base}/drill/G?metric=new_units`);
  await whenSettled(page);
  drills.push(await drillClick(page, division));
  const region = (await childrenOf(division))[0]!;
  drills.push(await drillClick(page, region));
  await page.context().close();
}
console.log(
  `drill click to new chart: median ${ms(median(drills))}, max ${ms(Math.max(...drills))} over ${drills.length} clicks (group→division→region, first visit each) — target < 500 ms`,
);

await browser.close();
await server.close();
await warehouse.close();
