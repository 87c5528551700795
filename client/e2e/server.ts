// The product as a user gets it, for browser tests: the built client served by the real app over
// a warehouse loaded with the committed sample extract (4 stores × 3 months) and the demo users.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { createDemoUsers, DEMO_PASSWORD } from '../../server/src/auth/demo-users.ts';
import type { AppOptions } from '../../server/src/app.ts';
import type { Warehouse } from '../../server/src/db/warehouse.ts';
import { startServer, type TestServer } from '../../server/src/test/http.ts';
import { once, SAMPLE, SAMPLE_STORE, sampleWarehouse } from '../../server/src/test/shared.ts';

export { SAMPLE, SAMPLE_STORE };
export { DEMO_PASSWORD };

/** Builds the client into a temporary folder (the tests never touch dist/). */
export async function buildClient(outDir = mkdtempSync(join(tmpdir(), 'cockpit-client-'))): Promise<string> {
  // The build users get: under Vitest NODE_ENV is "test", which would give React's development
  // build (StrictMode's double effects, development JSX). Vite reads it from the environment only;
  // it is put back before the next test file of this worker runs.
  const nodeEnv = process.env.NODE_ENV;
  // eslint-disable-next-line no-restricted-syntax
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: new URL('../../vite.config.ts', import.meta.url).pathname,
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    // eslint-disable-next-line no-restricted-syntax
    else process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}

/** The built client served over a warehouse of the test file's own: the sample extract and the demo users. */
export async function startSampleProduct(
  warehouseOf: () => Promise<Warehouse> = sampleWarehouse,
  options: AppOptions = {},
): Promise<{
  warehouse: Warehouse;
  server: TestServer;
  users: Record<string, string>;
}> {
  const [clientDir, warehouse] = await Promise.all([
    once('client', async (outDir) => void (await buildClient(outDir))),
    warehouseOf(),
  ]);
  // The demo users are in the copy already; this finds them.
  const users = Object.fromEntries(
    (await createDemoUsers(warehouse.knex, SAMPLE_STORE)).map((u) => [u.role, u.username]),
  );
  const server = await startServer(warehouse, { ...options, clientDir });
  // As npm start does: the landing and parts forecasts computed ahead of the first page.
  void server.app.forecasts.warm();
  return { warehouse, server, users };
}
