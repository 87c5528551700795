// The dashboard in Debian's Chromium against the real server on the sample extract. Figures on
// screen are checked against plain SQL on the warehouse, not against the client's own code.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addUser } from '../../server/src/auth/users.ts';
import { blankPage, DESKTOP, PHONE, settled, signIn } from './browser.ts';
import { DEMO_PASSWORD, SAMPLE_STORE } from './server.ts';
import { SHOTS, useSampleProduct } from './sample-product.ts';

const product = useSampleProduct();

const pageErrors = new WeakMap<Page, string[]>();

/** A new page that records its uncaught script errors (`close` fails the test if there were any). */
async function newPage(viewport: { width: number; height: number } = DESKTOP): Promise<Page> {
  const page = await blankPage(product.browser, { viewport, acceptDownloads: true });
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (err) => errors.push(String(err)));
  return page;
}

async function close(page: Page): Promise<void> {
  await page.close();
  expect(pageErrors.get(page), 'script errors on the page').toEqual([]);
}

async function open(
  role: string,
  path = '/',
  viewport: { width: number; height: number } = DESKTOP,
  username = product.users[role]!,
): Promise<Page> {
  const page = await newPage(viewport);
  await signIn(page, product.server.base, username, DEMO_PASSWORD, path);
  await settled(page);
  return page;
}

type Row = Record<string, number>;
const sql = async (query: string, bindings: unknown[] = []) =>
  ((await product.warehouse.knex.raw(query, bindings as never[])) as unknown as { rows: Row[] }).rows;
/** The number in a figure as shown (the minus sign is U+2212 on screen). */
const digits = (text: string | null) => Number((text ?? '').replace(/\u2212/g, '-').replace(/[^\d.-]/g, ''));

