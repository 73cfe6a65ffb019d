/**
 * Helpers shared by the team's own charts (repository https://soli0222.github.io/helm-charts).
 *
 * Those charts agree on a few value layouts that third-party charts do not:
 * the Ingress block uses `className` and `hosts[].paths[]`, and a chart that
 * needs a secret renders its own OnePasswordItem from an `onePassword` block.
 * Internal module: only `src/platform/<team-app>.ts` imports it.
 */
import type { Environment } from '../config/environment';
import {
  INTERNAL_INGRESS_CLASS,
  internalIngressAnnotations,
  itemPath,
  publicIngressAnnotations,
  publicIngressClass,
  publicIngressTls,
  tlsSecretName,
} from './_shared';
import type { Inventory } from '../inventory/inventory';
import { fenceApp } from './_network';
import { appSmokeTest } from './_smoke';
import type { ComponentId, HelmValues, JsonValue, SupportingManifest } from './types';

/**
 * The `onePassword` block of a team chart: the chart renders a OnePasswordItem
 * that reads `item` from the environment's vault, so the component needs the
 * 1Password operator (`1password-connect`).
 */
export function onePasswordBlock(env: Environment, item: string): HelmValues {
  return { enabled: true, itemPath: itemPath(env, item) };
}

/**
 * The Ingress block of a team chart for a public host: class, annotations and
 * TLS follow the environment's external ingress controller (Traefik External
 * gets cert-manager and external-dns annotations plus a TLS Secret; a
 * Cloudflare Tunnel gets neither). One path `/`, `ImplementationSpecific`, as
 * in the Helmfile-era values.
 */
export function publicAppIngress(env: Environment, host: string): HelmValues {
  return {
    enabled: true,
    className: publicIngressClass(env),
    annotations: publicIngressAnnotations(env),
    hosts: [{ host, paths: [{ path: '/', pathType: 'ImplementationSpecific' }] }],
    tls: publicIngressTls(env, host),
  };
}

/**
 * The Ingress block of a team chart for a LAN host on the internal Traefik,
 * with a cert-manager certificate in `<host>-dns01`.
 *
 * @param host the LAN host name
 * @param paths the `paths` list of that host; one path `/` (`Prefix`) when left out
 */
export function internalAppIngress(host: string, paths: readonly JsonValue[] = [{ path: '/', pathType: 'Prefix' }]): HelmValues {
  return {
    enabled: true,
    className: INTERNAL_INGRESS_CLASS,
    annotations: internalIngressAnnotations(),
    hosts: [{ host, paths }],
    tls: [{ secretName: tlsSecretName(host), hosts: [host] }],
  };
}

/**
 * The supporting manifests every team app gets from what its chart renders:
 * the NetworkPolicies that fence its namespace (`_network.ts`) and, when it
 * serves HTTP, its PostSync smoke test (`_smoke.ts`). None while the charts
 * are rendered (no inventory yet).
 */
export function teamAppManifests(env: Environment, inventory: Inventory | undefined, id: ComponentId): SupportingManifest[] {
  return [...fenceApp(env, inventory, id), ...appSmokeTest(inventory, id)];
}
