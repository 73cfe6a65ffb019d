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
import { mimirSmokeTest } from './_smoke';
import type { ComponentSpec } from './types';

/**
 * Grafana Mimir (chart `mimir-distributed`): long-term metrics storage in the
 * MinIO tenant's buckets `mimir-blocks`, `mimir-alertmanager` and
 * `mimir-ruler`. Alloy pushes to the `mimir-nginx` Service of release `mimir`.
 *
 * - S3 credentials reach every component as `S3_ACCESS_KEY_ID` and
 *   `S3_SECRET_ACCESS_KEY` from Secret `minio-secrets` (synced from
 *   1Password). The `${S3_…}` strings in the values are not secrets but
 *   placeholders that Mimir expands from those variables at start-up.
 * - Two Ingresses: the chart's own on `mimir.<domains.internal>` (internal
 *   Traefik; overridable with `components.mimir.host`), and the nginx
 *   gateway's on `mimir.<domains.public>` behind the public ingress
 *   controller (Cloudflare-proxied behind Traefik External, as in the
 *   platform's Argo CD era).
 * - Layer 7 is declared to keep the Helmfile-era order after Grafana.
 */
export const mimir = {
  id: 'mimir',
  description: 'Grafana Mimir: long-term metrics storage on MinIO.',
  repoUrl: 'https://grafana.github.io/helm-charts',
  chart: 'mimir-distributed',
  version: '5.8.0',
  namespace: 'mimir',
  releaseName: 'mimir',
  layer: 7,
  dependsOn: (env) => ['minio-tenant', publicIngressComponent(env)],
  // The rollout-operator subchart watches StatefulSets cluster-wide and may register admission webhooks.
  serverSideApply:
    "The platform's own Argo CD era had to add ServerSideApply=true to the mimir Application (Soli0222/pke " + 'commit ddab21f, 2025-11-15) for it to sync.',
  values: (env) => {
    const internalHost = hostOf(env, 'mimir', 'mimir', env.domains.internal);
    const publicHost = `mimir.${env.domains.public}`;
    return {
      global: { extraEnvFrom: [{ secretRef: { name: 'minio-secrets' } }] },
      minio: { enabled: false },
      mimir: {
        structuredConfig: {
          common: {
            storage: {
              backend: 's3',
              s3: {
                endpoint: env.minio.host,
                region: env.minio.region,
                access_key_id: '${S3_ACCESS_KEY_ID}',
                secret_access_key: '${S3_SECRET_ACCESS_KEY}',
              },
            },
          },
          blocks_storage: { s3: { bucket_name: 'mimir-blocks' } },
          alertmanager_storage: { s3: { bucket_name: 'mimir-alertmanager' } },
          ruler_storage: { s3: { bucket_name: 'mimir-ruler' } },
          limits: {
            max_global_series_per_user: 500000,
            max_global_metadata_per_user: 100000,
          },
        },
      },
      ingress: {
        enabled: true,
        className: INTERNAL_INGRESS_CLASS,
        ingressClassName: INTERNAL_INGRESS_CLASS,
        annotations: internalIngressAnnotations(),
        hosts: [internalHost],
        tls: internalIngressTls(internalHost),
      },
      nginx: {
        replicas: 1,
        resources: {
          requests: { cpu: 1, memory: '512Mi' },
          limits: { memory: '731Mi' },
        },
        ingress: {
          enabled: true,
          ingressClassName: publicIngressClass(env),
          annotations: publicIngressAnnotations(
            env,
            env.externalIngress.controller === 'traefik-external' ? { 'external-dns.alpha.kubernetes.io/cloudflare-proxied': 'true' } : {},
          ),
          hosts: [{ host: publicHost, paths: [{ path: '/', pathType: 'Prefix' }] }],
          tls: publicIngressTls(env, publicHost),
        },
      },
    };
  },
  manifests: (env, inventory) => [
    onePasswordItem(env, MINIO_S3_KEYS.name, { keys: MINIO_S3_KEYS.keys, usedBy: 'Mimir (S3 access to the MinIO tenant)' }),
    ...mimirSmokeTest(inventory),
  ],
} satisfies ComponentSpec;
