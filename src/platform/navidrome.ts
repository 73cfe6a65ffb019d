import { publicAppIngress, teamAppManifests } from './_apps';
import { hostOf, publicIngressComponent } from './_shared';
import type { ComponentSpec } from './types';

/**
 * Export on the NAS that holds the music library. It is a fact about the PKE
 * NAS, not something the environment file can describe today (its `nfs`
 * section is the provisioner's export), so it is a constant of this component.
 */
const MUSIC_EXPORT_PATH = '/volume1/music';

/**
 * Navidrome: a music streaming server, published on the public ingress as
 * `navidrome.<domains.public>` (overridable with `components.navidrome.host`).
 *
 * - `persistence.data` (10Gi, RWO) is a PVC on the environment's NFS
 *   StorageClass, so it depends on `nfs-subdir-external-provisioner`.
 * - `persistence.music` (500Gi, ROX) is an inline NFS volume on `nfs.server`
 *   at {@link MUSIC_EXPORT_PATH} (`/volume1/music`, the PKE NAS layout), with
 *   `nfsvers=4.1`. An environment whose NAS keeps the music elsewhere needs a
 *   new environment setting; until then it must not enable navidrome.
 * - Depends on the environment's public ingress controller. No 1Password item.
 */
export const navidrome = {
  id: 'navidrome',
  description: 'Navidrome music streaming server, reading the music library from the NAS.',
  repoUrl: 'https://soli0222.github.io/helm-charts',
  chart: 'navidrome',
  version: '1.0.0',
  namespace: 'navidrome',
  releaseName: 'navidrome',
  layer: 9,
  enabledByDefault: false,
  dependsOn: (env) => ['nfs-subdir-external-provisioner', publicIngressComponent(env)],
  values: (env) => ({
    persistence: {
      data: {
        enabled: true,
        storageClass: env.nfs.storageClass,
        size: '10Gi',
        accessModes: ['ReadWriteOnce'],
      },
      music: {
        enabled: true,
        size: '500Gi',
        accessModes: ['ReadOnlyMany'],
        nfs: {
          server: env.nfs.server,
          path: MUSIC_EXPORT_PATH,
          mountOptions: ['nfsvers=4.1'],
        },
      },
    },
    ingress: publicAppIngress(env, hostOf(env, 'navidrome', 'navidrome', env.domains.public)),
  }),
  manifests: (env, inventory) => teamAppManifests(env, inventory, 'navidrome'),
} satisfies ComponentSpec;
