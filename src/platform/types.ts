import type { Environment, LabelSelector } from '../config/environment';
import type { Inventory } from '../inventory/inventory';

/**
 * Every component id of the catalog. A component id is the file name in
 * `src/platform/`, the Argo CD Application name and the `dist/` file name, so it
 * is a DNS-1123 label. `dependsOn` takes this union, so a typo fails to compile.
 */
export type ComponentId =
  | '1password-connect'
  | 'alloy'
  | 'cert-manager'
  | 'cilium'
  | 'cloudflare-tunnel-ingress-controller'
  | 'daypassed-bot'
  | 'external-dns'
  | 'flow-sight'
  | 'grafana'
  | 'loki'
  | 'mc-mirror-cronjob'
  | 'mimir'
  | 'minio-operator'
  | 'minio-tenant'
  | 'mk-stream'
  | 'navidrome'
  | 'nfs-subdir-external-provisioner'
  | 'note-tweet-connector'
  | 'spotify-nowplaying'
  | 'subscription-manager'
  | 'traefik'
  | 'traefik-external'
  | 'uptime-kuma';

/** A JSON value, as Helm values are. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Helm values for one release: a JSON object. */
export type HelmValues = { readonly [key: string]: JsonValue };

/**
 * A 1Password item a component reads: the 1Password operator syncs it into a
 * Secret of the OnePasswordItem's name, in the component's namespace. The keys
 * and the reader are documentation for people (the cut-over list and the
 * cluster README); they are not rendered.
 */
export interface OnePasswordItemUse {
  /** Name of the OnePasswordItem and of the Secret the operator creates. */
  readonly name: string;
  /** `vaults/<vault>/items/<item>`. */
  readonly itemPath: string;
  /** Fields of the item the component reads: they become the Secret's keys. */
  readonly keys: readonly string[];
  /** What reads them, e.g. `ClusterIssuer letsencrypt (DNS-01 through Cloudflare)`. */
  readonly usedBy: string;
}

/** A 1Password item synced into a Secret of the same name, as a supporting manifest of the component. */
export interface OnePasswordItemManifest extends OnePasswordItemUse {
  readonly kind: 'OnePasswordItem';
}

/** An ACME ClusterIssuer that solves DNS-01 challenges through Cloudflare. */
export interface ClusterIssuerManifest {
  readonly kind: 'ClusterIssuer';
  readonly name: string;
  /** ACME account e-mail. */
  readonly email: string;
  /** ACME directory URL. */
  readonly server: string;
  /** Secret that holds the ACME account key (created by cert-manager). */
  readonly privateKeySecretName: string;
  /** Secret and key holding the Cloudflare API token (from a OnePasswordItem). */
  readonly cloudflareApiToken: { readonly secretName: string; readonly key: string };
}

/** A cert-manager Certificate issued by a ClusterIssuer. */
export interface CertificateManifest {
  readonly kind: 'Certificate';
  readonly name: string;
  /** Secret the certificate is stored in. */
  readonly secretName: string;
  readonly dnsNames: readonly string[];
  /** Name of the ClusterIssuer. */
  readonly clusterIssuer: string;
}

/** A Cilium LoadBalancer IP pool. */
export interface LoadBalancerIpPoolManifest {
  readonly kind: 'CiliumLoadBalancerIPPool';
  readonly name: string;
  /** Either a first–last range or a CIDR. */
  readonly block: { readonly start: string; readonly stop: string } | { readonly cidr: string };
}

/** A Cilium L2 announcement policy: which nodes answer ARP for LoadBalancer addresses, on which interfaces. */
export interface L2AnnouncementPolicyManifest {
  readonly kind: 'CiliumL2AnnouncementPolicy';
  readonly name: string;
  /** Interface name patterns (regular expressions). */
  readonly interfaces: readonly string[];
  /** Nodes that may announce. */
  readonly nodeSelector: LabelSelector;
  /** Announce external IPs. */
  readonly externalIPs: boolean;
  /** Announce LoadBalancer IPs. */
  readonly loadBalancerIPs: boolean;
}

