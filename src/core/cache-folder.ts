import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Keeps the `keep` newest entries (`*.json`) of a cache folder, and removes the others. A folder that cannot be read is left alone. */
export function keepNewest(cacheDir: string, keep: number): void {
  try {
    const entries = readdirSync(cacheDir).filter((name) => name.endsWith('.json'));
    if (entries.length <= keep) return;
    const byAge = entries.map((name) => ({ name, time: statSync(join(cacheDir, name)).mtimeMs })).sort((a, b) => b.time - a.time);
    for (const { name } of byAge.slice(keep)) rmSync(join(cacheDir, name), { force: true });
  } catch {
    // nothing to prune
  }
}
