import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/run-entry';

// scripts/run.mjs runs an entry from its bundle through V8's code cache. An entry whose `main` returns a
// promise (render, plan: they wait for Helm) compiles most of its code after that promise was made: the
// cache is written once the promise settles, so that it holds those functions too.
// It also hands the bundle the identity of its build (src/core/project.ts), which caches of what the code concludes are bound to.
describe('scripts/run.mjs', () => {
  const name = `run-entry-${process.pid}`;
  const entryDir = join(REPO, '.cache', 'test-entries');
  const entry = join(entryDir, `${name}.ts`);
  const bundle = join(REPO, '.cache', 'build', `${name}.cjs`);
  afterAll(() => {
    rmSync(entry, { force: true });
    for (const suffix of ['', '.map', '.key', '.v8-cache']) rmSync(`${bundle}${suffix}`, { force: true });
  });

  it("hands the bundle its build's identity, and writes its code cache after an asynchronous main has finished, not when it returned its promise", async () => {
    mkdirSync(entryDir, { recursive: true });
    writeFileSync(
      entry,
      [
        "import { existsSync } from 'node:fs';",
        "import { buildIdentity } from '../../src/core/project';",
        'export async function main(argv: readonly string[]): Promise<number> {',
        // The identity run.mjs hands over names this entry and the sources the bundle is built from.
        "  const build = buildIdentity() ?? '';",
        "  process.stdout.write(`build: ${build.startsWith('.cache/test-entries/') && build.includes('/src/core/project.ts')}\\n`);",
        '  await new Promise((resolve) => setTimeout(resolve, 50));',
        '  process.stdout.write(`cache during main: ${existsSync(argv[0])}\\n`);',
        '  return 3;',
        '}',
        '',
      ].join('\n'),
    );
    const run = async (): Promise<{ code: number; stdout: string }> => {
      try {
        const { stdout } = await promisify(execFile)(process.execPath, ['scripts/run.mjs', `.cache/test-entries/${name}.ts`, `${bundle}.v8-cache`], {
          cwd: REPO,
        });
        return { code: 0, stdout };
      } catch (error) {
        const failed = error as { code: number; stdout: string };
        return { code: failed.code, stdout: failed.stdout };
      }
    };

    const first = await run();
    expect(first).toEqual({ code: 3, stdout: 'build: true\ncache during main: false\n' });
    expect(existsSync(`${bundle}.v8-cache`)).toBe(true);
    // The next run takes it (and so finds it already there).
    expect(await run()).toEqual({ code: 3, stdout: 'build: true\ncache during main: true\n' });
  }, 120_000);
});
