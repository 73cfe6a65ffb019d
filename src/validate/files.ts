/**
 * The cache folder's files. Writes are atomic (a temporary file renamed into
 * place), so parallel runs (tests, synth in several folders) only ever read
 * whole files. A cache that cannot be written (read-only checkout) only makes
 * the next run slower: what this run wrote stays readable from memory.
 */
import { readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeAtomically } from '../core/atomic-write';
import { seal, writeSealedAtomically } from '../core/sealed';

/** Reads and writes cache files, remembering what it wrote. */
export class CacheFiles {
  private readonly written = new Map<string, string | Buffer>();

  /** A text file, or undefined when it does not exist. */
  public read(file: string): string | undefined {
    const own = this.written.get(file);
    if (own !== undefined) return own.toString();
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** A binary file, or undefined when it does not exist. */
  public readBuffer(file: string): Buffer | undefined {
    const own = this.written.get(file);
    if (own !== undefined) return Buffer.from(own);
    try {
      return readFileSync(file);
    } catch {
      return undefined;
    }
  }

  /** A JSON file, or undefined when it does not exist or is not JSON (a cache never fails a run). */
  public readJson(file: string): unknown {
    const text = this.read(file);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  /**
   * Writes a sealed entry (`core/sealed.ts`) whose body is the parts of `body()`
   * joined, atomically, without holding the whole body in memory at once (a
   * large cache such as the parse cache). Only when the file cannot be written
   * is the entry joined and kept in memory for this run.
   */
  public writeSealed(file: string, kind: string, format: number, body: () => Iterable<string>): void {
    try {
      writeSealedAtomically(file, kind, format, body());
    } catch {
      this.written.set(file, seal(kind, format, [...body()].join('')));
    }
  }

  /** Writes a file atomically, creating its folder. */
  public write(file: string, contents: string | Buffer): void {
    this.written.set(file, contents);
    try {
      writeAtomically(file, contents);
    } catch {
      // read-only: kept in memory for this run
    }
  }
}

/** A day in milliseconds. */
export const DAY_MS = 24 * 3600 * 1000;

/** Days a cache entry (a compiler folder, a CRD file in `files.json`, a render) stays after a run last used it. */
export const CACHE_DAYS = 7;

/**
 * Marks `dir` as used now, and removes its siblings with the same prefix (up to
 * the first `-`) that no run has used for `maxAgeDays`: caches of older versions
 * of the compiler do not pile up, and a cache another process is using (each
 * bundle and the tests may have their own) is never removed under it.
 */
export function touchAndPrune(dir: string, maxAgeDays: number): void {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // not created yet
  }
  try {
    const parent = dirname(dir);
    const prefix = `${basename(dir).split('-')[0]}-`;
    const cutoff = Date.now() - maxAgeDays * DAY_MS;
    for (const name of readdirSync(parent)) {
      const path = join(parent, name);
      if (name.startsWith(prefix) && name !== basename(dir) && statSync(path).mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
    }
  } catch {
    // nothing to clean up, or not allowed to
  }
}
