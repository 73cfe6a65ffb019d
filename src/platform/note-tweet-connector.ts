import { onePasswordBlock, publicAppIngress, teamAppManifests } from './_apps';
import { hostOf, onePasswordItemUse, publicIngressComponent } from './_shared';
import type { ComponentSpec } from './types';

/**
 * note-tweet-connector: the team's web service that connects Misskey notes and
 * X (Twitter) posts, published on the public ingress as `ntc.<domains.public>`
 * (overridable with `components.note-tweet-connector.host`).
 *
 * - Depends on the environment's public ingress controller.
 * - Its credentials come from 1Password item `note-tweet-connector-secret`
 *   through a OnePasswordItem the chart renders, so it also depends on
 *   `1password-connect`.
 */
export const noteTweetConnector = {
  id: 'note-tweet-connector',
  description: 'Web service that connects Misskey notes and X (Twitter) posts.',
  repoUrl: 'https://soli0222.github.io/helm-charts',
  chart: 'note-tweet-connector',
  version: '0.3.0',
  namespace: 'note-tweet-connector',
  releaseName: 'note-tweet-connector',
  layer: 9,
  enabledByDefault: false,
  dependsOn: (env) => [publicIngressComponent(env), '1password-connect'],
  chartOnePasswordItems: (env) => [
    onePasswordItemUse(env, 'note-tweet-connector-secret', {
      keys: [
        'MISSKEY_HOOK_SECRET',
        'IFTTT_HOOK_SECRET',
        'MISSKEY_HOST',
        'MISSKEY_TOKEN',
        'API_KEY',
        'API_KEY_SECRET',
        'ACCESS_TOKEN',
        'ACCESS_TOKEN_SECRET',
        'IFTTT_EVENT',
        'IFTTT_KEY',
      ],
      usedBy: "the connector's Misskey, IFTTT and X credentials",
    }),
  ],
  values: (env) => ({
    ingress: publicAppIngress(env, hostOf(env, 'note-tweet-connector', 'ntc', env.domains.public)),
    onePassword: onePasswordBlock(env, 'note-tweet-connector-secret'),
  }),
  manifests: (env, inventory) => teamAppManifests(env, inventory, 'note-tweet-connector'),
} satisfies ComponentSpec;