/** A ConfigMap of provisioning files a sidecar of the chart loads (Grafana's data sources and alerting). */
export interface ConfigMapManifest {
  readonly kind: 'ConfigMap';
  readonly name: string;
  /** Labels the sidecar selects it by. */
  readonly labels: Readonly<Record<string, string>>;
  /** File name → content. */
  readonly data: Readonly<Record<string, string>>;
}

/** Pods an ingress rule admits: those of a namespace, optionally only some of them. */
export interface NetworkPeer {
  /** Namespace of the pods. */
  readonly namespace: string;
  /**
   * Labels of the pods.
   * @default - every pod of the namespace
   */
  readonly pods?: Readonly<Record<string, string>>;
}

/** One allow of a NetworkPolicy: these peers, to these ports of the selected pods. */
export interface NetworkAllow {
  readonly from: readonly NetworkPeer[];
  /** Pod ports, by number or container port name. */
  readonly ports: readonly { readonly port: number | string; readonly protocol: string }[];
  /** Who this is for, e.g. `ingress controller traefik-external (Ingress navidrome)`: the reachability table's column. */
  readonly reason: string;
}

/** An ingress NetworkPolicy: the selected pods accept exactly the allows, nothing else. */
export interface NetworkPolicyManifest {
  readonly kind: 'NetworkPolicy';
  readonly name: string;
  /** The pods it fences; empty: every pod of the namespace. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** Empty: deny every ingress. */
  readonly allows: readonly NetworkAllow[];
}

/** One HTTP endpoint a smoke test asks. */
export interface SmokeTarget {
  /** The Service (in the inventory) and its port. */
  readonly service: string;
  readonly namespace: string;
  readonly port: number;
  /** Path asked, e.g. `/ready`. */
  readonly path: string;
  /**
   * `success`: the answer must be 2xx or 3xx (a health endpoint); `any-response`:
   * any HTTP answer will do (an app without a known health path: its server runs).
   */
  readonly expect: 'success' | 'any-response';
}

/** A PostSync smoke test: a Job that asks every target and fails when one does not answer 2xx/3xx. */
export interface SmokeTestManifest {
  readonly kind: 'SmokeTest';
  readonly name: string;
  readonly targets: readonly SmokeTarget[];
}

/**
 * A custom resource that rides along with a component's chart. Plain data: the
 * constructs in `src/constructs/` turn it into a typed object.
 */
export type SupportingManifest =
  | OnePasswordItemManifest
  | ClusterIssuerManifest
  | CertificateManifest
  | LoadBalancerIpPoolManifest
  | L2AnnouncementPolicyManifest
  | ConfigMapManifest
  | NetworkPolicyManifest
  | SmokeTestManifest;

/**
 * A field another controller rewrites in the cluster, which Argo CD must not
 * report as drift nor overwrite on sync.
 */
export interface IgnoreDifference {
  /** API group of the object (`''` for the core group). */
  readonly group: string;
  readonly kind: string;
  /**
   * Object name.
   * @default - every object of the kind in the Application
   */
  readonly name?: string;
  /**
   * Fields as JSON Pointers (RFC 6901).
   * @default - none
   */
  readonly jsonPointers?: readonly string[];
  /**
   * Fields as jq path expressions (for lists, e.g. every webhook).
   * @default - none
   */
  readonly jqPathExpressions?: readonly string[];
  /** Which controller writes the field and why (documentation; not rendered). */
  readonly reason: string;
}

/** A cluster-scoped kind (and, optionally, one object of it) an AppProject allows. */
export interface ClusterResource {
  /** API group (`''` for the core group). */
  readonly group: string;
  readonly kind: string;
  /**
   * Only the object of this name.
   * @default - every object of the kind
   */
  readonly name?: string;
}

/** Something a component needs from the environment, to be checked before rendering. */
export interface Requirement {
  /** True when the environment provides what the component needs. */
  readonly satisfied: (env: Environment) => boolean;
  /** What is missing, e.g. `misskey.host is required by daypassed-bot`. */
  readonly message: string;
}

/**
 * One component of the platform: one Helm release, one Argo CD Application.
 *
 * Everything that differs between clusters comes in through `env`; everything
 * else is a constant of the catalog. Policy that applies to every component
 * (sync options, retry, finalizers) is not here: it lives in the
 * `ArgoApplication` construct.
 */
