import { onePasswordBlock, teamAppManifests } from './_apps';
import { onePasswordItemUse } from './_shared';
import type { ComponentSpec } from './types';

/**
 * mc-mirror-cronjob: an hourly CronJob (chart default schedule) that runs
 * `mc mirror` from the Misskey instance's object storage into the in-cluster
 * MinIO tenant, as a backup.
 *
 * - The mc configuration (`config.json` with the aliases and their keys) comes
 *   from 1Password item `mc-config-secret` through a OnePasswordItem the chart
 *   renders, so the component depends on `1password-connect` as well as on
 *   `minio-tenant`.
 * - The destination alias is the tenant name (`<minio.tenant>/polestar`, upstream
 *   `minio-kkg/polestar`), so the mc config in 1Password must define an alias of
 *   that name. The source `cf/misskey/polestar` (alias `cf`, an R2 bucket) is the
 *   app's own configuration.
 */
export const mcMirrorCronjob = {
  id: 'mc-mirror-cronjob',
  description: 'Hourly CronJob that mirrors the Misskey object storage into the in-cluster MinIO tenant with mc mirror.',
  repoUrl: 'https://soli0222.github.io/helm-charts',
  chart: 'mc-mirror-cronjob',
  version: '0.2.0',
  namespace: 'mc-mirror-cronjob',
  releaseName: 'mc-mirror-cronjob',
  layer: 9,
  enabledByDefault: false,
  dependsOn: ['minio-tenant', '1password-connect'],
  chartOnePasswordItems: (env) => [
    onePasswordItemUse(env, 'mc-mirror-cronjob-secret', {
      item: 'mc-config-secret',
      keys: ['config.json'],
      usedBy: "mc's configuration with the aliases of both object stores",
    }),
  ],
  values: (env) => ({
    onePassword: onePasswordBlock(env, 'mc-config-secret'),
    cronjob: {
      mcMirror: {
        source: 'cf/misskey/polestar',
        destination: `${env.minio.tenant}/polestar`,
      },
    },
  }),
  manifests: (env, inventory) => teamAppManifests(env, inventory, 'mc-mirror-cronjob'),
} satisfies ComponentSpec;
