import type { Environment } from '../config/environment';
import { SYNC_OPTIONS_ANNOTATION, SYNC_WAVE_ANNOTATION } from '../core/argocd-annotations';
import type { ComponentId, HelmValues, OnePasswordItemManifest, OnePasswordItemUse, Requirement } from './types';

/**
 * Annotations of a custom resource that a chart renders while its CRD comes from
 * another Application of the same wave (e.g. traefik-external's dashboard
 * IngressRoute, whose CRD the `traefik` Application installs): in-app wave 1, after
 * the chart's own objects are healthy, and no dry run while the CRD is missing.
 * Should the CRD still be missing when wave 1 is applied, that sync fails and the
 * Application's retry applies the object once the CRD exists. The same annotations
 * the supporting custom resources get from `src/constructs/_custom-resource.ts`;
 * written out here because the catalog does not import constructs (a test checks
 * that they agree).
 */
export const CRD_FROM_SAME_WAVE_ANNOTATIONS = {
  [SYNC_WAVE_ANNOTATION]: '1',
  [SYNC_OPTIONS_ANNOTATION]: 'SkipDryRunOnMissingResource=true',
} as const;

/** Name of the ACME ClusterIssuer every Ingress refers to. */
export const CLUSTER_ISSUER = 'letsencrypt';

/** Annotation cert-manager's ingress-shim reads to issue a certificate for an Ingress. */
const CLUSTER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';

/** Annotation external-dns reads for the record target of a public host. */
const EXTERNAL_DNS_TARGET_ANNOTATION = 'external-dns.alpha.kubernetes.io/target';

/** Ingress class of the internal (LAN) Traefik. */
export const INTERNAL_INGRESS_CLASS = 'traefik';

/** Name of the TLS Secret cert-manager creates for a host (the Helmfile-era convention). */
export function tlsSecretName(host: string): string {
  return `${host}-dns01`;
}

/** `vaults/<vault>/items/<item>` in this environment's 1Password vault. */
export function itemPath(env: Environment, item: string): string {
  return `vaults/${env.onePassword.vault}/items/${item}`;
}

/** What a component reads from one 1Password item (see {@link onePasswordItem}). */
export interface ItemUse {
  /** Item title in the vault. @default - the OnePasswordItem's name */
  readonly item?: string;
  /** Fields the component reads (the Secret's keys). */
  readonly keys: readonly string[];
  /** What reads them. */
  readonly usedBy: string;
}

/** A OnePasswordItem named `name` (the Secret it creates) reading `use.item` (or `name`) from the vault. */
export function onePasswordItem(env: Environment, name: string, use: ItemUse): OnePasswordItemManifest {
  return { kind: 'OnePasswordItem', ...onePasswordItemUse(env, name, use) };
}

/** The same as {@link onePasswordItem}, for an item the component's chart renders itself. */
export function onePasswordItemUse(env: Environment, name: string, use: ItemUse): OnePasswordItemUse {
  return { name, itemPath: itemPath(env, use.item ?? name), keys: use.keys, usedBy: use.usedBy };
}

/** The Cloudflare API token item, read by cert-manager's DNS-01 solver and by external-dns. */
export const CLOUDFLARE_API_TOKEN = { name: 'cloudflare-api-token', key: 'apiToken' } as const;

/** The item with MinIO's S3 keys for Loki and Mimir, which read it as environment variables. */
export const MINIO_S3_KEYS = { name: 'minio-secrets', keys: ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] } as const;

/**
 * The host a component serves: the environment's `components.<id>.host` when set,
 * otherwise `<subdomain>.<domain>`.
 */
export function hostOf(env: Environment, id: ComponentId, subdomain: string, domain: string): string {
  return env.components[id]?.host ?? `${subdomain}.${domain}`;
}

/** The component that publishes public hosts in this environment. */
export function publicIngressComponent(env: Environment): ComponentId {
  return env.externalIngress.controller === 'traefik-external' ? 'traefik-external' : 'cloudflare-tunnel-ingress-controller';
}

/** Ingress class name of the public ingress controller. */
export function publicIngressClass(env: Environment): string {
  return env.externalIngress.controller;
}

/** Annotations of an Ingress served by the internal Traefik. */
export function internalIngressAnnotations(): HelmValues {
  return { [CLUSTER_ISSUER_ANNOTATION]: CLUSTER_ISSUER };
}

/**
 * Annotations of a public Ingress. Behind Traefik External, cert-manager issues
 * the certificate and external-dns points the record at the public front; a
 * Cloudflare Tunnel terminates TLS itself and creates its own records.
 */
export function publicIngressAnnotations(env: Environment, extra: HelmValues = {}): HelmValues {
  if (env.externalIngress.controller === 'cloudflare-tunnel') {
    return { ...extra };
  }
  const target = env.externalIngress.target;
  return {
    [CLUSTER_ISSUER_ANNOTATION]: CLUSTER_ISSUER,
    ...(target === undefined ? {} : { [EXTERNAL_DNS_TARGET_ANNOTATION]: target }),
    ...extra,
  };
}

/**
 * The `tls` list of a public Ingress: a cert-manager Secret behind Traefik
 * External, nothing behind a Cloudflare Tunnel.
 */
export function publicIngressTls(env: Environment, host: string): JsonTls[] {
  return env.externalIngress.controller === 'cloudflare-tunnel' ? [] : [{ secretName: tlsSecretName(host), hosts: [host] }];
}

/**
 * The `tls` list of an Ingress on the internal Traefik: cert-manager's
 * ingress-shim stores the certificate for `host` in `<host>-dns01`.
 */
export function internalIngressTls(host: string): JsonTls[] {
  return [{ secretName: tlsSecretName(host), hosts: [host] }];
}

/** One entry of an Ingress `tls` list. */
export type JsonTls = { readonly secretName: string; readonly hosts: readonly string[] };

/** The component posts to Misskey, so the environment must name the server. */
export function requiresMisskey(id: ComponentId): Requirement {
  return {
    satisfied: (env) => env.misskey !== undefined,
    message: `misskey.host is required when ${id} is enabled`,
  };
}

/** The Misskey host; only call it from a component that lists `requiresMisskey`. */
export function misskeyHost(env: Environment): string {
  if (env.misskey === undefined) {
    throw new Error('misskeyHost() called without misskey settings; list requiresMisskey() in the component');
  }
  return env.misskey.host;
}

/**
 * The Secrets 1Password Connect reads its own credentials from. They are created
 * out of band at bootstrap (`npm run bootstrap-secrets`), never by the chart.
 */
export const CONNECT_SECRETS = {
  /** The Connect server's credentials file, base64-encoded once more (chart 2.0.x passes it on as OP_SESSION). */
  credentials: { name: 'op-credentials', key: '1password-credentials.json' },
  /** A Connect access token for the operator. */
  token: { name: 'onepassword-token', key: 'token' },
} as const;
