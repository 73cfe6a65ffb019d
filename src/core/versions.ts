/**
 * The one rule for chart and image versions: an exact SemVer 2.0 version, as the
 * `semver` package parses it (a leading `v` allowed, as Helm allows it), and the
 * order between two of them. Every check of "exact version" in the generator, the
 * environment format, the constructs, the policy rule and the chart store, goes
 * through here, so they cannot disagree.
 */
// The two functions alone: the package's index loads every module of it (ranges, subsets) at start-up.
import compare from 'semver/functions/compare';
import valid from 'semver/functions/valid';

/** True when `value` is exactly one SemVer version: `1.2.3`, `v1.2.3`, `1.2.3-rc.1+build.5`; no range, no spaces. */
export function isExactVersion(value: string): boolean {
  return value === value.trim() && valid(value) !== null;
}

/** SemVer precedence of two exact versions (a leading `v` ignored; pre-releases before their release). */
export function compareVersions(a: string, b: string): number {
  return compare(a, b);
}