/** Presses Tab, as a keyboard user does, until the focused element matches `selector`. */
async function tabTo(page: Page, selector: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${max} presses of Tab never reached ${selector}`);
}

/** The KPI card (or element with an id) that has the focus, or holds it (a card's ⓘ). */
const focused = (page: Page) =>
  page.evaluate(
    () =>
      document.activeElement?.closest('[data-metric]')?.getAttribute('data-metric') ??
      document.activeElement?.id ??
      null,
  );

/** Clicks the bar of `id` in the chart inside `panel` (bars are drawn on a canvas, so find its pixel). */
async function clickBar(page: Page, panel: string, id: string): Promise<void> {
  const chart = page.locator(`${panel} .chart`).first();
  await chart.scrollIntoViewIfNeeded();
  const point = await chart.evaluate((el, barId) => {
    const instance = (el as HTMLElement & { echartsInstance: any }).echartsInstance;
    const data = instance.getOption().series[0].data as { id: string; value: number }[];
    const index = data.findIndex((d) => d.id === barId);
    if (index < 0) throw new Error(`no bar ${barId}`);
    const [x, y] = instance.convertToPixel({ seriesIndex: 0 }, [data[index]!.value / 2, index]);
    const rect = el.getBoundingClientRect();
    return { x: rect.left + x, y: rect.top + y };
  }, id);
  await page.mouse.click(point.x, point.y);
}

describe('dashboard in Chromium', () => {
  it.each([
    ['group', '/overview/G'],
    ['division', '/overview/D1'],
    ['region', '/overview/D1-R1'],
    ['store', `/overview/${SAMPLE_STORE}`],
    ['finance', '/finance/G'],
    ['special', '/overview/D1-R1'],
  ])('the %s user signs in and lands on their home view', async (role, home) => {
    const page = await open(role);
    expect(new URL(page.url()).pathname).toBe(home);
    expect(await page.locator('.kpi-card').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/home-${role}-desktop.png`, fullPage: true });
    await close(page);
  });

  it('shows the same new and used units as the warehouse, at the group and for each division', async () => {
    const page = await open('group', '/drill/G?metric=new_units&p=2026-10');
    const [expected] =
      await sql(`SELECT count(*) FILTER (WHERE sale_type = 'new') AS new_units, count(*) FILTER (WHERE sale_type = 'used') AS used_units
      FROM fact_vehicle_sales WHERE sale_date BETWEEN '2026-10-01' AND '2026-10-31'`);
    const byDivision =
      await sql(`SELECT o.parent_id AS region, r.parent_id AS division, count(*) AS n FROM fact_vehicle_sales f
      JOIN dim_org o ON o.node_id = f.store_id JOIN dim_org r ON r.node_id = o.parent_id
      WHERE f.sale_type = 'new' AND f.sale_date BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY ALL`);
    const divisions = new Map<string, number>();
    for (const r of byDivision)
      divisions.set(String(r.division), (divisions.get(String(r.division)) ?? 0) + Number(r.n));

    const rows = await page.locator('.data-table tbody tr').all();
    expect(rows.length).toBe((await sql(`SELECT count(*) AS n FROM dim_org WHERE parent_id = 'G'`))[0]!.n);
    for (const row of rows) {
      const href = await row.locator('a').getAttribute('href');
      const id = decodeURIComponent(href!.split('?')[0]!.split('/').pop()!);
      expect(digits(await row.locator('td').nth(1).textContent()), id).toBe(divisions.get(id) ?? 0);
    }
    await page.goto(`${product.server.base}/overview/G?p=2026-10`);
    await settled(page);
    expect(digits(await page.locator('[data-metric=new_units] .kpi-value').textContent())).toBe(
      Number(expected!.new_units),
    );
    expect(digits(await page.locator('[data-metric=used_units] .kpi-value').textContent())).toBe(
      Number(expected!.used_units),
    );
    await close(page);
  });

  it('shows on every KPI card the value the API gives for that node and period', async () => {
    const page = await open('group', '/overview/G?p=2026Q3');
    const cards = await page
      .locator('.kpi-card')
      .evaluateAll((els) =>
        els.map((el) => [
          el.getAttribute('data-metric'),
          el.querySelector('.kpi-value')!.getAttribute('data-value'),
        ]),
      );
    const token = await product.server.login(product.users.group!, DEMO_PASSWORD);
    // The sample's data start in August, and a period starts no earlier than the data.
    const api = await product.server.get(
      `/api/kpi?node=G&from=2026-08-01&to=2026-09-30&metrics=${cards.map((c) => c[0]).join(',')}`,
      token,
    );
    expect(cards.length).toBe(10);
    for (const [id, shown] of cards)
      expect(shown === '' ? null : Number(shown), id!).toBe(api.body.metrics[id!].value);
    await close(page);
  });

  it("lists each unit and metric once in the overview's risk panel, saying how many more alerts it folds", async () => {
    const token = await product.server.login(product.users.group!, DEMO_PASSWORD);
    const listed = async () =>
      (await product.server.get('/api/alerts?node=G&status=open&limit=1000', token)).body.alerts as {
        id: number;
        node: { id: string };
        metric: { id: string };
      }[];
    // A second rule on the same metric flags one of the panel's units too, as a threshold and the
    // peer comparison may both do (in this file's own warehouse; removed again below).
    let flagged: Row | undefined;
    for (const shown of (await listed()).slice(0, 6)) {
      [flagged] = await sql(
        `INSERT INTO app.alerts (rule_id, node_id, metric_id, status, level, period, last_period, value,
          threshold, score, within, first_seen, last_seen)
        SELECT r.rule_id, a.node_id, a.metric_id, 'open', 'warning', a.period, a.last_period, a.value,
          r.warning, a.score, false, a.first_seen, a.last_seen
        FROM app.alerts a JOIN app.risk_rules r ON r.metric_id = a.metric_id AND r.rule_id <> a.rule_id
        WHERE a.alert_id = ? LIMIT 1
        RETURNING alert_id, node_id, metric_id`,
        [shown.id],
      );
      if (flagged) break;
    }
    expect(flagged, "one of the panel's alerts has a metric with a second rule").toBeDefined();
    product.server.app.cache.invalidate();
    try {
      const page = await open('group', '/overview/G');
      const alerts = await listed();
      // Counted here from the API's list, in its order (worst first).
      const count = new Map<string, number>();
      for (const a of alerts) {
        const key = `${a.node.id}|${a.metric.id}`;
        count.set(key, (count.get(key) ?? 0) + 1);
      }
      expect(count.get(`${flagged!.node_id}|${flagged!.metric_id}`)).toBe(2);
      const rows = await page
        .locator('.risks .risk-list li')
        .evaluateAll((lis) =>
          lis.map((li) => [
            `${li.getAttribute('data-node')}|${li.getAttribute('data-metric')}`,
            Number(li.getAttribute('data-more')),
          ]),
        );
      expect(rows).toEqual([...count.entries()].slice(0, 6).map(([key, n]) => [key, n - 1]));
      await close(page);
    } finally {
      await sql('DELETE FROM app.alerts WHERE alert_id = ?', [flagged!.alert_id]);
      product.server.app.cache.invalidate();
    }
  });

  it('drills two levels down by clicking a bar and then a table row', async () => {
    const page = await open('group', '/drill/G?metric=new_units');
    await clickBar(page, '.ranking', 'D1');
    await page.waitForURL(/\/drill\/D1\?/);
    await settled(page);
    expect(await page.locator('.breadcrumb [aria-current=page]').textContent()).toBe(
      (await sql(`SELECT name FROM dim_org WHERE node_id = 'D1'`))[0]!.name as unknown as string,
    );
    await page.locator('.data-table tbody tr', { hasText: '华东区' }).first().click();
    await page.waitForURL(/\/drill\/D1-R1\?/);
    await settled(page);
    const stores = await sql(`SELECT name FROM dim_org WHERE parent_id = 'D1-R1' ORDER BY node_id`);
    expect(await page.locator('.data-table tbody tr td:first-child').allTextContents()).toEqual(
      stores.map((s) => String(s.name)),
    );
    expect(new URL(page.url()).searchParams.get('metric')).toBe('new_units');
    await close(page);
  });

  it('refuses a store manager who edits the URL to another store, showing no figures', async () => {
    const page = await open('store');
    await page.goto(`${product.server.base}/overview/S0002`);
    await page.waitForSelector('[data-state=no-access]');
    // One refusal for the page, not one per panel.
    expect(await page.locator('[data-state=no-access]').count()).toBe(1);
    expect(await page.locator('[data-state=no-access]').textContent()).toContain('无权访问');
    expect(await page.locator('.kpi-card').count()).toBe(0);
    await page.goto(`${product.server.base}/drill/G?metric=new_units`);
    await page.waitForSelector('[data-state=no-access]');
    expect(await page.locator('.data-table').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/no-access-desktop.png` });
    await close(page);
  });

  it('shows a store manager their rank among stores of their type, with the peer group, without peer names or gaps that would reveal them', async () => {
    const page = await open('store', `/overview/${SAMPLE_STORE}?metric=new_units`);
    const rank = await page.locator('.peer-rank').getAttribute('data-rank');
    // Like with like: stores of the same type (no main brand is shared by 3 stores in the sample).
    const stores = await sql(
      `SELECT o.node_id AS store_id, count(f.store_id) AS n FROM dim_org o
      LEFT JOIN fact_vehicle_sales f ON f.store_id = o.node_id AND f.sale_type = 'new' AND f.sale_date BETWEEN '2026-10-01' AND '2026-10-31'
      WHERE o.level = 'store' AND o.store_type = (SELECT store_type FROM dim_org WHERE node_id = ?) GROUP BY ALL`,
      [SAMPLE_STORE],
    );
    const own = Number(stores.find((s) => String(s.store_id) === SAMPLE_STORE)!.n);
    expect(Number(rank)).toBe(stores.filter((s) => Number(s.n) > own).length + 1);
    expect(Number(await page.locator('.peer-rank').getAttribute('data-of'))).toBe(stores.length);
    expect(await page.locator('.peer-group').textContent()).toBe(`同类：4S店，共${stores.length}家`);
    // Among so few peers the median would give a peer's figure away: no gaps for a store manager.
    expect(stores.length - 1).toBeLessThan(5);
    expect(await page.locator('[data-gap]').count()).toBe(0);
    expect(await page.locator('.peer-list').count()).toBe(0); // a store manager does not see the peers' figures
    const text = await page.locator('main').textContent();
    for (const other of await sql(`SELECT name FROM dim_org WHERE level = 'store' AND node_id <> ?`, [
      SAMPLE_STORE,
    ]))
      expect(text).not.toContain(String(other.name));
    await close(page);
  });

  it('drills products from imported/domestic to brand and keeps the path in the URL', async () => {
    const page = await open('group', '/product/G?metric=new_units');
    const byOrigin =
      await sql(`SELECT p.origin, count(*) AS n FROM fact_vehicle_sales f JOIN dim_product p USING (model_id)
      WHERE f.sale_type = 'new' AND f.sale_date BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY ALL`);
    const origins = await page
      .locator('.data-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => [r.children[0]!.textContent, r.children[1]!.textContent]));
    expect(origins.length).toBeGreaterThan(0);
    const originName: Record<string, string> = { domestic: '国产', imported: '进口' };
    expect(
      new Map(origins.map(([o, n]): [string, number] => [o!, digits(n!)]).filter(([, n]) => n !== 0)),
    ).toEqual(new Map(byOrigin.map((r) => [originName[String(r.origin)]!, Number(r.n)])));
    await page.locator('.data-table tbody tr', { hasText: '国产' }).click();
    await page.waitForURL(/path=origin%3Adomestic/);
    await settled(page);
    const brands =
      await sql(`SELECT p.brand, count(*) AS n FROM fact_vehicle_sales f JOIN dim_product p USING (model_id)
      WHERE f.sale_type = 'new' AND p.origin = 'domestic' AND f.sale_date BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY ALL`);
    const shown = await page
      .locator('.data-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => [r.children[0]!.textContent, r.children[1]!.textContent]));
    // Brands with only used sales in the month are listed with 0 new units.
    expect(
      new Map(
        shown
          .map(([b, n]): [string, number] => [b!, Number(n!.replace(/\D/g, ''))])
          .filter(([, n]) => n !== 0),
      ),
    ).toEqual(new Map(brands.map((b) => [String(b.brand), Number(b.n)])));
    await close(page);
  });

  it('keeps period, comparison and language in the URL, so a bookmark reopens the same view', async () => {
    const page = await open('group', '/overview/G');
    await page.selectOption('.period-picker select >> nth=0', 'quarter');
    // The quarter picker opens on the last complete quarter (the sample's data end on 31 October).
    await page.waitForURL(/p=2026Q3/);
    expect(await page.locator('.period-picker select >> nth=1 >> option:checked').textContent()).toBe(
      '2026年8–9月',
    ); // the data start in August
    expect(await page.locator('.period-picker select >> nth=1 >> option[value="2026Q4"]').textContent()).toBe(
      '2026年Q4至今',
    );
    await page.selectOption('.period-picker select >> nth=1', '2026Q4');
    await page
      .getByRole('group', { name: '对比' })
      .getByRole('button', { name: '同比', exact: true })
      .click();
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(
      (url) =>
        url.searchParams.get('lang') === 'en' &&
        url.searchParams.get('cmp') === 'yoy' &&
        url.searchParams.get('p') === '2026Q4',
    );
    const bookmark = page.url();
    const again = await newPage();
    await again.goto(product.server.base);
    await again.evaluate(
      (s) => localStorage.setItem('cockpit.session', s),
      await page.evaluate(() => localStorage.getItem('cockpit.session')!),
    );
    await again.goto(bookmark);
    await settled(again);
    expect(await again.locator('.tab.active').textContent()).toBe('Overview');
    expect(await again.locator('.period-picker select >> nth=1').inputValue()).toBe('2026Q4');
    expect(await again.locator('.period-picker select >> nth=1 >> option:checked').textContent()).toBe(
      '2026 Q4 to date',
    );
    expect(await again.locator('#kpi-heading').textContent()).toContain('2026 Q4 to date');
    expect(
      await again
        .getByRole('group', { name: 'Compare' })
        .getByRole('button', { name: 'vs last year', exact: true })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    await close(again);
    await close(page);
  });

  it('is keyboard navigable: skip link, a KPI card chosen with Enter, a ranked unit opened with Enter', async () => {
    const page = await open('group', '/overview/G');
    await page.reload(); // start from the top of a fresh page, as a keyboard user arriving would
    await settled(page);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('main');

    await tabTo(page, '[data-metric=used_units]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/metric=used_units/);
    expect(await page.locator('[data-metric=used_units]').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('new_gross_incl_rebate_per_unit');

    // The ranking chart is drawn on a canvas: its units are links in the table below it too.
    await tabTo(page, '.ranking .data-table tbody a');
    const target = await page.evaluate(() => document.activeElement!.getAttribute('href')!);
    expect(target).toMatch(/^\/overview\/D\d/);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === target.split('?')[0]);
    expect(await focused(page)).toBe('main'); // a new page: focus goes to its content
    await close(page);
  });

  it('opens the drill of a finance KPI from its card', async () => {
    const page = await open('finance');
    await page.locator('a.kpi-card[data-metric=inventory_coefficient]').click();
    await page.waitForURL(/\/drill\/G\?metric=inventory_coefficient/);
    await settled(page);
    expect(await page.locator('.data-table').count()).toBe(1);
    await close(page);
  });

  it('shows change on last month and last year and budget attainment as plain SQL works them out', async () => {
    const page = await open('group', '/overview/G?p=2026-10');
    const newUnits = async (from: string, to: string) =>
      Number(
        (
          await sql(
            `SELECT count(*) AS n FROM fact_vehicle_sales WHERE sale_type = 'new' AND sale_date BETWEEN ? AND ?`,
            [from, to],
          )
        )[0]!.n,
      );
    const actual = await newUnits('2026-10-01', '2026-10-31');
    const previous = await newUnits('2026-09-01', '2026-09-30');
    const lastYear = await newUnits('2025-10-01', '2025-10-31');
    const target = Number(
      (
        await sql(
          `SELECT sum(target) AS t FROM fact_budget WHERE metric_id = 'new_units' AND period = DATE '2026-10-01'`,
        )
      )[0]!.t,
    );
    expect(actual * previous * target).toBeGreaterThan(0);
    const change = (base: number) => {
      const shown = (Math.abs(actual / base - 1) * 100).toFixed(1);
      return `${shown === '0.0' ? '' : actual > base ? '+' : '\u2212'}${shown}%`;
    };

    const card = page.locator('.kpi-card[data-metric=new_units]');
    expect(await card.locator('[data-compare=prev]').textContent()).toBe(`环比 ${change(previous)}`);
    // October 2025 lies before the sample's data: nothing to compare with (not a change on zero).
    const [start] = (await sql(
      `SELECT min(sale_date)::VARCHAR AS day FROM fact_vehicle_sales`,
    )) as unknown as { day: string }[];
    expect(start!.day > '2025-10-31' && lastYear === 0).toBe(true);
    expect(await card.locator('[data-compare=yoy]').textContent()).toBe('同比 无可比数据');
    expect(await card.locator('[data-compare=budget]').textContent()).toBe(
      `完成率 ${((actual / target) * 100).toFixed(1)}%`,
    );
    await close(page);
  });

  it('shows "page not found" for a malformed address, and no KPI cards as empty rather than loading', async () => {
    const page = await open('group');
    await page.goto(`${product.server.base}/overview/%E0%A4%A`);
    await page.locator('main', { hasText: '页面不存在' }).waitFor();
    expect(await page.locator('main').textContent()).toBe('页面不存在');
    await close(page);
    // A user none of whose domains has an overview card.
    await addUser(product.warehouse.knex, {
      username: 'funnel.only',
      password: DEMO_PASSWORD,
      role: 'special',
      nodes: ['G'],
      domains: ['funnel'],
    });
    const funnel = await open('special', '/overview/G', DESKTOP, 'funnel.only');
    expect(await funnel.locator('.kpi-card').count()).toBe(0);
    expect(await funnel.locator('main .state.empty').count()).toBe(1);
    await close(funnel);
  });

  it('answers an unknown API path with a JSON 404, and any other path with the app', async () => {
    const api = await fetch(`${product.server.base}/api/does-not-exist`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const app = await fetch(`${product.server.base}/drill/G?metric=new_units`);
    expect(app.status).toBe(200);
    expect(await app.text()).toContain('<div id="root">');
  });

  it('exports a table as CSV with the figures on screen, the comparison as shown and its raw numbers', async () => {
    const page = await open('group', '/drill/G?metric=new_units');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出 CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF名称,新车销量')).toBe(true);
    const header = csv.split('\r\n')[0]!.slice(1).split(',');
    const row = csv.split('\r\n')[1]!.split(',');
    const firstRow = await page.locator('.data-table tbody tr').first().locator('td').allTextContents();
    expect(row.slice(0, 2)).toEqual([firstRow[0], String(digits(firstRow[1]!))]);
    // The comparison column as shown (attainment, or the variance in words), then its raw numbers.
    const at = header.indexOf('完成率');
    expect(at).toBeGreaterThan(0);
    expect(header.slice(at, at + 3)).toEqual(['完成率', '完成率（数值）', '差额（数值）']);
    const shown = await page
      .locator('.data-table tbody tr')
      .first()
      .locator('td[data-col=compare]')
      .textContent();
    expect(row[at]).toBe(shown);
    expect(Number(row[at + 2])).toBe(Number(row[1]) - digits(firstRow[2]!)); // variance = actual − target
    await close(page);
  });

  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const)(
    'renders every view at %s size without horizontal scrolling',
    async (size, viewport) => {
      const views: [string, string][] = [
        ['overview', 'group'],
        ['drill', 'group'],
        ['product', 'group'],
        ['finance', 'finance'],
      ];
      for (const [view, role] of views) {
        const page = await open(role, `/${view}/G`, viewport);
        await page.screenshot({ path: `${SHOTS}/${view}-${size}.png`, fullPage: true });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${view} at ${size}`).toBeLessThanOrEqual(0);
        await close(page);
      }
      const store = await open('store', `/overview/${SAMPLE_STORE}`, viewport);
      await store.screenshot({ path: `${SHOTS}/store-overview-${size}.png`, fullPage: true });
      expect(
        await store.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
        `store overview at ${size}`,
      ).toBeLessThanOrEqual(0);
      await close(store);
    },
    150_000,
  ); // five views, each signed into afresh, on a shared 2-core machine
});

