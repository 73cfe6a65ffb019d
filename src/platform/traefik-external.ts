import { traefikCertificate, traefikValues } from './_traefik';
import type { ComponentSpec } from './types';

/**
 * Traefik External: a second Traefik for public hosts, ingress class
 * `traefik-external` (not the default class). Public records point at it
 * through the external-dns target annotation of each public Ingress. Its
 * dashboard is served on `traefik-external.<domains.internal>`.
 *
 * - Only deployed by default when the environment's `externalIngress.controller`
 *   is `traefik-external` (the alternative is a Cloudflare Tunnel).
 * - `skipCrds`: the `traefik` Application owns the Traefik CRDs of the same
 *   chart; two Applications applying the same CRDs would fight over them.
 * - Its dashboard IngressRoute needs those CRDs, which `traefik` installs in
 *   the same wave: it goes in in-app wave 1 with `SkipDryRunOnMissingResource`
 *   (chart value `ingressRoute.dashboard.annotations`). If `traefik` has not
 *   created the CRDs by the time this chart's own objects are healthy, the sync
 *   fails once and the retry applies the IngressRoute.
 */
export const traefikExternal = {
  id: 'traefik-external',
  description: 'Traefik External, the public ingress controller (class traefik-external).',
  repoUrl: 'https://traefik.github.io/charts',
  chart: 'traefik',
  version: '37.0.0',
  namespace: 'traefik-external',
  releaseName: 'traefik-external',
  dependsOn: ['cert-manager', 'external-dns'],
  enabledByDefault: (env) => env.externalIngress.controller === 'traefik-external',
  skipCrds: true,
  values: (env) => traefikValues(env, 'traefik-external', false, false),
  manifests: (env) => [traefikCertificate(env, 'traefik-external')],
} satisfies ComponentSpec;
