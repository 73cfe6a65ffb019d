import { internalAppIngress, teamAppManifests } from './_apps';
import { hostOf, itemPath, onePasswordItemUse } from './_shared';
import type { ComponentSpec } from './types';

/**
 * Flow-Sight: a LAN-only web app (Next.js frontend, API backend and its own
 * PostgreSQL), served by the internal Traefik as `flow-sight.<domains.internal>`
 * (overridable with `components.flow-sight.host`).
 *
 * Commented out of the Helmfile; these values follow its surviving
 * `values/flow-sight.gotmpl`, whose release entry needed only `traefik`.
 * - `/api` and `/swagger` go to the backend, everything else to the frontend;
 *   `NEXT_PUBLIC_API_URL` is `https://<host>`.
 * - The database PVC (8Gi) is on the environment's NFS StorageClass, so it also
 *   depends on `nfs-subdir-external-provisioner`.
 * - This chart's block is `onePasswordItem` (not `onePassword`): it renders a
 *   OnePasswordItem `flow-sight-backend-secrets` (the chart's default item) with
 *   the database password, so it also depends on `1password-connect`.
 */
export const flowSight = {
  id: 'flow-sight',
  description: 'LAN-only Flow-Sight web app with its own PostgreSQL database.',
  repoUrl: 'https://soli0222.github.io/helm-charts',
  chart: 'flow-sight',
  version: '1.1.0',
  namespace: 'flow-sight',
  releaseName: 'flow-sight',
  layer: 9,
  enabledByDefault: false,
  dependsOn: ['traefik', 'nfs-subdir-external-provisioner', '1password-connect'],
  chartOnePasswordItems: (env) => [
    onePasswordItemUse(env, 'flow-sight-backend-secrets', { keys: ['DB_PASSWORD'], usedBy: 'the backend and its PostgreSQL database' }),
  ],
  values: (env) => {
    const host = hostOf(env, 'flow-sight', 'flow-sight', env.domains.internal);
    return {
      database: {
        persistence: { enabled: true, size: '8Gi', storageClass: env.nfs.storageClass },
        service: { port: 5432 },
      },
      onePasswordItem: {
        enabled: true,
        name: 'flow-sight-backend-secrets',
        itemPath: itemPath(env, 'flow-sight-backend-secrets'),
      },
      frontend: { environment: { NEXT_PUBLIC_API_URL: `https://${host}` } },
      ingress: internalAppIngress(host, [
        { path: '/api', pathType: 'Prefix', backend: { service: 'backend' } },
        { path: '/swagger', pathType: 'Prefix', backend: { service: 'backend' } },
        { path: '/', pathType: 'Prefix', backend: { service: 'frontend' } },
      ]),
    };
  },
  manifests: (env, inventory) => teamAppManifests(env, inventory, 'flow-sight'),
} satisfies ComponentSpec;
