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

/** Formats a problem as one line. */
export function formatProblem(problem: Problem): string {
  let location = problem.file;
  if (problem.line !== undefined) {
    location += `:${problem.line}`;
    if (problem.column !== undefined) {
      location += `:${problem.column}`;
    }
  }
  const path = problem.path === undefined || problem.path === '' ? '' : `${problem.path}: `;
  return `${location}: ${path}${problem.message}`;
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
