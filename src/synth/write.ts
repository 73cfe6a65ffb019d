/**
 * Reading and replacing the output folder (`dist/`).
 *
 * Synth replaces the folder as a whole, so that stale files of removed
 * components disappear with it: it writes the new output into a sibling folder,
 * then swaps the two with renames. That is made safe in three ways:
 *
 * - a lock file serializes synths of the same folder (see `_output-lock.ts`);
 * - a journal written before the first rename lets the next run complete or
 *   roll back a swap that a crash interrupted, before it does anything else;
 * - a marker file (`.pke-output`, see `output-folder.ts`) says the folder is this project's:
 *   any other non-empty folder (a home folder, `environments/`) is refused.
 *
 * Every file-system step goes through a {@link FileSystem}, so tests inject
 * faults and crashes between any two steps.
 */
import { basename, dirname, join, resolve, sep } from 'node:path';
import { type FileSystem, fileSystemProblem, isFileSystemError, nodeFileSystem } from '../core/file-system';
import { type Problem, UserError } from '../core/user-error';
import { assertOutputFolder, diffTree, INVENTORY_FOLDER, outputFiles, readTree, type ReplacedFolder, SYNTH_OUTPUT, type WriteResult } from './output-folder';
import { type Inventory, loadInventories } from '../inventory/inventory';
import { acquireLock, type LockHost, systemHost } from './_output-lock';
import type { FileMap } from './cluster-files';

export { diffTree, INVENTORY_FOLDER, outputFiles, readOutput, readTree, type ReplacedFolder, withoutMarker, type WriteResult } from './output-folder';
export type { LockHost } from './_output-lock';

/** Where the writer works and how it waits for another synth. */
export interface OutputOptions {
  /** @default - the real file system, relative to the working folder */
  readonly fs?: FileSystem;
  /** @default - this process */
  readonly host?: LockHost;
  /**
   * How long to wait for another synth of the same folder, in milliseconds.
   * @default 30000
   */
  readonly waitMs?: number;
  /**
   * What kind of folder it is (its marker, and the files it held before the marker).
   * @default SYNTH_OUTPUT
   */
  readonly kind?: ReplacedFolder;
}

/** The sibling paths of an output folder: lock, journal and the two folders of a swap. */
export function outputSiblings(outdir: string): { lock: string; journal: string; next: string; previous: string } {
  const at = (suffix: string) => join(dirname(outdir), `.${basename(outdir)}.synth-${suffix}`);
  return { lock: at('lock'), journal: at('journal'), next: at('new'), previous: at('old') };
}

/**
 * A swap failed and could not be undone: the output folder is missing until
 * the next synth, which completes the swap from the journal.
 */
export class MidSwapError extends UserError {}

/** Holds the output folder for one synth: nothing else replaces it until released. */
export interface OutputLock {
  /** What the lock found left by an interrupted synth and did about it, if anything. */
  readonly recovered: string | undefined;
  /** Replaces the folder with exactly `files` (and the marker), if anything differs. */
  write(files: FileMap): WriteResult;
  /** Releases the lock (idempotent). */
  release(): void;
}

/**
 * Takes the lock of an output folder (waiting up to `waitMs` for another
 * synth), then completes or rolls back a swap an earlier run left
 * unfinished, before anything else happens to the folder.
 *
 * @throws UserError when the folder is the working folder itself, another synth
 *   holds the lock for too long, or a file-system step fails
 */
export function lockOutput(outdir: string, options: OutputOptions = {}): OutputLock {
  const fs = options.fs ?? nodeFileSystem();
  const host = options.host ?? systemHost();
  const full = resolve(fs.root, outdir);
  if (full === fs.root || fs.root.startsWith(full.endsWith(sep) ? full : `${full}${sep}`)) {
    throw new UserError([
      {
        file: outdir,
        message: 'expected a folder of its own for the output, got the working folder (or one that contains it); set CDK8S_OUTDIR to a subfolder such as dist',
      },
    ]);
  }
  const siblings = outputSiblings(outdir);
  fs.makeFolder(dirname(outdir));
  const releaseLock = acquireLock(fs, siblings.lock, host, options.waitMs ?? 30_000, (options.kind ?? SYNTH_OUTPUT).command);
  let held = true;
  const release = (): void => {
    if (held) releaseLock();
    held = false;
  };
  let recovered: string | undefined;
  try {
    recovered = recover(outdir, fs);
  } catch (error) {
    release();
    throw error;
  }
  return {
    recovered,
    write: (files) => {
      if (!held) throw new Error('the output lock was released');
      return replaceOutput(outdir, files, fs, options.kind ?? SYNTH_OUTPUT);
    },
    release,
  };
}

/**
 * Replaces `outdir` with exactly `files` (plus the marker), under the lock:
 * see {@link lockOutput}. When nothing differs the folder is not touched.
 */
export function writeOutput(outdir: string, files: FileMap, options: OutputOptions = {}): WriteResult {
  const lock = lockOutput(outdir, options);
  try {
    return lock.write(files);
  } finally {
    lock.release();
  }
}

/**
 * Runs `read` while holding the lock of `dir`, so that it sees the folder
 * whole, as one writer left it: never half the old and half the new files of a
 * swap, nor no folder at all (and a swap a killed writer left is completed or
 * rolled back first). Where the lock cannot be taken because nothing may be
 * created next to the folder (a read-only checkout), it reads without it: no
 * writer can swap the folder there either.
 */
