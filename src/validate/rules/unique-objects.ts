import type { Finding } from '../finding';
import { type AppliedObject, appliedObjects } from './_applied';
import type { PolicyRule } from './_context';

/**
 * `unique-objects`: no object is applied by two Applications. Argo CD would
 * report it shared, each Application would overwrite the other's version on
 * every sync, and deleting either would delete it for both.
 */
export const uniqueObjectsRule: PolicyRule = {
  name: 'unique-objects',
  description: 'no object (group, kind, namespace, name) is applied by two Applications',
  check(context) {
    const owners = new Map<string, AppliedObject[]>();
    for (const object of appliedObjects(context)) {
      if (object.hook !== undefined) continue; // hooks are created and deleted per sync, not owned
      const key = `${object.cluster} ${object.group}/${object.kind} ${object.namespace ?? ''}/${object.name}`;
      owners.set(key, [...(owners.get(key) ?? []), object]);
    }
    const findings: Finding[] = [];
    for (const objects of owners.values()) {
      const components = [...new Set(objects.map((o) => o.component))];
      if (components.length < 2) continue;
      for (const object of objects) {
        const others = components.filter((c) => c !== object.component).join(', ');
        findings.push(
          object.finding('unique-objects', '', `also applied by ${others}`, `leave it to one Application (helm.skipCrds, or the chart's values of the other)`),
        );
      }
    }
    return findings;
  },
};
