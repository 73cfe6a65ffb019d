import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSealedFile, seal, unseal, writeSealedAtomically, writeSealedFile } from '../../src/core/sealed';

describe('writeSealedAtomically', () => {
  it('writes what seal() makes of the joined parts, across write batches and multi-byte characters', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-sealed-'));
    const file = join(dir, 'sub', 'entry.json');
    // About 3 MiB in 30,000 parts: several batches, each ending inside a different part.
    const parts = Array.from({ length: 30_000 }, (_, i) => `${i === 0 ? '' : ','}"k${i}":"${'é€𝄞x'.repeat(i % 40)}"`);
    const body = `{${parts.join('')}}`;
    writeSealedAtomically(file, 'test', 3, ['{', ...parts, '}']);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(seal('test', 3, body));
    expect(unseal('test', 3, text)).toBe(body);
    expect(readdirSync(join(dir, 'sub'))).toStrictEqual(['entry.json']);
  });

  it('leaves neither the file nor a partial one when the parts fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-sealed-'));
    const file = join(dir, 'entry.json');
    function* failing(): Generator<string> {
      yield 'x'.repeat(2 << 20);
      throw new Error('boom');
    }
    expect(() => writeSealedAtomically(file, 'test', 1, failing())).toThrow('boom');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toStrictEqual([]);
  });
});

describe('readSealedFile and writeSealedFile', () => {
  it('read back what was written, and nothing from a missing, cut or foreign file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-sealed-'));
    const file = join(dir, 'sub', 'entry.json');
    expect(readSealedFile(file, 'test', 1)).toBeUndefined();

    writeSealedFile(file, 'test', 1, '{"a":1}');
    expect(readSealedFile(file, 'test', 1)).toBe('{"a":1}');
    expect(readSealedFile(file, 'test', 2)).toBeUndefined();
    expect(readSealedFile(file, 'other', 1)).toBeUndefined();

    writeFileSync(file, readFileSync(file, 'utf8').slice(0, -1));
    expect(readSealedFile(file, 'test', 1)).toBeUndefined();
  });

  it('gives up quietly where the entry cannot be written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-sealed-'));
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    expect(() => writeSealedFile(join(dir, 'blocker', 'entry.json'), 'test', 1, '{}')).not.toThrow();
    expect(readSealedFile(join(dir, 'blocker', 'entry.json'), 'test', 1)).toBeUndefined();
  });
});