export function readLocked<T>(dir: string, read: () => T, options: OutputOptions = {}): T {
  const fs = options.fs ?? nodeFileSystem();
  const full = resolve(fs.root, dir);
  let lock: OutputLock | undefined;
  const own = full !== fs.root && !fs.root.startsWith(full.endsWith(sep) ? full : `${full}${sep}`);
  if (own && canCreateIn(dirname(dir), fs)) lock = lockOutput(dir, options);
  try {
    return read();
  } finally {
    lock?.release();
  }
}

/** The committed inventories of `clusters` (`inventory/<cluster>.yaml`), read under render's lock: both as one render wrote them. */
export function readInventoriesLocked(clusters: readonly string[], fs: FileSystem): Map<string, Inventory> {
  return readLocked('inventory', () => loadInventories(clusters, { root: fs.root }), { fs, kind: INVENTORY_FOLDER });
}

function canCreateIn(folder: string, fs: FileSystem): boolean {
  try {
    fs.assertWritable(folder);
    return true;
  } catch (error) {
    if (isFileSystemError(error) && ['EACCES', 'EPERM', 'EROFS', 'ENOENT'].includes(error.code)) return false;
    throw error;
  }
}

/**
 * Finishes what an interrupted swap left. With a journal, the new folder was
 * complete before the first rename: if the output folder is missing, the new
 * one moves in (roll forward), if both are there the new one goes (roll back),
 * and the old copy is removed last. Without a journal, leftovers of an
 * interrupted write are removed.
 */
function recover(outdir: string, fs: FileSystem): string | undefined {
  const { journal, next, previous } = outputSiblings(outdir);
  const exists = (path: string) => fs.kindOf(path, false) !== undefined;
  const hasJournal = exists(journal);
  const hasOutput = exists(outdir);
  const hasNext = exists(next);
  const hasPrevious = exists(previous);
  let done: string | undefined;
  if (!hasOutput && hasNext && hasJournal) {
    fs.rename(next, outdir);
    done = `completed the swap of ${outdir}/ that an interrupted synth left: its new output is in place`;
  } else if (!hasOutput && hasPrevious) {
    fs.rename(previous, outdir);
    done = `rolled back the swap of ${outdir}/ that an interrupted synth left: the previous output is back`;
  } else if (hasJournal && hasNext) {
    done = `rolled back the swap of ${outdir}/ that an interrupted synth left: the output was not changed`;
  } else if (hasNext || hasPrevious || hasJournal) {
    done = `removed what an interrupted synth left next to ${outdir}/`;
  }
  if (hasNext && exists(next)) fs.remove(next);
  if (hasPrevious && exists(previous)) fs.remove(previous);
  if (hasJournal) fs.remove(journal);
  return done;
}

function replaceOutput(outdir: string, rendered: FileMap, fs: FileSystem, kind: ReplacedFolder): WriteResult {
  assertOutputFolder(outdir, fs, undefined, kind);
  const files = outputFiles(rendered, kind);
  const result = diffTree(readTree(outdir, fs), files);
  if (result.added.length + result.changed.length + result.removed.length === 0) {
    return result;
  }
  const { journal, next, previous } = outputSiblings(outdir);
  const hadOutput = fs.kindOf(outdir, false) !== undefined;
  // Refuse before anything moves when the old folder could not be removed afterwards.
  fs.assertWritable(dirname(outdir));
  if (hadOutput) assertFoldersWritable(outdir, fs);

  try {
    fs.remove(next);
    fs.makeFolder(next);
    const made = new Set<string>();
    for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const folder = dirname(path);
      if (folder !== '.' && !made.has(folder)) {
        fs.makeFolder(join(next, folder));
        made.add(folder);
      }
      fs.write(join(next, path), content);
    }
    fs.write(journal, `${JSON.stringify({ swapping: outdir, next, previous, hadOutput })}\n`);
  } catch (error) {
    bestEffort(() => fs.remove(next));
    bestEffort(() => fs.remove(journal));
    throw error;
  }

  // The journal is written: from here a crash is completed or rolled back by the next run.
  let moved = false;
  try {
    if (hadOutput) {
      fs.rename(outdir, previous);
      moved = true;
    }
    fs.rename(next, outdir);
  } catch (error) {
    const restored = bestEffort(() => {
      if (moved) fs.rename(previous, outdir);
    });
    const problem = problemOf(error, fs);
    if (!restored && problem !== undefined) {
      throw new MidSwapError([problem]);
    }
    bestEffort(() => fs.remove(next));
    bestEffort(() => fs.remove(journal));
    throw error;
  }

  try {
    fs.remove(previous);
    fs.remove(journal);
  } catch (error) {
    if (!isFileSystemError(error)) throw error;
    const problem = problemOf(error, fs);
    return { ...result, leftover: `${problem?.file}: ${problem?.message}; ${outdir}/ is written, and the next synth removes what is left` };
  }
  return result;
}

/** Every folder of the old output must let this process delete its entries. */
function assertFoldersWritable(outdir: string, fs: FileSystem): void {
  fs.assertWritable(outdir);
  const walk = (folder: string): void => {
    for (const entry of fs.list(folder)) {
      if (entry.kind === 'folder') {
        fs.assertWritable(join(folder, entry.name));
        walk(join(folder, entry.name));
      }
    }
  };
  walk(outdir);
}

function problemOf(error: unknown, fs: FileSystem): Problem | undefined {
  return error instanceof UserError ? error.problems[0] : fileSystemProblem(error, fs.root);
}

/** Runs a clean-up step whose failure must not hide the error being handled; true when it worked. */
function bestEffort(step: () => void): boolean {
  try {
    step();
    return true;
  } catch {
    return false;
  }
}
