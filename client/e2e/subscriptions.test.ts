// The subscriptions panel of the report page in Chromium on the sample (4 stores, August – October
// 2026): the group user subscribes the region manager of 合资品牌华东区 (D2-R1) to the region's
// review through the form — a bad cron is refused next to the schedule and nothing typed is lost —,
// sees it listed with its schedule in words and its next run, turns it off and on (a stale copy
// answers 409, explained), sends it now — the WeCom robot (a local HTTP server) gets its post, the
// e-mail fails, no SMTP server being set up, and the page shows that failure in red — and deletes
// it. A store manager subscribes only themselves (the form says so), on a phone too; a special
// grant reads, a staff user sees no panel.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/src/auth/users.ts';
import { PHONE, settled } from './browser.ts';
import { openAs, SHOTS, useSampleProduct } from './sample-product.ts';
import { DEMO_PASSWORD, SAMPLE_STORE } from './server.ts';

// No SMTP server is set up here: the e-mail channel fails at once, shown in red.
const product = useSampleProduct();

const sql = async (query: string, bindings: unknown[] = []) =>
  ((await product.warehouse.knex.raw(query, bindings as never)) as { rows: Record<string, unknown>[] }).rows;

const REGION = 'D2-R1';

/** What the WeCom robot received: the paths posted to. */
const posts: string[] = [];
const robot: Server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    posts.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
  });
});
let robotPort = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => robot.listen(0, '127.0.0.1', resolve));
  robotPort = (robot.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => robot.close(resolve));
});

/** The colour an element is drawn in. */
const colourOf = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => getComputedStyle(el).color);
const RED = 'rgb(214, 69, 69)';

