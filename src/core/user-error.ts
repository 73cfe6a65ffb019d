/**
 * One problem with the user's input: where it is and what is wrong.
 *
 * Printed as `file:line:column: /path/in/document: message`; the parts that are
 * unknown are left out (a dependency cycle, for instance, has no line).
 */
export interface Problem {
  /** Path of the file, relative to the working directory (e.g. `environments/kkg.yaml`). */
  readonly file: string;
  /** 1-based line. */
  readonly line?: number;
  /** 1-based column. */
  readonly column?: number;
  /** JSON Pointer into the document, e.g. `/nfs/server`. */
  readonly path?: string;
  /** What was expected and what was found. */
  readonly message: string;
}

/**
 * Characters that must not reach a terminal or a log as they are: Unicode
 * controls (Cc: C0 with ESC, DEL, C1 with CSI), format characters (Cf: the bidi
 * overrides and isolates that reorder what a reader sees, zero-width characters,
 * the BOM) and the line and paragraph separators (Zl, Zp) that end a line.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` with every control, format and line-separator character written as an
 * escape (`\n`, `\t`, `\u001b`, `\u202e`, `\u{e0001}`): what a message shows of
 * the input is one line, with nothing that moves the cursor, clears the screen
 * or turns the text around. The one escaping function of every message: quoting
 * goes through {@link quoted}, and {@link formatProblem} applies it to every part
 * of a problem.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const short = SHORT_ESCAPES[c];
    if (short !== undefined) return short;
    const code = c.codePointAt(0) as number;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A key, value or path of the input quoted for a message: `"…"` as JSON writes it, and {@link printable}. */
export function quoted(value: string): string {
  return printable(JSON.stringify(value));
}

/**
 * Formats a problem as one line. Every part goes through {@link printable}, so
 * input that reached a message without being quoted still cannot break the line
 * or drive the terminal.
 */
export function formatProblem(problem: Problem): string {
  let location = printable(problem.file);
  if (problem.line !== undefined) {
    location += `:${problem.line}`;
    if (problem.column !== undefined) {
      location += `:${problem.column}`;
    }
  }
  const path = problem.path === undefined || problem.path === '' ? '' : `${printable(problem.path)}: `;
  return `${location}: ${path}${printable(problem.message)}`;
}

/** Orders problems by file, then line, then column, then message. */
export function compareProblems(a: Problem, b: Problem): number {
  return byCodeUnit(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || byCodeUnit(a.message, b.message);
}

/** Strings in code-unit order: the same on every machine and locale, and no collator to start (localeCompare's first call costs synth about 8 ms). */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Bad input, as opposed to a bug. The command prints the problems one per
 * line, without a stack trace, and exits non-zero.
 */
export class UserError extends Error {
  /** Every problem found, sorted by file and line. */
  public readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const sorted = [...problems].sort(compareProblems);
    super(sorted.map(formatProblem).join('\n'));
    this.name = 'UserError';
    this.problems = sorted;
  }
}