// What a comparison means, written out here from METRICS.md and the overview's legend (not taken
// from server/src/contract/compare.ts): the tests judge the screen against the API's figures.
type Cmp = { value: number | null; delta: number | null; change: number | null };
type Budget = { target: number | null; variance: number | null; attainment: number | null };
type Kpi = { value: number | null; reason?: string; prev?: Cmp; yoy?: Cmp; budget?: Budget };
type Thresholds = {
  op: '<' | '>';
  warning: number;
  critical?: number;
  basis: 'value' | 'attainment';
  periods?: unknown;
};
type Metric = {
  id: string;
  unit: string;
  direction: 'higher_is_better' | 'lower_is_better';
  thresholds: Thresholds | null;
};
type Status = 'good' | 'warning' | 'critical' | 'no_data';
const RANK: Record<Status, number> = { no_data: -1, good: 0, warning: 1, critical: 2 };
const breach = (op: '<' | '>', x: number, level: number) => (op === '<' ? x < level : x > level);
const worse = (m: Metric, delta: number) => (m.direction === 'higher_is_better' ? delta < 0 : delta > 0);
const OVERVIEW = [
  'new_units',
  'new_gross_incl_rebate_per_unit',
  'used_units',
  'aftersales_revenue',
  'finance_penetration',
  'net_profit',
  'inventory_coefficient',
  'aged_stock_share_90',
  'operating_cash_flow',
  'overdue_receivables_share',
];

