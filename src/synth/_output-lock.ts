/**
 * The lock of an output folder: a folder (`.dist.synth-lock/`) of numbered
 * generations. The file with the highest number says who holds the lock: a
 * holder (pid, host name and a token of its own), or `free`. Every generation
 * is created whole and only once: its text is written to a file of its own
 * first, then linked to its number, which fails when that number exists. So:
 *
 * - taking the lock, releasing it and taking over the lock of a process that
 *   is gone are the same step, "create the next number", and only one process
 *   can create a number: a takeover never removes anything, so it cannot lose
 *   the lock of a third synth that took it in between;
 * - a synth killed at any step leaves a whole generation or none, never an
 *   empty lock; a generation that is not whole anyway (a power loss) is taken
 *   over like the lock of a dead process;
 * - older generations and the text files of dead processes are removed by the
 *   next process that creates a generation.
 *
 * A lock whose holder runs on another host is never taken over: nothing here
 * can tell whether that host's synth is alive.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { FileSystem } from '../core/file-system';
import { fileSystemProblem, isFileSystemError } from '../core/file-system';
import { UserError } from '../core/user-error';

/** The process facts the lock needs, injectable for tests. */
export interface LockHost {
  /** This process. */
  readonly pid: number;
  /** This machine. */
  readonly hostname: string;
  /** True when a process with this pid runs on this machine. */
  isRunning(pid: number): boolean;
  /** Blocks for `ms` milliseconds. */
  sleep(ms: number): void;
  /** Milliseconds since some fixed point. */
  now(): number;
}

/** This process on this machine. */
export function systemHost(): LockHost {
  return {
    pid: process.pid,
    hostname: hostname(),
    isRunning(pid) {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return isFileSystemError(error) && error.code === 'EPERM'; // it runs, as another user
      }
    },
    sleep(ms) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    },
    now: () => Date.now(),
  };
}

interface Holder {
  readonly pid: number;
  readonly hostname: string;
  readonly token: string;
}

/** What a generation says. */
type State = { readonly free: true } | { readonly holder: Holder } | { readonly broken: true };

/** How often a waiting synth looks at the lock again. */
const POLL_MS = 25;

/** Largest generation file read (a holder is about 80 bytes). */
const STATE_LIMIT = 4096;

const FREE = 'free\n';

const GENERATION = /^\d{1,15}$/;
const TEXT_FILE = /^\d{1,15}\.(\d{1,10})-([0-9a-f]+)\.tmp$/;

function parseState(text: string): State {
  if (text === FREE) return { free: true };
  try {
    const holder = JSON.parse(text) as Partial<Holder>;
    if (typeof holder.pid === 'number' && typeof holder.hostname === 'string' && typeof holder.token === 'string') {
      return { holder: { pid: holder.pid, hostname: holder.hostname, token: holder.token } };
    }
  } catch {
    // not whole: see below
  }
  return { broken: true };
}

/** A problem with the lock this process cannot solve by waiting: the path, the real error, what to do. */
function lockProblem(error: unknown, lock: string, fs: FileSystem): UserError {
  const problem = fileSystemProblem(error, fs.root);
  if (problem === undefined) return error as UserError;
  return new UserError([
    { file: problem.file, message: `${problem.message}; this is the lock of the output folder: if none is running, remove ${lock} and run again` },
  ]);
}

/**
 * Takes the lock, waiting up to `waitMs` for a live holder.
 *
 * @returns a function that releases it
 * @throws UserError when another synth still holds it after `waitMs`, or the lock cannot be read or written (with the path and the system's reason)
 */
export function acquireLock(fs: FileSystem, lock: string, host: LockHost, waitMs: number, who = 'synth'): () => void {
  const token = randomBytes(8).toString('hex');
  const own = `${JSON.stringify({ pid: host.pid, hostname: host.hostname, token })}\n`;
  const deadline = host.now() + waitMs;
  try {
    clearLegacyLock(fs, lock, host, deadline, waitMs, who);
    fs.makeFolder(lock);
  } catch (error) {
    throw lockProblem(error, lock, fs);
  }
  for (;;) {
    let current: { number: number; state: State } | undefined;
    try {
      current = currentGeneration(fs, lock);
    } catch (error) {
      throw lockProblem(error, lock, fs);
    }
    if (current === undefined) continue; // a generation went while it was read: look again
    const { number, state } = current;
    try {
      const takeable =
        'free' in state ||
        'broken' in state ||
        // This process's own pid with another token: an earlier process with the same pid (containers repeat pids).
        (state.holder.hostname === host.hostname && (state.holder.pid === host.pid || !host.isRunning(state.holder.pid)));
      if (takeable && createGeneration(fs, lock, number + 1, own, host, token)) {
        tidy(fs, lock, number + 1, host, token);
        const mine = number + 1;
        return () => release(fs, lock, mine, own, host, token);
      }
      if (takeable) continue; // another synth created that generation first: look again
    } catch (error) {
      throw lockProblem(error, lock, fs);
    }
    if (host.now() >= deadline) {
      const holder = 'holder' in state ? state.holder : undefined;
      throw new UserError([
        {
          file: lock,
          message: `another ${who} is writing this output (${holder === undefined ? `a ${who} that is starting` : `pid ${holder.pid} on ${holder.hostname}`}) and did not finish within ${Math.round(waitMs / 1000)} s; run again when it is done, or remove ${lock} if no ${who} is running`,
        },
      ]);
    }
    host.sleep(POLL_MS);
  }
}

