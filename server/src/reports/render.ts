// One recipient's copy of a report, made as that recipient: the data through their own Scope (their
// nodes, their domains), the PDF by the dashboard's report page printed in headless Chromium,
// signed in with a short-lived token of theirs, in the subscription's language. A subscription's node that
// lies outside a recipient's scope is replaced by the recipient's own nodes under it; if none lie
// under it, they get no copy and the reason says why.
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { Knex } from 'knex';
import writeExcelFile from 'write-excel-file/node';
import type { User } from '../auth/users.ts';
import { issueToken } from '../auth/tokens.ts';
import { reportTables } from '../contract/report-tables.ts';
import type { ReportKind, ReportResponse } from '../contract/reports.ts';
import type { Lang } from '../contract/numbers.ts';
import { workbookOf } from '../contract/tables.ts';
import { HttpError } from '../errors.ts';
import type { ReadGate } from '../db/read-gate.ts';
import type { DataVersionState } from '../scope/data-version-state.ts';
import { Scope, type VettedNode } from '../scope/scope.ts';
import { buildReport } from './build.ts';

export interface CopyRequest {
  user: User;
  kind: ReportKind;
  period?: string;
  lang: Lang;
  timeZone: string;
}

export interface RenderedCopy {
  node: VettedNode;
  report: ReportResponse;
  pdf: Uint8Array;
  xlsx: Uint8Array;
}

/** Why a recipient gets no copy: a sentence for the subscription page. */
export class NoCopy extends Error {}

/**
 * Chromium started through `nice`: printing is CPU work, and on a small server the dashboard's
 * own requests must not wait behind it. A wrapper script, because Playwright starts the
 * executable itself with its own arguments first.
 */
function niced(chromiumPath: string): string {
  if (!existsSync('/usr/bin/nice')) return chromiumPath;
  const quoted = `'${chromiumPath.replace(/'/g, `'\\''`)}'`;
  const wrapper = join(tmpdir(), `cockpit-chromium-${process.pid}.sh`);
  writeFileSync(wrapper, `#!/bin/sh\nexec /usr/bin/nice -n 10 ${quoted} "$@"\n`, { mode: 0o755 });
  return wrapper;
}

/** How long a copy's sign-in lasts: long enough to print it, no longer. */
const TOKEN_SECONDS = 300;

export class ReportRenderer {
  private browser: Promise<Browser> | null = null;
  private closed = false;
  /** Copies are made one at a time, so a run never takes more than one core from the dashboard. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly knex: Knex,
    private readonly loaded: DataVersionState,
    private readonly options: {
      /** Where this server answers, for the browser (http://127.0.0.1:PORT). */
      baseUrl: () => string;
      secret: string;
      chromiumPath: string;
      /** Held while the copy's data is read, as the API's answers are (a load commits outside it). */
      gate: ReadGate;
      timeoutMs: number;
    },
  ) {}

  /** The nodes the recipient's copy shows: the subscription's node if they may see it, else their own under it. */
  async nodesFor(user: User, nodeId: string): Promise<VettedNode[]> {
    if (user.role === 'staff') throw new NoCopy('a staff user reads their own figures only, not reports');
    const scope = new Scope(this.knex, user, this.loaded);
    try {
      return [await scope.node(nodeId)];
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 403) throw err;
    }
    const own: VettedNode[] = [];
    for (const mine of user.nodes) {
      const known = await this.loaded.node(mine);
      if (known?.ancestors.includes(nodeId)) own.push(await scope.node(mine));
    }
    if (own.length === 0)
      throw new NoCopy(`${nodeId} and everything under it lie outside ${user.username}'s scope`);
    return own;
  }

  /** The copy of one node for one recipient (nodesFor says which nodes). */
  render(request: CopyRequest, node: VettedNode): Promise<RenderedCopy> {
    const next = this.queue.then(() => this.renderNow(request, node));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async renderNow(request: CopyRequest, node: VettedNode): Promise<RenderedCopy> {
    const scope = new Scope(this.knex, request.user, this.loaded);
    const leave = await this.options.gate.enter();
    let report: ReportResponse;
    try {
      report = await buildReport(this.knex, scope, request.kind, node, request.period);
    } finally {
      leave();
    }
    const tables = reportTables(report, request.lang);
    const xlsx = await writeExcelFile(workbookOf(tables)).toBuffer();
    const pdf = await this.printPdf(request, node, report);
    return { node, report, pdf, xlsx };
  }

  private async printPdf(
    request: CopyRequest,
    node: VettedNode,
    report: ReportResponse,
  ): Promise<Uint8Array> {
    const browser = await this.launched();
    const token = issueToken(request.user.username, this.options.secret, TOKEN_SECONDS);
    const session = JSON.stringify({
      token,
      expiresAt: Date.now() + TOKEN_SECONDS * 1000,
      user: request.user,
    });
    // Reduced motion: charts draw without animation, so the page is final when it says so.
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      reducedMotion: 'reduce',
      locale: request.lang === 'zh' ? 'zh-CN' : 'en-GB',
      timezoneId: request.timeZone,
    });
    try {
      await context.addInitScript((s) => localStorage.setItem('cockpit.session', s), session);
      const page = await context.newPage();
      // The page shows the very answer the workbook was made from (computed once, as the recipient).
      await page.route(/\/api\/reports\//, (route) => route.fulfill({ json: report }));
      // The subscriptions panel under the report is not printed: not asked for either.
      await page.route(/\/api\/subscriptions/, (route) => route.abort());
      page.setDefaultTimeout(this.options.timeoutMs);
      const query = new URLSearchParams({
        kind: request.kind,
        on: report.kind === 'monthly' ? report.from.slice(0, 7) : report.to,
        tz: request.timeZone,
        ...(request.lang === 'en' ? { lang: 'en' } : {}),
      });
      await page.goto(`${this.options.baseUrl()}/reports/${encodeURIComponent(node.node_id)}?${query}`);
      // Printed once the data is in and every chart has finished drawing.
      await page.waitForFunction(() => {
        const view = document.querySelector('[data-report-ready]');
        const charts = [...document.querySelectorAll('[data-chart-ready]')];
        return (
          view?.getAttribute('data-report-ready') === 'true' &&
          charts.every((c) => c.getAttribute('data-chart-ready') === 'true')
        );
      });
      if (await page.locator('.report-view [role=alert]').count())
        throw new Error(
          `the report page refused: ${await page.locator('.report-view [role=alert]').innerText()}`,
        );
      return await page.pdf({
        format: 'A4',
        landscape: true,
        printBackground: true,
        preferCSSPageSize: true,
      });
    } finally {
      await context.close();
    }
  }

  /** The browser, started on first use and again after it failed to start or went away. */
  private launched(): Promise<Browser> {
    if (this.closed) return Promise.reject(new Error('the report printer has stopped'));
    const path = this.options.chromiumPath;
    if (!existsSync(path))
      return Promise.reject(
        new Error(`no Chromium at CHROMIUM_PATH=${path}: install chromium-headless-shell or set it`),
      );
    if (!this.browser) {
      const launching = chromium.launch({
        executablePath: niced(path),
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      this.browser = launching;
      launching.then(
        (b) => b.on('disconnected', () => void (this.browser === launching && (this.browser = null))),
        () => void (this.browser === launching && (this.browser = null)),
      );
    }
    return this.browser;
  }

  /** Stops printing: a print under way fails, and none starts after. */
  async close(): Promise<void> {
    this.closed = true;
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser.catch(() => null))?.close();
  }
}
