import { onePasswordBlock, teamAppManifests } from './_apps';
import { misskeyHost, onePasswordItemUse, requiresMisskey } from './_shared';
import type { ComponentSpec } from './types';

/**
 * mk-stream: the team's Misskey streaming client, connected to the
 * environment's Misskey server (`HOST`).
 *
 * - Needs `misskey.host` (listed in `requires`).
 * - Its `TOKEN` comes from 1Password item `mk-stream-secret` through a
 *   OnePasswordItem the chart renders, so it depends on `1password-connect`.
 * - No Ingress: it only makes outgoing connections.
 */
export const mkStream = {
  id: 'mk-stream',
  description: "Misskey streaming client, connected to the environment's Misskey server.",
  repoUrl: 'https://soli0222.github.io/helm-charts',
  chart: 'mk-stream',
  version: '1.0.0',
  namespace: 'mk-stream',
  releaseName: 'mk-stream',
  layer: 9,
  enabledByDefault: false,
  dependsOn: ['1password-connect'],
  requires: [requiresMisskey('mk-stream')],
  chartOnePasswordItems: (env) => [onePasswordItemUse(env, 'mk-stream-secret', { keys: ['TOKEN'], usedBy: "the stream's Misskey token" })],
  values: (env) => ({
    onePassword: onePasswordBlock(env, 'mk-stream-secret'),
    env: [{ name: 'HOST', value: misskeyHost(env) }],
  }),
  manifests: (env, inventory) => teamAppManifests(env, inventory, 'mk-stream'),
} satisfies ComponentSpec;
