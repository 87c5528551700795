// npm run bench:ui — the dashboard's speed in Debian's Chromium on the demo group (40 stores × 36
// months; generated and loaded into data/bench-ui/ on first run):
//   - initial JavaScript: gzip size of what index.html loads before any view (target ≤ 400 KB);
//   - group overview: navigation to every card, chart and request finished (target < 1.5 s);
//   - drill click: click on a bar to the next level's chart drawn (target < 500 ms).
// Each page uses a fresh browser context (empty browser cache). The first overview also meets a
// cold server cache; the rest are warm. Options: --runs N (default 5).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/src/auth/demo-users.ts';
import { openWarehouse } from '../../server/src/db/warehouse.ts';
import { ensureDemo } from '../../server/src/demo.ts';
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
  const chart = page.locator('.ranking .chart').first();
  await chart.scrollIntoViewIfNeeded();
  const point = await chart.evaluate((el, id) => {
    const instance = (el as HTMLElement & { echartsInstance: RankingChart }).echartsInstance;
    const data = instance.getOption().series[0]!.data;
    const index = data.findIndex((d) => d.id === id);
    const [x, y] = instance.convertToPixel({ seriesIndex: 0 }, [data[index]!.value / 2, index]);
    const rect = el.getBoundingClientRect();
    return { x: rect.left + x, y: rect.top + y };
  }, targetId);
  const start = await page.evaluate(() => performance.now());
  await page.mouse.click(point.x, point.y);
  await page.waitForURL(new RegExp(`/drill/${targetId}\\?`));
  return (await whenSettled(page)) - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;

const warehouse = await openWarehouse('data/bench-ui/warehouse.duckdb');
await ensureDemo(warehouse, 'data/bench-ui/demo-extract');
const clientDir = await buildClient();
const server = await startServer(warehouse, { clientDir });
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

const overview: number[] = [];
for (let i = 0; i < runs; i++) {
  const page = await signedInPage(browser, server, groupUser);
  await page.goto(`${server.base}/overview/G`);
  overview.push(await whenSettled(page));
  await page.context().close();
}
console.log(
  `group overview fully rendered: first (cold server cache) ${ms(overview[0]!)}, median of ${runs} ${ms(median(overview))}, max ${ms(Math.max(...overview))} — target < 1500 ms`,
);

const drills: number[] = [];
for (const division of divisions) {
  const page = await signedInPage(browser, server, groupUser);
  await page.goto(`${server.base}/drill/G?metric=new_units`);
  await whenSettled(page);
  drills.push(await drillClick(page, division));
  const region = (
    await warehouse.knex('dim_org').where({ parent_id: division }).orderBy('node_id').first('node_id')
  ).node_id as string;
  drills.push(await drillClick(page, region));
  await page.context().close();
}
console.log(
  `drill click to new chart: median ${ms(median(drills))}, max ${ms(Math.max(...drills))} over ${drills.length} clicks (group→division→region, first visit each) — target < 500 ms`,
);

await browser.close();
await server.close();
await warehouse.close();
