import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seal, unseal, writeSealedAtomically } from '../../src/core/sealed';

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
