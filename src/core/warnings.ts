/**
 * Warnings: findings that deserve a person's attention but do not stop the run
 * (nothing is refused, the exit status is unchanged). Same shape as a
 * {@link Problem}, printed as `file:line:column: /path: warning: message` on
 * stderr. Any stage can add to one collection that the command prints at the end.
 */
import { compareProblems, formatProblem, type Problem } from './user-error';

/** One warning: where it is and what is worth knowing. */
export type Warning = Problem;

/** Formats a warning as one line. */
export function formatWarning(warning: Warning): string {
  return formatProblem({ ...warning, message: `warning: ${warning.message}` });
}

/** The warnings of one run, from every stage that has any. */
export class Warnings {
  private readonly items: Warning[] = [];

  /** Adds warnings. */
  public add(...warnings: readonly Warning[]): void {
    this.items.push(...warnings);
  }

  /** Every warning, sorted by file and line, each once. */
  public get all(): readonly Warning[] {
    const seen = new Set<string>();
    return [...this.items].sort(compareProblems).filter((warning) => {
      const line = formatWarning(warning);
      return !seen.has(line) && seen.add(line) !== undefined;
    });
  }

  /** One line per warning (each ending in a newline), or `''` when there is none. */
  public report(): string {
    return this.all.map((warning) => `${formatWarning(warning)}\n`).join('');
  }
}
