import { hostOf, INTERNAL_INGRESS_CLASS, internalIngressAnnotations, internalIngressTls, onePasswordItem, publicIngressComponent } from './_shared';
import { loki } from './loki';
import { mimir } from './mimir';
import { backendOf, grafanaWiring, grafanaWiringValues } from './_observability';
import { grafanaSmokeTest } from './_smoke';
import type { ComponentSpec } from './types';

/**
 * Grafana, on `grafana.<domains.internal>` (overridable with
 * `components.grafana.host`) behind the internal Traefik.
 *
 * - Dashboards and settings live on a 10Gi ReadWriteMany PVC of the NFS
 *   StorageClass.
 * - The admin login comes from Secret `grafana-admin` (keys `admin-user` and
 *   `admin-password`), synced from 1Password, as in the platform's Argo CD
 *   era; the chart generates no password of its own.
 * - Layer 6 is declared to keep the Helmfile-era order (after the layer-5
 *   MinIO tenant and Uptime Kuma), which its dependencies alone would not give.
 *   It also waits for the environment's public ingress controller, as the
 *   Helmfile-era `needs:` did.
 * - Wired to the platform (`_observability.ts`): Mimir and Loki data sources
 *   whose URLs come from the Services their charts render (inventory), the
 *   platform's alert rules, a webhook contact point whose URL comes from
 *   1Password item `grafana-alerting`, all loaded by the chart's sidecars.
 * - A PostSync smoke test asks `/api/health` (`_smoke.ts`).
 */
export const grafana = {
  id: 'grafana',
  description: 'Grafana: dashboards over Mimir metrics and Loki logs.',
  repoUrl: 'https://grafana.github.io/helm-charts',
  chart: 'grafana',
  version: '9.3.4',
  namespace: 'grafana',
  releaseName: 'grafana',
  layer: 6,
  dependsOn: (env) => ['nfs-subdir-external-provisioner', 'traefik', publicIngressComponent(env)],
  values: (env) => {
    const host = hostOf(env, 'grafana', 'grafana', env.domains.internal);
    return {
      persistence: {
        type: 'pvc',
        enabled: true,
        storageClassName: env.nfs.storageClass,
        accessModes: ['ReadWriteMany'],
        size: '10Gi',
      },
      ...grafanaWiringValues(),
      admin: { existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
      ingress: {
        enabled: true,
        ingressClassName: INTERNAL_INGRESS_CLASS,
        annotations: internalIngressAnnotations(),
        hosts: [host],
        tls: internalIngressTls(host),
      },
    };
  },
  manifests: (env, inventory) => [
    onePasswordItem(env, 'grafana-admin', { keys: ['admin-user', 'admin-password'], usedBy: "Grafana's admin login" }),
    ...grafanaWiring(env, inventory, {
      mimir: backendOf(mimir, env, ['mimir', 'structuredConfig', 'multitenancy_enabled']),
      loki: backendOf(loki, env, ['loki', 'auth_enabled']),
    }),
    ...grafanaSmokeTest(inventory),
  ],
} satisfies ComponentSpec;
