import { mkdtempSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffTree, readTree, writeOutput } from '../../src/output/write';

function tempOutdir(initial: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'pke-write-'));
  const outdir = join(root, 'dist');
  for (const [path, content] of Object.entries(initial)) {
    mkdirSync(join(outdir, path, '..'), { recursive: true });
    writeFileSync(join(outdir, path), content);
  }
  return outdir;
}

describe('writeOutput', () => {
  it('writes every file of the map into a new folder', () => {
    const outdir = tempOutdir();

    const result = writeOutput(outdir, new Map([['kkg/cilium.yaml', 'a: 1\n'], ['kkg/cilium/pool.yaml', 'b: 2\n']]));

    expect(Object.fromEntries(readTree(outdir))).toEqual({ 'kkg/cilium.yaml': 'a: 1\n', 'kkg/cilium/pool.yaml': 'b: 2\n' });
    expect(result).toEqual({ added: ['kkg/cilium.yaml', 'kkg/cilium/pool.yaml'], changed: [], removed: [] });
  });

  it('removes stale files of removed components and clusters', () => {
    const outdir = tempOutdir({ 'kkg/old.yaml': 'x\n', 'gone/app.yaml': 'y\n', 'kkg/keep.yaml': 'same\n' });

    const result = writeOutput(outdir, new Map([['kkg/keep.yaml', 'same\n']]));

    expect([...readTree(outdir).keys()]).toEqual(['kkg/keep.yaml']);
    expect(result.removed).toEqual(['gone/app.yaml', 'kkg/old.yaml']);
    expect(readdirSync(join(outdir, '..'))).toEqual(['dist']);
  });

  it('reports changed files', () => {
    const outdir = tempOutdir({ 'kkg/a.yaml': 'old\n' });

    expect(writeOutput(outdir, new Map([['kkg/a.yaml', 'new\n']])).changed).toEqual(['kkg/a.yaml']);
  });

  it('leaves the folder untouched when nothing changed', () => {
    const outdir = tempOutdir({ 'kkg/a.yaml': 'same\n' });
    const before = statSync(join(outdir, 'kkg/a.yaml')).ino;

    const result = writeOutput(outdir, new Map([['kkg/a.yaml', 'same\n']]));

    expect(result).toEqual({ added: [], changed: [], removed: [] });
    expect(statSync(join(outdir, 'kkg/a.yaml')).ino).toBe(before);
  });

  it('leaves the old output exactly as it was when a file cannot be written', () => {
    const outdir = tempOutdir({ 'kkg/a.yaml': 'old\n', 'kkg/b.yaml': 'keep\n' });
    const before = readTree(outdir);
    // "kkg/a.yaml" is a file, so "kkg/a.yaml/inner.yaml" cannot be created.
    const impossible = new Map([['kkg/a.yaml', 'new\n'], ['kkg/a.yaml/inner.yaml', 'x\n']]);

    expect(() => writeOutput(outdir, impossible)).toThrow();
    expect(readTree(outdir)).toEqual(before);
    expect(readdirSync(join(outdir, '..'))).toEqual(['dist']);
  });
});

describe('diffTree', () => {
  it('sorts added, changed and removed paths', () => {
    const before = new Map([['b', '1'], ['a', '1'], ['c', '1']]);
    const after = new Map([['b', '2'], ['d', '1'], ['c', '1']]);

    expect(diffTree(before, after)).toEqual({ added: ['d'], changed: ['b'], removed: ['a'] });
  });
});
