import { describe, expect, it } from 'vitest';
import { type DiffLine, diffLines, unifiedDiff, unifiedHunks } from '../../src/plan/line-diff';

const lines = (text: string) => text.split('');

/** The length of a longest common subsequence, by dynamic programming: the yardstick a shortest edit script is measured by. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
      diagonal = above;
    }
  }
  return row[b.length];
}

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const oldSide = (diff: readonly DiffLine[]) => diff.filter((l) => l.op !== '+').map((l) => l.text);
const newSide = (diff: readonly DiffLine[]) => diff.filter((l) => l.op !== '-').map((l) => l.text);

describe('diffLines', () => {
  it('gives a shortest edit script that reproduces both sides, on 300 random pairs', () => {
    const next = random(12);
    for (let round = 0; round < 300; round++) {
      const make = () => Array.from({ length: Math.floor(next() * 30) }, () => 'abcd'[Math.floor(next() * 4)]);
      const a = make();
      const b = make();

      const diff = diffLines(a, b);

      expect(oldSide(diff)).toEqual(a);
      expect(newSide(diff)).toEqual(b);
      expect(diff.filter((l) => l.op === ' ').length).toBe(lcsLength(a, b));
    }
  });

  it('puts the deletions of a changed block before its insertions', () => {
    expect(diffLines(lines('axyb'), lines('apqb')).map((l) => `${l.op}${l.text}`)).toEqual([' a', '-x', '-y', '+p', '+q', ' b']);
  });

  it('shows a rewrite beyond the edit limit as the old lines deleted and the new ones inserted, keeping the common ends', () => {
    const diff = diffLines(lines('a1234z'), lines('a5678z'), 2);

    expect(diff.map((l) => `${l.op}${l.text}`)).toEqual([' a', '-1', '-2', '-3', '-4', '+5', '+6', '+7', '+8', ' z']);
  });
});

describe('unifiedDiff', () => {
  it('writes the hunks diff -u writes: three lines of context, separate hunks for distant changes, a count of 1 left out', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n';
    const after = 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n';

    expect(unifiedDiff(before, after)).toEqual(['@@ -1,5 +1,5 @@', ' a', '-b', '+B', ' c', ' d', ' e', '@@ -11,3 +11,4 @@', ' k', ' l', ' m', '+n']);
  });

  it('joins changes closer than twice the context into one hunk', () => {
    expect(unifiedDiff('a\nb\nc\nd\n', 'a\nc\nd\nX\n')).toEqual(['@@ -1,4 +1,4 @@', ' a', '-b', ' c', ' d', '+X']);
  });

  it('numbers an empty side by the line before it, as diff -u does for a new or deleted file', () => {
    expect(unifiedDiff('', 'x\ny\n')).toEqual(['@@ -0,0 +1,2 @@', '+x', '+y']);
    expect(unifiedDiff('x\ny\n', '')).toEqual(['@@ -1,2 +0,0 @@', '-x', '-y']);
    expect(unifiedDiff('a\nb\n', 'a\nb\nc\n', 0)).toEqual(['@@ -2,0 +3 @@', '+c']);
  });

  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toEqual([]);
    expect(unifiedHunks([])).toEqual([]);
  });
});
