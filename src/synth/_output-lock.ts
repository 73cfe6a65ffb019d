/**
 * The lock file of an output folder: created exclusively (`O_EXCL`), holding
 * the pid and host name of the synth that holds it. A second synth waits for
 * it; a lock whose process is gone (same host, pid not running, or this very
 * pid) is stale and taken over.
 */
import { hostname } from 'node:os';
import type { FileSystem } from '../core/file-system';
import { isFileSystemError } from '../core/file-system';
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
}

/** How often a waiting synth looks at the lock again. */
const POLL_MS = 25;

function readHolder(fs: FileSystem, lock: string): Holder | undefined {
  try {
    const holder = JSON.parse(fs.read(lock, 4096)) as Partial<Holder>;
    return typeof holder.pid === 'number' && typeof holder.hostname === 'string' ? { pid: holder.pid, hostname: holder.hostname } : undefined;
  } catch {
    return undefined; // gone, or being written by a synth that is taking it right now
  }
}

/**
 * Takes the lock, waiting up to `waitMs` for a live holder.
 *
 * @returns a function that releases it
 * @throws UserError when another synth still holds it after `waitMs`
 */
export function acquireLock(fs: FileSystem, lock: string, host: LockHost, waitMs: number): () => void {
  const own = `${JSON.stringify({ pid: host.pid, hostname: host.hostname })}\n`;
  const deadline = host.now() + waitMs;
  for (;;) {
    try {
      fs.write(lock, own, { exclusive: true });
      return () => {
        // A lock left behind is stale once this process is gone, so a failed release only delays the next synth.
        try {
          if (fs.read(lock, 4096) === own) fs.remove(lock);
        } catch {
          // nothing more to do
        }
      };
    } catch (error) {
      if (!isFileSystemError(error) || error.code !== 'EEXIST') throw error;
    }
    const holder = readHolder(fs, lock);
    // This process's own pid in a lock it does not hold is a stale lock of an earlier process with
    // the same pid (containers often start with the same pids).
    if (holder !== undefined && holder.hostname === host.hostname && (holder.pid === host.pid || !host.isRunning(holder.pid))) {
      breakStaleLock(fs, lock, holder, host);
      continue;
    }
    if (host.now() >= deadline) {
      const who = holder === undefined ? 'a synth that is starting' : `pid ${holder.pid} on ${holder.hostname}`;
      throw new UserError([
        {
          file: lock,
          message: `another synth is writing this output (${who}) and did not finish within ${Math.round(waitMs / 1000)} s; run again when it is done, or remove the lock file if no synth is running`,
        },
      ]);
    }
    host.sleep(POLL_MS);
  }
}

/**
 * Takes a dead process's lock out of the way: renamed first (only one synth
 * wins the rename), then checked to be that very lock, since a third synth may
 * have taken a fresh lock in between; such a fresh lock is put back.
 */
function breakStaleLock(fs: FileSystem, lock: string, stale: Holder, host: LockHost): void {
  const aside = `${lock}.stale-${host.pid}`;
  try {
    fs.rename(lock, aside);
  } catch (error) {
    if (isFileSystemError(error) && error.code === 'ENOENT') return; // another synth took it over first
    throw error;
  }
  const taken = readHolder(fs, aside);
  if (taken !== undefined && (taken.pid !== stale.pid || taken.hostname !== stale.hostname)) {
    try {
      fs.write(lock, fs.read(aside, 4096), { exclusive: true });
    } catch (error) {
      if (!isFileSystemError(error) || error.code !== 'EEXIST') throw error;
    }
  }
  fs.remove(aside);
}
