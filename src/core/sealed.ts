/**
 * Cache entries that say what they are: a first line with the kind of entry, its
 * format version and the sha256 of the rest. An entry written by another format,
 * cut short, edited or replaced by garbage fails {@link unseal} and is recomputed
 * by the caller: a cache is never trusted, and its code is never executed, on the
 * strength of its file name alone.
 */
import { createHash } from 'node:crypto';

function digest(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The first line of an entry of `kind` in format `format` holding `body`. */
function header(kind: string, format: number, body: string): string {
  return `// pke-cache ${kind} format ${format} sha256 ${digest(body)}`;
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
