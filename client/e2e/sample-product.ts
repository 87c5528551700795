// What every browser test file starts with: Debian's Chromium and the real server on the sample
// extract, started before its tests and stopped after them.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Warehouse } from '../../server/src/db/warehouse.ts';
import type { TestServer } from '../../server/src/test/http.ts';
import { launchBrowser } from './browser.ts';
import { startSampleProduct } from './server.ts';

/** Where the screenshots of every view go (a test artifact). */
export const SHOTS = 'test-results/screens';

export interface SampleProduct {
  browser: Browser;
  server: TestServer;
  warehouse: Warehouse;
  /** Demo usernames by role. */
  users: Record<string, string>;
}

/** Registers the file's start and stop; the returned object is filled in before its first test. */
export function useSampleProduct(warehouseOf?: () => Promise<Warehouse>): SampleProduct {
  const product = {} as SampleProduct;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const [browser, started] = await Promise.all([launchBrowser(), startSampleProduct(warehouseOf)]);
    Object.assign(product, { browser, ...started });
  }, 120_000);
  afterAll(async () => {
    await product.browser?.close();
    await product.server?.close();
    await product.warehouse?.close();
  });
  return product;
}