/** The metric's own levels on its value: critical, warning or good. */
function ownStatus(m: Metric, value: number | null): Status {
  const th = m.thresholds;
  if (!th || th.basis !== 'value' || value === null) return 'no_data';
  if (th.critical !== undefined && breach(th.op, value, th.critical)) return 'critical';
  return breach(th.op, value, th.warning) ? 'warning' : 'good';
}
/** Against the budget: attainment below 90% red, below 100% amber (mirrored when lower is better), or the metric's own attainment levels; the variance's sign without a positive target. */
function budgetStatusOf(m: Metric, b: Budget | undefined): Status {
  if (!b || b.variance === null) return 'no_data';
  if (b.attainment === null) return worse(m, b.variance) ? 'critical' : 'good';
  const levels =
    m.thresholds?.basis === 'attainment'
      ? m.thresholds
      : m.direction === 'higher_is_better'
        ? { op: '<' as const, warning: 1, critical: 0.9 }
        : { op: '>' as const, warning: 1, critical: 1.1 };
  if (levels.critical !== undefined && breach(levels.op, b.attainment, levels.critical)) return 'critical';
  return breach(levels.op, b.attainment, levels.warning) ? 'warning' : 'good';
}
/** Against last year or the previous period: the wrong way by more than 5% amber, 15% red (1 and 3 points for rates); a loss that widened or a profit gone is red. */
function changeStatusOf(m: Metric, c: Cmp | undefined): Status {
  if (!c || c.delta === null) return 'no_data';
  if (!worse(m, c.delta)) return 'good';
  if (m.unit === 'percent')
    return Math.abs(c.delta) > 0.03 ? 'critical' : Math.abs(c.delta) > 0.01 ? 'warning' : 'good';
  if (c.change === null) return 'critical';
  return Math.abs(c.change) > 0.15 ? 'critical' : Math.abs(c.change) > 0.05 ? 'warning' : 'good';
}
function expectedStatus(m: Metric, kpi: Kpi, chosen: 'budget' | 'yoy' | 'prev'): Status {
  if (kpi.value === null) return 'no_data';
  const own = ownStatus(m, kpi.value);
  const compared = chosen === 'budget' ? budgetStatusOf(m, kpi.budget) : changeStatusOf(m, kpi[chosen]);
  return RANK[own] >= RANK[compared] ? own : compared;
}

