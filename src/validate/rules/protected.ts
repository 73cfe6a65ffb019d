import { RESOURCES_FINALIZER } from '../../core/argocd-annotations';
import type { Finding } from '../finding';
import { field, findingAt, isApplication, type PolicyRule } from './_context';

/**
 * `protected`: the Application of a protected component (catalog `protected`)
 * carries no resources finalizer (`resources-finalizer.argocd.argoproj.io`, or
 * its `/foreground` and `/background` forms): deleting or renaming it must leave
 * the workload running (decision 3).
 */
export const protectedRule: PolicyRule = {
  name: 'protected',
  description: 'protected components have no resources finalizer, so deleting their Application never deletes the workload',
  check({ objects, clusters }) {
    const findings: Finding[] = [];
    for (const rendered of objects) {
      if (!isApplication(rendered)) continue;
      const name = field(rendered.object, 'metadata', 'name');
      const reason = typeof name === 'string' ? clusters.get(rendered.cluster)?.protected.get(name) : undefined;
      if (reason === undefined) continue;
      const finalizers = field(rendered.object, 'metadata', 'finalizers');
      (Array.isArray(finalizers) ? finalizers : []).forEach((finalizer, i) => {
        if (finalizer === RESOURCES_FINALIZER || (typeof finalizer === 'string' && finalizer.startsWith(`${RESOURCES_FINALIZER}/`))) {
          findings.push(
            findingAt(
              rendered,
              'protected',
              `/metadata/finalizers/${i}`,
              `${String(name)} is protected (${reason}), but deleting this Application would delete everything it installed`,
              'remove the finalizer: the catalog entry is protected, so the Application must use DeletionPolicy.protect()',
            ),
          );
        }
      });
    }
    return findings;
  },
};
