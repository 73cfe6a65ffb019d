import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FileMap } from './render';

/** How the output folder changed. */
export interface WriteResult {
  /** Files that did not exist before. */
  readonly added: readonly string[];
  /** Files whose content changed. */
  readonly changed: readonly string[];
  /** Files that existed and are gone (stale output of removed components or clusters). */
  readonly removed: readonly string[];
}

/** Reads every file below `dir` (relative paths with `/`, sorted). Missing folder: empty map. */
export function readTree(dir: string): FileMap {
  const files: FileMap = new Map();
  if (!existsSync(dir)) {
    return files;
  }
  const walk = (relative: string): void => {
    const entries = readdirSync(join(dir, relative), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        walk(path);
      } else {
        files.set(path, readFileSync(join(dir, path), 'utf8'));
      }
    }
  };
  walk('');
  return files;
}

/** Compares a rendered file map with what is on disk. */
export function diffTree(before: FileMap, after: FileMap): WriteResult {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [path, content] of after) {
    const old = before.get(path);
    if (old === undefined) {
      added.push(path);
    } else if (old !== content) {
      changed.push(path);
    }
  }
  for (const path of before.keys()) {
    if (!after.has(path)) {
      removed.push(path);
    }
  }
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
}

/**
 * Replaces `outdir` with exactly `files`, atomically for readers of the folder:
 * everything is written to a sibling temporary folder first, which is then
 * renamed into place; stale files disappear with the old folder. When nothing
 * differs, the folder is not touched at all. If writing fails, the temporary
 * folder is removed and `outdir` is left as it was.
 */
export function writeOutput(outdir: string, files: FileMap): WriteResult {
  const result = diffTree(readTree(outdir), files);
  if (result.added.length + result.changed.length + result.removed.length === 0) {
    return result;
  }

  const parent = dirname(outdir);
  const tmp = join(parent, `.${basename(outdir)}.tmp-${process.pid}`);
  const old = join(parent, `.${basename(outdir)}.old-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const target = join(tmp, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    mkdirSync(tmp, { recursive: true });
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }

  const hadOutput = existsSync(outdir);
  if (hadOutput) {
    renameSync(outdir, old);
  }
  try {
    renameSync(tmp, outdir);
  } catch (error) {
    if (hadOutput) {
      renameSync(old, outdir);
    }
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
  return result;
}