describe('requests without waterfalls', () => {
  /** Every API answer is held back this long, so rounds of requests that wait for each other stand apart. */
  const LATENCY_MS = 400;
  const DATA_ENDPOINTS = [
    '/api/kpi',
    '/api/series',
    '/api/timeseries',
    '/api/breakdown',
    '/api/alerts',
    '/api/landing',
    '/api/forecast',
  ];

  it("asks for all of the overview's data in one round right after sign-in, each request once, its code already loaded", async () => {
    const page = await newPage();
    await page.route(/\/api\//, async (route) => {
      const response = await route.fetch();
      await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
      await route.fulfill({ response });
    });
    const asked: string[] = [];
    const started = new Map<string, number>();
    const ended = new Map<string, number>();
    const scripts: { url: string; at: number }[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push({ url: r.url(), at: Date.now() });
      else if (r.url().includes('/api/')) {
        asked.push(r.url());
        started.set(r.url(), Date.now());
      }
    });
    page.on('requestfinished', (r) => void ended.set(r.url(), Date.now()));

    await page.goto(`${product.server.base}/`);
    await page.fill('input[name=username]', product.users.group!);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.press('input[name=password]', 'Enter');
    await page.waitForURL(/\/overview\/G/);
    await settled(page);

    expect(
      asked.filter((url, i) => asked.indexOf(url) !== i),
      'asked more than once',
    ).toEqual([]);
    const data = [...started.keys()].filter((url) => DATA_ENDPOINTS.includes(new URL(url).pathname));
    expect(new Set(data.map((url) => new URL(url).pathname))).toEqual(new Set(DATA_ENDPOINTS));
    const lastStart = Math.max(...data.map((url) => started.get(url)!));
    const firstEnd = Math.min(...data.map((url) => ended.get(url)!));
    // One round: the last data request leaves before the first data answer arrives.
    expect(lastStart).toBeLessThan(firstEnd);
    // Right after the sign-in answer, which brings the app-wide answers (version, catalog, org
    // tree) with it: nothing is asked for between the two.
    const signedIn = ended.get(`${product.server.base}/api/auth/login`)!;
    const appWide = asked.filter((url) =>
      ['/api/version', '/api/metrics', '/api/org'].includes(new URL(url).pathname),
    );
    expect(appWide, 'app-wide answers asked for after sign-in').toEqual([]);
    expect(Math.min(...data.map((url) => started.get(url)!)) - signedIn).toBeLessThan(LATENCY_MS);
    // The view's code and the chart library were fetched while the form was being filled in.
    const late = scripts.filter((s) => s.at > signedIn).map((s) => s.url);
    expect(late, 'scripts fetched after sign-in').toEqual([]);
    await close(page);
  });

  it('fetches a unit of the ranking while the pointer rests on it, so the click opens it from the cache', async () => {
    const page = await open('group', '/overview/G?metric=new_units');
    const asked: string[] = [];
    page.on('request', (r) => void (r.url().includes('/api/') && asked.push(new URL(r.url()).pathname)));
    const [division] = await sql(
      `SELECT node_id FROM dim_org WHERE parent_id = 'G' ORDER BY node_id LIMIT 1`,
    );
    const id = String(division!.node_id);
    await page.locator(`.ranking-table tr[data-key="${id}"]`).hover();
    await page.waitForFunction(() => document.documentElement.dataset.busy === '0');
    await page.waitForTimeout(100);
    expect(new Set(asked)).toEqual(new Set(DATA_ENDPOINTS));
    asked.length = 0;
    await page.locator(`.ranking-table tr[data-key="${id}"] a`).click();
    await page.waitForURL(new RegExp(`/overview/${id}\\?`));
    await settled(page);
    expect(asked, 'requests after the click').toEqual([]);
    await close(page);
  });
});

