// ESLint: typescript-eslint, React hooks, no import cycles, and the layers of docs/architecture.md.
import Module, { createRequire } from 'node:module';

// The project compiles with TypeScript 7 (native, no JavaScript API); typescript-eslint parses with
// the JavaScript API of TypeScript 6 (`typescript-for-lint`). Point its `require('typescript')` there
// before it loads, hence the dynamic imports below.
const lintTypescript = createRequire(import.meta.url).resolve('typescript-for-lint');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, request === 'typescript' ? lintTypescript : request, ...rest);
};
const { default: js } = await import('@eslint/js');
const { default: tseslint } = await import('typescript-eslint');
const { importX, createNodeResolver } = await import('eslint-plugin-import-x');
const { default: reactHooks } = await import('eslint-plugin-react-hooks');
const { default: boundaries } = await import('eslint-plugin-boundaries');

/**
 * The layers, by file: a file is in the first layer whose pattern matches its path. Files in none
 * (configs, tests, client benchmarks and browser tests) are not checked by the boundary rule.
 */
const LAYERS = [
  // Shared by server and client: the API's schemas and types.
  ['contract', 'server/src/contract/**'],
  // Client: app (shell, which view a URL shows) → features (one folder each) → shared.
  ['client-app', ['client/src/app/**', 'client/src/main.tsx']],
  ['client-feature', 'client/src/features/(*)/**', ['feature']],
  ['client-shared', 'client/src/shared/**'],
  // Server: HTTP (the Express app, middleware, routes) → services → data access.
  ['server-http', ['server/src/app.ts', 'server/src/http/**', 'server/src/*/routes.ts']],
  ['server-db', 'server/src/db/**'],
  // Processes that put the layers together: main, the demo, the admin socket, CLIs, benchmarks, test servers.
  [
    'server-ops',
    [
      'server/src/main.ts',
      'server/src/demo.ts',
      'server/src/admin/**',
      'server/src/*/cli.ts',
      'server/src/bench/**',
      'server/src/test/**',
    ],
  ],
  ['server-service', 'server/src/**'],
  // The ETL and the fixture generator; their entry points and benchmarks are ops.
  ['etl-ops', ['etl/cli.ts', 'etl/bench*.ts', 'etl/test/**']],
  ['etl', 'etl/**'],
  ['fixtures-ops', 'fixtures/cli.ts'],
  ['fixtures', 'fixtures/**'],
];

/** `from` files may import `to` files (layers). */
const may = (from, to) => ({
  from: { file: { categories: from } },
  allow: { to: { file: { categories: to } } },
});

/** Who may import whom; anything not allowed here is refused. */
const POLICIES = [
  may('contract', ['contract']),
  may('client-app', ['client-app', 'client-feature', 'client-shared', 'contract']),
  // A feature imports its own files, shared and the contract, never another feature.
  may('client-feature', ['client-shared', 'contract']),
  {
    from: { file: { categories: 'client-feature' } },
    allow: {
      to: {
        file: { categories: 'client-feature', captured: { feature: '{{ from.file.captured.feature }}' } },
      },
    },
  },
  may('client-shared', ['client-shared', 'contract']),
  may('server-http', ['server-http', 'server-service', 'server-db', 'contract']),
  may('server-service', ['server-service', 'server-db', 'contract']),
  may('server-db', ['server-db']),
  // The ETL uses the server's services and data access (knex client, migrations, risk evaluation), never its HTTP.
  may('etl', ['etl', 'server-service', 'server-db', 'contract']),
  may('fixtures', ['fixtures', 'etl', 'server-service', 'server-db', 'contract']),
  // Entry points compose all but the client.
  may(
    ['server-ops', 'etl-ops', 'fixtures-ops'],
    ['server-ops', 'server-http', 'server-service', 'server-db', 'contract', 'etl', 'etl-ops', 'fixtures'],
  ),
];

const TS_FILES = ['**/*.ts', '**/*.tsx'];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['client/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: TS_FILES,
    plugins: { 'import-x': importX, boundaries },
    settings: {
      // Imports name their files with the extension (.ts, .tsx): resolve them as Node does.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
      'boundaries/elements': [],
      'boundaries/files': LAYERS.map(([category, pattern, capture]) => ({
        category,
        pattern,
        capture,
        stopMatching: true,
      })),
      'boundaries/include': TS_FILES,
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'boundaries/dependencies': ['error', { default: 'disallow', policies: POLICIES }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests, the client's benchmark and configs may reach into any layer. Tests read JSON answers
    // whose shape is what they check: there `any` is the input of an assertion.
    files: ['**/*.test.ts', 'client/e2e/**', 'client/bench/**', '*.config.ts'],
    rules: { 'boundaries/dependencies': 'off' },
  },
  {
    files: ['**/*.test.ts', 'server/src/test/**', 'client/e2e/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // Test files share their worker's modules (vitest.config.ts: isolate false): none may change
      // what a module holds or what the process's environment says.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.object.name='vi'][callee.property.name=/^(mock|doMock|hoisted|stubEnv|stubGlobal|spyOn|useFakeTimers)$/]",
          message: 'Test files share modules (isolate: false): no mocks, stubs or fake timers.',
        },
        {
          selector:
            "AssignmentExpression[left.object.object.name='process'][left.object.property.name='env']",
          message: 'Test files share the process (isolate: false): pass settings to what you start instead.',
        },
      ],
    },
  },
);
