import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadInventories } from '../../src/inventory/inventory';
import { APPLICATION_HEALTH_KEY } from '../../src/constructs/application-health-check';
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

  describe('the AppProject of the children', () => {
    const project = bootstrapOf(files, cluster, `appproject-${env.argocd.project}.yaml`);

    it('is the project of every child Application', () => {
      for (const [name, app] of apps) {
        expect(app.spec.project, name).toBe(project.metadata.name);
      }
    });

    it('allows exactly the repositories the Applications read', () => {
      const used = new Set([...apps.values()].flatMap((app) => sourcesOf(app).map((source) => source.repoURL)));

      expect(new Set(project.spec.sourceRepos)).toEqual(used);
    });

    it('allows exactly the destinations the Applications deploy to and the namespaces their charts use', () => {
      const inventory = loadInventories([cluster]).get(cluster);
      const server = env.argocd.destinationServer;
      const used = new Set([
        ...[...apps.values()].map((app) => `${app.spec.destination.server} ${app.spec.destination.namespace}`),
        ...[...(inventory?.applications.values() ?? [])].flatMap((app) =>
          app.objects.flatMap((o) => (o.namespace === undefined ? [] : [`${server} ${o.namespace}`])),
        ),
      ]);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const allowed = new Set(project.spec.destinations.map((d: any) => `${d.server} ${d.namespace}`));

      expect(inventory).toBeDefined();
      expect(allowed).toEqual(used);
    });

    it('allows the cluster-scoped kinds the charts render, and PersistentVolumes only by name', () => {
      const inventory = loadInventories([cluster]).get(cluster);
      const rendered = [...(inventory?.applications.values() ?? [])].flatMap((app) => app.objects.filter((o) => o.namespace === undefined));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const entries: any[] = project.spec.clusterResourceWhitelist;
      const allowed = new Set(entries.map((k) => `${k.group}/${k.kind}${k.name === undefined ? '' : ` ${k.name}`}`));

      expect(rendered.length).toBeGreaterThan(0);
      for (const object of rendered) {
        const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
        expect(allowed, `${object.kind} ${object.name}`).toContain(
          object.kind === 'PersistentVolume' ? `/${object.kind} ${object.name}` : `${group}/${object.kind}`,
        );
      }
      expect(entries.filter((k) => k.kind === 'PersistentVolume' && k.name === undefined)).toEqual([]);
    });

    it('allows the cluster-scoped kinds of the supporting manifests, and Namespace for CreateNamespace', () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const allowed = project.spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`);
      const rendered = [...files.keys()].filter((f) => f.split('/').length === 3 && !f.includes('/bootstrap/'));
      const clusterScoped = rendered
        .map((f) => parse(files.get(f) as string))
        .filter((o) => o.metadata.namespace === undefined)
        .map((o) => `${o.apiVersion.split('/')[0]}/${o.kind}`);

      expect(clusterScoped.length).toBeGreaterThan(0);
      expect(allowed).toEqual(expect.arrayContaining([...clusterScoped, '/Namespace']));
    });

    it('allows no wildcard', () => {
      expect(JSON.stringify(project.spec)).not.toContain('"*"');
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
