/**
 * The render cache (`.cache/render/`) keeps what runs use and forgets the rest:
 * every render of every set of inputs ever made would otherwise stay there
 * (a chart bump or a values change adds up to a megabyte each). A run marks the
 * files it reads as used (their modification time, at most once a day); once a
 * day a render removes the files of the cache's folders no run has used for a
 * week. A file another process is about to read is at worst rendered again.
 */
import { readdirSync, rmdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DAYS, DAY_MS } from '../validate/files';

/** The file whose modification time says when the cache was last pruned. */
const STAMP = '.pruned';

/** Marks cache files as used now when they were last marked (`modified`, the first one's time) more than a day ago. */
export function markUsed(files: readonly string[], modified: number): void {
  if (modified > Date.now() - DAY_MS) return;
  try {
    const now = new Date();
    for (const file of files) utimesSync(file, now, now);
  } catch {
    // gone meanwhile, or a read-only cache: nothing to mark
  }
}

/**
 * Removes the files in the folders of `cacheDir` that no run has used for
 * `maxAgeDays`, and the folders left empty; at most once a day. Files directly
 * in `cacheDir` (memos of their own) stay.
 */
export function pruneRenderCache(cacheDir: string, maxAgeDays = CACHE_DAYS, now = Date.now()): void {
  const stamp = join(cacheDir, STAMP);
  try {
    if (statSync(stamp).mtimeMs > now - DAY_MS) return;
  } catch {
    // never pruned
  }
  const cutoff = now - maxAgeDays * DAY_MS;
  try {
    for (const folder of readdirSync(cacheDir, { withFileTypes: true })) {
      if (!folder.isDirectory()) continue;
      const dir = join(cacheDir, folder.name);
      let left = 0;
      for (const name of readdirSync(dir)) {
        const file = join(dir, name);
        if (statSync(file).mtimeMs < cutoff) rmSync(file, { force: true, recursive: true });
        else left++;
      }
      if (left === 0) rmdirSync(dir);
    }
    writeFileSync(stamp, '');
  } catch {
    // a cache that is not there, read-only, or changed under us: next time
  }
}
