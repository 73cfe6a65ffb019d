/**
 * The JSON Schema of an environment file, written once as ajv's
 * `JSONSchemaType<EnvironmentFile>` so the TypeScript type and the schema cannot
 * drift apart. The same object feeds the validator and the editor copy in
 * `environments/environment.schema.json`.
 */
import Ajv, { _, type JSONSchemaType, type Options, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import type { ComponentOverride, EnvironmentFile, LabelSelector } from './environment';
import { FORMATS } from './formats';
import { validate as generatedValidator } from './environment-validator.generated';

/** Defaults of the optional keys, shared by the schema's `default`s and the loader. */
export const DEFAULTS = {
  gitRevision: 'main',
  gitPath: 'dist',
  argocdNamespace: 'argocd',
  argocdProject: 'platform',
  argocdDestinationServer: 'https://kubernetes.default.svc',
  apiServerPort: 6443,
  kubernetesVersion: '1.33',
  acmeServer: 'https://acme-v02.api.letsencrypt.org/directory',
  minioPools: 1,
  timezone: 'Etc/UTC',
} as const;

/** Defaults of `loadBalancer.l2`: the Helmfile era's `default-l2-policy`. */
export const L2_DEFAULTS: { readonly interfaces: readonly string[]; readonly nodeSelector: LabelSelector } = {
  interfaces: ['^eth[0-9]+'],
  nodeSelector: { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] },
};

const labelSelectorSchema: JSONSchemaType<LabelSelector> = {
  type: 'object',
  description: 'A Kubernetes label selector; every part must match. An empty selector selects every node.',
  additionalProperties: false,
  properties: {
    matchLabels: {
      type: 'object',
      nullable: true,
      description: 'Labels with exactly these values.',
      required: [],
      additionalProperties: { type: 'string', format: 'label-value' },
    },
    matchExpressions: {
      type: 'array',
      nullable: true,
      description: 'Requirements on labels.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'operator'],
        properties: {
          key: { type: 'string', format: 'label-key', description: 'Label key.' },
          operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'], description: 'How the label is matched.' },
          values: {
            type: 'array',
            nullable: true,
            items: { type: 'string', format: 'label-value' },
            description: 'Label values: at least one for In and NotIn, none for Exists and DoesNotExist.',
          },
        },
      },
    },
  },
};

const componentOverrideSchema: JSONSchemaType<ComponentOverride> = {
  type: 'object',
  description: 'Switches for one component in this environment.',
  additionalProperties: false,
  properties: {
    enabled: {
      type: 'boolean',
      nullable: true,
      description: "Turns the component on or off in this environment. Defaults to the component's own default.",
    },
    version: {
      type: 'string',
      nullable: true,
      format: 'exact-version',
      description: "Exact chart version to use instead of the catalog's.",
    },
    host: {
      type: 'string',
      nullable: true,
      format: 'dns-name',
      description: 'Host name the component serves, instead of the one derived from the domains.',
    },
  },
};

/**
 * The schema of an environment file.
 *
 * Optional keys carry `nullable: true` because `JSONSchemaType` demands it; the
 * validator and the editor copy drop it, so `key: ~` is rejected rather than
 * read as "use the default".
 */
