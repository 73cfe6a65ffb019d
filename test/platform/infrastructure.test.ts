import { literalCredentials } from '../../src/validate/rules/secrets';
import { describe, expect, it } from 'vitest';
import type { Environment, ExternalIngressController } from '../../src/config/environment';
import { onePasswordConnect } from '../../src/platform/1password-connect';
import { alloy } from '../../src/platform/alloy';
import { certManager } from '../../src/platform/cert-manager';
import { cilium } from '../../src/platform/cilium';
import { cloudflareTunnelIngressController } from '../../src/platform/cloudflare-tunnel-ingress-controller';
import { externalDns } from '../../src/platform/external-dns';
import { grafana } from '../../src/platform/grafana';
import { loki } from '../../src/platform/loki';
import { mimir } from '../../src/platform/mimir';
import { minioOperator } from '../../src/platform/minio-operator';
import { minioTenant } from '../../src/platform/minio-tenant';
import { nfsSubdirExternalProvisioner } from '../../src/platform/nfs-subdir-external-provisioner';
import { traefik } from '../../src/platform/traefik';
import { traefikExternal } from '../../src/platform/traefik-external';
import type {
  CertificateManifest,
  ClusterIssuerManifest,
  ComponentId,
  ComponentSpec,
  L2AnnouncementPolicyManifest,
  LoadBalancerIpPoolManifest,
  SupportingManifest,
} from '../../src/platform/types';
import { uptimeKuma } from '../../src/platform/uptime-kuma';
import { makeEnvironment } from '../helpers/make-environment';

const infrastructure: readonly ComponentSpec[] = [
  cilium,
  onePasswordConnect,
  certManager,
  nfsSubdirExternalProvisioner,
  minioOperator,
  externalDns,
  cloudflareTunnelIngressController,
  traefik,
  traefikExternal,
  minioTenant,
  uptimeKuma,
  grafana,
  mimir,
  loki,
  alloy,
];

const CONTROLLERS: readonly ExternalIngressController[] = ['traefik-external', 'cloudflare-tunnel'];

/** An environment whose public hosts go through `controller`. */
function behind(controller: ExternalIngressController, overrides: Parameters<typeof makeEnvironment>[0] = {}): Environment {
  return makeEnvironment({
    ...overrides,
    externalIngress: controller === 'cloudflare-tunnel' ? { controller, target: undefined } : { controller, target: 'front.example.test' },
  });
}