describe('what comparisons mean on the overview', () => {
  const api = async (path: string) => {
    const token = await product.server.login(product.users.group!, DEMO_PASSWORD);
    return (await product.server.get(path, token)).body;
  };
  const kpisOf = async (node: string, from: string, to: string) =>
    (
      await api(
        `/api/kpi?node=${node}&metrics=${OVERVIEW.join(',')}&from=${from}&to=${to}&compare=prev,yoy,budget`,
      )
    ).metrics as Record<string, Kpi>;

  it('colours a KPI card by the comparison chosen, and the switch recolours it', async () => {
    const catalog = new Map(((await api('/api/metrics')).metrics as Metric[]).map((m) => [m.id, m]));
    const nodes = (
      await sql(
        `SELECT node_id FROM dim_org ORDER BY CASE level WHEN 'group' THEN 0 WHEN 'division' THEN 1 WHEN 'region' THEN 2 ELSE 3 END, node_id`,
      )
    ).map((r) => String(r.node_id));
    let found: { node: string; metric: string; budget: Status; yoy: Status; prev: Status } | undefined;
    for (const node of nodes) {
      const kpis = await kpisOf(node, '2026-10-01', '2026-10-31');
      for (const id of OVERVIEW) {
        const m = catalog.get(id)!;
        if (m.thresholds?.periods) continue; // judged over consecutive months: not from one period's figures
        const [budget, yoy] = [expectedStatus(m, kpis[id]!, 'budget'), expectedStatus(m, kpis[id]!, 'yoy')];
        if (budget !== yoy) {
          found = { node, metric: id, budget, yoy, prev: expectedStatus(m, kpis[id]!, 'prev') };
          break;
        }
      }
      if (found) break;
    }
    expect(found, 'a card whose status differs between budget and 同比').toBeDefined();
    const page = await open('group', `/overview/${found!.node}?p=2026-10`);
    const card = page.locator(`.kpi-card[data-metric=${found!.metric}]`);
    expect(await card.getAttribute('class')).toContain(`status-${found!.budget}`);
    expect(await card.locator('.status-dot').getAttribute('class')).toBe(`status-dot ${found!.budget}`);
    expect(await page.locator('.status-legend').getAttribute('data-legend')).toBe('budget');
    await page
      .getByRole('group', { name: '对比' })
      .getByRole('button', { name: '同比', exact: true })
      .click();
    await page.waitForURL(/cmp=yoy/);
    await settled(page);
    expect(await card.getAttribute('class')).toContain(`status-${found!.yoy}`);
    expect(await card.locator('.status-dot').getAttribute('class')).toBe(`status-dot ${found!.yoy}`);
    expect(await page.locator('.status-legend').getAttribute('data-legend')).toBe('yoy');
    // The ranking's comparison column follows the switch too (a store has no units below).
    const table = page.locator('.ranking-table');
    if (await table.count()) {
      expect(await table.getAttribute('data-compare')).toBe('yoy');
      expect(await table.locator('th[data-col=compare]').textContent()).toContain('同比');
    }
    await page
      .getByRole('group', { name: '对比' })
      .getByRole('button', { name: '环比', exact: true })
      .click();
    await page.waitForURL(/cmp=prev/);
    await settled(page);
    expect(await card.getAttribute('class')).toContain(`status-${found!.prev}`);
    await close(page);
  });

  it('draws a gap, not zero, in a trend that starts before the data', async () => {
    const [first] = (await sql(
      `SELECT strftime(min(sale_date), '%Y-%m') AS month FROM fact_vehicle_sales`,
    )) as unknown as { month: string }[];
    expect(first!.month).toBe('2026-08');
    const page = await open('group', '/overview/G?p=2026-10&metric=new_units');
    const read = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => {
          const option = (el as HTMLElement & { echartsInstance: any }).echartsInstance.getOption();
          return {
            months: option.xAxis[0].data as string[],
            series: (option.series as { name: string; data: unknown[]; connectNulls?: boolean }[]).map(
              (x) => ({
                name: x.name,
                connectNulls: x.connectNulls ?? false,
                data: x.data.map(
                  (d) =>
                    (d !== null && typeof d === 'object' ? (d as { value: number | null }).value : d) as
                      number | null,
                ),
              }),
            ),
          };
        });
    const trend = await read('.trend .chart');
    // The trend's 12 months; the forecast's follow them (forecast.test.ts).
    expect(trend.months.slice(0, 12)).toEqual([
      '2025-11',
      '2025-12',
      ...Array.from({ length: 10 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
    ]);
    const before = trend.months.filter((mo) => mo < first!.month).length;
    expect(before).toBe(9);
    const actual = trend.series[0]!.data.slice(0, 12);
    expect(actual.slice(0, before)).toEqual(Array(before).fill(null));
    const sold = await sql(
      `SELECT strftime(sale_date, '%Y-%m') AS month, count(*) AS n FROM fact_vehicle_sales WHERE sale_type = 'new' GROUP BY ALL ORDER BY 1`,
    );
    expect(actual.slice(before)).toEqual(sold.map((r) => Number(r.n)));
    for (const line of trend.series) {
      expect(line.connectNulls, line.name).toBe(false);
      expect(line.data.includes(0), `${line.name} draws no 0`).toBe(false);
    }
    // Last year lies wholly before the data: no line at all, rather than zeros.
    expect(trend.series[1]!.data.every((v) => v === null)).toBe(true);
    // The card's sparkline leaves the same gap: its months are the trend's, and its one line
    // starts at the first month with data (x of 120 across 12 months), not at the left edge.
    const sparkline = page.locator('.kpi-card[data-metric=new_units] svg.sparkline');
    expect(JSON.parse((await sparkline.getAttribute('data-values'))!)).toEqual(actual);
    const lines = await sparkline
      .locator('path[fill=none]')
      .evaluateAll((ps) => ps.map((p) => p.getAttribute('d')));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`M${Math.round((before / 11) * 12000) / 100} `)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/overview-gap-desktop.png`, fullPage: true });
    await close(page);
  });

  it('shows no signed zero, and no percentage of a zero or negative base', async () => {
    const nodes = (await sql(`SELECT node_id FROM dim_org ORDER BY node_id`)).map((r) => String(r.node_id));
    const catalog = new Map(((await api('/api/metrics')).metrics as Metric[]).map((m) => [m.id, m]));
    let checked = 0;
    for (const [p, from, to] of [
      ['2026-10', '2026-10-01', '2026-10-31'],
      ['2026-09', '2026-09-01', '2026-09-30'],
    ] as const) {
      for (const node of nodes) {
        const kpis = await kpisOf(node, from, to);
        const negative = OVERVIEW.flatMap((id) =>
          (['prev', 'yoy'] as const).map((c) => ({ id, c, k: kpis[id]!, cmp: kpis[id]![c] })),
        ).filter(
          (x) =>
            catalog.get(x.id)!.unit !== 'percent' &&
            x.k.value !== null &&
            x.cmp &&
            x.cmp.value !== null &&
            x.cmp.value <= 0,
        );
        if (negative.length === 0) continue;
        const page = await open('group', `/overview/${node}?p=${p}`);
        for (const x of negative) {
          const text = (await page
            .locator(`.kpi-card[data-metric=${x.id}] [data-compare=${x.c}]`)
            .textContent())!.replace(/^(环比|同比) /, '');
          expect(text, `${node} ${x.id} ${x.c}`).not.toContain('%');
          const [value, base] = [x.k.value!, x.cmp!.value!];
          const money = catalog.get(x.id)!.unit.startsWith('yuan');
          // Cash flow below zero is a net outflow, not a loss.
          const [toNegative, toPositive, widened, narrowed] =
            x.id === 'operating_cash_flow'
              ? ['由净流入转为净流出', '转为净流入', '净流出扩大', '净流出收窄']
              : ['由盈转亏', '扭亏为盈', '亏损扩大', '亏损收窄'];
          const expected =
            !money || (base === 0 && value >= 0) || value === base
              ? /^([+−]\d|0)/
              : base >= 0
                ? new RegExp(`^${toNegative} −`)
                : value >= 0
                  ? new RegExp(`^${toPositive} \\+`)
                  : value < base
                    ? new RegExp(`^${widened} −`)
                    : new RegExp(`^${narrowed} \\+`);
          expect(text, `${node} ${x.id} ${x.c}: ${value} on ${base}`).toMatch(expected);
          checked++;
        }
        const shown = (await page.locator('main').textContent())!;
        expect(shown).not.toMatch(/[+\-\u2212]0(?:\.0+)?(?![.\d])/);
        expect(shown).not.toMatch(/[-\u2212]\d{4,}(\.\d)?%/); // never −8963%
        await close(page);
        if (checked >= 3) return;
      }
    }
    expect(checked, 'comparisons on a zero or negative base in the sample').toBeGreaterThan(0);
  });
});

describe('daily report on a phone (/m)', () => {
  const noSideways = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const cell = (page: Page, metric: string, column: number) =>
    page.locator(`tr[data-metric=${metric}] td`).nth(column).getAttribute('data-value');

  it('gives a store manager the last day, the month to date and attainment as plain SQL has them, and their open tasks', async () => {
    const page = await open('store', '/m', PHONE);
    expect(new URL(page.url()).pathname).toBe(`/m/${SAMPLE_STORE}`);
    const [last] = (await sql(
      `SELECT max(sale_date)::VARCHAR AS day FROM fact_vehicle_sales`,
    )) as unknown as { day: string }[];
    expect(last!.day).toBe('2026-10-31');
    const [sold] = await sql(
      `SELECT count(*) FILTER (WHERE sale_date = '2026-10-31') AS day, count(*) AS month FROM fact_vehicle_sales
      WHERE store_id = ? AND sale_type = 'new' AND sale_date BETWEEN '2026-10-01' AND '2026-10-31'`,
      [SAMPLE_STORE],
    );
    const [budget] = await sql(
      `SELECT sum(target) AS target FROM fact_budget WHERE store_id = ? AND metric_id = 'new_units' AND period = '2026-10-01'`,
      [SAMPLE_STORE],
    );
    expect(Number(await cell(page, 'new_units', 0))).toBe(Number(sold!.day));
    expect(Number(await cell(page, 'new_units', 1))).toBe(Number(sold!.month));
    expect(Number(await cell(page, 'new_units', 2))).toBeCloseTo(
      Number(sold!.month) / Number(budget!.target),
      3,
    );
    const [tasks] = await sql(
      `SELECT count(*) AS n FROM app.tasks WHERE assignee = ? AND status <> 'closed'`,
      [product.users.store],
    );
    expect(Number(await page.locator('.m-count').getAttribute('data-count'))).toBe(Number(tasks!.n));
    expect(await page.locator('.m-tasks li a').count()).toBe(Math.min(8, Number(tasks!.n)));
    expect(await noSideways(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/m-store-phone.png`, fullPage: true });
    // One tap on a metric opens its drill-down for the month.
    await page.locator('tr[data-metric=new_units] th a').click();
    await page.waitForURL(/\/drill\//);
    const url = new URL(page.url());
    expect([url.pathname, url.searchParams.get('metric'), url.searchParams.get('p')]).toEqual([
      `/drill/${SAMPLE_STORE}`,
      'new_units',
      '2026-10',
    ]);
    await close(page);
  });

  it("lets a group executive step down to a division's report and back", async () => {
    const page = await open('group', '/m', PHONE);
    const divisions = await sql(`SELECT node_id FROM dim_org WHERE parent_id = 'G' ORDER BY node_id`);
    expect(await page.locator('.m-units a').count()).toBe(divisions.length);
    await page.locator('.m-units a[data-node=D1]').click();
    await page.waitForURL(/\/m\/D1/);
    await settled(page);
    const [d1] =
      await sql(`SELECT count(*) AS n FROM fact_vehicle_sales f JOIN org_closure c ON c.descendant_id = f.store_id
      WHERE c.ancestor_id = 'D1' AND f.sale_type = 'new' AND f.sale_date BETWEEN '2026-10-01' AND '2026-10-31'`);
    expect(Number(await cell(page, 'new_units', 1))).toBe(Number(d1!.n));
    expect(await noSideways(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/m-division-phone.png`, fullPage: true });
    await page.locator('.m-back').click();
    await page.waitForURL(/\/m\/G$/);
    await close(page);
  });
});

describe('people below the store', () => {
  /** New cars each sales consultant of a store sold in October 2026, by plain SQL. */
  const soldBy = async (store: string) =>
    new Map(
      (
        await sql(
          `SELECT p.staff_id AS id, count(f.order_no) FILTER (WHERE f.sale_type = 'new') AS n
          FROM dim_staff p LEFT JOIN fact_vehicle_sales f ON f.salesperson = p.staff_id
            AND f.sale_date BETWEEN '2026-10-01' AND '2026-10-31'
          WHERE p.store_id = ? AND p.role = 'sales_consultant'
            AND (p.hired_on IS NULL OR p.hired_on <= '2026-10-31') AND (p.left_on IS NULL OR p.left_on >= '2026-10-01')
          GROUP BY ALL`,
          [store],
        )
      ).map((r) => [String(r.id), Number(r.n)]),
    );

  it('drills group → division → region → store → salesperson by clicking, with figures as plain SQL has them', async () => {
    const page = await open('group', '/drill/G?metric=new_units&p=2026-10');
    await clickBar(page, '.ranking', 'D1');
    await page.waitForURL(/\/drill\/D1\?/);
    await settled(page);
    await page.locator('.data-table tbody tr', { hasText: '华东区' }).first().click();
    await page.waitForURL(/\/drill\/D1-R1\?/);
    await settled(page);
    await clickBar(page, '.ranking', SAMPLE_STORE);
    await page.waitForURL(new RegExp(`/drill/${SAMPLE_STORE}\\?`));
    await settled(page);

    // The store's people: each consultant's new cars as the facts name them; with the unassigned
    // (an id staff.csv does not hold) they add up to the store.
    const expected = await soldBy(SAMPLE_STORE);
    const rows = page.locator('.people .data-table tbody tr');
    const shown = new Map<string, number>();
    for (const row of await rows.all()) {
      const href = (await row.locator('a').getAttribute('href'))!;
      shown.set(
        new URL(href, product.server.base).searchParams.get('staff')!,
        digits(await row.locator('td').nth(3).textContent()),
      );
    }
    expect(shown).toEqual(expected);
    const [store] = await sql(
      `SELECT count(*) AS n FROM fact_vehicle_sales WHERE store_id = ? AND sale_type = 'new' AND sale_date BETWEEN '2026-10-01' AND '2026-10-31'`,
      [SAMPLE_STORE],
    );
    const [unknown] = await sql(
      `SELECT count(*) AS n FROM fact_vehicle_sales f LEFT JOIN dim_staff p ON p.staff_id = f.salesperson
      WHERE f.store_id = ? AND f.sale_type = 'new' AND f.sale_date BETWEEN '2026-10-01' AND '2026-10-31' AND p.staff_id IS NULL`,
      [SAMPLE_STORE],
    );
    expect([...shown.values()].reduce((a, b) => a + b, 0) + Number(unknown!.n)).toBe(Number(store!.n));
    const note = page.locator('.people .unassigned-note');
    expect(await note.count()).toBe(Number(unknown!.n) > 0 ? 1 : 0);
    if (Number(unknown!.n) > 0)
      expect(Number(await note.getAttribute('data-unassigned'))).toBe(Number(unknown!.n));
    await page.screenshot({ path: `${SHOTS}/drill-store-people-desktop.png`, fullPage: true });

    // Click the best seller's bar: their own page, their figure the same.
    const [best] = [...expected].sort((a, b) => b[1] - a[1]);
    await clickBar(page, '.people', best![0]);
    await page.waitForURL(/\/person\//);
    await settled(page);
    const url = new URL(page.url());
    expect([url.pathname, url.searchParams.get('staff')]).toEqual([`/person/${SAMPLE_STORE}`, best![0]]);
    expect(digits(await page.locator('[data-metric=new_units] .kpi-value').textContent())).toBe(best![1]);
    await page.screenshot({ path: `${SHOTS}/person-desktop.png`, fullPage: true });
    await close(page);
  });

  it("gives a salesperson their own page on a phone, and no colleague's", async () => {
    const page = await open('staff', '/', PHONE);
    const url = new URL(page.url());
    const [me] = (await sql(
      `SELECT staff_id, name FROM app.users u JOIN dim_staff s USING (staff_id) WHERE u.username = ?`,
      [product.users.staff!],
    )) as unknown as { staff_id: string; name: string }[];
    expect([url.pathname, url.searchParams.get('staff')]).toEqual([`/person/${SAMPLE_STORE}`, me!.staff_id]);
    expect(await page.locator('.person-name').textContent()).toBe(me!.name);
    // Their October as plain SQL has it; no tabs to the store's views.
    expect(digits(await page.locator('[data-metric=new_units] .kpi-value').textContent())).toBe(
      (await soldBy(SAMPLE_STORE)).get(me!.staff_id),
    );
    expect(await page.locator('.tabs a').count()).toBe(0);
    // Their place among the store's consultants at work in October, as plain SQL ranks them.
    const sold = await soldBy(SAMPLE_STORE);
    const mine = sold.get(me!.staff_id)!;
    expect(await page.locator('.rank-in-store').getAttribute('data-rank')).toBe(
      String([...sold.values()].filter((n) => n > mine).length + 1),
    );
    expect(await page.locator('.rank-in-store').getAttribute('data-of')).toBe(String(sold.size));
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/person-staff-phone.png`, fullPage: true });

    // A colleague's page: refused, no figure shown.
    const colleague = [...(await soldBy(SAMPLE_STORE)).keys()].find((id) => id !== me!.staff_id)!;
    await page.goto(`${product.server.base}/person/${SAMPLE_STORE}?staff=${colleague}`);
    await page.waitForSelector('[data-state=no-access]');
    expect(await page.locator('.kpi-card').count()).toBe(0);
    await close(page);
  });
});

