/**
 * The shape of an environment file (`environments/<cluster>.yaml`) and of the
 * resolved environment the rest of the generator works with.
 *
 * `EnvironmentFile` is what a person writes: optional keys may be left out and
 * get their defaults in the loader. `Environment` is the same data with every
 * default applied, plus the cluster name (the file stem) and the file path, so
 * that later stages can name the file in their errors.
 *
 * The JSON Schema in `schema.ts` is typed as `JSONSchemaType<EnvironmentFile>`,
 * so this interface and the schema cannot drift apart.
 */

/** Where Argo CD finds the rendered output of this repository. */
export interface GitSettings {
  /** URL of this repository as Argo CD clones it, e.g. `https://github.com/org/platform.git`. */
  repoUrl: string;
  /**
   * Branch, tag or commit Argo CD tracks.
   * @default "main"
   */
  revision?: string;
  /**
   * Folder inside the repository that holds the rendered output (the parent of `<cluster>/`).
   * @default "dist"
   */
  path?: string;
}

/** Where the Applications live and which project they belong to. */
export interface ArgoCdSettings {
  /**
   * Namespace Argo CD runs in; every Application object is created there.
   * @default "argocd"
   */
  namespace?: string;
  /**
   * AppProject of the child Applications; the generator renders it (least
   * privilege: only the repositories, namespaces and cluster-scoped kinds in
   * use) and a second one, `<project>-root`, for the root Application.
   * @default "platform"
   */
  project?: string;
  /**
   * API server URL of the destination cluster, as registered in Argo CD.
   * @default "https://kubernetes.default.svc"
   */
  destinationServer?: string;
}

/** The Kubernetes API endpoint that Cilium's kube-proxy replacement talks to. */
export interface ApiServerSettings {
  /** IPv4 address (usually a VIP) of the Kubernetes API server. */
  host: string;
  /**
   * Port of the Kubernetes API server.
   * @default 6443
   */
  port?: number;
}

/** Facts about the cluster itself. */
export interface ClusterSettings {
  /** Short label that telemetry (Alloy) attaches to every metric and log line. */
  label: string;
  /** The Kubernetes API server address, needed by Cilium without kube-proxy. */
  apiServer: ApiServerSettings;
  /** IPv4 CIDR Cilium hands out pod addresses from (cluster-pool IPAM, native routing). */
  podCidr: string;
  /**
   * Kubernetes version of the cluster (`1.33`): the charts are rendered for it
   * (`helm template --kube-version`, as Argo CD passes the cluster's version) and
   * their built-in objects are validated against its API.
   * @default "1.33"
   */
  kubernetesVersion?: string;
  /**
   * API versions the cluster serves beyond the built-in ones and those whose CRDs
   * the platform's charts install (`monitoring.coreos.com/v1`, or with a kind,
   * `monitoring.coreos.com/v1/ServiceMonitor`): passed to `helm template
   * --api-versions`, as Argo CD passes what the cluster serves.
   * @default []
   */
  apiVersions?: string[];
  /**
   * The cluster runs production: the plan's pull-request comment keeps its
   * diffs first when it has to shorten (other clusters' diffs are left out,
   * named, before any of its own).
   * @default false
   */
  production?: boolean;
}

/** DNS domains served by the cluster. */
export interface DomainSettings {
  /** Domain for LAN-side services, served by the internal Traefik. */
  internal: string;
  /** Domain for public services, served by the external ingress. */
  public: string;
  /**
   * Further public domains that external-dns may manage records in.
   * @default []
   */
  extra?: string[];
}

/** One requirement of a label selector. */
export interface LabelSelectorRequirement {
  /** Label key, e.g. `node-role.kubernetes.io/control-plane`. */
  key: string;
  /** How the label is matched. */
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /**
   * Label values: at least one for `In` and `NotIn`, none for `Exists` and `DoesNotExist`.
   * @default - none
   */
  values?: string[];
}

/** A Kubernetes label selector; every part must match. An empty selector selects everything. */
export interface LabelSelector {
  /**
   * Labels with exactly these values.
   * @default - none
   */
  matchLabels?: Record<string, string>;
  /**
   * Requirements on labels.
   * @default - none
   */
  matchExpressions?: LabelSelectorRequirement[];
}

/** How Cilium announces LoadBalancer addresses on the LAN (ARP), as the policy `default-l2-policy`. */
export interface L2AnnouncementSettings {
  /**
   * Network interfaces to announce on, as regular expressions (Go syntax).
   * @default ["^eth[0-9]+"]
   */
  interfaces?: string[];
  /**
   * Nodes that may announce.
   * @default - nodes without the label node-role.kubernetes.io/control-plane
   */
  nodeSelector?: LabelSelector;
}

/** Addresses Cilium may assign to Services of type LoadBalancer. */
export interface LoadBalancerSettings {
  /** `A.B.C.D-E.F.G.H` (first and last address, inclusive) or an IPv4 CIDR. */
  ipRange: string;
  /**
   * How the addresses are announced.
   * @default - every default of L2AnnouncementSettings
   */
  l2?: L2AnnouncementSettings;
}

/** Let's Encrypt (or any ACME) account used by the ClusterIssuer. */
export interface AcmeSettings {
  /** Contact e-mail of the ACME account. */
  email: string;
  /**
   * ACME directory URL.
   * @default "https://acme-v02.api.letsencrypt.org/directory"
   */
  server?: string;
}

/** NFS export used by nfs-subdir-external-provisioner. */
export interface NfsSettings {
  /** IPv4 address or DNS name of the NFS server. */
  server: string;
  /** Absolute path of the export on the server. */
  path: string;
  /** Name of the StorageClass the provisioner creates (the cluster's default class). */
  storageClass: string;
}

