import { SYNC_OPTIONS_ANNOTATION } from '../../core/argocd-annotations';
import { pointer } from '../object-meta';
import type { Finding } from '../finding';
import { annotation, findingAt, type PolicyRule } from './_context';

const OPTION = 'SkipDryRunOnMissingResource=true';

/**
 * `skip-dry-run`: every custom resource among a component's supporting
 * manifests (`<cluster>/<component>/`) carries
 * `argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true`. Its CRD
 * comes from a chart applied in the same or an earlier sync, so on a first
 * install the dry run would fail on the missing kind and stop the sync.
 */
export const skipDryRunRule: PolicyRule = {
  name: 'skip-dry-run',
  description: 'custom resources whose CRD comes from a chart carry SkipDryRunOnMissingResource=true',
  check({ objects, kind }) {
    const findings: Finding[] = [];
    for (const rendered of objects) {
      if (rendered.role !== 'supporting' || kind(rendered.object)?.custom !== true) continue;
      const options = annotation(rendered, SYNC_OPTIONS_ANNOTATION);
      const list = typeof options === 'string' ? options.split(',').map((option) => option.trim()) : [];
      if (!list.includes(OPTION)) {
        findings.push(
          findingAt(
            rendered,
            'skip-dry-run',
            `/metadata/annotations/${pointer(SYNC_OPTIONS_ANNOTATION)}`,
            `custom resource without ${OPTION}: its CRD is installed by a chart, so the first sync's dry run fails on the unknown kind`,
            `add ${OPTION} to ${SYNC_OPTIONS_ANNOTATION} (SyncOption.skipDryRunOnMissingResource())`,
          ),
        );
      }
    }
    return findings;
  },
};
