import { CLOUDFLARE_API_TOKEN, onePasswordItem } from './_shared';
import type { ComponentSpec } from './types';

/**
 * external-dns: publishes DNS records in Cloudflare for Services, Ingresses,
 * `DNSEndpoint` resources and Traefik IngressRoutes, in the environment's
 * internal, public and extra domains.
 *
 * - `policy: sync` deletes records whose source is gone; the TXT registry
 *   limits that to records external-dns created itself.
 * - The Cloudflare API token comes from Secret `cloudflare-api-token` (key
 *   `apiToken`), synced from 1Password into this namespace.
 * - `--traefik-disable-legacy` ignores the old `traefik.containo.us` API group,
 *   whose CRDs Traefik v3 no longer installs.
 */
export const externalDns = {
  id: 'external-dns',
  description: 'external-dns: Cloudflare records for Services, Ingresses and Traefik routes.',
  repoUrl: 'https://kubernetes-sigs.github.io/external-dns',
  chart: 'external-dns',
  version: '1.18.0',
  namespace: 'external-dns',
  releaseName: 'external-dns',
  dependsOn: ['1password-connect'],
  values: (env) => ({
    provider: { name: 'cloudflare' },
    env: [
      {
        name: 'CF_API_TOKEN',
        valueFrom: { secretKeyRef: { name: 'cloudflare-api-token', key: 'apiToken' } },
      },
    ],
    sources: ['service', 'ingress', 'crd', 'traefik-proxy'],
    domainFilters: [env.domains.internal, env.domains.public, ...env.domains.extra],
    managedRecordTypes: ['A', 'AAAA', 'CNAME', 'TXT'],
    policy: 'sync',
    extraArgs: ['--traefik-disable-legacy'],
  }),
  manifests: (env) => [onePasswordItem(env, CLOUDFLARE_API_TOKEN.name, { keys: [CLOUDFLARE_API_TOKEN.key], usedBy: 'external-dns (CF_API_TOKEN)' })],
} satisfies ComponentSpec;
