// The risk centre, the PDCA board and a task page in Debian's Chromium, against the real server
// on the sample extract (loaded through the same pipeline as `npm run etl`, so its alerts exist).
// Counts on screen are checked against plain SQL on the app tables, the order of the alerts
// against the API's own figures (level, then money at stake), the heat map's domains against the
// enabled rules; every text in English under ?lang=en; the list fits its panel.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ListedAlert } from '../../server/src/contract/risk.ts';
import { evaluateRisks } from '../../server/src/risk/evaluate.ts';
import { DESKTOP, PHONE, settled } from './browser.ts';
import { DEMO_PASSWORD, SAMPLE_STORE } from './server.ts';
import { openAs, SHOTS, useSampleProduct } from './sample-product.ts';

const product = useSampleProduct();

const sql = async <T = Record<string, unknown>>(query: string, bindings: string[] = []) =>
  (await product.warehouse.knex.raw(query, bindings)).rows as T[];

/** The API as a signed-in user sees it. */
async function api<T>(
  role: string,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
): Promise<T> {
  const token = await product.server.login(product.users[role]!, DEMO_PASSWORD);
  const res = await fetch(`${product.server.base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** An alert as /api/alerts lists it (the API contract's shape). */
type ApiAlert = ListedAlert;

/** The alerts listed (the first of each group; the others are folded under it) and how many each stands for. */
const listed = (page: Page) =>
  page.locator('.alert-table tbody tr[data-group-size]').evaluateAll((trs) =>
    trs.map((tr) => ({
      id: Number(tr.getAttribute('data-key')),
      size: Number(tr.getAttribute('data-group-size')),
    })),
  );
const alertCount = async (page: Page) => (await listed(page)).reduce((n, r) => n + r.size, 0);

const HAN = /\p{Script=Han}/u;

/** The text without people's names: a name is shown as recorded (a Chinese name has no English form in the data). */
async function withoutNames(text: string | null): Promise<string> {
  const names = (
    await sql<{ name: string }>(
      `SELECT display_name AS name FROM app.users WHERE display_name IS NOT NULL UNION SELECT name FROM dim_staff`,
    )
  ).map((r) => r.name);
  return names.reduce((t, name) => t.replaceAll(name, ''), text ?? '');
}

const open = (role: string, path: string, viewport: { width: number; height: number } = DESKTOP) =>
  openAs(product, role, path, viewport);

describe('risk centre', () => {
  it('shows the open alerts by level as the app tables hold them; a heat-map cell filters them', async () => {
    const { page, errors } = await open('group', '/risks/G');
    const counts = Object.fromEntries(
      (
        await sql<{ level: string; n: number }>(
          `SELECT level, count(*) AS n FROM app.alerts WHERE status = 'open' GROUP BY level`,
        )
      ).map((r) => [r.level, Number(r.n)]),
    );
    expect(counts.critical).toBeGreaterThan(0);
    expect(await page.locator('.risk-count.critical strong').textContent()).toBe(String(counts.critical));
    expect(await page.locator('.risk-count.warning strong').textContent()).toBe(String(counts.warning));
    expect(await alertCount(page)).toBe(counts.critical! + counts.warning!);

    const [cell] = await sql<{ n: number }>(
      `SELECT count(*) AS n FROM app.alerts WHERE status = 'open' AND node_id = ? AND metric_id IN ('inventory_coefficient', 'aged_stock_share_90', 'new_days_supply')`,
      [SAMPLE_STORE],
    );
    const storeName = (
      await sql<{ name: string }>('SELECT name FROM dim_org WHERE node_id = ?', [SAMPLE_STORE])
    )[0]!.name;
    await page.click(`.heatmap tr:has(th:text-is("${storeName}")) td[data-domain="inventory"] button`);
    await page.waitForURL(/store=S0001&domain=inventory/);
    await expect.poll(() => alertCount(page)).toBe(Number(cell!.n));
    await page.screenshot({ path: `${SHOTS}/risks-group-desktop.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('folds the alerts of one node and metric under the first of them ("同一指标另有N条")', async () => {
    // A second, stricter rule on debt-to-asset at stores: stores already over the first rule get a second alert on the same metric.
    await api('group', 'POST', '/rules', {
      metric_id: 'debt_to_asset',
      comparison: 'value',
      op: '>',
      warning: 0.5,
      critical: 0.6,
      levels: ['store'],
      note: 'e2e: a stricter leverage level',
    });
    await evaluateRisks(product.warehouse.knex);
    const { alerts } = await api<{ alerts: ApiAlert[] }>('group', 'GET', '/alerts?node=G&limit=1000');
    const group = alerts.find((a) => a.group.first && a.group.size > 1);
    expect(group, 'a node and metric with two open alerts').toBeDefined();

    const { page, errors } = await open('group', '/risks/G');
    const row = page.locator(`.alert-table tbody tr[data-key="${group!.id}"]`);
    expect(await row.getAttribute('data-group-size')).toBe(String(group!.group.size));
    const members = alerts.filter((a) => a.group.key === group!.group.key && !a.group.first);
    for (const m of members)
      expect(await page.locator(`.alert-table tbody tr[data-key="${m.id}"]`).count()).toBe(0);
    const fold = row.locator('xpath=following-sibling::tr[1]').getByRole('button');
    expect(await fold.textContent()).toContain(`同一指标另有${members.length}条`);
    expect(await fold.getAttribute('aria-expanded')).toBe('false');
    await fold.click();
    expect(await fold.getAttribute('aria-expanded')).toBe('true');
    for (const m of members)
      expect(await page.locator(`.alert-table tbody tr.group-member[data-key="${m.id}"]`).count()).toBe(1);
    expect(await alertCount(page)).toBe(alerts.length);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists critical alerts before warnings and, within a level, by money at stake, shown as an amount', async () => {
    const { alerts } = await api<{ alerts: ApiAlert[] }>('group', 'GET', '/alerts?node=G&limit=1000');
    const byId = new Map(alerts.map((a) => [a.id, a]));
    // The order worked out here: level, then money at stake (none last); of one node and metric only the first is listed.
    const rank = (a: ApiAlert) => [a.level === 'critical' ? 0 : 1, -(a.impact_yuan ?? -Infinity)] as const;
    const before = (a: ApiAlert, b: ApiAlert) => {
      const [x, y] = [rank(a), rank(b)];
      return x[0] - y[0] || x[1] - y[1];
    };
    const firstOfGroup = new Map<string, ApiAlert>();
    for (const a of [...alerts].sort(before))
      if (!firstOfGroup.has(`${a.node.id}|${a.metric.id}`))
        firstOfGroup.set(`${a.node.id}|${a.metric.id}`, a);

    const { page } = await open('group', '/risks/G');
    const shown = (await listed(page)).map((r) => byId.get(r.id)!);
    expect(shown.every(Boolean)).toBe(true);
    expect(shown.length).toBe(firstOfGroup.size);
    expect(new Set(shown.map((a) => `${a.node.id}|${a.metric.id}`))).toEqual(new Set(firstOfGroup.keys()));
    for (let i = 1; i < shown.length; i++)
      expect(before(shown[i - 1]!, shown[i]!), `row ${i}`).toBeLessThanOrEqual(0);
    const firstWarning = shown.findIndex((a) => a.level === 'warning');
    expect(firstWarning).toBeGreaterThan(0);
    expect(shown.slice(firstWarning).every((a) => a.level === 'warning')).toBe(true);
    // Each row's money at stake is the API's figure, in 万/亿.
    const stakes = await page
      .locator('.alert-table tbody tr[data-group-size] td[data-col="impact"] .impact')
      .evaluateAll((els) => els.map((el) => [el.getAttribute('data-value'), el.textContent]));
    stakes.forEach(([value, text], i) => {
      const impact = shown[i]!.impact_yuan;
      expect(value).toBe(impact === null ? '' : String(impact));
      if (impact !== null && impact >= 1e4 && impact < 1e8)
        expect(text).toBe(`${(impact / 1e4).toFixed(1)}万元`);
    });
    expect(await page.locator('.alert-table thead th[data-col="impact"]').textContent()).toContain(
      '涉及金额',
    );
    await page.close();
  });

  it('shows in the heat map only the domains that have an enabled rule', async () => {
    const domainsOnScreen = async (page: Page) =>
      page
        .locator('.heatmap thead th[data-domain]')
        .evaluateAll((ths) => ths.map((th) => th.getAttribute('data-domain')));
    const expected = async () => {
      const { metrics } = await api<{ metrics: { id: string; domain: string }[] }>(
        'group',
        'GET',
        '/metrics',
      );
      const domainOf = new Map(metrics.map((m) => [m.id, m.domain]));
      const enabled = await sql<{ metric_id: string }>(
        'SELECT DISTINCT metric_id FROM app.risk_rules WHERE enabled',
      );
      return [...new Set(enabled.map((r) => domainOf.get(r.metric_id)!))].sort();
    };
    const { page } = await open('group', '/risks/G');
    const before = await expected();
    expect(before).toEqual(['finance', 'inventory']);
    expect((await domainsOnScreen(page)).sort()).toEqual(before);

    // Enabling a sales rule brings the sales column (empty until a load judges it); disabling it again takes it away.
    const [rule] = await sql<{ rule_id: number }>(
      `SELECT rule_id FROM app.risk_rules WHERE metric_id = 'new_units' AND NOT enabled`,
    );
    await api('group', 'PATCH', `/rules/${rule!.rule_id}`, { enabled: true });
    try {
      await page.reload();
      await settled(page);
      expect((await domainsOnScreen(page)).sort()).toEqual(await expected());
      expect(await domainsOnScreen(page)).toContain('sales');
    } finally {
      await api('group', 'PATCH', `/rules/${rule!.rule_id}`, { enabled: false });
    }
    await page.reload();
    await settled(page);
    expect((await domainsOnScreen(page)).sort()).toEqual(before);
    await page.close();
  });

  it('reads wholly in English under ?lang=en: metric and node names, findings, units, levels', async () => {
    const { page, errors } = await open('group', '/risks/G?lang=en');
    for (const part of ['.risk-summary', '.heatmap', '.alerts-panel']) {
      const text = await withoutNames(await page.locator(part).textContent());
      expect(text, part).not.toMatch(HAN);
    }
    const finding = await page
      .locator('.alert-table tbody tr[data-group-size] td[data-col="figure"]')
      .first()
      .textContent();
    expect(finding).toMatch(/\(threshold [<>] /);
    expect(await page.locator('.alert-table thead th[data-col="impact"]').textContent()).toContain(
      'At stake',
    );
    expect(
      await page
        .locator('.alert-table tbody tr[data-group-size] td[data-col="impact"]')
        .first()
        .textContent(),
    ).toMatch(/^¥[\d.]+[KMB]?$/);
    const storeEn = (
      await sql<{ name_en: string }>('SELECT name_en FROM dim_org WHERE node_id = ?', [SAMPLE_STORE])
    )[0]!.name_en;
    expect(await page.locator('.alert-table td[data-col="node"]').allTextContents()).toContain(storeEn);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits its panel at 1920×1080 and on a phone, in Chinese and English', async () => {
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      for (const lang of ['zh', 'en'] as const) {
        const { page } = await open('group', `/risks/G${lang === 'en' ? '?lang=en' : ''}`, viewport);
        const page_overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(page_overflow, `${lang} ${size}: the page`).toBeLessThanOrEqual(0);
        const table = await page
          .locator('.alert-table .table-scroll')
          .evaluate((el) => el.scrollWidth - el.clientWidth);
        expect(table, `${lang} ${size}: the alert list in its panel`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `${SHOTS}/risks-group-${lang}-${size}.png`, fullPage: true });
        await page.close();
      }
    }
  });

  it('an alert opens the KPI view at its node and month in one click', async () => {
    const { page, errors } = await open('store', `/risks/${SAMPLE_STORE}`);
    const link = page.locator('.data-table tbody tr a[title]').first();
    const metric = new URL((await link.getAttribute('href')) ?? '', product.server.base).searchParams.get(
      'metric',
    );
    await link.click();
    await page.waitForSelector('[data-view="drill"]');
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/drill/${SAMPLE_STORE}`);
    expect(url.searchParams.get('metric')).toBe(metric);
    expect(url.searchParams.get('p')).toBe('2026-10');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a store manager sees only their store's alerts, on the overview too", async () => {
    const { page } = await open('store', `/overview/${SAMPLE_STORE}`);
    const storeName = (
      await sql<{ name: string }>('SELECT name FROM dim_org WHERE node_id = ?', [SAMPLE_STORE])
    )[0]!.name;
    const items = await page.locator('.risks .risk-list li a').allTextContents();
    expect(items.length).toBeGreaterThan(0);
    for (const text of items) expect(text).toContain(storeName);
    await page.close();
  });
});

describe('PDCA board', () => {
  it('a store manager takes a task from Plan to Do on the board', async () => {
    const owner = product.users.store!;
    const { page, errors } = await open('store', `/board/${SAMPLE_STORE}`);
    const planned = await sql<{ n: number }>(
      `SELECT count(*) AS n FROM app.tasks WHERE assignee = ? AND status = 'plan'`,
      [owner],
    );
    const plan = page.locator('.board-column.plan');
    expect(await plan.locator('.count').textContent()).toBe(String(planned[0]!.n));
    const card = plan.locator('.task-card').first();
    const taskId = await card.getAttribute('data-task');
    await card.getByRole('button', { name: '开始执行' }).click();
    await card.locator('textarea').nth(0).fill('主机厂压库，高配车型滞销');
    await card.locator('textarea').nth(1).fill('与车队客户洽谈批量销售，暂停高配订货');
    await card.getByRole('button', { name: '开始执行' }).click();
    await page.locator(`.board-column.do [data-task="${taskId}"]`).waitFor();
    const [task] = await sql<{ status: string; root_cause: string }>(
      'SELECT status, root_cause FROM app.tasks WHERE task_id = ?',
      [String(taskId)],
    );
    expect(task).toEqual({ status: 'do', root_cause: '主机厂压库，高配车型滞销' });
    const [event] = await sql<{ actor: string; from_status: string; to_status: string }>(
      `SELECT actor, from_status, to_status FROM app.task_events WHERE task_id = ? AND kind = 'transition' ORDER BY event_id DESC LIMIT 1`,
      [String(taskId)],
    );
    expect(event).toEqual({ actor: owner, from_status: 'plan', to_status: 'do' });
    await page.screenshot({ path: `${SHOTS}/board-store-desktop.png`, fullPage: true });

    // The task page: its history, and an action logged from there.
    await page.click(`.board-column.do [data-task="${taskId}"] header a`);
    await page.waitForSelector('[data-view="task"] .history');
    await settled(page);
    expect(await page.locator('.pdca-steps [aria-current="step"]').textContent()).toBe('执行');
    await page.fill('.task-form textarea', '已联系两家租赁公司');
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await page.locator('.history .event.action').waitFor();
    expect(await page.locator('.history .event').count()).toBe(3);
    await page.screenshot({ path: `${SHOTS}/task-store-desktop.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the board and a task page read in English under ?lang=en', async () => {
    const { page, errors } = await open('group', '/board/G?who=all&lang=en');
    const cards = page.locator('.task-card');
    expect(await cards.count()).toBeGreaterThan(0);
    for (const part of ['header', '.task-finding', '.task-meta']) {
      for (const text of await cards.locator(part).allTextContents())
        expect(await withoutNames(text), part).not.toMatch(HAN);
    }
    await cards.first().locator('header a').click();
    await page.waitForSelector('[data-view="task"] .facts');
    await settled(page);
    expect(await page.locator('.task-head h1').textContent()).not.toMatch(HAN);
    expect(await page.locator('.pdca-steps').textContent()).not.toMatch(HAN);
    expect(await withoutNames(await page.locator('.facts').first().textContent())).not.toMatch(HAN);
    expect(await page.locator('.facts').first().textContent()).toContain('At stake');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a grant without the finance and inventory domains sees none of their alerts', async () => {
    const { page } = await open(
      'special',
      `/risks/${(await sql<{ parent_id: string }>('SELECT parent_id FROM dim_org WHERE node_id = ?', [SAMPLE_STORE]))[0]!.parent_id}`,
    );
    expect(await page.locator('.risk-count.critical strong').textContent()).toBe('0');
    await page.close();
  });

  it('renders at phone size without horizontal scrolling', async () => {
    for (const path of [`/board/${SAMPLE_STORE}`, `/risks/${SAMPLE_STORE}`]) {
      const { page } = await open('store', path, PHONE);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}/${path.split('/')[1]}-store-phone.png`, fullPage: true });
      await page.close();
    }
  });
});
