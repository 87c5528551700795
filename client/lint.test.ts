// The lint and format checks of `npm test` fail when they should: each boundary of
// docs/architecture.md, an import cycle and an unformatted file are reported, with the rule that
// says so. The code linted here is written for the test; the repository's config judges it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: ROOT });

/** The rule ids reported for `code` as if it were the file at `path` (relative to the root). */
async function rulesFor(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

// The first lint parses the imported modules' trees for no-cycle: slow on a busy machine.
const SLOW = { timeout: 180_000 };

const importing = (...specifiers: string[]) =>
  specifiers.map((s, i) => `import * as m${i} from '${s}';\n`).join('') +
  `export const all = [${specifiers.map((_, i) => `m${i}`).join(', ')}];\n`;

describe('the layers (eslint-plugin-boundaries)', SLOW, () => {
  it('refuses shared importing a feature or the app, and allows shared importing shared', async () => {
    const file = 'client/src/shared/probe.ts';
    expect(await rulesFor(file, importing('../features/overview/OverviewView.tsx'))).toEqual([
      'boundaries/dependencies',
    ]);
    expect(await rulesFor(file, importing('../app/Shell.tsx'))).toEqual(['boundaries/dependencies']);
    expect(await rulesFor(file, importing('./format.ts'))).toEqual([]);
  });

  it("refuses a feature importing another feature's files, and allows its own", async () => {
    const file = 'client/src/features/drill/probe.ts';
    expect(await rulesFor(file, importing('../overview/OverviewView.tsx'))).toEqual([
      'boundaries/dependencies',
    ]);
    expect(await rulesFor(file, importing('./DrillView.tsx', '../../shared/format.ts'))).toEqual([]);
  });

  it('refuses the client importing the server outside server/src/contract', async () => {
    const file = 'client/src/features/overview/probe.ts';
    expect(await rulesFor(file, importing('../../../../server/src/metrics/service.ts'))).toEqual([
      'boundaries/dependencies',
    ]);
    expect(await rulesFor(file, importing('../../../../etl/load.ts'))).toEqual(['boundaries/dependencies']);
    expect(await rulesFor(file, importing('../../../../server/src/contract/compare.ts'))).toEqual([]);
  });

  it('refuses the ETL importing routes, the Express app or HTTP code, and allows data access', async () => {
    const file = 'etl/probe.ts';
    expect(
      await rulesFor(
        file,
        importing('../server/src/metrics/routes.ts', '../server/src/app.ts', '../server/src/http/cache.ts'),
      ),
    ).toEqual(['boundaries/dependencies', 'boundaries/dependencies', 'boundaries/dependencies']);
    expect(await rulesFor(file, importing('../server/src/db/warehouse.ts', './load.ts'))).toEqual([]);
  });

  it('refuses a service importing routes, and data access importing a service', async () => {
    expect(await rulesFor('server/src/metrics/probe.ts', importing('./routes.ts'))).toEqual([
      'boundaries/dependencies',
    ]);
    expect(await rulesFor('server/src/db/probe.ts', importing('../metrics/catalog.ts'))).toEqual([
      'boundaries/dependencies',
    ]);
  });
});

describe('import cycles (import-x/no-cycle)', SLOW, () => {
  // no-cycle follows imports on disk, so the two modules of the cycle are real files for a moment.
  const dir = mkdtempSync(join(ROOT, 'client/src/shared/lint-cycle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a module that imports a module importing it back', async () => {
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b.ts';\nexport const a = () => b;\n");
    writeFileSync(join(dir, 'b.ts'), "import { a } from './a.ts';\nexport const b = () => a;\n");
    const results = await eslint.lintFiles([join(dir, 'a.ts'), join(dir, 'b.ts')]);
    expect(results.map((r) => [relative(dir, r.filePath), r.messages.map((m) => m.ruleId)])).toEqual([
      ['a.ts', ['import-x/no-cycle']],
      ['b.ts', ['import-x/no-cycle']],
    ]);
  });

  it('accepts the same modules once the cycle is broken', async () => {
    writeFileSync(join(dir, 'b.ts'), 'export const b = () => 1;\n');
    const results = await eslint.lintFiles([join(dir, 'a.ts'), join(dir, 'b.ts')]);
    expect(results.flatMap((r) => r.messages)).toEqual([]);
  });
});

describe('test files sharing their worker (vitest.config.ts: isolate false)', SLOW, () => {
  it('refuses mocks, stubs, fake timers and changes to process.env in a test file', async () => {
    const file = 'server/src/probe.test.ts';
    const code = (line: string) => `import { vi } from 'vitest';\n${line}\nexport const x = vi;\n`;
    expect(await rulesFor(file, code("vi.mock('./config.ts');"))).toEqual(['no-restricted-syntax']);
    expect(await rulesFor(file, code("vi.stubEnv('PORT', '1');"))).toEqual(['no-restricted-syntax']);
    expect(await rulesFor(file, code('vi.useFakeTimers();'))).toEqual(['no-restricted-syntax']);
    expect(await rulesFor(file, code("process.env.PORT = '1';"))).toEqual(['no-restricted-syntax']);
    expect(await rulesFor(file, code("process.env['PORT'] = '1';"))).toEqual(['no-restricted-syntax']);
    expect(await rulesFor(file, code('const port = process.env.PORT;\nexport { port };'))).toEqual([]);
  });
});

describe('formatting (Prettier)', () => {
  it("rejects a file that is not in the project's format, and accepts it once formatted", async () => {
    const filepath = join(ROOT, 'client/src/shared/probe.ts');
    const options = { ...(await prettier.resolveConfig(filepath)), filepath };
    const messy = 'export const sum=(a:number,b:number)=>{return a+b}\n';
    expect(await prettier.check(messy, options)).toBe(false);
    const formatted = await prettier.format(messy, options);
    expect(formatted).toBe('export const sum = (a: number, b: number) => {\n  return a + b;\n};\n');
    expect(await prettier.check(formatted, options)).toBe(true);
  });
});
