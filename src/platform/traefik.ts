import { traefikCertificate, traefikValues } from './_traefik';
import type { ComponentSpec } from './types';

/**
 * Traefik, the internal (LAN) ingress controller: ingress class `traefik`,
 * the cluster's default IngressClass. Its dashboard is served on
 * `traefik.<domains.internal>` with a certificate requested by a Certificate
 * manifest; external-dns publishes that host for the LoadBalancer Service.
 *
 * This Application owns the Traefik CRDs (`traefik-external` skips them) and
 * applies them server-side, see `serverSideApply`.
 */
export const traefik = {
  id: 'traefik',
  description: 'Traefik, the internal ingress controller (class traefik, cluster default).',
  repoUrl: 'https://traefik.github.io/charts',
  chart: 'traefik',
  version: '37.0.0',
  namespace: 'traefik',
  releaseName: 'traefik',
  dependsOn: ['cert-manager', 'external-dns'],
  serverSideApply:
    'The chart installs its CRDs from crds/: the Traefik CRDs and, until chart v40, the bundled Gateway API ' +
    'standard-channel CRDs, whose HTTPRoute definition is around 300 KB and has been reported upstream to ' +
    "exceed the 262,144-byte last-applied-configuration annotation. Traefik's own upgrade instructions apply " +
    'these CRDs with kubectl apply --server-side --force-conflicts.',
  values: (env) => traefikValues(env, 'traefik', true, true),
  manifests: (env) => [traefikCertificate(env, 'traefik')],
} satisfies ComponentSpec;
