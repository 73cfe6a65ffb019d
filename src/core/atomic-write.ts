/**
 * The name of a file being written, before it is renamed into place. Unique per
 * process and thread: worker threads (vitest's pool) share a pid, and two of
 * them writing the same cache entry must not write into each other's partial file.
 */
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';

export function partialPath(path: string): string {
  return `${path}.${process.pid}-${threadId}.tmp`;
}

/**
 * Writes a file whole or not at all (a partial file renamed into place), creating its folder.
 * A set of files that must change together is a folder replaced as a whole instead (`synth/write.ts`).
 *
 * @param mode the file's permissions, e.g. 0o755 for a program
 */
export function writeAtomically(file: string, contents: string | Uint8Array, mode?: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const partial = partialPath(file);
  writeFileSync(partial, contents);
  if (mode !== undefined) chmodSync(partial, mode);
  renameSync(partial, file);
}