/** The generation with the highest number and what it says, or undefined when it went while it was read. */
function currentGeneration(fs: FileSystem, lock: string): { number: number; state: State } | undefined {
  const numbers = fs
    .list(lock)
    .filter((entry) => GENERATION.test(entry.name))
    .map((entry) => Number(entry.name));
  if (numbers.length === 0) return { number: -1, state: { free: true } };
  const number = Math.max(...numbers);
  try {
    return { number, state: parseState(fs.read(join(lock, String(number)), STATE_LIMIT)) };
  } catch (error) {
    if (isFileSystemError(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Creates generation `number` with `text`, whole: written to a file of this
 * process, then linked. False when another process created that number first
 * or a higher one exists once it is created (it was created from a generation
 * that had been tidied away, so it says nothing).
 */
function createGeneration(fs: FileSystem, lock: string, number: number, text: string, host: LockHost, token: string): boolean {
  const file = join(lock, `${number}.${host.pid}-${token}.tmp`);
  const target = join(lock, String(number));
  fs.write(file, text);
  try {
    fs.link(file, target);
  } catch (error) {
    if (isFileSystemError(error) && error.code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.remove(file);
  }
  const higher = fs.list(lock).some((entry) => GENERATION.test(entry.name) && Number(entry.name) > number);
  if (higher) fs.remove(target);
  return !higher;
}

/** Removes the generations below `current` and the text files of processes that are gone (or of an earlier process with this pid). */
function tidy(fs: FileSystem, lock: string, current: number, host: LockHost, token: string): void {
  for (const { name } of fs.list(lock)) {
    const text = TEXT_FILE.exec(name);
    const gone = text !== null && (Number(text[1]) === host.pid ? text[2] !== token : !host.isRunning(Number(text[1])));
    if (gone || (GENERATION.test(name) && Number(name) < current)) fs.remove(join(lock, name));
  }
}

/** Marks the lock free, unless a process that took this one for dead has taken it over since (nothing to do then). */
function release(fs: FileSystem, lock: string, mine: number, own: string, host: LockHost, token: string): void {
  // A lock left behind is taken over once this process is gone, so a failed release only delays the next synth.
  try {
    const current = currentGeneration(fs, lock);
    if (current?.number !== mine || fs.read(join(lock, String(mine)), STATE_LIMIT) !== own) return;
    if (createGeneration(fs, lock, mine + 1, FREE, host, token)) tidy(fs, lock, mine + 1, host, token);
  } catch {
    // nothing more to do
  }
}

/**
 * The lock file of synth versions before the generations (`.dist.synth-lock`
 * as a file): waited for while its process runs, removed once it is gone or
 * when it holds no holder. This version never creates one, so removing it can
 * lose no lock of this version. Leftover take-over files of those versions
 * (`.dist.synth-lock.stale-<pid>`) are removed with it.
 */
function clearLegacyLock(fs: FileSystem, lock: string, host: LockHost, deadline: number, waitMs: number, who: string): void {
  const kind = fs.kindOf(lock, false);
  if (kind !== undefined && kind !== 'folder') {
    for (;;) {
      let holder: Partial<Holder> = {};
      try {
        holder = JSON.parse(fs.read(lock, STATE_LIMIT)) as Partial<Holder>;
      } catch (error) {
        if (isFileSystemError(error) && error.code !== 'EFTYPE' && error.code !== 'EFBIG') throw error;
      }
      const live = typeof holder.pid === 'number' && holder.pid !== host.pid && (holder.hostname !== host.hostname || host.isRunning(holder.pid));
      if (!live) break;
      if (host.now() >= deadline) {
        throw new UserError([
          {
            file: lock,
            message: `another ${who} is writing this output (pid ${holder.pid} on ${holder.hostname}) and did not finish within ${Math.round(waitMs / 1000)} s; run again when it is done, or remove ${lock} if no ${who} is running`,
          },
        ]);
      }
      host.sleep(POLL_MS);
    }
    fs.remove(lock);
  }
  const [parent, name] = splitPath(lock);
  for (const entry of fs.list(parent)) {
    if (entry.name.startsWith(`${name}.stale-`)) fs.remove(join(parent, entry.name));
  }
}

function splitPath(path: string): [string, string] {
  const at = path.lastIndexOf('/');
  return at < 0 ? ['.', path] : [path.slice(0, at) || '/', path.slice(at + 1)];
}
