import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { main as synth } from '../../src/main';
import { readTree } from '../../src/synth/write';
import { writeLabWorkspace } from '../helpers/fixture-inventory';
import { runMain } from '../helpers/run-main';

/** The valid environment every case starts from. */
const LAB = readFileSync('test/fixtures/environments/lab.yaml', 'utf8');

/** Cases per run; the seed makes every run the same (fast-check prints the seed and the shrunk case of a failure). */
const CASES = 300;
const SEED = 0x5eed13;

/** Values that YAML or the schema read in surprising ways. */
const JUNK = [
  '',
  '~',
  'null',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '*nowhere',
  '&anchor',
  '!!binary AAAA',
  '!!set',
  '- a',
  '0x1F',
  '1e400',
  '-.inf',
  '.nan',
  'yes',
  '"\\t"',
  'a: b',
  '"ma\\0in"',
  '"\\u202e"',
  '"\\x1b[31m"',
  '9'.repeat(400),
  'x'.repeat(2000),
  '日本語',
  '%',
  '@',
  '`',
  '#',
  '|',
  '>',
  '? a',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
  '{a: {b: {c: {d: {e: {f: {}}}}}}',
  '!<tag:yaml.org,2002:str> x',
  '"\\ud800"',
  '2001-01-01',
  '0o17',
  '+12',
  '1_000',
  'true',
  'False',
  'ON',
  '10.0.0.1-10.0.0.0',
  '10.0.0.0/33',
  'https://u:p@x.test',
  '/..',
  'a/../b',
];

/** Lines that YAML treats specially. */
const LINES = ['<<: *a', '? [a]\n: b', '---', '...', '%YAML 1.1', 'components: !!set {a}', '&a a: *a', '\t', 'x: &x [*x]', 'k: !!js/function "f"', '\ufeff'];

/** Lines of the file, changed by `change`, joined again. */
function inLines(change: (lines: string[]) => void): (text: string) => string {
  return (text) => {
    const lines = text.split('\n');
    change(lines);
    return lines.join('\n');
  };
}

/** The `at`-th (modulo their count) line index among those matching `pattern`, or undefined. */
function lineMatching(lines: readonly string[], pattern: RegExp, at: number): number | undefined {
  const candidates = lines.flatMap((line, index) => (pattern.test(line) ? [index] : []));
  return candidates.length === 0 ? undefined : candidates[at % candidates.length];
}

/** One change to an environment file, as fast-check generates (and shrinks) it. */
const mutation: fc.Arbitrary<(text: string) => string> = fc.oneof(
  // a value replaced by junk
  fc.tuple(fc.nat(), fc.constantFrom(...JUNK)).map(([at, junk]) =>
    inLines((lines) => {
      const index = lineMatching(lines, /:\s+\S/, at);
      if (index !== undefined) lines[index] = lines[index].replace(/(:\s+)(.*)$/, (_all, colon: string) => `${colon}${junk}`);
    }),
  ),
  // a line removed, repeated, or moved
  fc.nat().map((at) => inLines((lines) => lines.splice(at % lines.length, 1))),
  fc.nat().map((at) => inLines((lines) => lines.splice(at % lines.length, 0, lines[at % lines.length]))),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) =>
    inLines((lines) => {
      const [i, j] = [a % lines.length, b % lines.length];
      [lines[i], lines[j]] = [lines[j], lines[i]];
    }),
  ),
  // indentation changed
  fc.tuple(fc.nat(), fc.integer({ min: -3, max: 3 })).map(([at, by]) =>
    inLines((lines) => {
      const index = at % lines.length;
      lines[index] = by > 0 ? `${' '.repeat(by)}${lines[index]}` : lines[index].replace(new RegExp(`^ {1,${Math.max(1, -by)}}`), '');
    }),
  ),
  // random characters inserted, control characters included
  fc.tuple(fc.nat(), fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 4 })).map(
    ([at, inserted]) =>
      (text: string) =>
        text.slice(0, at % text.length) + inserted + text.slice(at % text.length),
  ),
  // cut short
  fc.nat().map((at) => (text: string) => text.slice(0, at % text.length)),
  // a special line
  fc.tuple(fc.nat(), fc.constantFrom(...LINES)).map(([at, line]) => inLines((lines) => lines.splice(at % lines.length, 0, line))),
  // a key misspelt
  fc.nat().map((at) =>
    inLines((lines) => {
      const index = lineMatching(lines, /^\s*[a-zA-Z]+:/, at);
      if (index !== undefined) lines[index] = lines[index].replace(/([a-zA-Z])([a-zA-Z]*:)/, '$2');
    }),
  ),
);

/** One fuzzed environment file: one to three mutations of the valid one. */
const fuzzedFile: fc.Arbitrary<string> = fc
  .array(mutation, { minLength: 1, maxLength: 3 })
  .map((changes) => changes.reduce((text, change) => change(text), LAB));

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pke-fuzz-'));
  writeLabWorkspace(dir);
  expect(runMain(synth, [], { root: dir }).code).toBe(0);
});

describe('synth on fuzzed environment files', () => {
  it(`answers ${CASES} seeded mutations of a valid file with exit 0 or clean problem lines, never a stack trace, and leaves dist/ alone on error`, () => {
    const dist = join(dir, 'dist');
    let before = readTree(dist);
    // synth only ever replaces dist/ as a whole, so a new inode is a change; the contents are compared every 20 cases.
    let inode = statSync(dist).ino;
    const outcomes = { rejected: 0, accepted: 0 };
    let n = 0;
    const property = fc.property(fuzzedFile, (text) => {
      n++;
      writeFileSync(join(dir, 'environments/lab.yaml'), text);

      const result = runMain(synth, [], { root: dir });

      const where = `case ${n}: ${JSON.stringify(text.length > 400 ? `${text.slice(0, 400)}…` : text)}\n${result.stderr}`;
      expect(result.stderr, where).not.toMatch(/^\s+at /m);
      expect([0, 1], where).toContain(result.code);
      // (the lock folders of dist/ and inventory/ stay between runs)
      expect(readdirSync(dir).sort(), where).toEqual(['.cache', '.dist.synth-lock', '.inventory.synth-lock', 'dist', 'environments', 'inventory']);
      if (result.code === 1) {
        outcomes.rejected++;
        expect(result.stderr, where).toMatch(/^(environments|inventory)\/lab\.yaml(:\d+:\d+)?: .+\n(.+\n)*\d+ problem\(s\); dist\/ was not changed\.\n$/);
        expect(statSync(dist).ino, where).toBe(inode);
        if (n % 20 === 0) expect(readTree(dist), where).toEqual(before);
      } else {
        outcomes.accepted++;
        before = readTree(dist);
        inode = statSync(dist).ino;
      }
    });
    fc.assert(property, { seed: SEED, numRuns: CASES });
    expect(outcomes.rejected).toBeGreaterThan(CASES / 2);
  }, 300_000); // 300 whole synths: about 10 s on a busy two-core machine, so ten times that and more
});
