// The product as a user gets it, for browser tests: the built client served by the real app over
// a warehouse loaded with the committed sample extract (4 stores × 3 months) and the demo users.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { loadAndEvaluate } from '../../etl/pipeline.ts';
import { freshWarehouse } from '../../etl/test/helpers.ts';
import { createDemoUsers, DEMO_PASSWORD } from '../../server/src/auth/demo-users.ts';
import type { Warehouse } from '../../server/src/db/warehouse.ts';
import { startServer, type TestServer } from '../../server/src/test/http.ts';

export const SAMPLE = new URL('../../fixtures/sample/', import.meta.url).pathname;
export const SAMPLE_STORE = 'S0001';
export { DEMO_PASSWORD };

/** Builds the client into a temporary folder (the tests never touch dist/). */
export async function buildClient(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'cockpit-client-'));
  await build({
    configFile: new URL('../../vite.config.ts', import.meta.url).pathname,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

export async function startSampleProduct(): Promise<{
  warehouse: Warehouse;
  server: TestServer;
  users: Record<string, string>;
}> {
  const [clientDir, warehouse] = await Promise.all([buildClient(), freshWarehouse()]);
  const loaded = (await loadAndEvaluate(warehouse, SAMPLE)).load;
  if (loaded.status !== 'loaded') throw new Error(`sample extract refused: ${loaded.message}`);
  const users = Object.fromEntries(
    (await createDemoUsers(warehouse.knex, SAMPLE_STORE)).map((u) => [u.role, u.username]),
  );
  return { warehouse, server: await startServer(warehouse, { clientDir }), users };
}