export const environmentFileSchema: JSONSchemaType<EnvironmentFile> = {
  type: 'object',
  title: 'Environment',
  description: 'One cluster of the platform. The file name (without .yaml) is the cluster name.',
  additionalProperties: false,
  required: ['git', 'cluster', 'domains', 'loadBalancer', 'acme', 'nfs', 'minio', 'externalIngress', 'onePassword'],
  properties: {
    name: {
      type: 'string',
      nullable: true,
      format: 'dns-label',
      description: 'The cluster name. Optional; when present it must equal the file stem.',
    },
    git: {
      type: 'object',
      description: 'Where Argo CD finds the rendered output of this repository.',
      additionalProperties: false,
      required: ['repoUrl'],
      properties: {
        repoUrl: {
          type: 'string',
          format: 'git-url',
          description: 'URL of this repository as Argo CD clones it, e.g. https://github.com/org/platform.git.',
        },
        revision: {
          type: 'string',
          nullable: true,
          format: 'git-revision',
          default: DEFAULTS.gitRevision,
          description: 'Branch, tag or commit Argo CD tracks.',
        },
        path: {
          type: 'string',
          nullable: true,
          format: 'relative-path',
          default: DEFAULTS.gitPath,
          description: 'Folder inside the repository that holds the rendered output (the parent of <cluster>/).',
        },
      },
    },
    argocd: {
      type: 'object',
      nullable: true,
      description: 'Where the Applications live and which project they belong to.',
      default: {},
      additionalProperties: false,
      properties: {
        namespace: {
          type: 'string',
          nullable: true,
          format: 'dns-label',
          default: DEFAULTS.argocdNamespace,
          description: 'Namespace Argo CD runs in; every Application object is created there.',
        },
        project: {
          type: 'string',
          nullable: true,
          format: 'project-name',
          default: DEFAULTS.argocdProject,
          description:
            'Prefix of the AppProjects the generator renders with least privilege: each child Application gets ' +
            'its own, <project>-<component>, allowing only what its chart renders; the root Application gets <project>-root.',
        },
        destinationServer: {
          type: 'string',
          nullable: true,
          format: 'https-url',
          default: DEFAULTS.argocdDestinationServer,
          description: 'API server URL of the destination cluster, as registered in Argo CD.',
        },
      },
    },
    cluster: {
      type: 'object',
      description: 'Facts about the cluster itself.',
      additionalProperties: false,
      required: ['label', 'apiServer', 'podCidr'],
      properties: {
        label: {
          type: 'string',
          format: 'dns-label',
          description: 'Short label that telemetry (Alloy) attaches to every metric and log line.',
        },
        apiServer: {
          type: 'object',
          description: 'The Kubernetes API server address, needed by Cilium without kube-proxy.',
          additionalProperties: false,
          required: ['host'],
          properties: {
            host: {
              type: 'string',
              format: 'ipv4',
              description: 'IPv4 address (usually a VIP) of the Kubernetes API server.',
            },
            port: {
              type: 'integer',
              nullable: true,
              minimum: 1,
              maximum: 65535,
              default: DEFAULTS.apiServerPort,
              description: 'Port of the Kubernetes API server.',
            },
          },
        },
        podCidr: {
          type: 'string',
          format: 'ipv4-cidr',
          description: 'IPv4 CIDR Cilium hands out pod addresses from (cluster-pool IPAM, native routing).',
        },
        kubernetesVersion: {
          type: 'string',
          nullable: true,
          format: 'kube-version',
          default: DEFAULTS.kubernetesVersion,
          description:
            'Kubernetes version of the cluster, e.g. 1.33: `npm run render` renders the charts for it (helm template ' +
            '--kube-version, as Argo CD does) and validates their built-in objects against its API.',
        },
        apiVersions: {
          type: 'array',
          nullable: true,
          items: { type: 'string', format: 'api-version' },
          uniqueItems: true,
          default: [],
          description:
            "API versions the cluster serves beyond the built-in ones and the CRDs of the platform's charts (installed " +
            'by something outside this repository), e.g. monitoring.coreos.com/v1: passed to helm template --api-versions.',
        },
        production: {
          type: 'boolean',
          nullable: true,
          default: false,
          description:
            "The cluster runs production: when the plan's pull-request comment must be shortened, the other clusters' " +
            'diffs are left out (and named) before any of its own.',
        },
      },
    },
    domains: {
      type: 'object',
      description: 'DNS domains served by the cluster.',
      additionalProperties: false,
      required: ['internal', 'public'],
      properties: {
        internal: {
          type: 'string',
          format: 'dns-name',
          description: 'Domain for LAN-side services, served by the internal Traefik.',
        },
        public: {
          type: 'string',
          format: 'dns-name',
          description: 'Domain for public services, served by the external ingress.',
        },
        extra: {
          type: 'array',
          nullable: true,
          items: { type: 'string', format: 'dns-name' },
          uniqueItems: true,
          default: [],
          description: 'Further public domains that external-dns may manage records in.',
        },
      },
    },
    loadBalancer: {
      type: 'object',
      description: 'Addresses Cilium may assign to Services of type LoadBalancer.',
      additionalProperties: false,
      required: ['ipRange'],
      properties: {
        ipRange: {
          type: 'string',
          format: 'ipv4-range-or-cidr',
          description: 'A.B.C.D-E.F.G.H (first and last address, inclusive) or an IPv4 CIDR.',
        },
        l2: {
          type: 'object',
          nullable: true,
          description: 'How Cilium announces the addresses on the LAN (ARP): the CiliumL2AnnouncementPolicy default-l2-policy.',
          default: {},
          additionalProperties: false,
          properties: {
            interfaces: {
              type: 'array',
              nullable: true,
              minItems: 1,
              items: { type: 'string', format: 'regex' },
              default: [...L2_DEFAULTS.interfaces],
              description: 'Network interfaces to announce on, as regular expressions (Go syntax).',
            },
            nodeSelector: {
              ...labelSelectorSchema,
              nullable: true,
              default: structuredClone(L2_DEFAULTS.nodeSelector),
              description: 'Nodes that may announce. Defaults to the nodes without the label node-role.kubernetes.io/control-plane.',
            },
          },
        },
      },
    },
    acme: {
      type: 'object',
      description: "Let's Encrypt (or any ACME) account used by the ClusterIssuer.",
      additionalProperties: false,
      required: ['email'],
      properties: {
        email: {
          type: 'string',
          format: 'email',
          description: 'Contact e-mail of the ACME account.',
        },
        server: {
          type: 'string',
          nullable: true,
          format: 'https-url',
          default: DEFAULTS.acmeServer,
          description: 'ACME directory URL.',
        },
      },
    },
    nfs: {
      type: 'object',
      description: 'NFS export used by nfs-subdir-external-provisioner.',
      additionalProperties: false,
      required: ['server', 'path', 'storageClass'],
      properties: {
        server: {
          type: 'string',
          format: 'host',
          description: 'IPv4 address or DNS name of the NFS server.',
        },
        path: {
          type: 'string',
          format: 'absolute-path',
          description: 'Absolute path of the export on the server.',
        },
        storageClass: {
          type: 'string',
          format: 'dns-subdomain',
          description: "Name of the StorageClass the provisioner creates (the cluster's default class).",
        },
      },
    },
    minio: {
      type: 'object',
      description: 'The MinIO tenant that backs Loki and Mimir.',
      additionalProperties: false,
      required: ['tenant', 'region', 'servers', 'volumesPerServer', 'volumeSize'],
      properties: {
        tenant: {
          type: 'string',
          format: 'dns-label',
          description: 'Tenant name (also the prefix of its Services).',
        },
        region: {
          type: 'string',
          format: 'dns-label',
          description: 'S3 region name the buckets are created in.',
        },
        pools: {
          type: 'integer',
          nullable: true,
          minimum: 1,
          default: DEFAULTS.minioPools,
          description: 'Number of server pools.',
        },
        servers: {
          type: 'integer',
          minimum: 1,
          description: 'MinIO servers per pool.',
        },
        volumesPerServer: {
          type: 'integer',
          minimum: 1,
          description: 'Volumes per server.',
        },
        volumeSize: {
          type: 'string',
          format: 'k8s-quantity',
          description: 'Size of each volume, as a Kubernetes quantity (e.g. 250Gi).',
        },
        host: {
          type: 'string',
          nullable: true,
          format: 'dns-name',
          description: 'Host name of the S3 API. Defaults to minio.<domains.internal>.',
        },
        consoleHost: {
          type: 'string',
          nullable: true,
          format: 'dns-name',
          description: 'Host name of the MinIO console. Defaults to minio-console.<domains.internal>.',
        },
      },
    },
    externalIngress: {
      type: 'object',
      description: 'How public services are exposed.',
      additionalProperties: false,
      required: ['controller'],
      properties: {
        controller: {
          type: 'string',
          enum: ['traefik-external', 'cloudflare-tunnel'],
          description: 'traefik-external (a second Traefik behind a public front) or cloudflare-tunnel.',
        },
        target: {
          type: 'string',
          nullable: true,
          format: 'host',
          description:
            'DNS name or IPv4 address public records point at (the external-dns target annotation). ' +
            'Only for traefik-external; without it, records point at the LoadBalancer address.',
        },
      },
    },
    onePassword: {
      type: 'object',
      description: '1Password, the only source of secrets.',
      additionalProperties: false,
      required: ['vault'],
      properties: {
        vault: {
          type: 'string',
          format: 'vault-name',
          description: 'Vault that holds the items; item paths are vaults/<vault>/items/<item>.',
        },
        connectItem: {
          type: 'string',
          nullable: true,
          format: 'vault-name',
          description:
            "Item with 1Password Connect's own credentials (fields credentials and token), read by the commands " +
            'npm run bootstrap-secrets prints. Defaults to "<cluster> 1password-credentials".',
        },
        connectVault: {
          type: 'string',
          nullable: true,
          format: 'vault-name',
          description: 'Vault of connectItem. Defaults to vault.',
        },
      },
    },
    misskey: {
      type: 'object',
      nullable: true,
      description: "The Misskey instance the team's own bots talk to. Required by components that post to Misskey.",
      additionalProperties: false,
      required: ['host'],
      properties: {
        host: {
          type: 'string',
          format: 'dns-name',
          description: 'Host name of the Misskey server, e.g. mi.example.com.',
        },
      },
    },
    timezone: {
      type: 'string',
      nullable: true,
      format: 'iana-timezone',
      default: DEFAULTS.timezone,
      description: 'IANA time zone for scheduled jobs.',
    },
    components: {
      type: 'object',
      nullable: true,
      description: 'Per-component switches, keyed by component id.',
      default: {},
      required: [],
      propertyNames: { pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' },
      additionalProperties: componentOverrideSchema,
    },
  },
};

/** A deep copy of a schema without ajv's `nullable`, which is not JSON Schema. */
function withoutNullable(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    return schema.map(withoutNullable);
  }
  if (typeof schema !== 'object' || schema === null) {
    return schema;
  }
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => key !== 'nullable')
      .map(([key, value]) => [key, withoutNullable(value)]),
  );
}

