// What every browser test file starts with: Debian's Chromium and the real server on the sample
// extract, started before its tests and stopped after them.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { AppOptions } from '../../server/src/app.ts';
import type { Warehouse } from '../../server/src/db/warehouse.ts';
import type { TestServer } from '../../server/src/test/http.ts';
import { blankPage, DESKTOP, launchBrowser, settled, signIn } from './browser.ts';
import { DEMO_PASSWORD, startSampleProduct } from './server.ts';

/** Where the screenshots of every view go (a test artifact). */
export const SHOTS = 'test-results/screens';

export interface SampleProduct {
  browser: Browser;
  server: TestServer;
  warehouse: Warehouse;
  /** Demo usernames by role. */
  users: Record<string, string>;
}

/**
 * Registers the file's start and stop; the returned object is filled in before its first test.
 * `options`: the server's own (its configuration), read when it starts.
 */
export function useSampleProduct(
  warehouseOf?: () => Promise<Warehouse>,
  options: () => AppOptions = () => ({}),
): SampleProduct {
  const product = {} as SampleProduct;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const [browser, started] = await Promise.all([
      launchBrowser(),
      startSampleProduct(warehouseOf, options()),
    ]);
    Object.assign(product, { browser, ...started });
  }, 120_000);
  afterAll(async () => {
    await product.browser?.close();
    await product.server?.close();
    await product.warehouse?.close();
  });
  return product;
}

/** A page signed in as the demo user of `role` at `path`, drawn, with the errors it throws. */
export async function openAs(
  product: SampleProduct,
  role: string,
  path: string,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<{ page: Page; errors: string[] }> {
  const page = await blankPage(product.browser, { viewport, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await signIn(page, product.server.base, product.users[role]!, DEMO_PASSWORD, path);
  await settled(page);
  return { page, errors };
}

/** The API's answer (200) to the demo user of `role`; a forecast still being computed (202) is
 *  asked for again each second, as the client does, for up to two minutes. */
export async function apiAs(product: SampleProduct, role: string, path: string): Promise<any> {
  const token = await product.server.login(product.users[role]!, DEMO_PASSWORD);
  for (let i = 0; i < 120; i++) {
    const res = await product.server.get(path, token);
    if (res.status !== 202) {
      if (res.status !== 200) throw new Error(`${path} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${path} still being computed after two minutes`);
}
