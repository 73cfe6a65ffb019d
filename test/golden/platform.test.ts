import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/environment';
import { components } from '../../src/platform/index';
import { childApplications, loadAll, renderedObjects } from '../helpers/render';

// Facts from the Helmfile era (pke-catalog.md, section 1.2): release name and namespace per
// component. Adopting a running cluster only recreates nothing if these stay the same. The one
// copy of this table in the tests: it is checked on the rendered Applications below.
const HELMFILE_RELEASES: Record<string, [release: string, namespace: string]> = {
  cilium: ['cilium', 'kube-system'],
  '1password-connect': ['connect', '1password'],
  'cert-manager': ['cert-manager', 'cert-manager'],
  'nfs-subdir-external-provisioner': ['nfs-subdir-external-provisioner', 'kube-system'],
  'minio-operator': ['minio-operator', 'minio-operator'],
  'external-dns': ['external-dns', 'external-dns'],
  'cloudflare-tunnel-ingress-controller': ['cloudflare-tunnel-ingress-controller', 'cloudflare-tunnel-ingress-controller'],
  traefik: ['traefik', 'traefik'],
  'traefik-external': ['traefik-external', 'traefik-external'],
  'minio-tenant': ['minio-tenant', 'minio-tenant'],
  'uptime-kuma': ['uptime-kuma', 'uptime-kuma'],
  grafana: ['grafana', 'grafana'],
  mimir: ['mimir', 'mimir'],
  loki: ['loki', 'loki'],
  alloy: ['alloy', 'alloy'],
  'daypassed-bot': ['daypassed-bot', 'daypassed-bot'],
  'mc-mirror-cronjob': ['mc-mirror-cronjob', 'mc-mirror-cronjob'],
  'mk-stream': ['mk-stream', 'mk-stream'],
  navidrome: ['navidrome', 'navidrome'],
  'note-tweet-connector': ['note-tweet-connector', 'note-tweet-connector'],
  'spotify-nowplaying': ['spotify-nowplaying', 'spotify-nowplaying'],
  'subscription-manager': ['subscription-manager', 'subscription-manager'],
};

// The seed's dependency matrix: layer 1 (CNI) to layer 9 (the team's own apps).
const SEED_LAYERS: Record<number, string[]> = {
  1: ['cilium'],
  2: ['1password-connect', 'cert-manager', 'nfs-subdir-external-provisioner', 'minio-operator'],
  3: ['external-dns', 'cloudflare-tunnel-ingress-controller'],
  4: ['traefik', 'traefik-external'],
  5: ['minio-tenant', 'uptime-kuma'],
  6: ['grafana'],
  7: ['mimir', 'loki'],
  8: ['alloy'],
  9: ['daypassed-bot', 'mc-mirror-cronjob', 'mk-stream', 'navidrome', 'note-tweet-connector', 'spotify-nowplaying', 'subscription-manager'],
};

const CUSTOM_APPS = SEED_LAYERS[9];
// Components whose deletion would be an outage (docs/decisions.md, 3).
const PROTECTED = ['1password-connect', 'cert-manager', 'cilium', 'minio-operator', 'minio-tenant'];
const environments = new Map(loadAll().map((env) => [env.cluster, env]));
const kkg = environments.get('kkg') as Environment;
const example = environments.get('example') as Environment;
const wave = (app: { metadata: { annotations: Record<string, string> } }) => Number(app.metadata.annotations['argocd.argoproj.io/sync-wave']);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const chartSource = (app: any) => app.spec.source ?? app.spec.sources[0];

