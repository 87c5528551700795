// The finance view in Debian's Chromium against the real server on the sample extract: the
// receivables ageing panel against plain SQL on fact_receivables, "no data" when the API says so,
// a metric's definition one key press away, and Excel exports with % and 元 number formats.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readXlsx } from '../src/shared/xlsx-inspect.ts';
import { blankPage, DESKTOP, PHONE, settled, signIn } from './browser.ts';
import { DEMO_PASSWORD } from './server.ts';
import { openAs, SHOTS, useSampleProduct } from './sample-product.ts';

const product = useSampleProduct();

const sql = async <T = Record<string, unknown>>(query: string, bindings: string[] = []) =>
  (await product.warehouse.knex.raw(query, bindings)).rows as T[];

const open = (role: string, path: string, viewport: { width: number; height: number } = DESKTOP) =>
  openAs(product, role, path, viewport);

const BUCKETS = ['open', 'not_due', 'd0_30', 'd31_60', 'd61_90', 'd90_plus', 'overdue'] as const;

/** Open receivables at and under a node on a date, by counterparty type, straight from the fact table. */
async function ageingBySql(
  node: string,
  date: string,
): Promise<Record<string, Record<(typeof BUCKETS)[number], number>>> {
  const rows = await sql<Record<string, unknown>>(
    `
    WITH docs AS (
      SELECT f.counterparty_type AS type, f.due_date,
             CASE WHEN f.settled_date IS NOT NULL AND f.settled_date <= ?::DATE THEN f.amount - f.settled_amount ELSE f.amount END AS open
      FROM fact_receivables f
      WHERE f.doc_date <= ?::DATE AND f.store_id IN (SELECT descendant_id FROM org_closure WHERE ancestor_id = ?)
    )
    SELECT coalesce(type, 'all') AS type,
           sum(open)::DOUBLE AS open,
           coalesce(sum(open) FILTER (WHERE due_date >= ?::DATE), 0)::DOUBLE AS not_due,
           coalesce(sum(open) FILTER (WHERE ?::DATE - due_date BETWEEN 1 AND 30), 0)::DOUBLE AS d0_30,
           coalesce(sum(open) FILTER (WHERE ?::DATE - due_date BETWEEN 31 AND 60), 0)::DOUBLE AS d31_60,
           coalesce(sum(open) FILTER (WHERE ?::DATE - due_date BETWEEN 61 AND 90), 0)::DOUBLE AS d61_90,
           coalesce(sum(open) FILTER (WHERE ?::DATE - due_date > 90), 0)::DOUBLE AS d90_plus,
           coalesce(sum(open) FILTER (WHERE due_date < ?::DATE), 0)::DOUBLE AS overdue
    FROM docs WHERE open > 0
    GROUP BY ROLLUP (type)`,
    [date, date, node, date, date, date, date, date, date],
  );
  return Object.fromEntries(
    rows.map((r) => [String(r.type), Object.fromEntries(BUCKETS.map((b) => [b, Number(r[b])]))]),
  ) as never;
}

/** The figures behind the ageing table's cells (data-value), by row (counterparty type or 'all') and column. */
async function ageingOnScreen(page: Page): Promise<Record<string, Record<string, number>>> {
  return page.locator('.ageing-table .data-table').evaluate(
    (table, buckets) => {
      const out: Record<string, Record<string, number>> = {};
      for (const tr of table.querySelectorAll('tbody tr[data-key], tfoot tr[data-key]')) {
        const row: Record<string, number> = {};
        for (const b of buckets)
          row[b] = Number(tr.querySelector(`td[data-col="${b}"] [data-value]`)!.getAttribute('data-value'));
        out[tr.getAttribute('data-key')!] = row;
      }
      return out;
    },
    [...BUCKETS],
  );
}

