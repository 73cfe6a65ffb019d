import { printable, type Problem } from '../core/user-error';

/**
 * The checks `npm run validate` runs, by name. `schema` is the OpenAPI schema of
 * each object's kind (with `metadata` checked as ObjectMeta); the others are
 * policy rules of this platform (see `POLICY_RULES`).
 */
export type RuleName =
  | 'schema'
  | 'waves'
  | 'names'
  | 'chart-versions'
  | 'no-secrets'
  | 'no-credentials'
  | 'protected'
  | 'skip-dry-run'
  | 'app-project'
  | 'admission'
  | 'crd-order'
  | 'unique-objects';

/** One problem with a rendered file or object: where it is, what is wrong, how to fix it. */
export interface Finding {
  /** The check that found it. */
  readonly rule: RuleName;
  /** Cluster the file belongs to (the first folder below the output folder). */
  readonly cluster: string;
  /** The file as a person finds it, e.g. `dist/kkg/cert-manager.yaml`. */
  readonly file: string;
  /**
   * The object, as `Kind/name`.
   * @default - the finding is about the file, not one object in it
   */
  readonly object?: string;
  /** JSON Pointer into the object (`/spec/source/targetRevision`); empty for the whole object. */
  readonly path: string;
  /** What is wrong: expected versus got. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** `file: Kind/name: /path: message [rule]`, leaving out the parts that are empty; one line ({@link printable}). */
export function formatFinding(finding: Finding): string {
  return printable(`${finding.file}: ${findingText(finding)}`);
}

/** Orders findings by file, object, path, rule and message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compare(a.file, b.file) || compare(a.object ?? '', b.object ?? '') || compare(a.path, b.path) || compare(a.rule, b.rule) || compare(a.message, b.message)
  );
}

/**
 * Findings as the `Problem`s of a `UserError`, so that a command prints them
 * like every other bad-input error: one line each, `file: Kind/name: /path: message [rule]`.
 */
export function findingsAsProblems(findings: readonly Finding[]): Problem[] {
  return findings.map((finding) => ({ file: finding.file, message: findingText(finding) }));
}

function findingText(finding: Finding): string {
  const object = finding.object === undefined ? '' : `${finding.object}: `;
  const path = finding.path === '' ? '' : `${finding.path}: `;
  return `${object}${path}${finding.message} [${finding.rule}]`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
