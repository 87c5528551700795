import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{server,etl,fixtures,client}/**/*.test.ts'],
    // One folder per run for what test files share: warehouses loaded once, the built client.
    globalSetup: ['server/src/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each test file opens its own DuckDB; two workers match the 2-core CI machine.
    maxWorkers: 2,
    // A worker runs its files one after another in one module graph, not a fresh one per file:
    // the server's modules load once per worker (imports took ~30 s of CPU a run). Safe because no
    // test file changes what modules hold (no mocks, no env changes: eslint.config.js forbids them);
    // each opens its own warehouse, server and browser.
    isolate: false,
  },
});
