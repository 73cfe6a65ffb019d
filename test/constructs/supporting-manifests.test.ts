import { Testing } from 'cdk8s';
import type { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { Certificate } from '../../src/constructs/certificate';
import { AcmeClusterIssuer } from '../../src/constructs/cluster-issuer';
import { L2AnnouncementPolicy } from '../../src/constructs/l2-announcement-policy';
import { LoadBalancerIpPool } from '../../src/constructs/load-balancer-ip-pool';
import { OnePasswordItem } from '../../src/constructs/one-password-item';
import { RootApplication } from '../../src/constructs/root-application';
import { AppProject } from '../../src/constructs/app-project';
import { SyncOption } from '../../src/constructs/sync-option';
import { CRD_FROM_SAME_WAVE_ANNOTATIONS } from '../../src/platform/index';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function synthOne(build: (scope: Construct) => void): any {
  const chart = Testing.chart();
  build(chart);
  const manifests = Testing.synth(chart);
  expect(manifests).toHaveLength(1);
  return manifests[0];
}

const SKIP_DRY_RUN = { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' };

describe('OnePasswordItem', () => {
  const item = () => synthOne((s) => new OnePasswordItem(s, 'I', { name: 'minio-secrets', namespace: 'loki', itemPath: 'vaults/K/items/minio-secrets' }));

  it('renders a onepassword.com/v1 item whose name is the Secret it creates', () => {
    const rendered = item();

    expect(rendered.apiVersion).toBe('onepassword.com/v1');
    expect(rendered.kind).toBe('OnePasswordItem');
    expect(rendered.metadata.name).toBe('minio-secrets');
    expect(rendered.metadata.namespace).toBe('loki');
    expect(rendered.spec).toEqual({ itemPath: 'vaults/K/items/minio-secrets' });
  });

  it('syncs in in-app wave 1, after the chart, and skips the dry run', () => {
    expect(item().metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1', ...SKIP_DRY_RUN });
  });

  it('syncs in in-app wave -1, before the chart whose pods read its Secret, when its CRD comes from an earlier wave', () => {
    const early = synthOne(
      (s) => new OnePasswordItem(s, 'I', { name: 'minio-secrets', namespace: 'loki', itemPath: 'vaults/K/items/minio-secrets', crdFromEarlierWave: true }),
    );

    expect(early.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1', ...SKIP_DRY_RUN });
  });

  it('gets the annotations the catalog writes out for chart objects whose CRD comes from the same wave', () => {
    expect(item().metadata.annotations).toEqual(CRD_FROM_SAME_WAVE_ANNOTATIONS);
  });

  it('adds the protection options of a protected component after SkipDryRunOnMissingResource', () => {
    const rendered = synthOne(
      (s) =>
        new OnePasswordItem(s, 'I', {
          name: 'token',
          namespace: 'cert-manager',
          itemPath: 'vaults/K/items/token',
          extraSyncOptions: [SyncOption.noPrune(), SyncOption.noDelete()],
        }),
    );

    expect(rendered.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true,Prune=false,Delete=false');
  });

  // controller/state.go CompareAppState (Argo CD v3.5.1): a kept object that left Git counts for the
  // Application's sync status unless it carries IgnoreExtraneous, so a renamed IP pool of cilium
  // (wave 1) would hold every later wave of the root for good.
  it('marks a never-pruned supporting manifest IgnoreExtraneous, so its removal does not leave the child OutOfSync', () => {
    const protectedItem = synthOne(
      (s) =>
        new OnePasswordItem(s, 'I', {
          name: 'token',
          namespace: 'cert-manager',
          itemPath: 'vaults/K/items/token',
          extraSyncOptions: [SyncOption.noPrune(), SyncOption.noDelete()],
        }),
    );

    expect(protectedItem.metadata.annotations['argocd.argoproj.io/compare-options']).toBe('IgnoreExtraneous');
    expect(item().metadata.annotations['argocd.argoproj.io/compare-options']).toBeUndefined();
  });

  it('rejects an item path that is not vaults/<vault>/items/<item>', () => {
    expect(() => synthOne((s) => new OnePasswordItem(s, 'I', { name: 'x', namespace: 'y', itemPath: 'Kubernetes/x' }))).toThrow(
      'itemPath of OnePasswordItem x must be vaults/<vault>/items/<item>, got "Kubernetes/x"',
    );
  });
});

describe('AcmeClusterIssuer', () => {
  const issuer = () =>
    synthOne(
      (s) =>
        new AcmeClusterIssuer(s, 'CI', {
          name: 'letsencrypt',
          email: 'ops@example.test',
          server: 'https://acme.example.test/directory',
          privateKeySecretName: 'issuer-account-key',
          cloudflareApiToken: { secretName: 'cloudflare-api-token', key: 'apiToken' },
        }),
    );

  it('renders a cluster-scoped cert-manager.io/v1 ClusterIssuer without a namespace', () => {
    const rendered = issuer();

    expect(rendered.apiVersion).toBe('cert-manager.io/v1');
    expect(rendered.kind).toBe('ClusterIssuer');
    expect(rendered.metadata.namespace).toBeUndefined();
  });

  it('solves DNS-01 through Cloudflare with the token Secret', () => {
    const { acme } = issuer().spec;

    expect(acme.email).toBe('ops@example.test');
    expect(acme.server).toBe('https://acme.example.test/directory');
    expect(acme.privateKeySecretRef).toEqual({ name: 'issuer-account-key' });
    expect(acme.solvers).toEqual([{ dns01: { cloudflare: { apiTokenSecretRef: { name: 'cloudflare-api-token', key: 'apiToken' } } } }]);
  });

  it('syncs in in-app wave 2, after the token item, and skips the dry run', () => {
    expect(issuer().metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '2', ...SKIP_DRY_RUN });
  });
});

describe('Certificate', () => {
  it('issues the named Secret from the ClusterIssuer', () => {
    const rendered = synthOne(
      (s) =>
        new Certificate(s, 'C', {
          name: 'traefik.lan.example.test',
          namespace: 'traefik',
          secretName: 'traefik.lan.example.test-dns01',
          dnsNames: ['traefik.lan.example.test'],
          clusterIssuer: 'letsencrypt',
        }),
    );

    expect(rendered.apiVersion).toBe('cert-manager.io/v1');
    expect(rendered.metadata.namespace).toBe('traefik');
    expect(rendered.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '2', ...SKIP_DRY_RUN });
    expect(rendered.spec).toEqual({
      secretName: 'traefik.lan.example.test-dns01',
      dnsNames: ['traefik.lan.example.test'],
      issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
    });
  });

  it('rejects a certificate without DNS names', () => {
    expect(() => synthOne((s) => new Certificate(s, 'C', { name: 'c', namespace: 'n', secretName: 's', dnsNames: [], clusterIssuer: 'i' }))).toThrow(
      'Certificate c needs at least one DNS name',
    );
  });
});

describe('LoadBalancerIpPool', () => {
  it('renders a cilium.io/v2 pool with a start/stop block', () => {
    const rendered = synthOne((s) => new LoadBalancerIpPool(s, 'P', { name: 'default-ip-pool', block: { start: '10.0.1.100', stop: '10.0.1.150' } }));

    expect(rendered.apiVersion).toBe('cilium.io/v2');
    expect(rendered.kind).toBe('CiliumLoadBalancerIPPool');
    expect(rendered.spec).toEqual({ blocks: [{ start: '10.0.1.100', stop: '10.0.1.150' }] });
    expect(rendered.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '2', ...SKIP_DRY_RUN });
  });

  it('renders a CIDR block', () => {
    const rendered = synthOne((s) => new LoadBalancerIpPool(s, 'P', { name: 'p', block: { cidr: '10.0.2.0/24' } }));

    expect(rendered.spec).toEqual({ blocks: [{ cidr: '10.0.2.0/24' }] });
  });

  it('rejects a range that runs backwards', () => {
    expect(() => synthOne((s) => new LoadBalancerIpPool(s, 'P', { name: 'p', block: { start: '10.0.1.9', stop: '10.0.1.10' } }))).not.toThrow();
    expect(() => synthOne((s) => new LoadBalancerIpPool(s, 'P', { name: 'p', block: { start: '10.0.1.10', stop: '10.0.1.9' } }))).toThrow(
      'IP pool range must run from low to high, got 10.0.1.10-10.0.1.9',
    );
  });
});

describe('L2AnnouncementPolicy', () => {
  const NOT_CONTROL_PLANE = { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' as const }] };
  const policy = (props: Partial<ConstructorParameters<typeof L2AnnouncementPolicy>[2]> = {}) =>
    synthOne((s) => new L2AnnouncementPolicy(s, 'L2', { name: 'default-l2-policy', interfaces: ['^eth[0-9]+'], nodeSelector: NOT_CONTROL_PLANE, ...props }));

  it('renders a cluster-scoped cilium.io/v2alpha1 policy', () => {
    const rendered = policy();

    expect(rendered.apiVersion).toBe('cilium.io/v2alpha1');
    expect(rendered.kind).toBe('CiliumL2AnnouncementPolicy');
    expect(rendered.metadata.name).toBe('default-l2-policy');
    expect(rendered.metadata.namespace).toBeUndefined();
  });

  it('announces external and LoadBalancer IPs on the given interfaces from the selected nodes', () => {
    expect(policy().spec).toEqual({
      externalIPs: true,
      loadBalancerIPs: true,
      interfaces: ['^eth[0-9]+'],
      nodeSelector: NOT_CONTROL_PLANE,
    });
  });

  it('keeps matchLabels and leaves out the parts of the selector that are empty', () => {
    expect(policy({ nodeSelector: { matchLabels: { 'node.example.test/lb': 'yes' } } }).spec.nodeSelector).toEqual({
      matchLabels: { 'node.example.test/lb': 'yes' },
    });
  });

  it('syncs in in-app wave 2, after the chart, and skips the dry run, as cilium-operator creates its CRD', () => {
    expect(policy().metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '2', ...SKIP_DRY_RUN });
  });

  it('rejects a policy without interfaces, which would announce on none', () => {
    expect(() => policy({ interfaces: [] })).toThrow('CiliumL2AnnouncementPolicy default-l2-policy needs at least one non-empty interface pattern');
  });
});

describe('RootApplication', () => {
  const root = () =>
    synthOne(
      (s) =>
        new RootApplication(s, 'R', {
          name: 'root-app',
          namespace: 'argocd',
          project: 'default',
          repoUrl: 'https://git.example.test/platform.git',
          revision: 'main',
          path: 'dist/test',
          destinationServer: 'https://kubernetes.default.svc',
        }),
    );

  it('watches only the top level of the cluster folder, so supporting manifests stay with their components', () => {
    expect(root().spec.source).toEqual({
      repoURL: 'https://git.example.test/platform.git',
      targetRevision: 'main',
      path: 'dist/test',
      directory: { recurse: false, include: '*.yaml' },
    });
  });

  it('prunes and self-heals but carries no finalizer, so deleting it cascades nowhere', () => {
    const rendered = root();

    expect(rendered.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(rendered.metadata.finalizers).toBeUndefined();
  });
});

describe('AppProject', () => {
  const project = (extra: Partial<ConstructorParameters<typeof AppProject>[2]> = {}) =>
    synthOne(
      (s) =>
        new AppProject(s, 'P', {
          name: 'platform',
          namespace: 'argocd',
          description: 'test',
          sourceRepos: ['https://b.example.test', 'https://a.example.test', 'https://b.example.test'],
          destinations: [
            { server: 'https://k', namespace: 'b' },
            { server: 'https://k', namespace: 'a' },
            { server: 'https://k', namespace: 'b' },
          ],
          clusterResources: [
            { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
            { group: '', kind: 'Namespace' },
            { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
          ],
          ...extra,
        }),
    );

  it('lists repositories, destinations and kinds once each, sorted, so it only changes when what it allows does', () => {
    const { spec } = project();

    expect(spec.sourceRepos).toEqual(['https://a.example.test', 'https://b.example.test']);
    expect(spec.destinations).toEqual([
      { server: 'https://k', namespace: 'a' },
      { server: 'https://k', namespace: 'b' },
    ]);
    expect(spec.clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    ]);
  });

  it('allows no cluster-scoped kind and every namespaced kind unless told otherwise', () => {
    const { spec } = project({ clusterResources: undefined });

    expect(spec.clusterResourceWhitelist).toBeUndefined();
    expect(spec.namespaceResourceWhitelist).toBeUndefined();
  });

  it('refuses a project that allows no source or no destination', () => {
    expect(() => project({ sourceRepos: [] })).toThrow('AppProject platform needs at least one source repository and one destination');
  });
});