export interface ComponentSpec {
  /** Component id: the file name, the Application name and the dist file name. */
  readonly id: ComponentId;
  /** One sentence on what the component is for (shown in overviews). */
  readonly description: string;
  /** Helm chart repository URL (HTTP repository; OCI registries without the `oci://` scheme). */
  readonly repoUrl: string;
  /** Chart name inside the repository. */
  readonly chart: string;
  /** Exact chart version, as the repository spells it (some use a leading `v`). */
  readonly version: string;
  /** Namespace the release is installed into (the Helmfile-era namespace). */
  readonly namespace: string;
  /** Helm release name (the Helmfile-era name, so adopting a running cluster recreates nothing). */
  readonly releaseName: string;
  /**
   * Deploy layer (= sync-wave), 1 for the CNI up to 9 for the team's own apps.
   * @default - 1 + the highest layer of the dependencies (1 without dependencies)
   */
  readonly layer?: number;
  /** Components that must be running before this one; may depend on the environment. */
  readonly dependsOn: readonly ComponentId[] | ((env: Environment) => readonly ComponentId[]);
  /**
   * Whether the component is deployed when the environment file does not say.
   * @default true
   */
  readonly enabledByDefault?: boolean | ((env: Environment) => boolean);
  /** Helm values as a function of the environment. */
  readonly values: (env: Environment) => HelmValues;
  /**
   * Custom resources that ride along with the chart (rendered into `dist/<cluster>/<id>/`).
   * Manifests derived from what the charts render (data sources, NetworkPolicies,
   * smoke tests) read `inventory`; it is undefined while `npm run render` renders
   * the charts (Helm values never depend on it), and they are left out then.
   * @default - none
   */
  readonly manifests?: (env: Environment, inventory?: Inventory) => readonly SupportingManifest[];
  /**
   * 1Password items the chart itself turns into OnePasswordItems (the team's
   * charts do, from their `onePassword` values), for the list of items a
   * cluster needs. Items among `manifests` are listed from there.
   * @default - none
   */
  readonly chartOnePasswordItems?: (env: Environment) => readonly OnePasswordItemUse[];
  /**
   * Why the chart must be applied server-side (e.g. a CRD larger than the 256 KiB
   * `last-applied-configuration` annotation). Present means `ServerSideApply=true`.
   * @default - client-side apply
   */
  readonly serverSideApply?: string;
  /**
   * Why the component must never be cascade-deleted. Present means the Application
   * carries no resources finalizer, so deleting it leaves the workload running.
   * @default - ordinary component: deleting the Application deletes what it installed
   */
  readonly protected?: string;
  /**
   * Do not install the chart's CRDs (another Application owns them).
   * @default false
   */
  readonly skipCrds?: boolean;
  /**
   * Fields other controllers rewrite (webhook CA bundles, generated certificates).
   * Present means `ignoreDifferences` plus `RespectIgnoreDifferences=true`.
   * @default - none
   */
  readonly ignoreDifferences?: readonly IgnoreDifference[];
  /**
   * Namespaces other than its own (`namespace`) that the chart puts objects in,
   * each with the reason. The AppProject admits a chart's object only in its own
   * namespace or one declared here, so a chart that starts writing into another
   * component's namespace fails `npm run render` instead of syncing silently.
   * (Cluster-scoped kinds need no declaration: the AppProject allows exactly those
   * the rendered charts contain, see `inventory/`.)
   * @default - none
   */
  readonly namespaces?: Readonly<Record<string, string>>;
  /**
   * Custom resource kinds (`<group>/<Kind>`) whose CRDs the component's operator
   * creates at run time instead of shipping them in the chart (Cilium's). Their
   * schemas must be vendored in `crds/`. Objects of these kinds in the same
   * Application need `SkipDryRunOnMissingResource` and a later in-app wave.
   * @default - none
   */
  readonly runtimeCrds?: readonly string[];
  /**
   * Settings the component needs from the environment.
   * @default - none
   */
  readonly requires?: readonly Requirement[];
}
