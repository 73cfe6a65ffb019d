/**
 * Vitest's global set-up: the run's own temporary folder. The tests make hundreds
 * of temporary folders (rendered outputs, chart and render caches, copies of the
 * repository), about 60 MB a run; pointed at one folder of the run (TMPDIR, which
 * `os.tmpdir()` and the child processes the tests start read), they go with the
 * run instead of piling up in the system's temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The prefix of a run's temporary folder. */
export const RUN_TEMP_PREFIX = 'pke-test-run-';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), RUN_TEMP_PREFIX));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
