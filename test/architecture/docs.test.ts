import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAnyMain } from '../helpers/run-main';

/** Every Markdown file a user reads: the README, docs/ and the benchmarks. */
const DOCS = ['README.md', 'BENCHMARKS.md', ...readdirSync('docs').flatMap((name) => (name.endsWith('.md') ? [`docs/${name}`] : []))];
const SCRIPTS = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

/** One `npm run` the docs show: where, the script, and the arguments after `--`. */
interface Shown {
  readonly where: string;
  readonly script: string;
  readonly args: readonly string[];
}

/** Every `npm run <script> [-- args]` in `text`, up to the end of its code span, line, comment or redirection. */
export function shownCommands(where: string, text: string): Shown[] {
  return [...text.matchAll(/npm run (?:-s )?([a-z][\w-]*(?::[\w-]+)?)(?![\w:-])((?: +[^\s`#|)]+)*)/g)].map((match) => {
    const all = match[2].trim().split(/ +/).filter(Boolean);
    const end = all.findIndex((word) => /^(?:[<>;&]|\d>|&&)/.test(word));
    const words = end < 0 ? all : all.slice(0, end);
    match[2] = words.length > 0 ? ` ${words.join(' ')}` : '';
    const dashes = words.indexOf('--');
    return { where: `${where}: npm run ${match[1]}${match[2]}`, script: match[1], args: dashes < 0 ? [] : words.slice(dashes + 1) };
  });
}

const shown = DOCS.flatMap((file) => shownCommands(file, readFileSync(file, 'utf8')));

/** The options a script's entry accepts, read from the usage line it prints for an unknown option. */
async function acceptedOptions(script: string): Promise<Set<string> | undefined> {
  const entry = /^node scripts\/run\.mjs (\S+\.ts)/.exec(SCRIPTS[script])?.[1];
  if (entry === undefined) return undefined; // not an entry of src/ (npm test, bench, import): its flags are its tool's
  const { main } = (await import(resolve(entry))) as { main: Parameters<typeof runAnyMain>[0] };
  const { code, stderr } = await runAnyMain(main, ['--no-such-option'], { root: process.cwd() });
  expect(code, `${script} refuses an unknown option`).toBe(1);
  expect(stderr, `${script} prints its usage`).toContain('usage: ');
  return new Set([...stderr.slice(stderr.indexOf('usage: ')).matchAll(/--[a-z][\w-]*/g)].map((m) => m[0]));
}

describe('the commands the docs show', () => {
  it('finds the commands, with their arguments, in a line of Markdown', () => {
    expect(
      shownCommands('x.md', 'run `npm run render -- --charts test/fixtures/charts --nearest` first; then `npm run -s values -- kkg cilium > v.yaml`'),
    ).toEqual([
      { where: 'x.md: npm run render -- --charts test/fixtures/charts --nearest', script: 'render', args: ['--charts', 'test/fixtures/charts', '--nearest'] },
      { where: 'x.md: npm run values -- kkg cilium', script: 'values', args: ['kkg', 'cilium'] },
    ]);
    expect(shown.length, 'the docs show commands').toBeGreaterThan(20);
  });

  it('names only npm scripts that exist', () => {
    expect(shown.filter(({ script }) => !(script in SCRIPTS)).map(({ where }) => where)).toEqual([]);
  });

  it('passes only options the command accepts', async () => {
    const accepted = new Map<string, Set<string> | undefined>();
    for (const script of new Set(shown.map((s) => s.script))) if (script in SCRIPTS) accepted.set(script, await acceptedOptions(script));

    const unknown = shown.flatMap(({ where, script, args }) => {
      const options = accepted.get(script);
      return options === undefined ? [] : args.filter((arg) => /^--[a-z]/.test(arg) && !options.has(arg)).map((arg) => `${where}: ${arg}`);
    });

    expect(unknown).toEqual([]);
  });
});
