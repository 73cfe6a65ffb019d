import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadInventories } from '../../src/inventory/inventory';
import { APPLICATION_HEALTH_KEY } from '../../src/constructs/application-health-check';
import { components } from '../../src/platform/index';
import { childApplications, loadAll, renderEnvironment } from '../helpers/render';

const environments = loadAll();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function bootstrapOf(files: Map<string, string>, cluster: string, name: string): any {
  const content = files.get(`${cluster}/bootstrap/${name}`);
  expect(content, name).toBeDefined();
  return parse(content as string);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const sourcesOf = (app: any): any[] => app.spec.sources ?? [app.spec.source];

describe.each(environments.map((env) => [env.cluster, env] as const))('bootstrap of %s', (cluster, env) => {
  const files = renderEnvironment(env);
  const apps = childApplications(env);

  describe('the argocd-cm health check', () => {
    const configMap = bootstrapOf(files, cluster, 'configmap-argocd-cm.yaml');
    const lua: string = configMap.data[APPLICATION_HEALTH_KEY];

    it('is an argocd-cm ConfigMap in the Argo CD namespace with the labels Argo CD reads', () => {
      expect(configMap.kind).toBe('ConfigMap');
      expect(configMap.metadata.name).toBe('argocd-cm');
      expect(configMap.metadata.namespace).toBe(env.argocd.namespace);
      expect(configMap.metadata.labels['app.kubernetes.io/part-of']).toBe('argocd');
    });

    it('restores the health of argoproj.io/Application under the key Argo CD looks up', () => {
      expect(Object.keys(configMap.data)).toEqual(['resource.customizations.health.argoproj.io_Application']);
    });

    it('is the gate whose verdicts test/constructs/application-health-check.test.ts checks in a Lua VM', () => {
      expect(lua).toContain('Lua 5.1 (gopher-lua) with the base and table libraries only');
      expect(lua).toContain('status.sync.comparedTo');
    });

    it('ships the same check as values for the argo-cd Helm chart', () => {
      const values = bootstrapOf(files, cluster, 'values/argo-cd.yaml');

      expect(values).toEqual({ configs: { cm: { [APPLICATION_HEALTH_KEY]: lua } } });
    });
  });

  describe('the AppProjects of the children, one per component', () => {
    const inventory = loadInventories([cluster]).get(cluster);
    const server = env.argocd.destinationServer;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const projectOf = (app: any): any => bootstrapOf(files, cluster, `appproject-${app.spec.project}.yaml`);
    const manifestsOf = (name: string): Record<string, unknown>[] =>
      [...files.keys()].filter((f) => f.startsWith(`${cluster}/${name}/`)).map((f) => parse(files.get(f) as string));
    const kindOf = (apiVersion: string, kind: string): string => `${apiVersion.includes('/') ? apiVersion.split('/')[0] : ''}/${kind}`;

    it('gives every child Application its own project, named <project>-<component>, a DNS-1123 label', () => {
      const projects = [...apps.values()].map((app) => app.spec.project);

      expect(projects).toEqual([...apps.keys()].map((name) => `${env.argocd.project}-${name}`));
      expect(new Set(projects).size).toBe(apps.size);
      for (const name of projects) expect(name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    });

    it('writes exactly those projects and the root project to bootstrap/, one file each', () => {
      const written = [...files.keys()].filter((f) => f.startsWith(`${cluster}/bootstrap/appproject-`)).sort();

      expect(written).toEqual(
        [...[...apps.values()].map((app) => app.spec.project), `${env.argocd.project}-root`]
          .map((name) => `${cluster}/bootstrap/appproject-${name}.yaml`)
          .sort(),
      );
    });

    it.each([...apps.keys()])('%s: allows exactly the repositories its Application reads', (name) => {
      const app = apps.get(name);

      expect(projectOf(app).spec.sourceRepos).toEqual([...new Set(sourcesOf(app).map((source) => source.repoURL))].sort());
    });

    it.each([...apps.keys()])('%s: allows exactly its destination and the namespaces its chart uses', (name) => {
      const app = apps.get(name);
      const used = new Set([
        `${app.spec.destination.server} ${app.spec.destination.namespace}`,
        ...(inventory?.applications.get(name)?.objects ?? []).flatMap((o) => (o.namespace === undefined ? [] : [`${server} ${o.namespace}`])),
      ]);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const allowed = new Set(projectOf(app).spec.destinations.map((d: any) => `${d.server} ${d.namespace}`));

      expect(allowed).toEqual(used);
    });

    it.each([...apps.keys()])('%s: allows exactly the kinds its chart and supporting manifests create, Namespaces and PersistentVolumes by name', (name) => {
      const app = apps.get(name);
      const objects = inventory?.applications.get(name)?.objects ?? [];
      const manifests = manifestsOf(name);
      const byName = (kind: string): boolean => kind === '/Namespace' || kind === '/PersistentVolume';
      const clusterScoped = new Set([
        `/Namespace ${app.spec.destination.namespace}`,
        ...objects
          .filter((o) => o.namespace === undefined)
          .map((o) => kindOf(o.apiVersion, o.kind))
          .map((kind, i) => (byName(kind) ? `${kind} ${objects.filter((o) => o.namespace === undefined)[i].name}` : kind)),
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        ...manifests.filter((m: any) => m.metadata.namespace === undefined).map((m: any) => kindOf(m.apiVersion, m.kind)),
      ]);
      const namespaced = new Set([
        ...objects.filter((o) => o.namespace !== undefined).map((o) => kindOf(o.apiVersion, o.kind)),
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        ...manifests.filter((m: any) => m.metadata.namespace !== undefined).map((m: any) => kindOf(m.apiVersion, m.kind)),
      ]);
      const { spec } = projectOf(app);

      expect(inventory?.applications.has(name)).toBe(true);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      expect(new Set(spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}${k.name === undefined ? '' : ` ${k.name}`}`))).toEqual(clusterScoped);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      expect(new Set(spec.namespaceResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`))).toEqual(namespaced);
    });

    it('admits no ClusterRoleBinding, CRD or admission webhook to a team app whose chart renders none', () => {
      const privileged = [
        'rbac.authorization.k8s.io/ClusterRoleBinding',
        'apiextensions.k8s.io/CustomResourceDefinition',
        'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
        'admissionregistration.k8s.io/MutatingWebhookConfiguration',
      ];
      const teamApps = [...apps.keys()].filter((name) => components.find((c) => c.id === name)?.repoUrl === 'https://soli0222.github.io/helm-charts');

      if (cluster === 'kkg') expect(teamApps).toHaveLength(7);
      for (const name of teamApps) {
        const rendered = new Set((inventory?.applications.get(name)?.objects ?? []).map((o) => kindOf(o.apiVersion, o.kind)));
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const allowed = projectOf(apps.get(name)).spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`);
        for (const kind of privileged) expect(allowed.includes(kind), `${name} ${kind}`).toBe(rendered.has(kind));
      }
    });

    it('allows no wildcard', () => {
      const leaves = (value: unknown): string[] =>
        typeof value === 'string' ? [value] : value !== null && typeof value === 'object' ? Object.values(value).flatMap(leaves) : [];
      for (const app of apps.values()) {
        const { description, ...rules } = projectOf(app).spec;
        expect(description).toContain(app.metadata.name);
        for (const leaf of leaves(rules)) expect(leaf).not.toMatch(/[*?[{!]/);
      }
    });
  });

  describe('the root Application', () => {
    const root = bootstrapOf(files, cluster, 'root-app.yaml');
    const rootProject = bootstrapOf(files, cluster, `appproject-${env.argocd.project}-root.yaml`);

    it("belongs to its own project, which may only create Applications in Argo CD's namespace from this repository", () => {
      expect(root.spec.project).toBe(rootProject.metadata.name);
      expect(rootProject.spec.sourceRepos).toEqual([env.git.repoUrl]);
      expect(rootProject.spec.destinations).toEqual([{ server: env.argocd.destinationServer, namespace: env.argocd.namespace }]);
      expect(rootProject.spec.namespaceResourceWhitelist).toEqual([{ group: 'argoproj.io', kind: 'Application' }]);
      expect(rootProject.spec.clusterResourceWhitelist).toBeUndefined();
    });

    it('sorts after the projects and argocd-cm, so `kubectl apply -f bootstrap/` creates them first', () => {
      const bootstrap = [...files.keys()].filter((f) => f.startsWith(`${cluster}/bootstrap/`) && f.split('/').length === 3).sort();

      expect(bootstrap.at(-1)).toBe(`${cluster}/bootstrap/root-app.yaml`);
    });
  });
});
