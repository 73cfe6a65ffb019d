/**
 * Cache entries that say what they are: a first line with the kind of entry, its
 * format version and the sha256 of the rest. An entry written by another format,
 * cut short, edited or replaced by garbage fails {@link unseal} and is recomputed
 * by the caller: a cache is never trusted, and its code is never executed, on the
 * strength of its file name alone.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { partialPath, writeAtomically } from './atomic-write';

function digest(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The first line of an entry of `kind` in format `format` holding `body`. */
function header(kind: string, format: number, body: string): string {
  return headerWith(kind, format, digest(body));
}

function headerWith(kind: string, format: number, sha256: string): string {
  return `// pke-cache ${kind} format ${format} sha256 ${sha256}`;
}

/** `body` with the header that {@link unseal} checks. */
export function seal(kind: string, format: number, body: string): string {
  return `${header(kind, format, body)}\n${body}`;
}

/** The body of a sealed entry, or undefined when `text` is missing, of another kind or format, or does not match its checksum. */
export function unseal(kind: string, format: number, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const newline = text.indexOf('\n');
  if (newline < 0) return undefined;
  const body = text.slice(newline + 1);
  return text.slice(0, newline) === header(kind, format, body) ? body : undefined;
}

/** The body of the sealed entry in `file`, or undefined when there is none to believe: missing, unreadable, or not whole in this kind and format. */
export function readSealedFile(file: string, kind: string, format: number): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return unseal(kind, format, text);
}

/** Writes a sealed entry whole or not at all. A cache that cannot be written only makes the next run slower: a failure is ignored. */
export function writeSealedFile(file: string, kind: string, format: number, body: string): void {
  try {
    writeAtomically(file, seal(kind, format, body));
  } catch {
    // nothing to do: the entry is computed again next time
  }
}

/**
 * Writes a sealed entry whose body is `parts` joined, whole or not at all (a
 * partial file renamed into place), without ever holding the whole body: the
 * header is written last over a placeholder of its (fixed) length, once the
 * parts have been hashed on their way to the file. Writes are batched.
 */
export function writeSealedAtomically(file: string, kind: string, format: number, parts: Iterable<string>): void {
  mkdirSync(dirname(file), { recursive: true });
  const partial = partialPath(file);
  const fd = openSync(partial, 'w');
  try {
    const hash = createHash('sha256');
    writeAll(fd, `${headerWith(kind, format, '0'.repeat(64))}\n`);
    let batch = '';
    for (const part of parts) {
      hash.update(part);
      batch += part;
      if (batch.length >= BATCH) {
        writeAll(fd, batch);
        batch = '';
      }
    }
    writeAll(fd, batch);
    writeAll(fd, headerWith(kind, format, hash.digest('hex')), 0);
  } catch (error) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(partial, file);
}

/** Writes all of `text` at `position` (default: where the file is), however many writes it takes. */
function writeAll(fd: number, text: string, position?: number): void {
  const bytes = Buffer.from(text);
  for (let done = 0; done < bytes.length;) {
    done += writeSync(fd, bytes, done, bytes.length - done, position === undefined ? null : position + done);
  }
}

/** Characters written at once by {@link writeSealedAtomically}. */
const BATCH = 1 << 20;
