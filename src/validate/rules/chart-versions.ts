import { isExactVersion } from '../../core/versions';
import type { Finding } from '../finding';
import { applicationSources, findingAt, isApplication, type PolicyRule } from './_context';

/** Why a chart version is not exact, in words, or undefined when it is exact. */
export function inexactVersion(version: unknown): string | undefined {
  if (typeof version !== 'string' || version === '') return 'no targetRevision (Argo CD would take the latest chart)';
  if (isExactVersion(version)) return undefined;
  if (version === 'latest' || version === '*' || version === 'HEAD') return `${JSON.stringify(version)} follows the latest chart`;
  if (/[\^~<>=*|xX ]/.test(version) || /^v?\d+(\.\d+)?$/.test(version)) return `${JSON.stringify(version)} is a range`;
  return `${JSON.stringify(version)} is not an exact version like 1.2.3`;
}

/**
 * `chart-versions`: every Helm chart source of an Application pins an exact
 * version: no range (`^1.2`, `~1.2`, `>=1`, `1.x`, `1.2`), no `latest`, no `*`,
 * and not left out. A range lets a chart upgrade without a change in Git.
 */
export const chartVersionsRule: PolicyRule = {
  name: 'chart-versions',
  description: 'Helm chart sources pin an exact version (no range, no latest, no *)',
  check({ objects }) {
    const findings: Finding[] = [];
    for (const rendered of objects) {
      if (!isApplication(rendered)) continue;
      for (const { path, source } of applicationSources(rendered)) {
        if (typeof source.chart !== 'string') continue;
        const problem = inexactVersion(source.targetRevision);
        if (problem !== undefined) {
          findings.push(
            findingAt(
              rendered,
              'chart-versions',
              `${path}/targetRevision`,
              `chart ${source.chart}: ${problem}`,
              'pin the exact chart version in the catalog (src/platform/) or the environment (components.<id>.version)',
            ),
          );
        }
      }
    }
    return findings;
  },
};