describe('report subscriptions on the report page', () => {
  beforeAll(async () => {
    await addUser(product.warehouse.knex, {
      username: 'he.xiaoming',
      password: DEMO_PASSWORD,
      role: 'region',
      nodes: [REGION],
      name: '何晓明',
      email: 'he.xiaoming@example.com',
    });
  });

  it('the group user subscribes a region manager through the form, turns it off and on, sends it now and deletes it', async () => {
    const { page, errors } = await openAs(product, 'group', `/reports/${REGION}?kind=monthly`);
    const panel = page.locator('.report-subscriptions .subscriptions');
    await panel.locator('.state.empty').waitFor();
    expect(await panel.locator('.state.empty').textContent()).toContain('暂无订阅');
    // Beside the report, never printed.
    expect(await page.locator('.report-view .subscriptions').count()).toBe(0);
    expect(await page.locator('.report-subscriptions').getAttribute('class')).toContain('no-print');

    await panel.getByRole('button', { name: '新建订阅' }).click();
    const form = panel.locator('form.sub-form');
    // The page's report and node to start with; the monthly report's rhythm.
    expect(await form.locator('select[name=kind]').inputValue()).toBe('monthly');
    expect(await form.locator('select[name=node]').inputValue()).toBe(REGION);
    expect(await form.locator('select[name=preset]').inputValue()).toBe('0 8 1 * *');
    expect(await form.locator('input[name=time_zone]').inputValue()).toBe('Asia/Shanghai');
    expect(await form.locator('input[name=wecom]').getAttribute('type')).toBe('url');
    expect(await form.locator('input[name=dingtalk]').getAttribute('type')).toBe('url');
    expect(await form.locator('input[name=secret]').getAttribute('type')).toBe('password');
    // The users of the group's scope, staff users not among them.
    await form.locator('li[data-user="he.xiaoming"]').waitFor();
    expect(await form.locator(`li[data-user="${product.users.staff}"]`).count()).toBe(0);
    await form.locator('input[type=search]').fill('何晓明');
    expect(await form.locator('.sub-recipient-list li').count()).toBe(1);
    await form.locator('li[data-user="he.xiaoming"] input').check();
    const webhook = `http://127.0.0.1:${robotPort}/cgi-bin/webhook/send?key=E2E-ROBOT-KEY`;
    await form.locator('input[name=wecom]').fill(webhook);
    await form.locator('select[name=preset]').selectOption('custom');
    await form.locator('input[name=cron]').fill('0 25 * * 1');
    await form.locator('button[type=submit]').click();

    // Refused next to the schedule, everything typed still there.
    const refusal = form.locator('[data-field=schedule] .field-error');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-param')).toBe('schedule');
    expect(await refusal.textContent()).toContain('"0 25 * * 1" is not a 5-field cron');
    expect(await form.locator('.form-error').count()).toBe(1);
    expect(await form.locator('input[name=cron]').inputValue()).toBe('0 25 * * 1');
    expect(await form.locator('input[name=wecom]').inputValue()).toBe(webhook);
    expect(await form.locator('li[data-user="he.xiaoming"] input').isChecked()).toBe(true);
    expect(await form.locator('input[name=email]').isChecked()).toBe(true);
    expect(await sql(`SELECT count(*)::INTEGER AS n FROM app.subscriptions`)).toEqual([{ n: 0 }]);
    await page.screenshot({ path: `${SHOTS}/subscriptions-refused-desktop.png`, fullPage: true });

    await form.locator('input[name=cron]').fill('0 8 * * 1');
    expect(await form.locator('[data-field=schedule] .hint').textContent()).toBe('每周一 08:00');
    await form.locator('button[type=submit]').click();
    const card = panel.locator('.sub-card');
    await card.waitFor();
    expect(await form.count()).toBe(0);
    const [stored] = await sql(
      `SELECT subscription_id, schedule, recipients, enabled FROM app.subscriptions`,
    );
    const id = Number(stored!.subscription_id);
    expect(stored).toMatchObject({ schedule: '0 8 * * 1', enabled: true });
    expect(JSON.parse(String(stored!.recipients))).toEqual([{ user: 'he.xiaoming' }]);

    // Listed: its schedule in words, the next Monday at 08:00 in Shanghai, whom and how.
    expect(await card.getAttribute('data-subscription')).toBe(String(id));
    expect(await card.locator('h3').textContent()).toContain('经营分析月报');
    expect(await card.locator('[data-schedule]').textContent()).toContain('每周一 08:00');
    const next = (await card.locator('[data-next-run]').getAttribute('data-next-run'))!;
    expect(next).toMatch(/^\d{4}-\d{2}-\d{2}T08:00:00\+08:00$/);
    expect(new Date(`${next.slice(0, 10)}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(await card.locator('[data-next-run]').textContent()).toBe(`${next.slice(0, 10)} 周一 08:00`);
    expect(await card.locator('[data-recipients]').textContent()).toBe('何晓明');
    expect(await card.locator('[data-channels]').textContent()).toBe(
      `邮件 / 企业微信机器人 (127.0.0.1:${robotPort})`,
    );
    expect(await card.textContent()).toContain('Asia/Shanghai');
    expect(await card.locator('[data-last-run]').textContent()).toContain('尚未发送');
    // The robot's key never reaches the page.
    expect(await page.content()).not.toContain('E2E-ROBOT-KEY');
    await settled(page);
    await page.screenshot({ path: `${SHOTS}/subscriptions-listed-desktop.png`, fullPage: true });

    // Off and on.
    await card.getByRole('button', { name: '停用' }).click();
    await page.waitForSelector('.sub-card[data-enabled=false]');
    expect(await card.locator('[data-next-run]').textContent()).toBe('已停用，不发送');
    expect(await sql(`SELECT enabled FROM app.subscriptions`)).toEqual([{ enabled: false }]);
    await card.getByRole('button', { name: '启用' }).click();
    await page.waitForSelector('.sub-card[data-enabled=true]');
    expect(await card.locator('[data-next-run]').getAttribute('data-next-run')).toBe(next);

    // Someone else changes it meanwhile: the page's copy is stale, the 409 explained, the list reloaded.
    const group = await product.server.login(product.users.group!, DEMO_PASSWORD);
    const elsewhere = await product.server.send('PATCH', `/api/subscriptions/${id}`, group, {
      language: 'en',
    });
    expect(elsewhere.status).toBe(200);
    await card.getByRole('button', { name: '停用' }).click();
    await card.locator('.form-error').waitFor();
    expect(await card.locator('.form-error').first().textContent()).toContain('已被他人修改');
    await card.locator('dd', { hasText: '英文' }).waitFor();
    await card.getByRole('button', { name: '停用' }).click();
    await page.waitForSelector('.sub-card[data-enabled=false]');
    expect(await card.locator('.form-error').count()).toBe(0);
    await card.getByRole('button', { name: '启用' }).click();
    await page.waitForSelector('.sub-card[data-enabled=true]');

    // Send now: followed until the run ends. The robot gets its post; the e-mail fails for good
    // at once (no SMTP server here: no copy is made, no retry mends it), shown in red with its error.
    await card.getByRole('button', { name: '立即发送' }).click();
    await card.locator('.sub-progress').waitFor();
    await page.waitForSelector('.sub-last[data-last-run=failed]', { timeout: 120_000 });
    const failure = card.locator('.sub-outcomes .sub-failed');
    expect(await failure.textContent()).toBe('何晓明 · 邮件：no SMTP server is set up (SMTP_URL)');
    expect(await colourOf(page, '.sub-outcomes .sub-failed')).toBe(RED);
    expect(await card.locator('.sub-last p').first().textContent()).toContain('已发送 1 · 失败 1 · 跳过 0');
    expect(await card.locator('.sub-progress').count()).toBe(0);
    expect(posts).toEqual(['/cgi-bin/webhook/send?key=E2E-ROBOT-KEY']);
    // Its deliveries, newest run first.
    await card.locator('.sub-deliveries summary').click();
    const rows = card.locator('.sub-run').first().locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await card.locator('.sub-run tr[data-status=failed] td').allTextContents()).toEqual([
      '何晓明',
      '邮件',
      '失败',
      '1',
      '—',
      'no SMTP server is set up (SMTP_URL)',
      '—',
    ]);
    expect(await card.locator('.sub-run tr[data-status=sent] td').nth(1).textContent()).toBe(
      '企业微信机器人',
    );
    expect(await colourOf(page, '.sub-run tr[data-status=failed] td.sub-failed')).toBe(RED);
    await page.screenshot({ path: `${SHOTS}/subscriptions-sent-desktop.png`, fullPage: true });

    // Deleted, after a confirmation.
    page.once('dialog', (dialog) => void dialog.accept());
    await card.getByRole('button', { name: '删除' }).click();
    await panel.locator('.state.empty').waitFor();
    expect(await sql(`SELECT count(*)::INTEGER AS n FROM app.subscriptions`)).toEqual([{ n: 0 }]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('a store manager subscribes only themselves, on a phone too; a special grant reads; staff see no panel', async () => {
    const path = `/reports/${SAMPLE_STORE}?kind=daily`;
    const { page, errors } = await openAs(product, 'store', path, PHONE);
    const panel = page.locator('.subscriptions');
    await panel.getByRole('button', { name: '新建订阅' }).click();
    const form = panel.locator('form.sub-form');
    await form.locator('.sub-self').waitFor();
    expect(await form.locator('.sub-self').textContent()).toContain('仅您本人');
    expect(await form.locator('.sub-self').getAttribute('data-self')).toBe(product.users.store);
    expect(await form.locator('.sub-recipient-list').count()).toBe(0);
    expect(await form.locator('select[name=node]').inputValue()).toBe(SAMPLE_STORE);
    expect(await form.locator('select[name=preset]').inputValue()).toBe('0 8 * * *');
    // The demo users have an address on file: no warning that e-mail cannot reach them.
    expect(await form.locator('.sub-warn').count()).toBe(0);
    // One column, every field the form's width, nothing wider than the phone.
    const widths = await form.evaluate((el) => {
      const inner = el.getBoundingClientRect().width;
      return [
        ...el.querySelectorAll('select, input[type=url], input[type=password], input[name=time_zone]'),
      ].map((f) => Math.round((f.getBoundingClientRect().width / inner) * 100));
    });
    for (const w of widths) expect(w).toBeGreaterThan(85);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${SHOTS}/subscriptions-store-form-phone.png`, fullPage: true });

    await form.locator('button[type=submit]').click();
    const card = panel.locator('.sub-card');
    await card.waitFor();
    expect(await card.locator('[data-schedule]').textContent()).toContain('每天 08:00');
    // The demo store manager has an e-mail address: the card names them, with no warning.
    const [me] = await sql(`SELECT display_name FROM app.users WHERE username = ?`, [product.users.store]);
    const name = String(me!.display_name ?? product.users.store);
    expect(await card.locator('[data-recipients]').textContent()).toBe(name);
    const [stored] = await sql(`SELECT recipients, owner FROM app.subscriptions`);
    expect(JSON.parse(String(stored!.recipients))).toEqual([{ user: product.users.store }]);
    expect(stored!.owner).toBe(product.users.store);
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${SHOTS}/subscriptions-store-phone.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();

    // A special grant of the store's region: no form, no actions.
    const region = String(
      (await sql(`SELECT parent_id FROM dim_org WHERE node_id = ?`, [SAMPLE_STORE]))[0]!.parent_id,
    );
    const special = await openAs(product, 'special', `/reports/${region}?kind=daily`);
    await special.page.locator('.subscriptions .state.empty').waitFor();
    expect(await special.page.locator('.subscriptions').textContent()).toContain('专项授权用户可查看');
    expect(await special.page.locator('.subscriptions button').count()).toBe(0);
    await special.page.context().close();

    // A staff user has no report subscriptions: no panel, nothing asked for.
    const staff = await openAs(product, 'staff', path);
    expect(await staff.page.locator('.subscriptions').count()).toBe(0);
    await staff.page.context().close();
  }, 120_000);
});
