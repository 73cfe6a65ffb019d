import { resolve } from 'node:path';
import { type FileSystem, fileSystemError } from '../../src/core/file-system';
import type { LockHost } from '../../src/synth/write';

/** One call made through a {@link FaultyFileSystem}: the method and its paths. */
export interface Step {
  readonly method: keyof Omit<FileSystem, 'root'>;
  readonly paths: readonly string[];
}

/** A file system that records every step and fails where a test says. */
export interface FaultyFileSystem extends FileSystem {
  /** Every call so far, in order (the failing one included). */
  readonly steps: Step[];
}

/** Where a fault strikes and what it is. */
export interface Fault {
  /** 0-based index of the failing step. */
  readonly at: number;
  /** Error code of the failure (a Node-style error for that step). */
  readonly code: string;
  /**
   * A crash: the failing step and every later one throw, as if the process had
   * died there (its clean-up code gets nowhere either).
   * @default false
   */
  readonly crash?: boolean;
}

/** The error a crash throws: nothing may catch it as a user error. */
export class Crash extends Error {}

const METHODS = ['kindOf', 'list', 'read', 'write', 'makeFolder', 'rename', 'link', 'remove', 'assertWritable'] as const;

/** The system call Node names in the error of each step. */
const SYSCALLS: Readonly<Record<(typeof METHODS)[number], string>> = {
  kindOf: 'lstat',
  list: 'scandir',
  read: 'open',
  write: 'open',
  makeFolder: 'mkdir',
  rename: 'rename',
  link: 'link',
  remove: 'rm',
  assertWritable: 'access',
};

/** Wraps `inner`: records each step, and throws `fault` at its step (and, for a crash, after it). */
export function faultyFileSystem(inner: FileSystem, fault?: Fault): FaultyFileSystem {
  const steps: Step[] = [];
  let dead = false;
  const wrapped: Record<string, unknown> = { root: inner.root, steps };
  for (const method of METHODS) {
    wrapped[method] = (...args: unknown[]) => {
      const paths = args.filter((arg): arg is string => typeof arg === 'string').slice(0, method === 'write' ? 1 : 2);
      const index = steps.length;
      steps.push({ method, paths });
      if (dead) throw new Crash(`crashed before step ${index}`);
      if (fault !== undefined && index === fault.at) {
        if (fault.crash) {
          dead = true;
          throw new Crash(`crash at step ${index}: ${method} ${paths.join(' ')}`);
        }
        const to = paths[1] === undefined ? undefined : resolve(inner.root, paths[1]);
        throw fileSystemError(fault.code, SYSCALLS[method], resolve(inner.root, paths[0]), to);
      }
      return (inner[method] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return wrapped as unknown as FaultyFileSystem;
}

/**
 * A lock host for tests: its own pid, every other pid dead unless listed in
 * `running`, and a clock that only moves when it sleeps.
 */
export function testHost(
  pid: number,
  options: { readonly running?: readonly number[]; readonly onSleep?: (ms: number) => void } = {},
): LockHost & { slept: number } {
  let clock = 0;
  const host = {
    pid,
    hostname: 'test-host',
    slept: 0,
    isRunning: (other: number) => other === pid || (options.running ?? []).includes(other),
    sleep: (ms: number) => {
      clock += ms;
      host.slept += ms;
      options.onSleep?.(ms);
    },
    now: () => clock,
  };
  return host;
}
