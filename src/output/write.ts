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
 * - a marker file ({@link OUTPUT_MARKER}) says the folder is this project's:
 *   any other non-empty folder (a home folder, `environments/`) is refused.
 *
 * Every file-system step goes through a {@link FileSystem}, so tests inject
 * faults and crashes between any two steps.
 */
import { basename, dirname, join, resolve, sep } from 'node:path';
import { type FileSystem, fileSystemProblem, isFileSystemError, nodeFileSystem } from '../config/file-system';
import { type Problem, UserError } from '../config/user-error';
import { isUnmarkedOutputFile, OUTPUT_MARKER, OUTPUT_MARKER_TEXT } from './layout';
import { acquireLock, type LockHost, systemHost } from './_output-lock';
import type { FileMap } from './render';

export type { LockHost } from './_output-lock';

/** Largest file read from an output folder, in bytes (rendered files are a few KiB). */
const OUTPUT_FILE_LIMIT = 64 * 1024 * 1024;

/** How the output folder changed. */
export interface WriteResult {
  /** Files that did not exist before. */
  readonly added: readonly string[];
  /** Files whose content changed. */
  readonly changed: readonly string[];
  /** Files that existed and are gone (stale output of removed components or clusters). */
  readonly removed: readonly string[];
  /**
   * Set when the new output is in place but the previous copy (or the journal)
   * could not be removed: what is left, and what to do.
   */
  readonly leftover?: string;
}

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
}

const KIND_WORDS: Readonly<Record<string, string>> = {
  link: 'a symbolic link',
  fifo: 'a FIFO (named pipe)',
  device: 'a device',
  socket: 'a socket',
  file: 'a file',
  folder: 'a folder',
};

/**
 * Reads every file below `dir` (relative paths with `/`, sorted). A missing
 * folder is an empty map. Anything but files and folders (a link, a FIFO) is
 * refused: rendered output never holds one.
 *
 * @throws UserError naming the first entry that is not a file or a folder
 */
export function readTree(dir: string, fs: FileSystem = nodeFileSystem()): FileMap {
  const files: FileMap = new Map();
  if (fs.kindOf(dir, false) === undefined) {
    return files;
  }
  const walk = (relative: string): void => {
    for (const entry of fs.list(relative === '' ? dir : join(dir, relative))) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.kind === 'folder') {
        walk(path);
      } else if (entry.kind === 'file') {
        files.set(path, fs.read(join(dir, path), OUTPUT_FILE_LIMIT));
      } else {
        throw new UserError([
          { file: join(dir, path), message: `expected only files and folders in the output, got ${KIND_WORDS[entry.kind]}; remove it (synth never writes one)` },
        ]);
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

/** The files of an output folder as synth writes them: the rendered files and the marker. */
export function outputFiles(files: FileMap): FileMap {
  return new Map([...files, [OUTPUT_MARKER, OUTPUT_MARKER_TEXT]]);
}

/** A rendered file map without the marker (what plan and validate compare). */
export function withoutMarker(files: FileMap): FileMap {
  return new Map([...files].filter(([path]) => path !== OUTPUT_MARKER));
}

/**
 * The first file of a file map that shows it is not this project's output, or
 * undefined when it is: a map with the marker, or one whose every file an
 * older synth wrote (see `isUnmarkedOutputFile`).
 */
export function foreignFile(files: FileMap): string | undefined {
  if (files.get(OUTPUT_MARKER) !== undefined) return undefined;
  for (const [path, text] of files) {
    if (!isUnmarkedOutputFile(path, text)) return path;
  }
  return undefined;
}

/**
 * Checks that `dir` may be replaced by synth: absent, empty, marked as this
 * project's output, or (once, for output written before the marker existed)
 * holding only files synth writes. It stops at the first foreign entry, so
 * pointing it at a home folder reads next to nothing.
 *
 * @param what for a folder that is only read, how messages name it (`--base`)
 * @throws UserError naming the folder and what is wrong with it
 */
export function assertOutputFolder(dir: string, fs: FileSystem = nodeFileSystem(), what?: string): void {
  // A folder that is only read may be reached through a link; one that is replaced may not (the link would go).
  const kind = fs.kindOf(dir, what !== undefined);
  if (kind === undefined) return;
  if (kind !== 'folder') {
    throw new UserError([
      { file: dir, message: `expected the output folder, got ${KIND_WORDS[kind]}; move it out of the way or set CDK8S_OUTDIR to a folder of its own` },
    ]);
  }
  const entries = fs.list(dir);
  if (entries.length === 0 || entries.some((entry) => entry.name === OUTPUT_MARKER && entry.kind === 'file')) return;
  const foreign = firstForeignEntry(dir, '', fs);
  if (foreign !== undefined) {
    const why = `not an output folder of this project (no ${OUTPUT_MARKER}, and ${foreign} is not a file synth writes)`;
    throw new UserError([
      {
        file: dir,
        message:
          what === undefined
            ? `${why}; synth replaces the whole folder, so it only replaces its own: set CDK8S_OUTDIR to an empty or new folder`
            : `${what}: ${why}; give the folder of the output to compare with`,
      },
    ]);
  }
}

function firstForeignEntry(dir: string, relative: string, fs: FileSystem): string | undefined {
  for (const entry of fs.list(relative === '' ? dir : join(dir, relative))) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    // The layout is at most three folders deep (<cluster>/bootstrap/values/<file>).
    if (entry.kind === 'folder' && path.split('/').length < 4) {
      const inner = firstForeignEntry(dir, path, fs);
      if (inner !== undefined) return inner;
    } else if (entry.kind !== 'file' || !isUnmarkedOutputFile(path, fs.read(join(dir, path), OUTPUT_FILE_LIMIT))) {
      return path;
    }
  }
  return undefined;
}

/**
 * Reads an output folder to compare with (plan's base, validate): it must
 * exist, hold files and be this project's output; a missing or empty base
 * would make every removal pass unseen.
 *
 * @param what how the folder is named in messages, e.g. `--base`
 * @returns its files without the marker
 * @throws UserError for a missing, empty or foreign folder
 */
export function readOutput(dir: string, what: string, fs: FileSystem = nodeFileSystem()): FileMap {
  const kind = fs.kindOf(dir);
  if (kind === undefined) {
    throw new UserError([{ file: dir, message: `${what}: no such folder; give the folder of the output to compare with` }]);
  }
  if (kind !== 'folder') {
    throw new UserError([{ file: dir, message: `${what}: expected a folder of rendered output, got ${KIND_WORDS[kind]}` }]);
  }
  assertOutputFolder(dir, fs, what);
  const files = withoutMarker(readTree(dir, fs));
  if (files.size === 0) {
    throw new UserError([{ file: dir, message: `${what}: the folder holds no rendered files, so nothing could be compared; give the folder of the output to compare with` }]);
  }
  return files;
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
  const releaseLock = acquireLock(fs, siblings.lock, host, options.waitMs ?? 30_000);
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
      return replaceOutput(outdir, files, fs);
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

function replaceOutput(outdir: string, rendered: FileMap, fs: FileSystem): WriteResult {
  assertOutputFolder(outdir, fs);
  const files = outputFiles(rendered);
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
