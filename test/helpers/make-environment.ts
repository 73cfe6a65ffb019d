import type { Environment } from '../../src/config/environment';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * A resolved environment for unit tests, with small, obviously fake values.
 * Pass only what a test cares about; nested objects are merged one level deep.
 */
export function makeEnvironment(overrides: DeepPartial<Environment> = {}): Environment {
  const base: Environment = {
    cluster: 'test',
    file: 'environments/test.yaml',
    git: { repoUrl: 'https://git.example.test/platform.git', revision: 'main', path: 'dist' },
    argocd: { namespace: 'argocd', project: 'platform', destinationServer: 'https://kubernetes.default.svc' },
    clusterSettings: { label: 'test', apiServer: { host: '10.0.0.10', port: 6443 }, podCidr: '10.244.0.0/16', kubernetesVersion: '1.33', apiVersions: [] },
    domains: { internal: 'lan.example.test', public: 'example.test', extra: [] },
    loadBalancer: { range: { start: '10.0.1.100', stop: '10.0.1.150' } },
    l2Announcement: {
      interfaces: ['^eth[0-9]+'],
      nodeSelector: { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] },
    },
    acme: { email: 'ops@example.test', server: 'https://acme-staging-v02.api.letsencrypt.org/directory' },
    nfs: { server: '10.0.0.20', path: '/export/k8s', storageClass: 'nfs-test' },
    minio: {
      tenant: 'minio-test',
      region: 'test-1',
      pools: 1,
      servers: 1,
      volumesPerServer: 2,
      volumeSize: '10Gi',
      host: 'minio.lan.example.test',
      consoleHost: 'minio-console.lan.example.test',
    },
    externalIngress: { controller: 'traefik-external', target: 'front.example.test' },
    onePassword: { vault: 'TestVault', connectItem: 'test 1password-credentials', connectVault: 'TestVault' },
    misskey: { host: 'mi.example.test' },
    timezone: 'Etc/UTC',
    components: {},
  };
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = (base as unknown as Record<string, unknown>)[key];
    merged[key] = isPlainObject(value) && isPlainObject(current) && key !== 'loadBalancer' && key !== 'components' ? { ...current, ...value } : value;
  }
  return merged as unknown as Environment;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