/**
 * The validator of an environment file, a type guard: the schema compiled ahead
 * by `npm run schema` ({@link renderEnvironmentValidator}). It collects every
 * error (`allErrors`) and keeps the failing data and schema on each (`verbose`),
 * which the loader turns into messages.
 */
export function environmentFileValidator(): ValidateFunction<EnvironmentFile> {
  return generatedValidator as unknown as ValidateFunction<EnvironmentFile>;
}

/** Path of the generated validator, relative to the repository root. */
export const GENERATED_VALIDATOR_PATH = 'src/config/environment-validator.generated.ts';

/** The schema compiled by an ajv with the environment's options and formats. */
function compileWith(options: Pick<Options, 'validateSchema' | 'code'>): { ajv: Ajv; validate: ValidateFunction<EnvironmentFile> } {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, ...options });
  for (const [name, format] of Object.entries(FORMATS)) {
    ajv.addFormat(name, { type: 'string', validate: format.validate });
  }
  return { ajv, validate: ajv.compile<EnvironmentFile>(withoutNullable(environmentFileSchema) as JSONSchemaType<EnvironmentFile>) };
}

/**
 * The source of `environment-validator.generated.ts`: the schema compiled by ajv
 * into standalone code, so that synth loads a validator instead of compiling
 * one on every run (about 45 ms). `npm run schema` writes it; a test fails when
 * it is not what this function gives.
 */
export function renderEnvironmentValidator(): string {
  const { ajv, validate } = compileWith({ validateSchema: false, code: { source: true, esm: true, optimize: true, formats: _`FORMATS` } });
  return (
    '// @ts-nocheck\n' +
    '// Generated by `npm run schema` from src/config/schema.ts (ajv standalone code). Do not edit.\n' +
    "import { FORMATS } from './formats';\n" +
    `${standaloneCode(ajv, validate)}\n`
  );
}

/**
 * Compiles the environment schema at run time (tests compare it with the generated validator).
 *
 * @param options.checkSchema validate the schema itself against the JSON Schema
 *   meta-schema first; a test runs it.
 */
export function compileEnvironmentSchema(options: { readonly checkSchema: boolean }): ValidateFunction<EnvironmentFile> {
  return compileWith({ validateSchema: options.checkSchema, code: { optimize: options.checkSchema } }).validate;
}

/**
 * The JSON copy of the schema for editors (draft-07, as yaml-language-server
 * reads it). Environment files point at it from their first line.
 */
export function editorSchema(): object {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'environment.schema.json',
    ...(withoutNullable(environmentFileSchema) as object),
  };
}
