// The rolling budget in Chromium on the sample (4 stores, August – October 2026): finance makes a
// version from the forecast, the region manager of the demo store changes its November target and
// submits his region, finance submits the version and the group approves it; November's data
// arrives — and the store's overview measures November against the approved target, as plain SQL
// works it out (the extract's own budget for November, loaded with it, does not replace it: the
// month was planned and approved in the product).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../etl/test/helpers.ts';
import { generateExtract } from '../../fixtures/generate.ts';
import { loadThroughServer } from '../../server/src/admin/commands.ts';
import { settled } from './browser.ts';
import { openAs, SHOTS, useSampleProduct } from './sample-product.ts';
import { SAMPLE_STORE } from './server.ts';

const product = useSampleProduct();

const sql = async (query: string, bindings: unknown[] = []) =>
  ((await product.warehouse.knex.raw(query, bindings as never)) as { rows: Record<string, unknown>[] }).rows;

describe('rolling budget', () => {
  it('planned from the forecast, changed and submitted by a region, approved by the group: the overview measures against it', async () => {
    const [store] = (await sql(`SELECT parent_id AS region, name FROM dim_org WHERE node_id = ?`, [
      SAMPLE_STORE,
    ])) as { region: string; name: string }[];
    const { region, name } = store!;
    const overviewBudget = async () => {
      const { page } = await openAs(product, 'store', `/overview/${SAMPLE_STORE}?p=2026-11`);
      const text = await page.locator('.kpi-card[data-metric=new_units] [data-compare=budget]').textContent();
      await page.context().close();
      return text;
    };
    // Finance: a new version from the forecast, starting with November (the first month not closed).
    const { page: finance } = await openAs(product, 'finance', '/budgets/G');
    expect(await finance.inputValue('form.budget-new input[name=first_month]')).toBe('2026-11');
    await finance.fill('form.budget-new input[name=name]', '2026-11 起滚动预算');
    await finance.click('form.budget-new button[type=submit]');
    await finance.waitForFunction(() => /[?&]v=\d+/.test(location.search));
    await finance.waitForSelector('.budget-table tr[data-unit] td[data-month="2026-11"]');
    await settled(finance);
    const id = Number(new URL(finance.url()).searchParams.get('v'));
    const [version] = (await sql(`SELECT status, source FROM app.budget_versions WHERE version_id = ?`, [
      id,
    ])) as { status: string; source: string }[];
    expect(version).toEqual({ status: 'draft', source: 'forecast' });
    await finance.screenshot({ path: `${SHOTS}/budgets-finance-desktop.png`, fullPage: true });

    // The region manager types the demo store's November target and submits his region.
    const target = 77;
    const { page: manager } = await openAs(product, 'region', `/budgets/${region}?v=${id}&metric=new_units`);
    const input = manager.getByLabel(`${name} 2026-11`);
    await input.fill(String(target));
    // Changed, not saved yet: marked.
    await manager.waitForSelector('.budget-table td.changed');
    expect(await manager.locator('.budget-changed').textContent()).toContain('1 个格子已修改');
    // The arrow keys move along the row, as in a spreadsheet.
    await input.press('ArrowRight');
    expect(await manager.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toContain(
      '2026-12',
    );
    await manager.click('.budget-save button.button');
    await manager.waitForSelector('.budget-message:has-text("已保存 1 个格子")');
    expect(await manager.locator('.budget-table td.changed').count()).toBe(0);
    const [line] = (await sql(
      `SELECT target, set_by FROM app.budget_lines
       WHERE version_id = ? AND month = DATE '2026-11-01' AND node_id = ? AND metric_id = 'new_units'`,
      [id, SAMPLE_STORE],
    )) as { target: number; set_by: string }[];
    expect(line).toEqual({ target, set_by: product.users.region });
    await manager.click('.budget-actions button:has-text("提交")');
    await manager.waitForSelector('.budget-part[data-part=submitted]');
    // Submitted: his stores' cells are closed to him until the part comes back.
    await manager.waitForFunction(() => document.querySelectorAll('.budget-table input').length === 0);
    await settled(manager);
    await manager.screenshot({ path: `${SHOTS}/budgets-region-desktop.png`, fullPage: true });

    // Finance hands the version to the group, which approves it.
    await finance.reload();
    await settled(finance);
    await finance.click('.budget-actions button:has-text("提交集团审批")');
    await finance.waitForSelector(`.budget-list tr[data-version="${id}"][data-status=submitted]`);
    const { page: group } = await openAs(product, 'group', `/budgets/G?v=${id}`);
    await group.click('.budget-actions button:has-text("批准版本")');
    await group.waitForSelector(`.budget-list tr[data-version="${id}"][data-status=approved]`);
    await group.screenshot({ path: `${SHOTS}/budgets-approved-desktop.png`, fullPage: true });

    // November's data arrives (its extract's budget.csv plans November otherwise).
    const extract = join(tempDir(), 'extract');
    await generateExtract({ out: extract, stores: 4, months: 4, end: '2026-11-30' });
    expect((await loadThroughServer(product.warehouse, product.server.app, extract)).load.status).toBe(
      'loaded',
    );
    const [csv] = (await sql(
      `SELECT target FROM fact_budget WHERE store_id = ? AND metric_id = 'new_units' AND period = DATE '2026-11-01'`,
      [SAMPLE_STORE],
    )) as { target: number }[];
    expect(csv!.target).not.toBe(target);
    const actual = Number(
      (
        await sql(
          `SELECT count(*) AS n FROM fact_vehicle_sales
           WHERE store_id = ? AND sale_type = 'new' AND sale_date BETWEEN DATE '2026-11-01' AND DATE '2026-11-30'`,
          [SAMPLE_STORE],
        )
      )[0]!.n,
    );
    expect(actual).toBeGreaterThan(0);
    expect(await overviewBudget()).toBe(`完成率 ${((actual / target) * 100).toFixed(1)}%`);
    for (const page of [finance, manager, group]) await page.context().close();
  });
});