/** Reads a nested value by path (`['ingress', 'tls', 0, 'secretName']`). */
function at(values: unknown, path: readonly (string | number)[]): unknown {
  let current = values;
  for (const key of path) {
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** Helm values through the `ComponentSpec` signature, also for components whose values ignore the environment. */
function valuesOf(component: ComponentSpec, env: Environment): unknown {
  return component.values(env);
}

function dependencies(component: ComponentSpec, env: Environment): readonly ComponentId[] {
  return typeof component.dependsOn === 'function' ? component.dependsOn(env) : component.dependsOn;
}

function enabledByDefault(component: ComponentSpec, env: Environment): boolean {
  const byDefault = component.enabledByDefault ?? true;
  return typeof byDefault === 'function' ? byDefault(env) : byDefault;
}

function manifestsOf(component: ComponentSpec, env: Environment): readonly SupportingManifest[] {
  return component.manifests?.(env) ?? [];
}

function manifestOfKind<K extends SupportingManifest['kind']>(component: ComponentSpec, env: Environment, kind: K): Extract<SupportingManifest, { kind: K }> {
  const found = manifestsOf(component, env).filter((manifest) => manifest.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as Extract<SupportingManifest, { kind: K }>;
}

describe('the infrastructure catalog', () => {
  it("installs the charts decided for the migration (their versions are Renovate's to bump)", () => {
    const table = Object.fromEntries(infrastructure.map((c) => [c.id, `${c.repoUrl} ${c.chart}`]));

    expect(table).toEqual({
      cilium: 'https://helm.cilium.io cilium',
      '1password-connect': 'https://1password.github.io/connect-helm-charts connect',
      'cert-manager': 'https://charts.jetstack.io cert-manager',
      'nfs-subdir-external-provisioner': 'https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner nfs-subdir-external-provisioner',
      'minio-operator': 'https://operator.min.io operator',
      'external-dns': 'https://kubernetes-sigs.github.io/external-dns external-dns',
      'cloudflare-tunnel-ingress-controller': 'https://helm.strrl.dev cloudflare-tunnel-ingress-controller',
      traefik: 'https://traefik.github.io/charts traefik',
      'traefik-external': 'https://traefik.github.io/charts traefik',
      'minio-tenant': 'https://operator.min.io tenant',
      'uptime-kuma': 'https://helm.irsigler.cloud uptime-kuma',
      grafana: 'https://grafana.github.io/helm-charts grafana',
      mimir: 'https://grafana.github.io/helm-charts mimir-distributed',
      loki: 'https://grafana.github.io/helm-charts loki',
      alloy: 'https://grafana.github.io/helm-charts alloy',
    });
  });

  it('runs traefik-external on the same chart version as traefik, whose Application owns the CRDs both use', () => {
    expect(traefikExternal.skipCrds).toBe(true);
    expect(`${traefikExternal.chart}@${traefikExternal.version}`).toBe(`${traefik.chart}@${traefik.version}`);
  });

  it('runs the operator and the tenant chart of MinIO at one version', () => {
    expect(minioTenant.repoUrl).toBe(minioOperator.repoUrl);
    expect(minioTenant.version).toBe(minioOperator.version);
  });

  it('writes repository URLs without a trailing slash and never as OCI references', () => {
    for (const component of infrastructure) {
      expect(component.repoUrl).toMatch(/^https:\/\/[^/]+(\/[^/]+)*[^/]$/);
    }
  });

  // The layers themselves (the seed's matrix) are checked on the rendered Applications' waves: test/golden/platform.test.ts.
  it.each(CONTROLLERS)('never declares a layer below what its dependencies give it, behind %s', (controller) => {
    const env = behind(controller);
    const byId = new Map(infrastructure.map((component) => [component.id, component]));
    const layerOf = (id: ComponentId): number => {
      const component = byId.get(id) as ComponentSpec;
      const computed = Math.max(0, ...dependencies(component, env).map(layerOf)) + 1;
      expect(component.layer ?? computed, id).toBeGreaterThanOrEqual(computed);
      return component.layer ?? computed;
    };
    for (const component of infrastructure) layerOf(component.id);
  });

  it('declares a layer only where the dependencies alone would place the component too early', () => {
    const declared = Object.fromEntries(infrastructure.filter((c) => c.layer !== undefined).map((c) => [c.id, c.layer]));

    expect(declared).toEqual({ 'uptime-kuma': 5, grafana: 6, mimir: 7, loki: 7 });
  });

  it.each(CONTROLLERS)('never puts a credential literal into Helm values behind %s', (controller) => {
    const env = behind(controller);

    for (const component of infrastructure) {
      expect({ id: component.id, found: literalCredentials(component.values(env)) }).toEqual({ id: component.id, found: [] });
    }
  });

  it('reads every OnePasswordItem from the environment vault', () => {
    const env = makeEnvironment({ onePassword: { vault: 'Vault-Under-Test' } });
    const items = infrastructure.flatMap((component) => manifestsOf(component, env).filter((manifest) => manifest.kind === 'OnePasswordItem'));

    expect(items.map((item) => item.itemPath).sort()).toEqual([
      'vaults/Vault-Under-Test/items/cf-ingress-controller-secrets',
      'vaults/Vault-Under-Test/items/cloudflare-api-token',
      'vaults/Vault-Under-Test/items/cloudflare-api-token',
      'vaults/Vault-Under-Test/items/grafana-admin',
      'vaults/Vault-Under-Test/items/grafana-alerting',
      'vaults/Vault-Under-Test/items/minio-secrets',
      'vaults/Vault-Under-Test/items/minio-secrets',
      'vaults/Vault-Under-Test/items/minio_storage-configuration',
      'vaults/Vault-Under-Test/items/minio_storage-user',
    ]);
  });

  it('applies server-side exactly the charts with oversized or conflicting CRDs, each with a reason', () => {
    const serverSide = infrastructure.filter((c) => c.serverSideApply !== undefined).map((c) => c.id);

    expect(serverSide.sort()).toEqual(['cert-manager', 'loki', 'mimir', 'minio-operator', 'traefik']);
    for (const component of infrastructure) {
      if (component.serverSideApply !== undefined) {
        expect(component.serverSideApply.length).toBeGreaterThan(40);
      }
    }
  });

  it('leaves the Traefik CRDs to the traefik Application alone', () => {
    expect(traefikExternal.skipCrds).toBe(true);
    expect(infrastructure.filter((c) => c.skipCrds === true).map((c) => c.id)).toEqual(['traefik-external']);
  });

  it('applies the traefik-external dashboard IngressRoute in in-app wave 1 without a dry run, since traefik installs its CRD in the same wave', () => {
    expect(at(valuesOf(traefikExternal, makeEnvironment()), ['ingressRoute', 'dashboard', 'annotations'])).toEqual({
      'argocd.argoproj.io/sync-wave': '1',
      'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
    });
  });

  it("leaves the traefik dashboard IngressRoute in the chart's own wave, next to the CRDs it installs", () => {
    expect(at(valuesOf(traefik, makeEnvironment()), ['ingressRoute', 'dashboard', 'annotations'])).toBeUndefined();
  });

  it('protects the CNI, the owners of the cert-manager, 1Password and MinIO Tenant CRDs, and the MinIO tenant, and nothing else', () => {
    const protectedIds = infrastructure.filter((c) => c.protected !== undefined).map((c) => c.id);

    expect(protectedIds.sort()).toEqual(['1password-connect', 'cert-manager', 'cilium', 'minio-operator', 'minio-tenant']);
  });
});

describe('the public ingress controller', () => {
  it('deploys Traefik External, not the tunnel, when the environment uses traefik-external', () => {
    const env = behind('traefik-external');

    expect(enabledByDefault(traefikExternal, env)).toBe(true);
    expect(enabledByDefault(cloudflareTunnelIngressController, env)).toBe(false);
  });

  it('deploys the tunnel, not Traefik External, when the environment uses cloudflare-tunnel', () => {
    const env = behind('cloudflare-tunnel');

    expect(enabledByDefault(traefikExternal, env)).toBe(false);
    expect(enabledByDefault(cloudflareTunnelIngressController, env)).toBe(true);
  });

  it('enables every other infrastructure component by default', () => {
    const others = infrastructure.filter((c) => c !== traefikExternal && c !== cloudflareTunnelIngressController);

    for (const controller of CONTROLLERS) {
      for (const component of others) {
        expect({ id: component.id, enabled: enabledByDefault(component, behind(controller)) }).toEqual({
          id: component.id,
          enabled: true,
        });
      }
    }
  });

  it.each([
    ['traefik-external', 'traefik-external'],
    ['cloudflare-tunnel', 'cloudflare-tunnel-ingress-controller'],
  ] as const)('makes the public services wait for the %s controller', (controller, expected) => {
    const env = behind(controller);

    expect(dependencies(uptimeKuma, env)).toContain(expected);
    expect(dependencies(grafana, env)).toContain(expected);
    expect(dependencies(mimir, env)).toContain(expected);
    expect(dependencies(loki, env)).toContain(expected);
    for (const component of [uptimeKuma, grafana, mimir, loki]) {
      const other = expected === 'traefik-external' ? 'cloudflare-tunnel-ingress-controller' : 'traefik-external';
      expect(dependencies(component, env)).not.toContain(other);
    }
  });
});

describe('public ingresses', () => {
  /** Each public Ingress: component, path of its Ingress block, default host. */
  const publicIngresses = [
    [uptimeKuma, ['ingress'], 'status.example.test', 'className'],
    [mimir, ['nginx', 'ingress'], 'mimir.example.test', 'ingressClassName'],
    [loki, ['gateway', 'ingress'], 'loki.example.test', 'ingressClassName'],
  ] as const;

  it.each(publicIngresses)('behind a Cloudflare Tunnel, %s gets class cloudflare-tunnel and no TLS', (...row) => {
    const [component, path, host, classKey] = row;
    const ingress = at(component.values(behind('cloudflare-tunnel')), path);

    expect(at(ingress, [classKey])).toBe('cloudflare-tunnel');
    expect(at(ingress, ['tls'])).toEqual([]);
    expect(at(ingress, ['annotations', 'cert-manager.io/cluster-issuer'])).toBeUndefined();
    expect(at(ingress, ['annotations', 'external-dns.alpha.kubernetes.io/target'])).toBeUndefined();
    expect(at(ingress, ['hosts', 0, 'host'])).toBe(host);
  });

  it.each(publicIngresses)('behind Traefik External, %s gets a certificate and the external-dns target', (...row) => {
    const [component, path, host, classKey] = row;
    const ingress = at(component.values(behind('traefik-external')), path);

    expect(at(ingress, [classKey])).toBe('traefik-external');
    expect(at(ingress, ['tls'])).toEqual([{ secretName: `${host}-dns01`, hosts: [host] }]);
    expect(at(ingress, ['annotations', 'cert-manager.io/cluster-issuer'])).toBe('letsencrypt');
    expect(at(ingress, ['annotations', 'external-dns.alpha.kubernetes.io/target'])).toBe('front.example.test');
  });

  it('marks the public Mimir gateway as Cloudflare-proxied only behind Traefik External', () => {
    const proxied = ['nginx', 'ingress', 'annotations', 'external-dns.alpha.kubernetes.io/cloudflare-proxied'];

    expect(at(mimir.values(behind('traefik-external')), proxied)).toBe('true');
    expect(at(mimir.values(behind('cloudflare-tunnel')), proxied)).toBeUndefined();
  });

  it('serves Uptime Kuma on the overriding host when components.uptime-kuma.host is set', () => {
    const env = makeEnvironment({ components: { 'uptime-kuma': { host: 'up.other.test' } } });
    const values = uptimeKuma.values(env);

    expect(at(values, ['ingress', 'hosts', 0, 'host'])).toBe('up.other.test');
    expect(at(values, ['ingress', 'tls', 0, 'secretName'])).toBe('up.other.test-dns01');
  });
});

describe('internal ingresses', () => {
  const internalIngresses = [
    [grafana, ['ingress'], 'grafana.lan.example.test'],
    [mimir, ['ingress'], 'mimir.lan.example.test'],
    [loki, ['ingress'], 'loki.lan.example.test'],
    [alloy, ['ingress'], 'alloy.lan.example.test'],
  ] as const;

  it.each(internalIngresses)('serves %s on the internal Traefik with a cert-manager certificate', (component, path, host) => {
    const ingress = at(component.values(makeEnvironment()), path);

    expect(at(ingress, ['ingressClassName'])).toBe('traefik');
    expect(at(ingress, ['annotations'])).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(at(ingress, ['hosts'])).toEqual([host]);
    expect(at(ingress, ['tls'])).toEqual([{ secretName: `${host}-dns01`, hosts: [host] }]);
  });

  it('serves Grafana on the overriding host when components.grafana.host is set', () => {
    const env = makeEnvironment({ components: { grafana: { host: 'dashboards.elsewhere.test' } } });
    const ingress = at(grafana.values(env), ['ingress']);

    expect(at(ingress, ['hosts'])).toEqual(['dashboards.elsewhere.test']);
    expect(at(ingress, ['tls', 0, 'secretName'])).toBe('dashboards.elsewhere.test-dns01');
  });

  it('follows the internal domain of the environment', () => {
    const env = makeEnvironment({ domains: { internal: 'home.arpa.test', public: 'example.test', extra: [] } });

    expect(at(alloy.values(env), ['ingress', 'hosts'])).toEqual(['alloy.home.arpa.test']);
  });

  it('points the Alloy Ingress at the HTTP port that serves the UI, not the Faro receiver', () => {
    expect(at(alloy.values(makeEnvironment()), ['ingress', 'faroPort'])).toBe(12345);
  });
});

describe('cilium', () => {
  it("ships the Helmfile era's L2 announcement policy: eth interfaces, every node but the control plane", () => {
    const policy = manifestOfKind(cilium, makeEnvironment(), 'CiliumL2AnnouncementPolicy') as L2AnnouncementPolicyManifest;

    expect(policy).toEqual({
      kind: 'CiliumL2AnnouncementPolicy',
      name: 'default-l2-policy',
      interfaces: ['^eth[0-9]+'],
      nodeSelector: { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] },
      externalIPs: true,
      loadBalancerIPs: true,
    });
  });

  it('takes the announcing interfaces and nodes from the environment', () => {
    const env = makeEnvironment({ l2Announcement: { interfaces: ['^enp[0-9]s0$'], nodeSelector: { matchLabels: { lb: 'yes' } } } });
    const policy = manifestOfKind(cilium, env, 'CiliumL2AnnouncementPolicy') as L2AnnouncementPolicyManifest;

    expect(policy.interfaces).toEqual(['^enp[0-9]s0$']);
    expect(policy.nodeSelector).toEqual({ matchLabels: { lb: 'yes' } });
  });

  it('announces the environment range as the default LoadBalancer pool', () => {
    const env = makeEnvironment({ loadBalancer: { range: { start: '172.16.9.10', stop: '172.16.9.20' } } });
    const pool = manifestOfKind(cilium, env, 'CiliumLoadBalancerIPPool') as LoadBalancerIpPoolManifest;

    expect(pool.name).toBe('default-ip-pool');
    expect(pool.block).toEqual({ start: '172.16.9.10', stop: '172.16.9.20' });
  });

  it('uses a cidr block when the environment gives its range as a CIDR', () => {
    const env = makeEnvironment({ loadBalancer: { cidr: '172.16.9.0/28' } });
    const pool = manifestOfKind(cilium, env, 'CiliumLoadBalancerIPPool') as LoadBalancerIpPoolManifest;

    expect(pool.block).toEqual({ cidr: '172.16.9.0/28' });
  });

  it('talks to the API server the environment names, since there is no kube-proxy', () => {
    const env = makeEnvironment({ clusterSettings: { apiServer: { host: '10.99.0.1', port: 16443 } } });
    const values = cilium.values(env);

    expect(values.kubeProxyReplacement).toBe(true);
    expect(values.k8sServiceHost).toBe('10.99.0.1');
    expect(values.k8sServicePort).toBe(16443);
  });

  it('hands out and natively routes the environment pod CIDR', () => {
    const env = makeEnvironment({ clusterSettings: { podCidr: '10.77.0.0/16' } });
    const values = cilium.values(env);

    expect(at(values, ['ipam', 'mode'])).toBe('cluster-pool');
    expect(at(values, ['ipam', 'operator', 'clusterPoolIPv4PodCIDRList'])).toEqual(['10.77.0.0/16']);
    expect(values.ipv4NativeRoutingCIDR).toBe('10.77.0.0/16');
    expect(values.tunnelProtocol).toBe('');
    expect(values.routingMode).toBe('');
    expect(values.enableIPv4Masquerade).toBe(true);
    expect(at(values, ['ipv6', 'enabled'])).toBe(false);
  });

  it('enables L2 announcements and the Hubble relay and UI', () => {
    const values = cilium.values(makeEnvironment());

    expect(at(values, ['l2announcements', 'enabled'])).toBe(true);
    expect(at(values, ['hubble', 'relay', 'enabled'])).toBe(true);
    expect(at(values, ['hubble', 'ui', 'enabled'])).toBe(true);
  });

  it('depends on nothing, so it can come first', () => {
    expect(dependencies(cilium, makeEnvironment())).toEqual([]);
  });
});

describe('storage', () => {
  it('points the NFS provisioner at the environment export and names its default StorageClass after it', () => {
    const env = makeEnvironment({
      nfs: { server: 'nas-under-test.lan', path: '/pool/under-test', storageClass: 'nfs-under-test' },
    });
    const values = nfsSubdirExternalProvisioner.values(env);

    expect(at(values, ['nfs', 'server'])).toBe('nas-under-test.lan');
    expect(at(values, ['nfs', 'path'])).toBe('/pool/under-test');
    expect(at(values, ['storageClass', 'name'])).toBe('nfs-under-test');
    expect(at(values, ['storageClass', 'defaultClass'])).toBe(true);
    expect(at(values, ['storageClass', 'accessModes'])).toBe('ReadWriteMany');
  });

  it('puts Grafana data on the environment StorageClass', () => {
    const env = makeEnvironment({ nfs: { storageClass: 'nfs-under-test' } });

    expect(at(grafana.values(env), ['persistence', 'storageClassName'])).toBe('nfs-under-test');
  });

  it('renders as many MinIO pools as the environment asks for, each on the NFS StorageClass', () => {
    const env = makeEnvironment({
      nfs: { storageClass: 'nfs-under-test' },
      minio: { tenant: 'minio-under-test', pools: 3, servers: 4, volumesPerServer: 2, volumeSize: '123Gi' },
    });
    const values = minioTenant.values(env);

    expect(at(values, ['tenant', 'name'])).toBe('minio-under-test');
    expect(at(values, ['tenant', 'pools'])).toEqual(
      [0, 1, 2].map((index) => ({
        name: `pool-${index}`,
        servers: 4,
        volumesPerServer: 2,
        size: '123Gi',
        storageClassName: 'nfs-under-test',
      })),
    );
  });

  it('creates the Loki and Mimir buckets in the environment region', () => {
    const env = makeEnvironment({ minio: { region: 'region-under-test' } });
    const buckets = at(minioTenant.values(env), ['tenant', 'buckets']) as readonly { name: string; region: string }[];

    expect(buckets.map((bucket) => bucket.name)).toEqual(['loki-chunk', 'loki-ruler', 'loki-admin', 'mimir-blocks', 'mimir-alertmanager', 'mimir-ruler']);
    expect(new Set(buckets.map((bucket) => bucket.region))).toEqual(new Set(['region-under-test']));
  });

  it('serves the MinIO API and console on the environment hosts', () => {
    const env = makeEnvironment({ minio: { host: 's3.under.test', consoleHost: 'console.under.test' } });
    const values = minioTenant.values(env);

    expect(at(values, ['ingress', 'api', 'host'])).toBe('s3.under.test');
    expect(at(values, ['ingress', 'api', 'tls'])).toEqual([{ secretName: 's3.under.test-dns01', hosts: ['s3.under.test'] }]);
    expect(at(values, ['ingress', 'console', 'host'])).toBe('console.under.test');
    expect(at(values, ['ingress', 'console', 'ingressClassName'])).toBe('traefik');
    expect(at(values, ['tenant', 'configSecret'])).toEqual({ name: 'storage-configuration', existingSecret: true });
  });

  it('points Mimir and Loki at the MinIO host and region of the environment', () => {
    const env = makeEnvironment({ minio: { host: 's3.under.test', region: 'region-under-test' } });

    expect(at(mimir.values(env), ['mimir', 'structuredConfig', 'common', 'storage', 's3', 'endpoint'])).toBe('s3.under.test');
    expect(at(mimir.values(env), ['mimir', 'structuredConfig', 'common', 'storage', 's3', 'region'])).toBe('region-under-test');
    expect(at(loki.values(env), ['loki', 'storage', 's3', 'endpoint'])).toBe('s3.under.test');
    expect(at(loki.values(env), ['loki', 'storage', 's3', 'region'])).toBe('region-under-test');
  });

  it('gives Mimir and Loki their S3 keys from the minio-secrets Secret', () => {
    const env = makeEnvironment();

    for (const component of [mimir, loki]) {
      expect(at(component.values(env), ['global', 'extraEnvFrom'])).toEqual([{ secretRef: { name: 'minio-secrets' } }]);
      expect(manifestOfKind(component, env, 'OnePasswordItem').name).toBe('minio-secrets');
    }
    expect(at(loki.values(env), ['global', 'extraArgs'])).toEqual(['-config.expand-env=true']);
  });
});

describe('certificates and DNS', () => {
  it('takes the ClusterIssuer account e-mail and ACME directory from the environment', () => {
    const env = makeEnvironment({ acme: { email: 'pki@under.test', server: 'https://acme.under.test/directory' } });
    const issuer = manifestOfKind(certManager, env, 'ClusterIssuer') as ClusterIssuerManifest;

    expect(issuer).toEqual({
      kind: 'ClusterIssuer',
      name: 'letsencrypt',
      email: 'pki@under.test',
      server: 'https://acme.under.test/directory',
      privateKeySecretName: 'issuer-account-key',
      cloudflareApiToken: { secretName: 'cloudflare-api-token', key: 'apiToken' },
    });
  });

  it('syncs the Cloudflare token next to both of its consumers', () => {
    const env = makeEnvironment();

    expect(manifestOfKind(certManager, env, 'OnePasswordItem').name).toBe('cloudflare-api-token');
    expect(manifestOfKind(externalDns, env, 'OnePasswordItem').name).toBe('cloudflare-api-token');
    expect(at(externalDns.values(env), ['env', 0])).toEqual({
      name: 'CF_API_TOKEN',
      valueFrom: { secretKeyRef: { name: 'cloudflare-api-token', key: 'apiToken' } },
    });
  });

  it('lets external-dns manage the internal, public and extra domains', () => {
    const env = makeEnvironment({
      domains: { internal: 'lan.under.test', public: 'under.test', extra: ['also.test', 'more.test'] },
    });

    expect(at(externalDns.values(env), ['domainFilters'])).toEqual(['lan.under.test', 'under.test', 'also.test', 'more.test']);
  });

  it.each([
    [traefik, 'traefik', true],
    [traefikExternal, 'traefik-external', false],
  ] as const)('gives %s its own ingress class, dashboard host and certificate', (component, name, isDefault) => {
    const env = makeEnvironment();
    const host = `${name}.lan.example.test`;
    const values = component.values(env);
    const certificate = manifestOfKind(component, env, 'Certificate') as CertificateManifest;

    expect(at(values, ['ingressClass'])).toEqual({ enabled: true, isDefaultClass: isDefault, name });
    expect(at(values, ['providers', 'kubernetesCRD', 'ingressClass'])).toBe(name);
    expect(at(values, ['providers', 'kubernetesIngress', 'ingressClass'])).toBe(name);
    expect(at(values, ['service', 'annotations', 'external-dns.alpha.kubernetes.io/hostname'])).toBe(host);
    expect(at(values, ['ingressRoute', 'dashboard', 'matchRule'])).toBe(`Host(\`${host}\`) && (PathPrefix(\`/dashboard\`) || PathPrefix(\`/api\`))`);
    expect(at(values, ['ingressRoute', 'dashboard', 'entryPoints'])).toEqual(['web', 'websecure']);
    expect(at(values, ['ingressRoute', 'dashboard', 'tls'])).toEqual({ secretName: `${host}-dns01` });
    expect(certificate).toEqual({
      kind: 'Certificate',
      name: host,
      secretName: `${host}-dns01`,
      dnsNames: [host],
      clusterIssuer: 'letsencrypt',
    });
  });

  it('moves the Traefik dashboard and its certificate together when components.traefik.host is set', () => {
    const env = makeEnvironment({ components: { traefik: { host: 'edge.other.test' } } });
    const certificate = manifestOfKind(traefik, env, 'Certificate') as CertificateManifest;

    expect(at(traefik.values(env), ['ingressRoute', 'dashboard', 'tls', 'secretName'])).toBe('edge.other.test-dns01');
    expect(certificate.dnsNames).toEqual(['edge.other.test']);
    expect(certificate.secretName).toBe('edge.other.test-dns01');
  });
});

describe('secrets that must exist before a sync', () => {
  it('names the pre-existing Connect credentials and operator token Secrets instead of creating them', () => {
    const values = valuesOf(onePasswordConnect, makeEnvironment());

    expect(at(values, ['connect', 'credentialsName'])).toBe('op-credentials');
    expect(at(values, ['connect', 'credentialsKey'])).toBe('1password-credentials.json');
    expect(at(values, ['operator', 'token'])).toEqual({ name: 'onepassword-token', key: 'token' });
    expect(at(values, ['connect', 'credentials'])).toBeUndefined();
    expect(at(values, ['connect', 'credentials_base64'])).toBeUndefined();
    expect(at(values, ['operator', 'create'])).toBe(true);
  });

  it('takes the Grafana admin login from the grafana-admin Secret synced from 1Password', () => {
    const env = makeEnvironment();

    expect(at(grafana.values(env), ['admin'])).toEqual({
      existingSecret: 'grafana-admin',
      userKey: 'admin-user',
      passwordKey: 'admin-password',
    });
    expect(manifestsOf(grafana, env).filter((m) => m.kind === 'OnePasswordItem' && m.name === 'grafana-admin')).toHaveLength(1);
  });

  it('reads the tunnel credentials from the cf-ingress-controller-secrets Secret', () => {
    const env = makeEnvironment();

    expect(at(valuesOf(cloudflareTunnelIngressController, env), ['cloudflare', 'secretRef', 'name'])).toBe('cf-ingress-controller-secrets');
    expect(manifestOfKind(cloudflareTunnelIngressController, env, 'OnePasswordItem').name).toBe('cf-ingress-controller-secrets');
  });

  it('syncs both MinIO tenant Secrets from their 1Password items', () => {
    const items = manifestsOf(minioTenant, makeEnvironment()).map((manifest) => [manifest.name, (manifest as { itemPath: string }).itemPath]);

    expect(items).toEqual([
      ['storage-configuration', 'vaults/TestVault/items/minio_storage-configuration'],
      ['storage-user', 'vaults/TestVault/items/minio_storage-user'],
    ]);
  });
});

describe('alloy', () => {
  const config = (label: string): string => at(alloy.values(makeEnvironment({ clusterSettings: { label } })), ['alloy', 'configMap', 'content']) as string;

  it('labels metrics and logs with the environment cluster label', () => {
    const content = config('cluster-under-test');

    expect(content.match(/cluster = "cluster-under-test",/g)).toHaveLength(2);
  });

  it('quotes the cluster label so it stays one string in the configuration', () => {
    expect(config('a "quoted" label')).toContain('cluster = "a \\"quoted\\" label",');
  });

  it('scrapes pods every 30 seconds and writes to the Mimir gateway as tenant anonymous', () => {
    const content = config('x');

    expect(content).toMatch(/prometheus\.scrape "pods" \{[^}]*scrape_interval = "30s"/);
    expect(content).toMatch(
      /prometheus\.remote_write "mimir" \{[\s\S]*url\s+= "http:\/\/mimir-nginx\.mimir\/api\/v1\/push"[\s\S]*"X-Scope-OrgID" = "anonymous"/,
    );
  });

  it('tails pod logs and writes them to the Loki gateway as tenant fake', () => {
    const content = config('x');

    expect(content).toContain('loki.source.kubernetes "pods" {');
    expect(content).toMatch(/loki\.write "loki" \{[\s\S]*url\s+= "http:\/\/loki-gateway\.loki\/loki\/api\/v1\/push"[\s\S]*"X-Scope-OrgID" = "fake"/);
  });

  it('wires every component it references to one it defines', () => {
    const content = config('x');
    const defined = new Set([...content.matchAll(/^([a-z_.]+) "([a-z_]+)" \{/gm)].map((m) => `${m[1]}.${m[2]}`));
    const referenced = [...content.matchAll(/((?:discovery|prometheus|loki)\.[a-z_.]+)\.(?:targets|output|receiver)\b/g)].map((m) => m[1]);

    expect(referenced.length).toBeGreaterThan(0);
    for (const reference of referenced) {
      expect(defined).toContain(reference);
    }
  });

  it('balances its braces', () => {
    const content = config('x');

    expect((content.match(/\{/g) ?? []).length).toBe((content.match(/\}/g) ?? []).length);
  });
});
