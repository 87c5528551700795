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
  },
});