describe('receivables ageing', () => {
  it('shows the open receivables by counterparty type and days past due, with totals equal to plain SQL, as of the period end', async () => {
    const { page, errors } = await open('finance', '/finance/G');
    const token = await product.server.login(product.users.finance!, DEMO_PASSWORD);
    const to = (await product.server.get('/api/version', token)).body.period_to as string;
    expect(to).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('.ageing-grid').getAttribute('data-as-of')).toBe(to);
    const expected = await ageingBySql('G', to);
    const shown = await ageingOnScreen(page);
    expect(Object.keys(shown).sort()).toEqual(Object.keys(expected).sort());
    for (const [type, row] of Object.entries(expected)) {
      for (const b of BUCKETS) expect(shown[type]![b], `${type} ${b}`).toBeCloseTo(row[b], 2);
    }
    expect(expected.all!.overdue).toBeGreaterThan(0);
    // The total row reads in 万 like the rest of the view.
    const totalOpen = await page.locator('.ageing-table tfoot td[data-col="open"]').textContent();
    expect(totalOpen).toBe(`${(expected.all!.open / 1e4).toFixed(1)}万`);

    // The largest overdue documents: overdue on that date, largest first.
    const docs = await page.locator('.overdue-docs tbody tr[data-key]').evaluateAll((trs) =>
      trs.map((tr) => ({
        doc: tr.getAttribute('data-key'),
        open: Number(tr.querySelector('td[data-col="open_amount"] [data-value]')!.getAttribute('data-value')),
      })),
    );
    const top = await sql<{ doc_no: string; open: number }>(
      `
      SELECT doc_no, open FROM (
        SELECT doc_no, (CASE WHEN settled_date IS NOT NULL AND settled_date <= ?::DATE THEN amount - settled_amount ELSE amount END)::DOUBLE AS open
        FROM fact_receivables WHERE doc_date <= ?::DATE AND due_date < ?::DATE
      ) WHERE open > 0 ORDER BY open DESC, doc_no LIMIT 10`,
      [to, to, to],
    );
    expect(docs.map((d) => d.open)).toEqual(top.map((d) => d.open));
    await page.screenshot({ path: `${SHOTS}/finance-ageing-desktop.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('follows the period: a store at the end of an earlier month', async () => {
    const { page } = await open('finance', '/finance/S0002?p=2026-09');
    expect(await page.locator('.ageing-grid').getAttribute('data-as-of')).toBe('2026-09-30');
    const expected = await ageingBySql('S0002', '2026-09-30');
    const shown = await ageingOnScreen(page);
    for (const b of BUCKETS) expect(shown.all![b], b).toBeCloseTo(expected.all![b], 2);
    await page.close();
  });

  it('says "无数据" when the API has no data for the date, never zeros', async () => {
    // The sample covers every date a period can reach, so the API's own answer for a date before the extract is served instead.
    const token = await product.server.login(product.users.finance!, DEMO_PASSWORD);
    const before = await product.server.get('/api/receivables/ageing?node=G&date=2025-10-31', token);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ reason: 'no_data', by_type: [], total: null, largest: [] });
    const page = await blankPage(product.browser, { viewport: DESKTOP });
    await page.route('**/api/receivables/ageing?*', (route) =>
      route.fulfill({
        json: { ...before.body, as_of: new URL(route.request().url()).searchParams.get('date') },
      }),
    );
    await signIn(page, product.server.base, product.users.finance!, DEMO_PASSWORD, '/finance/G');
    await settled(page);
    await expect
      .poll(() => page.locator('.ageing-panel [data-state="no-data"] strong').textContent())
      .toBe('无数据');
    expect(await page.locator('.overdue-docs-panel [data-state="no-data"]').count()).toBe(1);
    expect(await page.locator('.ageing-table').count()).toBe(0);
    await page.close();
  });
});

describe('metric definitions', () => {
  it("opens a KPI card's definition by keyboard: Tab onto ⓘ, Enter, the formula; Escape gives the focus back", async () => {
    const { page, errors } = await open('finance', '/finance/G');
    const token = await product.server.login(product.users.finance!, DEMO_PASSWORD);
    const catalog = (await product.server.get('/api/metrics', token)).body.metrics as {
      id: string;
      definition: { zh: string; en: string };
    }[];
    const definition = catalog.find((m) => m.id === 'overdue_receivables_share')!.definition;

    await page.focus('a.kpi-card[data-metric="overdue_receivables_share"]');
    await page.keyboard.press('Tab');
    const focused = () =>
      page.evaluate(
        () =>
          document.activeElement?.getAttribute('data-metric-info') ??
          document.activeElement?.className ??
          null,
      );
    expect(await focused()).toBe('overdue_receivables_share');
    const button = page.locator('.kpi-card[data-metric="overdue_receivables_share"] [data-metric-info]');
    expect(await button.getAttribute('aria-label')).toBe('逾期应收占比：指标定义');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: '逾期应收占比：指标定义' });
    await dialog.waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await dialog.locator('[data-fact="formula"]').textContent()).toBe(definition.zh);
    const text = await dialog.textContent();
    for (const part of ['越低越好', '期末余额', '预警：> 20.0%', '严重：> 35.0%', '建议值'])
      expect(text).toContain(part);
    // The page did not navigate: the card is a link, the ⓘ inside it is not.
    expect(new URL(page.url()).pathname).toBe('/finance/G');
    await page.screenshot({ path: `${SHOTS}/finance-definition-desktop.png` });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused()).toBe('overdue_receivables_share');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a table header that names a metric has its ⓘ too, in English under ?lang=en', async () => {
    const { page } = await open('finance', '/finance/G?lang=en');
    const header = page.locator('.ageing-table th[data-col="overdue_share"]');
    await header.locator('button').first().focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-metric-info'))).toBe(
      'overdue_receivables_share',
    );
    await page.keyboard.press(' ');
    const dialog = page.getByRole('dialog', { name: 'Overdue receivables share: definition' });
    await dialog.waitFor();
    const text = await dialog.textContent();
    for (const part of [
      'Σ open receivables past due at the period end',
      'Lower is better',
      'Warning: > 20.0%',
      'Suggested default',
    ])
      expect(text).toContain(part);
    expect(text).not.toMatch(/\p{Script=Han}/u);
    // Tab leaves the popover and goes on from the ⓘ.
    await page.keyboard.press('Tab');
    await dialog.waitFor({ state: 'detached' });
    expect(
      await page.evaluate(() => document.activeElement?.closest('th')?.getAttribute('data-col') ?? null),
    ).toBeNull();
    await page.close();
  });
});

describe('exports', () => {
  it('the ageing table exports to Excel with 元 as whole numbers with thousands separators and % with one decimal', async () => {
    const { page } = await open('finance', '/finance/G');
    const panel = page.locator('.ageing-panel');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: '导出 Excel' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^应收账款账龄-华晟汽车集团-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const rows = readXlsx(readFileSync((await download.path())!));
    expect(rows[0]!.map((c) => c.value)).toEqual([
      '往来类型',
      '未收合计（元）',
      '未到期（元）',
      '逾期0–30天（元）',
      '31–60天（元）',
      '61–90天（元）',
      '90天以上（元）',
      '逾期合计（元）',
      '逾期应收占比',
    ]);
    const shown = await ageingOnScreen(page);
    const total = rows.at(-1)!;
    expect(total[0]!.value).toBe('合计');
    for (const [i, b] of BUCKETS.entries()) {
      const cell = total[[1, 2, 3, 4, 5, 6, 7][i]!]!;
      expect(cell.format, b).toBe('#,##0');
      expect(cell.value, b).toBe(Math.round(shown.all![b]!));
    }
    const share = total[8]!;
    expect(share.format).toBe('0.0%');
    // The fraction of the percentage shown (one decimal), not a float's eleven decimals.
    expect(share.value).toBe(
      Number((Number(((shown.all!.overdue! / shown.all!.open!) * 100).toFixed(1)) / 100).toPrecision(12)),
    );
    expect(await page.locator('.ageing-table tfoot td[data-col="overdue_share"]').textContent()).toBe(
      `${((share.value as number) * 100).toFixed(1)}%`,
    );

    // The largest documents: amounts in 元, days with one decimal.
    const docs = page.locator('.overdue-docs-panel');
    const [docsDownload] = await Promise.all([
      page.waitForEvent('download'),
      docs.getByRole('button', { name: '导出 Excel' }).click(),
    ]);
    const docRows = readXlsx(readFileSync((await docsDownload.path())!));
    const header = docRows[0]!.map((c) => c.value);
    const amount = header.indexOf('未收金额（元）');
    const days = header.indexOf('逾期天数（天）');
    expect(amount).toBeGreaterThan(0);
    expect(days).toBeGreaterThan(0);
    for (const row of docRows.slice(1)) {
      expect(row[amount]!.format).toBe('#,##0');
      expect(Number.isInteger(row[amount]!.value)).toBe(true);
      expect(row[days]!.format).toBe('#,##0.0');
    }

    // CSV: the same rounded figures.
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: '导出 CSV' }).click(),
    ]);
    const csv = readFileSync((await csvDownload.path())!, 'utf8').split('\r\n');
    expect(csv[0]!.startsWith('\uFEFF往来类型,未收合计（元）')).toBe(true);
    expect(csv.at(-2)).toBe(
      [
        '合计',
        ...BUCKETS.map((b) => String(Math.round(shown.all![b]!))),
        `${((share.value as number) * 100).toFixed(1)}%`,
      ].join(','),
    );
    await page.close();
  });
});

describe('layout', () => {
  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const)(
    'the finance view fits %s without horizontal scrolling, in Chinese and English',
    async (size, viewport) => {
      for (const lang of ['zh', 'en'] as const) {
        const { page, errors } = await open(
          'finance',
          `/finance/G${lang === 'en' ? '?lang=en' : ''}`,
          viewport,
        );
        await page.locator('.ageing-table').waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${lang} at ${size}`).toBeLessThanOrEqual(0);
        if (size === 'desktop') {
          // At 1920 both tables fit their panels; on a phone they may scroll inside them.
          for (const table of ['.ageing-table', '.overdue-docs']) {
            const inner = await page
              .locator(`${table} .table-scroll`)
              .evaluate((el) => el.scrollWidth - el.clientWidth);
            expect(inner, `${table} ${lang}`).toBeLessThanOrEqual(0);
          }
        }
        if (lang === 'en')
          expect(await page.locator('.ageing-grid').textContent()).not.toMatch(/往来|逾期|未收|合计|无数据/);
        await page.screenshot({ path: `${SHOTS}/finance-${lang}-${size}.png`, fullPage: true });
        expect(errors).toEqual([]);
        await page.close();
      }
    },
  );
});
