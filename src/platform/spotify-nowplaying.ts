import { onePasswordBlock, publicAppIngress, teamAppManifests } from './_apps';
import { hostOf, misskeyHost, onePasswordItemUse, publicIngressComponent, requiresMisskey } from './_shared';
import type { ComponentSpec } from './types';

/**
 * spotify-nowplaying: posts the Spotify track being played to Misskey or X,
 * published on the public ingress as `spn.<domains.public>` (the PKE cluster
 * overrides it to `spn.soli0222.com` with `components.spotify-nowplaying.host`).
 *
 * - The OAuth callbacks `SPOTIFY_REDIRECT_URI_NOTE` and `…_TWEET` are
 *   `https://<host>/{note,tweet}/callback` on that same host, so overriding the
 *   host moves them too.
 * - Needs `misskey.host` (`SERVER_URI`, listed in `requires`).
 * - Depends on the environment's public ingress controller, and on
 *   `1password-connect` because the chart renders a OnePasswordItem for item
 *   `spotify-nowplaying-secret`.
 */
export const spotifyNowplaying = {
  id: 'spotify-nowplaying',
  description: 'Posts the Spotify track being played to Misskey or X, with OAuth callbacks on its public host.',
  repoUrl: 'https://soli0222.github.io/helm-charts',
  chart: 'spotify-nowplaying',
  version: '1.0.0',
  namespace: 'spotify-nowplaying',
  releaseName: 'spotify-nowplaying',
  layer: 9,
  enabledByDefault: false,
  dependsOn: (env) => [publicIngressComponent(env), '1password-connect'],
  requires: [requiresMisskey('spotify-nowplaying')],
  chartOnePasswordItems: (env) => [
    onePasswordItemUse(env, 'spotify-nowplaying-secret', { keys: ['SPOTIFY_CLIENT_ID', 'SPOTIFY_CLIENT_SECRET'], usedBy: 'the Spotify API client' }),
  ],
  values: (env) => {
    const host = hostOf(env, 'spotify-nowplaying', 'spn', env.domains.public);
    return {
      ingress: publicAppIngress(env, host),
      onePassword: onePasswordBlock(env, 'spotify-nowplaying-secret'),
      env: [
        { name: 'PORT', value: '8080' },
        { name: 'SERVER_URI', value: misskeyHost(env) },
        { name: 'SPOTIFY_REDIRECT_URI_NOTE', value: `https://${host}/note/callback` },
        { name: 'SPOTIFY_REDIRECT_URI_TWEET', value: `https://${host}/tweet/callback` },
      ],
    };
  },
  manifests: (env, inventory) => teamAppManifests(env, inventory, 'spotify-nowplaying'),
} satisfies ComponentSpec;