describe.each([
  ['kkg', kkg],
  ['example', example],
])('the %s cluster', (_name, env) => {
  // A Secret the chart's pods read must exist before they start: an item applied after the chart (in-app
  // wave 1) waits for the chart to be healthy, which it never is without the Secret (gitops-engine sync
  // waits for every resource of a wave to be healthy before the next). Only an item whose CRD an
  // Application of the same root wave installs (cert-manager's, beside 1password-connect) must wait.
  it('creates every OnePasswordItem before its chart when 1password-connect is in an earlier wave, after it only in the same wave', () => {
    const apps = childApplications(env);
    const connectWave = wave(apps.get('1password-connect'));
    const items = renderedObjects(env).filter(({ object }) => object.kind === 'OnePasswordItem');

    expect(items.length).toBeGreaterThan(3);
    for (const { file, object } of items) {
      const component = file.split('/')[1];
      const expected = wave(apps.get(component)) > connectWave ? -1 : 1;
      expect(Number(object.metadata.annotations['argocd.argoproj.io/sync-wave']), file).toBe(expected);
    }
    expect(items.some(({ file }) => file.includes('/cert-manager/'))).toBe(true);
  });

  const apps = childApplications(env);
  const objects = renderedObjects(env);

  it('puts every Application in the wave of its layer in the seed dependency matrix', () => {
    for (const [layer, ids] of Object.entries(SEED_LAYERS)) {
      for (const id of ids) {
        if (apps.has(id)) {
          expect(wave(apps.get(id)), id).toBe(Number(layer));
        }
      }
    }
  });

  it('gives every Application a wave above all of its dependencies', () => {
    for (const spec of components) {
      if (!apps.has(spec.id)) continue;
      const dependsOn = typeof spec.dependsOn === 'function' ? spec.dependsOn(env) : spec.dependsOn;
      for (const dep of dependsOn) {
        expect(apps.has(dep), `${spec.id} needs ${dep}`).toBe(true);
        expect(wave(apps.get(spec.id)), `${spec.id} after ${dep}`).toBeGreaterThan(wave(apps.get(dep)));
      }
    }
  });

  it('sets helm.releaseName and the namespace of the Helmfile era', () => {
    for (const [name, app] of apps) {
      const [release, namespace] = HELMFILE_RELEASES[name] ?? [name, name];
      expect(chartSource(app).helm.releaseName, name).toBe(release);
      expect(app.spec.destination.namespace, name).toBe(namespace);
    }
  });

  it('pins every chart to an exact version', () => {
    for (const [name, app] of apps) {
      expect(chartSource(app).targetRevision, name).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
  });

  it('keeps Cilium without the cascade-delete finalizer', () => {
    expect(apps.get('cilium').metadata.finalizers).toBeUndefined();
  });

  it("keeps every protected component without the finalizer, and out of reach of the root app's prune", () => {
    for (const name of PROTECTED) {
      expect(apps.get(name).metadata.finalizers, name).toBeUndefined();
      expect(apps.get(name).metadata.annotations['argocd.argoproj.io/sync-options'], name).toBe('Prune=false,Delete=false');
    }
  });

  it('gives every other Application the resources finalizer and no protection', () => {
    for (const [name, app] of apps) {
      if (!PROTECTED.includes(name)) {
        expect(app.metadata.finalizers, name).toEqual(['resources-finalizer.argocd.argoproj.io']);
        expect(app.metadata.annotations['argocd.argoproj.io/sync-options'], name).toBeUndefined();
      }
    }
  });

  it('marks every supporting custom resource SkipDryRunOnMissingResource with an in-app wave of its own (after its chart, OnePasswordItems possibly before)', () => {
    // Custom resources only: the built-in kinds (provisioning ConfigMaps, NetworkPolicies, smoke-test hooks) need no CRD.
    const supporting = objects.filter(
      ({ file, object }) =>
        file.split('/').length === 3 && !file.includes('/bootstrap/') && !['v1', 'networking.k8s.io/v1', 'batch/v1'].includes(object.apiVersion),
    );
    expect(supporting.length).toBeGreaterThan(0);
    for (const { file, object } of supporting) {
      const component = file.split('/')[1];
      const expected = PROTECTED.includes(component) ? 'SkipDryRunOnMissingResource=true,Prune=false,Delete=false' : 'SkipDryRunOnMissingResource=true';
      expect(object.metadata.annotations['argocd.argoproj.io/sync-options'], file).toBe(expected);
      const inAppWave = Number(object.metadata.annotations['argocd.argoproj.io/sync-wave']);
      if (object.kind === 'OnePasswordItem') expect(inAppWave, file).not.toBe(0);
      else expect(inAppWave, file).toBeGreaterThan(0);
    }
  });

  it('applies the charts with large CRDs server-side, and only those', () => {
    const serverSide = [...apps].filter(([, app]) => app.spec.syncPolicy.syncOptions.includes('ServerSideApply=true')).map(([n]) => n);

    expect(serverSide.sort()).toEqual(['cert-manager', 'loki', 'mimir', 'minio-operator', 'traefik']);
  });

  it('creates every destination namespace', () => {
    for (const [name, app] of apps) {
      expect(app.spec.syncPolicy.syncOptions, name).toContain('CreateNamespace=true');
    }
  });

  it('renders no Secret: secrets come from 1Password', () => {
    expect(objects.filter(({ object }) => object.kind === 'Secret')).toEqual([]);
  });

  it("points each second source at the folder that holds that component's manifests", () => {
    for (const [name, app] of apps) {
      if (app.spec.sources === undefined) continue;
      const folder = app.spec.sources[1].path as string;
      expect(folder, name).toBe(`dist/${env.cluster}/${name}`);
      expect(
        objects.some(({ file }) => file.startsWith(`${env.cluster}/${name}/`)),
        name,
      ).toBe(true);
    }
  });

  it('gives every component with supporting manifests a second source', () => {
    const withManifests = new Set(
      objects.filter(({ file }) => file.split('/').length === 3 && !file.includes('/bootstrap/')).map(({ file }) => file.split('/')[1]),
    );
    for (const name of withManifests) {
      expect(apps.get(name).spec.sources, name).toHaveLength(2);
    }
  });

  it("has a root app that watches this cluster's folder", () => {
    const root = objects.find(({ file }) => file === `${env.cluster}/bootstrap/root-app.yaml`)?.object;

    expect(root.spec.source.path).toBe(`dist/${env.cluster}`);
    expect(root.spec.source.repoURL).toBe(env.git.repoUrl);
  });

  it('has a root app that retries without a limit, each time at the latest revision', () => {
    const root = objects.find(({ file }) => file === `${env.cluster}/bootstrap/root-app.yaml`)?.object;

    expect(root.spec.syncPolicy.retry.limit).toBe(-1);
    expect(root.spec.syncPolicy.retry.refresh).toBe(true);
  });
});

describe('the kkg cluster specifically', () => {
  const apps = childApplications(kkg);

  it('deploys the Traefik External variant with all seven custom apps', () => {
    expect(apps.has('traefik-external')).toBe(true);
    expect(apps.has('cloudflare-tunnel-ingress-controller')).toBe(false);
    for (const id of CUSTOM_APPS) {
      expect(apps.has(id), id).toBe(true);
    }
  });

  it('leaves flow-sight out: present in the file but disabled', () => {
    expect(apps.has('flow-sight')).toBe(false);
  });

  it('takes the pool range from the environment file', () => {
    const pool = renderedObjects(kkg).find(({ object }) => object.kind === 'CiliumLoadBalancerIPPool')?.object;

    expect(pool.spec.blocks).toEqual([{ start: '192.168.21.100', stop: '192.168.21.254' }]);
  });
});

describe('the example cluster specifically', () => {
  const apps = childApplications(example);

  it('uses the Cloudflare Tunnel instead of Traefik External, in layer 3', () => {
    expect(apps.has('traefik-external')).toBe(false);
    expect(wave(apps.get('cloudflare-tunnel-ingress-controller'))).toBe(3);
  });

  it('deploys none of the custom apps', () => {
    for (const id of CUSTOM_APPS) {
      expect(apps.has(id), id).toBe(false);
    }
  });
});
