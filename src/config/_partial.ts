/**
 * The name of a file being written, before it is renamed into place. Unique per
 * process and thread: worker threads (vitest's pool) share a pid, and two of
 * them writing the same cache entry must not write into each other's partial file.
 */
import { threadId } from 'node:worker_threads';

export function partialPath(path: string): string {
  return `${path}.${process.pid}-${threadId}.tmp`;
}
