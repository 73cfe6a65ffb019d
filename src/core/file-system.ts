/**
 * Every file-system step of the generator goes through one small interface, so
 * that tests can inject a fault (a full disk, a read-only folder, a crash
 * between two steps) where the real system cannot be provoked, and one function
 * turns whatever the system reports into a line a person can act on.
 */
import {
  closeSync,
  constants,
  fstatSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { accessSync, type Stats } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { byCodeUnit, type Problem, UserError } from './user-error';

/** What a path is. `link` only when links are not followed. */
export type EntryKind = 'file' | 'folder' | 'link' | 'fifo' | 'device' | 'socket';

/** One entry of a folder. */
export interface FolderEntry {
  readonly name: string;
  readonly kind: EntryKind;
}

/**
 * The file-system steps the generator takes. Relative paths are resolved
 * against `root`; errors are Node's (`code`, `syscall`, `path`), which
 * {@link fileSystemProblem} describes.
 */
export interface FileSystem {
  /** Absolute folder that relative paths are resolved against (the working folder). */
  readonly root: string;
  /** What is at `path` (following links unless `follow` is false), or undefined when nothing is. */
  kindOf(path: string, follow?: boolean): EntryKind | undefined;
  /** The entries of a folder, sorted by name; links are reported as links. */
  list(path: string): FolderEntry[];
  /**
   * The text of a regular file; refuses anything else (`EFTYPE`) and files over `limit` bytes (`EFBIG`).
   * With `virtual: false` it also refuses (`EVIRTUAL`, before reading more than one byte) a file that
   * reports no size yet has content: the virtual files of /proc and /sys (`/proc/self/environ`).
   */
  read(path: string, limit: number, options?: { readonly virtual?: boolean }): string;
  /** Writes a file; `exclusive` fails with `EEXIST` when it exists (an atomic "create if absent"). */
  write(path: string, text: string, options?: { readonly exclusive?: boolean }): void;
  /** Creates a folder and its missing parents. */
  makeFolder(path: string): void;
  /** Renames a file or folder (atomic within one file system). */
  rename(from: string, to: string): void;
  /** Gives the file `from` a second name `to`; fails with `EEXIST` when `to` exists (an atomic "create if absent" with content). */
  link(from: string, to: string): void;
  /**
   * Removes a file or a folder with everything in it; nothing there is fine. A
   * failure names the entry that could not be removed and the real reason (an
   * immutable file is `EPERM` on that file, not `ENOTDIR` on its folder).
   */
  remove(path: string): void;
  /** Fails (`EACCES`, `EROFS` …) unless this process may create and delete entries in the folder. */
  assertWritable(path: string): void;
}

/** An error as Node's file-system calls throw it. */
export interface FileSystemError extends Error {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly dest?: string;
}

/** A Node-style error, for the checks this module makes itself and for tests that inject faults. */
export function fileSystemError(code: string, syscall: string, path: string, dest?: string): FileSystemError {
  const error = new Error(`${code}: ${syscall} '${path}'${dest === undefined ? '' : ` -> '${dest}'`}`) as Error & Record<string, unknown>;
  Object.assign(error, { code, syscall, path, ...(dest === undefined ? {} : { dest }) });
  return error as unknown as FileSystemError;
}

/** True for an error that carries a system error code (`ENOENT`, `EACCES` …). */
export function isFileSystemError(error: unknown): error is FileSystemError {
  return error instanceof Error && typeof (error as Partial<FileSystemError>).code === 'string' && /^E[A-Z0-9]+$/.test((error as FileSystemError).code);
}

function kindOfStats(stats: Stats): EntryKind {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'folder';
  if (stats.isSymbolicLink()) return 'link';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  return 'device';
}

/**
 * The bytes of a regular file, read without blocking on what is not one: the
 * open is non-blocking, so a FIFO put in place of a file cannot hang it, and
 * anything but a regular file is refused (`EFTYPE`), as is a file over `limit`
 * bytes (`EFBIG`, also for a file that grows while it is read).
 */
export function readRegularFile(full: string, limit: number, virtual = true): Buffer {
  const fd = openSync(full, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw fileSystemError('EISDIR', 'read', full);
    if (!stats.isFile()) throw fileSystemError('EFTYPE', 'read', full);
    if (stats.size > limit) throw fileSystemError('EFBIG', 'read', full);
    // The size fstat gave; for a file that reports none (those of /proc), chunks up to
    // limit + 1 bytes: never more than the limit, however the file grows.
    if (stats.size > 0) {
      const buffer = Buffer.allocUnsafe(stats.size);
      let length = 0;
      for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
      return buffer.subarray(0, length);
    }
    if (!virtual && readSync(fd, Buffer.alloc(1), 0, 1, null) > 0) throw fileSystemError('EVIRTUAL', 'read', full);
    const chunks: Buffer[] = [];
    let total = 0;
    for (let n = 1; n > 0 && total <= limit; total += n) {
      const chunk = Buffer.allocUnsafe(65536);
      n = readSync(fd, chunk, 0, chunk.length, null);
      chunks.push(chunk.subarray(0, n));
    }
    if (total > limit) throw fileSystemError('EFBIG', 'read', full);
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

/** The real file system, with relative paths resolved against `root`. */
export function nodeFileSystem(root: string = process.cwd()): FileSystem {
  const at = (path: string): string => resolve(root, path);
  return {
    root: resolve(root),
    kindOf(path, follow = true) {
      try {
        return kindOfStats(follow ? statSync(at(path)) : lstatSync(at(path)));
      } catch (error) {
        if (isFileSystemError(error) && error.code === 'ENOENT') return undefined;
        throw error;
      }
    },
    list(path) {
      return readdirSync(at(path), { withFileTypes: true })
        .map((entry) => {
          const kind: EntryKind = entry.isFile()
            ? 'file'
            : entry.isDirectory()
              ? 'folder'
              : entry.isSymbolicLink()
                ? 'link'
                : entry.isFIFO()
                  ? 'fifo'
                  : entry.isSocket()
                    ? 'socket'
                    : 'device';
          return { name: entry.name, kind };
        })
        .sort((a, b) => byCodeUnit(a.name, b.name));
    },
    read(path, limit, { virtual = true } = {}) {
      return readRegularFile(at(path), limit, virtual).toString('utf8');
    },
    write(path, text, options = {}) {
      writeFileSync(at(path), text, { flag: options.exclusive ? 'wx' : 'w' });
    },
    makeFolder(path) {
      mkdirSync(at(path), { recursive: true });
    },
    rename(from, to) {
      renameSync(at(from), at(to));
    },
    link(from, to) {
      linkSync(at(from), at(to));
    },
    remove(path) {
      removeEntry(at(path));
    },
    assertWritable(path) {
      accessSync(at(path), constants.W_OK | constants.X_OK);
    },
  };
}

/**
 * Removes a file, link or folder tree, depth first. Node's `rmSync` reports an
 * entry it may not unlink (an immutable file, `chattr +i`) as `ENOTDIR` on a
 * `scandir` of that file; this reports `EPERM` on the `unlink` of the file.
 */
function removeEntry(full: string): void {
  let stats: Stats;
  try {
    stats = lstatSync(full);
  } catch (error) {
    if (isFileSystemError(error) && error.code === 'ENOENT') return;
    throw error;
  }
  if (!stats.isDirectory()) {
    try {
      unlinkSync(full);
    } catch (error) {
      if (!isFileSystemError(error) || error.code !== 'ENOENT') throw error;
    }
    return;
  }
  for (const name of readdirSync(full)) removeEntry(resolve(full, name));
  try {
    rmdirSync(full);
  } catch (error) {
    if (!isFileSystemError(error) || error.code !== 'ENOENT') throw error;
  }
}

/** Why a system error happened and what to do about it, by code. */
const ERRORS: Readonly<Record<string, { readonly why: string; readonly fix: string }>> = {
  ENOENT: { why: 'no such file or folder', fix: 'check the path' },
  ENOTDIR: { why: 'a part of the path is a file where a folder is expected', fix: 'move that file out of the way or choose another path' },
  EISDIR: { why: 'is a folder where a file is expected', fix: 'remove or rename the folder' },
  EACCES: { why: 'permission denied', fix: 'give this user access to it (chmod, chown) or run as its owner' },
  EPERM: { why: 'operation not permitted', fix: 'give this user access to it (chmod, chown, chattr) or run as its owner' },
  EROFS: { why: 'the file system is read-only', fix: 'work in a writable checkout, or remount it read-write' },
  ENOSPC: { why: 'no space left on the device', fix: 'free some space and run again' },
  EDQUOT: { why: 'disk quota exceeded', fix: 'free some space and run again' },
  EBUSY: { why: 'busy (a mount point, or in use by another program)', fix: 'unmount it or stop the program that uses it' },
  ELOOP: { why: 'too many levels of symbolic links (a link that points at itself)', fix: 'replace the link with what it should point at' },
  EEXIST: { why: 'already exists', fix: 'move it out of the way' },
  ENOTEMPTY: { why: 'folder not empty', fix: 'move it out of the way' },
  EMFILE: { why: 'too many open files', fix: 'raise the limit (ulimit -n) and run again' },
  ENFILE: { why: 'too many open files in the system', fix: 'close other programs and run again' },
  EIO: { why: 'input/output error', fix: 'check the disk' },
  ENAMETOOLONG: { why: 'the name is too long', fix: 'use a shorter path' },
  EFBIG: { why: 'the file is larger than this command reads', fix: 'check that it is the file you meant' },
  EFTYPE: { why: 'not a regular file (a FIFO, a device or a socket)', fix: 'replace it with a regular file' },
  EVIRTUAL: {
    why: 'a virtual file (it reports no size yet has content, as those of /proc and /sys do); it was not read',
    fix: 'replace it with a regular file',
  },
};

const ACTIONS: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the folder',
  rename: 'rename',
  link: 'create',
  rm: 'remove',
  rmdir: 'remove',
  unlink: 'remove',
  scandir: 'list the folder',
  opendir: 'list the folder',
  stat: 'look at',
  lstat: 'look at',
  access: 'write in',
};

/** `path` relative to `root` when it is inside it, else as it is. */
export function shownPath(path: string, root: string): string {
  if (!isAbsolute(path)) return path;
  const inside = relative(root, path);
  return inside === '' ? '.' : inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

/**
 * One line for a system error: the path, what could not be done, why, and what
 * to do. `undefined` for anything that is not a system error (a bug).
 *
 * @param root paths inside it are shown relative to it
 */
export function fileSystemProblem(error: unknown, root: string = process.cwd()): Problem | undefined {
  if (!isFileSystemError(error)) return undefined;
  const known = ERRORS[error.code];
  const action = ACTIONS[error.syscall ?? ''] ?? error.syscall ?? 'use';
  const target = error.dest === undefined ? '' : ` to ${shownPath(error.dest, root)}`;
  // Node's own message reads "EXDEV: cross-device link not permitted, rename 'a' -> 'b'".
  const why = known?.why ?? /^E[A-Z0-9]+: ([^,]+),/.exec(error.message)?.[1] ?? 'system error';
  const fix = known === undefined ? '' : `; ${known.fix}`;
  return { file: shownPath(error.path ?? '', root) || '.', message: `cannot ${action}${target}: ${why} (${error.code})${fix}` };
}

/**
 * The one place where errors become user errors: a UserError as it is, a
 * system error as one line ({@link fileSystemProblem}); anything else is a bug
 * (undefined), which keeps its stack trace.
 */
export function asUserError(error: unknown, root: string = process.cwd()): UserError | undefined {
  if (error instanceof UserError) return error;
  const problem = fileSystemProblem(error, root);
  return problem === undefined ? undefined : new UserError([problem]);
}
