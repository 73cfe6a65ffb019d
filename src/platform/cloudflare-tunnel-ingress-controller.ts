import { onePasswordItem } from './_shared';
import type { ComponentSpec } from './types';

/**
 * Cloudflare Tunnel Ingress Controller: serves Ingresses of class
 * `cloudflare-tunnel` through a Cloudflare Tunnel, so public hosts need no
 * inbound port. It runs `cloudflared` itself and creates the tunnel's DNS
 * records.
 *
 * - Only deployed by default when the environment's `externalIngress.controller`
 *   is `cloudflare-tunnel` (the alternative is `traefik-external`).
 * - Account id, tunnel name and API token come from Secret
 *   `cf-ingress-controller-secrets` (keys `account_id`, `tunnel_name`,
 *   `api_token`), synced from 1Password.
 * - `cloudflared` is pinned to 2025.8.0, one replica, protocol `auto`. Its
 *   ServiceMonitor stays off: the platform has no Prometheus Operator CRDs.
 */
export const cloudflareTunnelIngressController = {
  id: 'cloudflare-tunnel-ingress-controller',
  description: 'Cloudflare Tunnel Ingress Controller: publishes cloudflare-tunnel Ingresses without open ports.',
  repoUrl: 'https://helm.strrl.dev',
  chart: 'cloudflare-tunnel-ingress-controller',
  version: '0.0.18',
  namespace: 'cloudflare-tunnel-ingress-controller',
  releaseName: 'cloudflare-tunnel-ingress-controller',
  dependsOn: ['1password-connect'],
  enabledByDefault: (env) => env.externalIngress.controller === 'cloudflare-tunnel',
  values: () => ({
    cloudflare: {
      secretRef: {
        name: 'cf-ingress-controller-secrets',
        accountIDKey: 'account_id',
        tunnelNameKey: 'tunnel_name',
        apiTokenKey: 'api_token',
      },
    },
    cloudflared: {
      image: { repository: 'cloudflare/cloudflared', tag: '2025.8.0', pullPolicy: 'IfNotPresent' },
      replicaCount: 1,
      protocol: 'auto',
    },
    cloudflaredServiceMonitor: { create: false },
  }),
  manifests: (env) => [
    onePasswordItem(env, 'cf-ingress-controller-secrets', {
      keys: ['account_id', 'tunnel_name', 'api_token'],
      usedBy: 'the tunnel controller (Cloudflare account, tunnel and API token)',
    }),
  ],
} satisfies ComponentSpec;
