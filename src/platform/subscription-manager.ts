import { internalAppIngress, onePasswordBlock, teamAppManifests } from './_apps';
import { hostOf, onePasswordItemUse } from './_shared';
import type { ComponentSpec } from './types';

/**
 * subscription-manager: a LAN-only web app that keeps track of subscriptions,
 * served by the internal Traefik as `subscription-manager.<domains.internal>`
 * (overridable with `components.subscription-manager.host`) with a cert-manager
 * certificate.
 *
 * - Its secrets come from 1Password item `subscription-manager` through a
 *   OnePasswordItem the chart renders, so it depends on `1password-connect`.
 * - Upstream's `needs:` did not list `traefik`; the dependency list keeps to the
 *   Helmfile-era graph. Being in layer 9, it is created after Traefik anyway.
 */
export const subscriptionManager = {
  id: 'subscription-manager',
  description: 'LAN-only web app that keeps track of subscriptions.',
  repoUrl: 'https://soli0222.github.io/helm-charts',
  chart: 'subscription-manager',
  version: '1.1.0',
  namespace: 'subscription-manager',
  releaseName: 'subscription-manager',
  layer: 9,
  enabledByDefault: false,
  dependsOn: ['1password-connect'],
  chartOnePasswordItems: (env) => [
    onePasswordItemUse(env, 'subscription-manager-credentials', {
      item: 'subscription-manager',
      keys: ['postgres-user', 'postgres-password', 'postgres-db'],
      usedBy: 'the app and its PostgreSQL database',
    }),
  ],
  values: (env) => ({
    ingress: internalAppIngress(hostOf(env, 'subscription-manager', 'subscription-manager', env.domains.internal)),
    onePassword: onePasswordBlock(env, 'subscription-manager'),
  }),
  manifests: (env, inventory) => teamAppManifests(env, inventory, 'subscription-manager'),
} satisfies ComponentSpec;
