import {
  hostOf,
  INTERNAL_INGRESS_CLASS,
  internalIngressAnnotations,
  internalIngressTls,
  MINIO_S3_KEYS,
  onePasswordItem,
  publicIngressAnnotations,
  publicIngressClass,
  publicIngressComponent,
  publicIngressTls,
} from './_shared';
import { lokiSmokeTest } from './_smoke';
import type { ComponentSpec } from './types';

/**
 * Grafana Loki in simple scalable mode (three `backend`, `read` and `write`
 * replicas each): log storage in the MinIO tenant's buckets `loki-chunk`,
 * `loki-ruler` and `loki-admin`, TSDB index, schema v13 from 2024-04-01,
 * 28 days of retention. Alloy pushes to the `loki-gateway` Service of
 * release `loki`.
 *
 * - S3 credentials reach every component as `S3_ACCESS_KEY_ID` and
 *   `S3_SECRET_ACCESS_KEY` from Secret `minio-secrets` (synced from
 *   1Password); `-config.expand-env=true` makes Loki expand the `${S3_…}`
 *   placeholders in the values, which are not secrets.
 * - Two Ingresses: the chart's own on `loki.<domains.internal>` (internal
 *   Traefik; overridable with `components.loki.host`), and the gateway's on
 *   `loki.<domains.public>` behind the public ingress controller.
 * - Layer 7 is declared to keep the Helmfile-era order after Grafana.
 */
export const loki = {
  id: 'loki',
  description: 'Grafana Loki: log storage on MinIO.',
  repoUrl: 'https://grafana.github.io/helm-charts',
  chart: 'loki',
  version: '6.37.0',
  namespace: 'loki',
  releaseName: 'loki',
  layer: 7,
  dependsOn: (env) => ['minio-tenant', publicIngressComponent(env)],
  serverSideApply:
    "The platform's own Argo CD era had to add ServerSideApply=true to the loki Application (Soli0222/pke " + 'commit ddab21f, 2025-11-15) for it to sync.',
  values: (env) => {
    const internalHost = hostOf(env, 'loki', 'loki', env.domains.internal);
    const publicHost = `loki.${env.domains.public}`;
    return {
      global: {
        extraArgs: ['-config.expand-env=true'],
        extraEnvFrom: [{ secretRef: { name: 'minio-secrets' } }],
      },
      deploymentMode: 'SimpleScalable',
      loki: {
        schemaConfig: {
          configs: [
            {
              from: '2024-04-01',
              store: 'tsdb',
              object_store: 's3',
              schema: 'v13',
              index: { prefix: 'loki_index_', period: '24h' },
            },
          ],
        },
        storage: {
          type: 's3',
          bucketNames: { chunks: 'loki-chunk', ruler: 'loki-ruler', admin: 'loki-admin' },
          s3: {
            endpoint: env.minio.host,
            region: env.minio.region,
            accessKeyId: '${S3_ACCESS_KEY_ID}',
            secretAccessKey: '${S3_SECRET_ACCESS_KEY}',
            s3ForcePathStyle: true,
            insecure: false,
          },
        },
        limits_config: {
          retention_period: '672h',
          query_timeout: '120s',
          max_query_series: 10000,
          max_query_parallelism: 32,
          ingestion_rate_mb: 20,
          ingestion_burst_size_mb: 40,
        },
      },
      backend: { replicas: 3 },
      read: { replicas: 3 },
      write: { replicas: 3 },
      minio: { enabled: false },
      ingress: {
        enabled: true,
        ingressClassName: INTERNAL_INGRESS_CLASS,
        annotations: internalIngressAnnotations(),
        hosts: [internalHost],
        tls: internalIngressTls(internalHost),
      },
      gateway: {
        ingress: {
          enabled: true,
          ingressClassName: publicIngressClass(env),
          annotations: publicIngressAnnotations(env),
          hosts: [{ host: publicHost, paths: [{ path: '/', pathType: 'Prefix' }] }],
          tls: publicIngressTls(env, publicHost),
        },
      },
    };
  },
  manifests: (env, inventory) => [
    onePasswordItem(env, MINIO_S3_KEYS.name, { keys: MINIO_S3_KEYS.keys, usedBy: 'Loki (S3 access to the MinIO tenant)' }),
    ...lokiSmokeTest(inventory),
  ],
} satisfies ComponentSpec;