/** The MinIO tenant that backs Loki and Mimir. */
export interface MinioSettings {
  /** Tenant name (also the prefix of its Services). */
  tenant: string;
  /** S3 region name the buckets are created in. */
  region: string;
  /**
   * Number of server pools.
   * @default 1
   */
  pools?: number;
  /** MinIO servers per pool. */
  servers: number;
  /** Volumes per server. */
  volumesPerServer: number;
  /** Size of each volume, as a Kubernetes quantity (e.g. `250Gi`). */
  volumeSize: string;
  /**
   * Host name of the S3 API.
   * @default "minio.<domains.internal>"
   */
  host?: string;
  /**
   * Host name of the MinIO console.
   * @default "minio-console.<domains.internal>"
   */
  consoleHost?: string;
}

/** The controller that publishes public hosts. */
export type ExternalIngressController = 'traefik-external' | 'cloudflare-tunnel';

/** How public services are exposed. */
export interface ExternalIngressSettings {
  /** `traefik-external` (a second Traefik behind a public front) or `cloudflare-tunnel`. */
  controller: ExternalIngressController;
  /**
   * DNS name or IPv4 address public records point at (the external-dns target annotation).
   * Only meaningful for `traefik-external`.
   * @default - no target annotation; records point at the LoadBalancer address
   */
  target?: string;
}

/** 1Password, the only source of secrets. */
export interface OnePasswordSettings {
  /** Vault that holds the items; item paths are `vaults/<vault>/items/<item>`. */
  vault: string;
  /**
   * Item holding 1Password Connect's own credentials, in fields `credentials`
   * (the 1password-credentials.json file) and `token` (an operator token). Read
   * only by the bootstrap commands `npm run bootstrap-secrets` prints.
   * @default "<cluster> 1password-credentials"
   */
  connectItem?: string;
  /**
   * Vault of `connectItem`.
   * @default - `vault`
   */
  connectVault?: string;
}

/** The Misskey instance the team's own bots talk to. */
export interface MisskeySettings {
  /** Host name of the Misskey server, e.g. `mi.example.com`. */
  host: string;
}

/** Per-component switches of one environment. */
export interface ComponentOverride {
  /**
   * Turns the component on or off in this environment.
   * @default - the component's own default
   */
  enabled?: boolean;
  /**
   * Exact chart version to use instead of the catalog's.
   * @default - the catalog's version
   */
  version?: string;
  /**
   * Host name the component serves, instead of the one derived from the domains.
   * @default - derived from `domains`
   */
  host?: string;
}

/** An environment file as written. */
export interface EnvironmentFile {
  /**
   * The cluster name. Optional; when present it must equal the file stem.
   * @default - the file stem
   */
  name?: string;
  git: GitSettings;
  /** @default - all defaults of ArgoCdSettings */
  argocd?: ArgoCdSettings;
  cluster: ClusterSettings;
  domains: DomainSettings;
  loadBalancer: LoadBalancerSettings;
  acme: AcmeSettings;
  nfs: NfsSettings;
  minio: MinioSettings;
  externalIngress: ExternalIngressSettings;
  onePassword: OnePasswordSettings;
  /** @default - none; required by components that post to Misskey */
  misskey?: MisskeySettings;
  /**
   * IANA time zone for scheduled jobs.
   * @default "Etc/UTC"
   */
  timezone?: string;
  /**
   * Per-component switches, keyed by component id.
   * @default {}
   */
  components?: Record<string, ComponentOverride>;
}

/** An IPv4 range, first and last address inclusive. */
export interface Ipv4Range {
  readonly start: string;
  readonly stop: string;
}

/** An environment with every default applied. */
export interface Environment {
  /** The cluster name: the file stem, a DNS-1123 label. */
  readonly cluster: string;
  /** Path of the environment file, relative to the working directory, for messages. */
  readonly file: string;
  readonly git: Readonly<Required<GitSettings>>;
  readonly argocd: Readonly<Required<ArgoCdSettings>>;
  readonly clusterSettings: {
    readonly label: string;
    readonly apiServer: Readonly<Required<ApiServerSettings>>;
    readonly podCidr: string;
    readonly kubernetesVersion: string;
    readonly apiVersions: readonly string[];
    /** Marked `production: true` in its environment file. */
    readonly production?: boolean;
  };
  readonly domains: { readonly internal: string; readonly public: string; readonly extra: readonly string[] };
  /** The LoadBalancer range, either as a first–last range or as a CIDR. */
  readonly loadBalancer: { readonly range: Ipv4Range } | { readonly cidr: string };
  /** How the LoadBalancer addresses are announced (the environment's `loadBalancer.l2`). */
  readonly l2Announcement: {
    readonly interfaces: readonly string[];
    readonly nodeSelector: Readonly<LabelSelector>;
  };
  readonly acme: Readonly<Required<AcmeSettings>>;
  readonly nfs: Readonly<NfsSettings>;
  readonly minio: Readonly<Required<MinioSettings>>;
  readonly externalIngress: Readonly<ExternalIngressSettings>;
  readonly onePassword: Readonly<Required<OnePasswordSettings>>;
  readonly misskey: Readonly<MisskeySettings> | undefined;
  readonly timezone: string;
  readonly components: Readonly<Record<string, Readonly<ComponentOverride>>>;
  /**
   * Where entries are written in the file, by JSON Pointer: the key of each
   * entry of `components` (`/components/traefik`) and of its `host`
   * (`/components/traefik/host`). Later stages point their messages there.
   * @default - none (an environment built in code): messages name the file only
   */
  readonly positions?: Readonly<Record<string, SourcePosition>>;
}

/** A 1-based line and column in an environment file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}
