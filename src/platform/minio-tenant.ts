import { INTERNAL_INGRESS_CLASS, internalIngressAnnotations, internalIngressTls, onePasswordItem } from './_shared';
import type { ComponentSpec, HelmValues } from './types';

/**
 * The MinIO tenant that stores Loki's and Mimir's data on the NAS, with its S3
 * API on `minio.host` and its console on `minio.consoleHost` (internal Traefik,
 * cert-manager certificates).
 *
 * - Tenant name, region, pool count and pool shape come from the environment's
 *   `minio` section; every volume is a PVC on the NFS StorageClass. Pools are
 *   named `pool-0`, `pool-1`, … in order.
 * - The image is pinned to `quay.io/minio/minio:RELEASE.2025-07-23T15-54-02Z`,
 *   the release the PKE platform's own Helmfile values pinned for this chart.
 * - Root credentials (`config.env`) come from Secret `storage-configuration`
 *   and the application user from Secret `storage-user`, both synced from
 *   1Password (items `minio_storage-configuration` and `minio_storage-user`).
 * - The buckets Loki and Mimir expect are created by the operator.
 * - TLS ends at Traefik, so the operator does not request its own certificate.
 */
export const minioTenant = {
  id: 'minio-tenant',
  description: 'MinIO tenant: S3 object storage on the NAS for Loki and Mimir.',
  repoUrl: 'https://operator.min.io',
  chart: 'tenant',
  version: '7.1.1',
  namespace: 'minio-tenant',
  releaseName: 'minio-tenant',
  dependsOn: ['nfs-subdir-external-provisioner', 'traefik', 'minio-operator'],
  protected:
    "The tenant is the platform's object storage: every Loki and Mimir bucket. Deleting the Tenant stops MinIO and " +
    'orphans its volumes, so a rename in the catalog must never cascade into it.',
  values: (env) => ({
    tenant: {
      name: env.minio.tenant,
      image: {
        repository: 'quay.io/minio/minio',
        tag: 'RELEASE.2025-07-23T15-54-02Z',
        pullPolicy: 'IfNotPresent',
      },
      configSecret: { name: 'storage-configuration', existingSecret: true },
      pools: Array.from({ length: env.minio.pools }, (_, index) => ({
        name: `pool-${index}`,
        servers: env.minio.servers,
        volumesPerServer: env.minio.volumesPerServer,
        size: env.minio.volumeSize,
        storageClassName: env.nfs.storageClass,
      })),
      buckets: ['loki-chunk', 'loki-ruler', 'loki-admin', 'mimir-blocks', 'mimir-alertmanager', 'mimir-ruler'].map((name) => ({
        name,
        region: env.minio.region,
      })),
      metrics: { enabled: true, port: 9000, protocol: 'http' },
      certificate: { requestAutoCert: false },
      users: [{ name: 'storage-user' }],
    },
    ingress: {
      api: tenantIngress(env.minio.host),
      console: tenantIngress(env.minio.consoleHost),
    },
  }),
  manifests: (env) => [
    onePasswordItem(env, 'storage-configuration', {
      item: 'minio_storage-configuration',
      keys: ['config.env'],
      usedBy: "the tenant's root credentials (tenant.configSecret)",
    }),
    onePasswordItem(env, 'storage-user', {
      item: 'minio_storage-user',
      keys: ['CONSOLE_ACCESS_KEY', 'CONSOLE_SECRET_KEY'],
      usedBy: "the tenant's application user (tenant.users)",
    }),
  ],
} satisfies ComponentSpec;

/** One of the tenant chart's two Ingresses (`ingress.api`, `ingress.console`) on the internal Traefik. */
function tenantIngress(host: string): HelmValues {
  return {
    enabled: true,
    ingressClassName: INTERNAL_INGRESS_CLASS,
    annotations: internalIngressAnnotations(),
    host,
    path: '/',
    pathType: 'Prefix',
    tls: internalIngressTls(host),
  };
}