describe('targets page', () => {
  const storeTarget = async () =>
    Number(
      (
        await sql(
          `SELECT target FROM effective_budget WHERE store_id = ? AND metric_id = 'new_units' AND period = '2026-10-01'`,
          [SAMPLE_STORE],
        )
      )[0]!.target,
    );
  const peopleTargets = async () =>
    new Map(
      (
        await sql(
          `SELECT staff_id AS id, value FROM app.targets WHERE node_id = ? AND staff_id <> '' AND metric_id = 'new_units' AND month = '2026-10-01'`,
          [SAMPLE_STORE],
        )
      ).map((r) => [String(r.id), Number(r.value)]),
    );

  it("splits a store's October target among its consultants by clicking, adding up exactly; a sheet brings changes back", async () => {
    const page = await open('store', `/targets/${SAMPLE_STORE}?metric=new_units&p=2026-10`);
    await page.selectOption('.allocate select[name=method]', 'equal');
    await page.click('.allocate button[type=submit]');
    await page.waitForFunction(() =>
      document.querySelector('.target-table td.chosen[data-value]:not([data-value=""])'),
    );
    await settled(page);
    const stored = await peopleTargets();
    const total = await storeTarget();
    expect(stored.size).toBeGreaterThan(3);
    expect([...stored.values()].reduce((a, b) => a + b, 0)).toBe(total);
    // The page shows what was stored, and that they add up.
    for (const [id, value] of stored)
      expect(
        Number(
          await page.locator(`tr[data-unit="${id}"] td[data-month="2026-10"]`).getAttribute('data-value'),
        ),
      ).toBe(value);
    expect(await page.locator('tr.gap td[data-month="2026-10"]').getAttribute('data-gap')).toBe('0');
    await page.screenshot({ path: `${SHOTS}/targets-store-desktop.png`, fullPage: true });

    // Move one car from the first consultant to the second in a sheet, and import it.
    const [a, va] = [...stored][0]!;
    const [b, vb] = [...stored][1]!;
    const { default: writeExcelFile } = await import('write-excel-file/node');
    const rows = [
      ['ID', '名称', '2026-10'],
      [a, '', va - 1],
      [b, '', vb + 1],
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'targets-')), 'targets.xlsx');
    writeFileSync(file, await writeExcelFile(rows.map((r) => r.map((value) => ({ value })))).toBuffer());
    await page.setInputFiles('.allocate input[type=file]', file);
    await page.waitForSelector('.targets p.note[role=status]');
    const after = await peopleTargets();
    expect([after.get(a), after.get(b)]).toEqual([va - 1, vb + 1]);
    expect([...after.values()].reduce((x, y) => x + y, 0)).toBe(total);
    await close(page);
  });
});
