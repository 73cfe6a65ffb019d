import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ClusterPlatform } from '../../src/constructs/cluster-platform';
import { components, planEnvironment } from '../../src/platform/index';
import { makeEnvironment } from '../helpers/make-environment';

const env = makeEnvironment();
const plan = planEnvironment(env, components);

function platform(): ClusterPlatform {
  return new ClusterPlatform(new Chart(new App({ outdir: '.' }), env.cluster), 'Platform', {
    plan,
    layout: { applicationsPath: 'dist/test', manifestsPath: (id) => `dist/test/${id}` },
  });
}

/** The component groups in the platform's construct tree (the root objects are its other children). */
function componentGroups(cluster: ClusterPlatform): string[] {
  const ids = new Set(plan.components.map((c) => c.spec.id as string));
  return cluster.node.children.map((child) => child.node.id).filter((id) => ids.has(id));
}

describe('ClusterPlatform.components', () => {
  it('builds one component at a time: the tree never holds more than the component being rendered', () => {
    const cluster = platform();
    expect(componentGroups(cluster)).toStrictEqual([]);
    const seen: string[] = [];
    for (const { component, application, project } of cluster.components()) {
      // Only this component's group is in the tree, and its objects are whole.
      expect(componentGroups(cluster)).toStrictEqual([component.spec.id]);
      expect(application.apiObject.toJson()).toMatchObject({ kind: 'Application', metadata: { name: component.spec.id } });
      expect(project.apiObject.toJson()).toMatchObject({ kind: 'AppProject' });
      seen.push(component.spec.id);
    }
    expect(seen).toStrictEqual(plan.components.map((c) => c.spec.id));
    expect(plan.components.length).toBeGreaterThan(10);
    expect(componentGroups(cluster)).toStrictEqual([]);
  });

  it('builds the same objects on every pass', () => {
    const cluster = platform();
    const pass = () =>
      [...cluster.components()].map(({ application, project, manifests }) => [application.apiObject, project.apiObject, ...manifests].map((o) => o.toJson()));
    expect(pass()).toStrictEqual(pass());
  });
});
