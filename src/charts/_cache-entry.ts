/**
 * Entries of the render cache (`.cache/render/`), verified before they are
 * believed: each file holds its format (a name and a version) and the sha256
 * of its value beside the value. A file that is not whole, of another format,
 * or whose value does not match its checksum (damaged, cut short by a full
 * disk, edited by hand) is no entry: the caller computes the value again and
 * writes it anew. The checksum finds damage and stale formats; it is no
 * signature (whoever can write the cache can write a matching one).
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { writeAtomically } from '../core/atomic-write';

/** The sha256 of a text, in hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Writes `value` to `file` whole (a partial file renamed into place), with its format and checksum. */
export function writeCacheEntry(file: string, format: string, value: unknown): void {
  const text = JSON.stringify(value);
  writeAtomically(file, `{"format":${JSON.stringify(format)},"sha256":"${sha256(text)}","value":${text}}`);
}

/**
 * The value of a cache entry, or undefined when there is none that can be
 * believed: missing, not whole, of another format, a checksum that does not
 * match, or a value `valid` refuses. An entry that cannot be believed is removed.
 */
export function readCacheEntry<T>(file: string, format: string, valid: (value: unknown) => value is T): T | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const prefix = `{"format":${JSON.stringify(format)},"sha256":"`;
  const start = prefix.length + 64 + '","value":'.length;
  if (text.startsWith(prefix) && text.endsWith('}') && text.slice(prefix.length + 64, start) === '","value":') {
    const body = text.slice(start, -1);
    if (sha256(body) === text.slice(prefix.length, prefix.length + 64)) {
      try {
        const value = JSON.parse(body) as unknown;
        if (valid(value)) return value;
      } catch {
        // not JSON: no entry
      }
    }
  }
  rmSync(file, { force: true });
  return undefined;
}
