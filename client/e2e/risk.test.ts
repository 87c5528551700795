// The risk centre, the PDCA board and a task page in Debian's Chromium, against the real server
// on the sample extract (loaded through the same pipeline as `npm run etl`, so its alerts exist).
// Counts on screen are checked against plain SQL on the app tables.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, settled, signIn } from './browser.ts';
import { DEMO_PASSWORD, SAMPLE_STORE } from './server.ts';
import { SHOTS, useSampleProduct } from './sample-product.ts';

const product = useSampleProduct();

const sql = async <T = Record<string, unknown>>(query: string, bindings: string[] = []) => (await product.warehouse.knex.raw(query, bindings)).rows as T[];

async function open(role: string, path: string, viewport: { width: number; height: number } = DESKTOP): Promise<{ page: Page; errors: string[] }> {
  const page = await product.browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await signIn(page, product.server.base, product.users[role]!, DEMO_PASSWORD, path);
  await settled(page);
  return { page, errors };
}

describe('risk centre', () => {
  it('shows the open alerts by level as the app tables hold them; a heat-map cell filters them', async () => {
    const { page, errors } = await open('group', '/risks/G');
    const counts = Object.fromEntries((await sql<{ level: string; n: number }>(`SELECT level, count(*) AS n FROM app.alerts WHERE status = 'open' GROUP BY level`)).map((r) => [r.level, Number(r.n)]));
    expect(counts.critical).toBeGreaterThan(0);
    expect(await page.locator('.risk-count.critical strong').textContent()).toBe(String(counts.critical));
    expect(await page.locator('.risk-count.warning strong').textContent()).toBe(String(counts.warning));
    expect(await page.locator('.data-table tbody tr').count()).toBe(counts.critical! + counts.warning!);

    const [cell] = await sql<{ n: number }>(`SELECT count(*) AS n FROM app.alerts WHERE status = 'open' AND node_id = ? AND metric_id IN ('inventory_coefficient', 'aged_stock_share_90', 'new_days_supply')`, [SAMPLE_STORE]);
    const storeName = (await sql<{ name: string }>('SELECT name FROM dim_org WHERE node_id = ?', [SAMPLE_STORE]))[0]!.name;
    await page.click(`.heatmap tr:has(th:text-is("${storeName}")) td:nth-child(3) button`);
    await page.waitForURL(/store=S0001&domain=inventory/);
    await expect.poll(() => page.locator('.data-table tbody tr').count()).toBe(Number(cell!.n));
    await page.screenshot({ path: `${SHOTS}/risks-group-desktop.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an alert opens the KPI view at its node and month in one click', async () => {
    const { page, errors } = await open('store', `/risks/${SAMPLE_STORE}`);
    const link = page.locator('.data-table tbody tr a[title]').first();
    const metric = new URL(await link.getAttribute('href') ?? '', product.server.base).searchParams.get('metric');
    await link.click();
    await page.waitForSelector('[data-view="drill"]');
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/drill/${SAMPLE_STORE}`);
    expect(url.searchParams.get('metric')).toBe(metric);
    expect(url.searchParams.get('p')).toBe('2026-10');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a store manager sees only their store\'s alerts, on the overview too', async () => {
    const { page } = await open('store', `/overview/${SAMPLE_STORE}`);
    const storeName = (await sql<{ name: string }>('SELECT name FROM dim_org WHERE node_id = ?', [SAMPLE_STORE]))[0]!.name;
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
    const planned = await sql<{ n: number }>(`SELECT count(*) AS n FROM app.tasks WHERE assignee = ? AND status = 'plan'`, [owner]);
    const plan = page.locator('.board-column.plan');
    expect(await plan.locator('.count').textContent()).toBe(String(planned[0]!.n));
    const card = plan.locator('.task-card').first();
    const taskId = await card.getAttribute('data-task');
    await card.getByRole('button', { name: '开始执行' }).click();
    await card.locator('textarea').nth(0).fill('主机厂压库，高配车型滞销');
    await card.locator('textarea').nth(1).fill('与车队客户洽谈批量销售，暂停高配订货');
    await card.getByRole('button', { name: '开始执行' }).click();
    await page.locator(`.board-column.do [data-task="${taskId}"]`).waitFor();
    const [task] = await sql<{ status: string; root_cause: string }>('SELECT status, root_cause FROM app.tasks WHERE task_id = ?', [String(taskId)]);
    expect(task).toEqual({ status: 'do', root_cause: '主机厂压库，高配车型滞销' });
    const [event] = await sql<{ actor: string; from_status: string; to_status: string }>(
      `SELECT actor, from_status, to_status FROM app.task_events WHERE task_id = ? AND kind = 'transition' ORDER BY event_id DESC LIMIT 1`, [String(taskId)]);
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

  it('a grant without the finance and inventory domains sees none of their alerts', async () => {
    const { page } = await open('special', `/risks/${(await sql<{ parent_id: string }>('SELECT parent_id FROM dim_org WHERE node_id = ?', [SAMPLE_STORE]))[0]!.parent_id}`);
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
