import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { random } from '../../bench/catalog';
import { main as synth } from '../../src/main';
import { readTree } from '../../src/synth/write';
import { writeLabWorkspace } from '../helpers/fixture-inventory';
import { runMain } from '../helpers/run-main';

/** The valid environment every case starts from. */
const LAB = readFileSync('test/fixtures/environments/lab.yaml', 'utf8');

/** Cases per run; the seed makes every run the same. */
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

type Mutation = (text: string, next: () => number) => string;

function pick<T>(items: readonly T[], next: () => number): T {
  return items[Math.floor(next() * items.length)];
}

const MUTATIONS: readonly Mutation[] = [
  // a value replaced by junk
  (text, next) => {
    const lines = text.split('\n');
    const candidates = lines.flatMap((line, index) => (/:\s+\S/.test(line) ? [index] : []));
    if (candidates.length === 0) return text;
    const index = pick(candidates, next);
    lines[index] = lines[index].replace(/(:\s+)(.*)$/, (_all, colon: string) => `${colon}${pick(JUNK, next)}`);
    return lines.join('\n');
  },
  // a line removed, repeated, or moved
  (text, next) => {
    const lines = text.split('\n');
    lines.splice(Math.floor(next() * lines.length), 1);
    return lines.join('\n');
  },
  (text, next) => {
    const lines = text.split('\n');
    const index = Math.floor(next() * lines.length);
    lines.splice(index, 0, lines[index]);
    return lines.join('\n');
  },
  (text, next) => {
    const lines = text.split('\n');
    const [a, b] = [Math.floor(next() * lines.length), Math.floor(next() * lines.length)];
    [lines[a], lines[b]] = [lines[b], lines[a]];
    return lines.join('\n');
  },
  // indentation changed
  (text, next) => {
    const lines = text.split('\n');
    const index = Math.floor(next() * lines.length);
    lines[index] = next() < 0.5 ? `${' '.repeat(1 + Math.floor(next() * 3))}${lines[index]}` : lines[index].replace(/^ {1,3}/, '');
    return lines.join('\n');
  },
  // random characters inserted, control characters included
  (text, next) => {
    const at = Math.floor(next() * text.length);
    const length = 1 + Math.floor(next() * 4);
    const inserted = Array.from({ length }, () => String.fromCharCode(Math.floor(next() * 0x80))).join('');
    return text.slice(0, at) + inserted + text.slice(at);
  },
  // cut short
  (text, next) => text.slice(0, Math.floor(next() * text.length)),
  // a special line
  (text, next) => {
    const lines = text.split('\n');
    lines.splice(Math.floor(next() * lines.length), 0, pick(LINES, next));
    return lines.join('\n');
  },
  // a key misspelt
  (text, next) => {
    const lines = text.split('\n');
    const candidates = lines.flatMap((line, index) => (/^\s*[a-zA-Z]+:/.test(line) ? [index] : []));
    if (candidates.length === 0) return text;
    const index = pick(candidates, next);
    lines[index] = lines[index].replace(/([a-zA-Z])([a-zA-Z]*:)/, '$2');
    return lines.join('\n');
  },
];

/** One fuzzed environment file: one to three mutations of the valid one. */
function fuzzed(next: () => number): string {
  let text = LAB;
  const count = 1 + Math.floor(next() * 3);
  for (let i = 0; i < count; i++) text = pick(MUTATIONS, next)(text, next);
  return text;
}

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pke-fuzz-'));
  writeLabWorkspace(dir);
  expect(runMain(synth, [], { root: dir }).code).toBe(0);
});

describe('synth on fuzzed environment files', () => {
  it(`answers ${CASES} seeded mutations of a valid file with exit 0 or clean problem lines, never a stack trace, and leaves dist/ alone on error`, () => {
    const next = random(SEED);
    const dist = join(dir, 'dist');
    let before = readTree(dist);
    // synth only ever replaces dist/ as a whole, so a new inode is a change; the contents are compared every 20 cases.
    let inode = statSync(dist).ino;
    const outcomes = { rejected: 0, accepted: 0 };
    for (let n = 0; n < CASES; n++) {
      const text = fuzzed(next);
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
    }
    expect(outcomes.rejected).toBeGreaterThan(CASES / 2);
  });
});
