import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepNewest } from '../../src/core/cache-folder';

describe('keepNewest', () => {
  it('keeps the newest entries by time, removes the older ones, and leaves other files alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-cache-folder-'));
    const now = Date.now() / 1000;
    for (let i = 0; i < 6; i++) {
      writeFileSync(join(dir, `e${i}.json`), '{}');
      utimesSync(join(dir, `e${i}.json`), now - 100 * i, now - 100 * i); // e0 the newest
    }
    writeFileSync(join(dir, 'notes.txt'), 'kept');

    keepNewest(dir, 4);

    expect(readdirSync(dir).sort()).toEqual(['e0.json', 'e1.json', 'e2.json', 'e3.json', 'notes.txt']);
    keepNewest(join(dir, 'missing'), 1); // a folder that does not exist is nothing to prune
  });
});
