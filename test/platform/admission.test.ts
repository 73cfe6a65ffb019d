import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

type Kube = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
type GroupKind = { group: string; kind: string };

const WIRED_KINDS = new Set(['v1 ConfigMap', 'networking.k8s.io/v1 NetworkPolicy', 'batch/v1 Job']);

/** The built-in objects this feature adds to each component's folder, for every cluster. */
function wiredObjects(): { cluster: string; component: string; object: Kube }[] {
  return ['example', 'kkg'].flatMap((cluster) =>
    readdirSync(join('dist', cluster), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'bootstrap')
      .flatMap((dir) =>
        readdirSync(join('dist', cluster, dir.name))
          .map((file) => parse(readFileSync(join('dist', cluster, dir.name, file), 'utf8')) as Kube)
          .filter((object) => WIRED_KINDS.has(`${object.apiVersion} ${object.kind}`))
          .map((object) => ({ cluster, component: dir.name, object })),
      ),
  );
}

const matches = (list: GroupKind[] | undefined, group: string, kind: string): boolean =>
  (list ?? []).some((entry) => (entry.group === group || entry.group === '*') && (entry.kind === kind || entry.kind === '*'));

describe('the data-source ConfigMaps, NetworkPolicies and smoke tests', () => {
  const objects = wiredObjects();

  it('exist in every cluster that has the components', () => {
    expect(objects.filter((o) => o.cluster === 'kkg').map((o) => o.object.kind)).toEqual(expect.arrayContaining(['ConfigMap', 'NetworkPolicy', 'Job']));
  });

  it.each(objects.map((o) => [`${o.cluster}/${o.component}/${o.object.kind} ${o.object.metadata.name}`, o] as const))(
    '%s is applied by its own Application and admitted by that Application’s project',
    (_label, { cluster, component, object }) => {
      const application = parse(readFileSync(`dist/${cluster}/${component}.yaml`, 'utf8'));
      const project = readdirSync(`dist/${cluster}/bootstrap`)
        .filter((file) => file.startsWith('appproject-'))
        .map((file) => parse(readFileSync(join(`dist/${cluster}/bootstrap`, file), 'utf8')))
        .find((candidate) => candidate.metadata.name === application.spec.project);
      const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';

      expect((application.spec.sources as { path?: string }[]).some((s) => s.path === `dist/${cluster}/${component}`)).toBe(true);
      expect(object.metadata.namespace).toBe(application.spec.destination.namespace);
      expect((project.spec.destinations as { namespace: string }[]).some((d) => d.namespace === object.metadata.namespace || d.namespace === '*')).toBe(true);
      if (project.spec.namespaceResourceWhitelist !== undefined) expect(matches(project.spec.namespaceResourceWhitelist, group, object.kind)).toBe(true);
      expect(matches(project.spec.namespaceResourceBlacklist, group, object.kind)).toBe(false);
    },
  );
});
