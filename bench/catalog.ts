/**
 * A synthetic catalog for the scaling benchmark: `size` components in nine
 * layers shaped like the real catalog in `src/platform/`, generated in memory
 * (never committed) and deterministic for a given size and seed.
 *
 * - Layers hold components in the proportions of the real catalog (1, 4, 2, 2,
 *   2, 1, 2, 1 and 8 of 23), every layer at least one.
 * - A component of layer L > 1 depends on one component of layer L − 1 (so its
 *   wave is L) and on up to two more of lower layers: 1–3 dependencies. About a
 *   quarter also declare `layer: L`, a tenth choose a dependency by the
 *   environment (as apps choose their public ingress), a few list a requirement.
 * - Values are built from the environment like the real ones: an
 *   infrastructure chart (image, resources, persistence on the NFS class,
 *   internal ingress), a team app (env list, 1Password block, public ingress)
 *   or a large observability chart (nested limits, S3 storage, a multi-line
 *   config). The rendered Application files average about the real ones' size.
 * - Supporting manifests: OnePasswordItems (about 40 %), Certificates (20 %),
 *   a ClusterIssuer on a few layer-2 components, a LoadBalancer IP pool on the
 *   first layer-1 component.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Environment } from '../src/config/environment';
import type { ClusterResource, ComponentId, ComponentSpec, HelmValues, JsonValue, SupportingManifest } from '../src/platform/types';

/** Number of layers (= sync-waves) of the synthetic catalog, as in the real one. */
export const LAYERS = 9;

/** Components per layer in the real catalog (23 in all): the proportions of the synthetic one. */
export const REAL_LAYER_SIZES: readonly number[] = [1, 4, 2, 2, 2, 1, 2, 1, 8];

/**
 * How many components each of the nine layers gets: proportional to the real
 * catalog (largest remainder), at least one each.
 *
 * @param size at least {@link LAYERS}
 */
export function layerSizes(size: number): number[] {
  if (!Number.isInteger(size) || size < LAYERS) {
    throw new Error(`a synthetic catalog has at least ${LAYERS} components (one per layer), got ${size}`);
  }
  const total = REAL_LAYER_SIZES.reduce((a, b) => a + b, 0);
  const exact = REAL_LAYER_SIZES.map((weight) => (size * weight) / total);
  const sizes = exact.map(Math.floor);
  let missing = size - sizes.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((share, layer) => ({ layer, rest: share - Math.floor(share) })).sort((a, b) => b.rest - a.rest || a.layer - b.layer);
  for (const { layer } of byRemainder) {
    if (missing === 0) break;
    sizes[layer] += 1;
    missing -= 1;
  }
  // A small catalog still has every layer: move components over from the largest layer.
  for (let layer = 0; layer < LAYERS; layer++) {
    if (sizes[layer] === 0) {
      sizes[sizes.indexOf(Math.max(...sizes))] -= 1;
      sizes[layer] = 1;
    }
  }
  return sizes;
}

/** A deterministic random sequence in [0, 1) (pure-rand's xoroshiro128+, fast-check's generator): the same seed gives the same catalog. */
export function random(seed: number): () => number {
  const generator = xoroshiro128plus(seed);
  return () => uniformFloat64(generator);
}

/** Id of the `index`-th component (over the whole catalog) in `layer` (1-based). */
export function syntheticId(layer: number, index: number): string {
  return `l${layer}-svc-${String(index).padStart(5, '0')}`;
}

type Shape = 'infra' | 'app' | 'observability';

const WEBHOOK: ClusterResource = { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' };

const CONFIG_LINES = [
  'logging {',
  '  level  = "info"',
  '  format = "logfmt"',
  '}',
  'discovery.kubernetes "pods" {',
  '  role = "pod"',
  '}',
  'discovery.relabel "pods" {',
  '  targets = discovery.kubernetes.pods.targets',
  '  rule {',
  '    source_labels = ["__meta_kubernetes_namespace"]',
  '    target_label  = "namespace"',
  '  }',
  '  rule {',
  '    source_labels = ["__meta_kubernetes_pod_name"]',
  '    target_label  = "pod"',
  '  }',
  '}',
];

function values(id: string, shape: Shape, variant: number, env: Environment): HelmValues {
  const internalHost = env.components[id]?.host ?? `${id}.${env.domains.internal}`;
  const publicHost = env.components[id]?.host ?? `${id}.${env.domains.public}`;
  const resources = {
    requests: { cpu: `${50 + variant * 10}m`, memory: `${64 + variant * 32}Mi` },
    limits: { memory: `${256 + variant * 64}Mi` },
  };
  switch (shape) {
    case 'infra':
      return {
        replicaCount: 1 + (variant % 3),
        image: { repository: `ghcr.io/example/${id}`, tag: `v1.${variant}.0`, pullPolicy: 'IfNotPresent' },
        resources,
        persistence: { enabled: true, storageClass: env.nfs.storageClass, size: `${variant + 1}Gi`, accessModes: ['ReadWriteOnce'] },
        serviceMonitor: { enabled: variant % 2 === 0, interval: '30s' },
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
        ingress: {
          enabled: true,
          ingressClassName: 'traefik',
          annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
          hosts: [internalHost],
          tls: [{ secretName: `${internalHost}-dns01`, hosts: [internalHost] }],
        },
      };
    case 'app': {
      const traefikExternal = env.externalIngress.controller === 'traefik-external';
      return {
        schedule: variant % 2 === 0 ? `${variant % 60} ${variant % 24} * * *` : null,
        env: Array.from({ length: 3 + (variant % 6) }, (_, k): JsonValue => ({
          name: `SETTING_${k}`,
          value: k === 0 ? env.timezone : `value-${variant}-${k}`,
        })),
        onePassword: { enabled: true, itemPath: `vaults/${env.onePassword.vault}/items/${id}` },
        ingress: {
          enabled: true,
          className: env.externalIngress.controller,
          annotations: traefikExternal
            ? { 'cert-manager.io/cluster-issuer': 'letsencrypt', 'external-dns.alpha.kubernetes.io/target': env.externalIngress.target ?? publicHost }
            : {},
          hosts: [{ host: publicHost, paths: [{ path: '/', pathType: 'ImplementationSpecific' }] }],
          tls: traefikExternal ? [{ secretName: `${publicHost}-dns01`, hosts: [publicHost] }] : [],
        },
      };
    }
    case 'observability':
      return {
        deploymentMode: 'SimpleScalable',
        global: { extraArgs: ['-config.expand-env=true'], extraEnvFrom: [{ secretRef: { name: `${id}-s3` } }] },
        limits: { ingestion_rate_mb: 20, ingestion_burst_size_mb: 40, max_query_series: 10000, retention_period: '672h' },
        storage: {
          bucketNames: { chunks: `${id}-chunks`, ruler: `${id}-ruler`, admin: `${id}-admin` },
          s3: {
            endpoint: env.minio.host,
            region: env.minio.region,
            accessKeyId: '${S3_ACCESS_KEY_ID}',
            secretAccessKey: '${S3_SECRET_ACCESS_KEY}',
            insecure: false,
          },
        },
        externalLabels: { cluster: env.clusterSettings.label },
        config: { content: `${CONFIG_LINES.slice(0, 8 + (variant % 11)).join('\n')}\n` },
        ingress: { enabled: true, ingressClassName: 'traefik', hosts: [internalHost], tls: [{ secretName: `${internalHost}-dns01`, hosts: [internalHost] }] },
        resources,
      };
  }
}

function manifests(id: string, layer: number, ordinal: number, roll: number, env: Environment): SupportingManifest[] {
  const list: SupportingManifest[] = [];
  if (layer === 1 && ordinal === 0) {
    list.push({ kind: 'CiliumLoadBalancerIPPool', name: 'default-ip-pool', block: 'range' in env.loadBalancer ? env.loadBalancer.range : env.loadBalancer });
  }
  if (layer === 2 && ordinal % 50 === 0) {
    list.push({
      kind: 'ClusterIssuer',
      name: `${id}-acme`,
      email: env.acme.email,
      server: env.acme.server,
      privateKeySecretName: `${id}-account-key`,
      cloudflareApiToken: { secretName: `${id}-cloudflare`, key: 'apiToken' },
    });
    list.push({
      kind: 'OnePasswordItem',
      name: `${id}-cloudflare`,
      itemPath: `vaults/${env.onePassword.vault}/items/cloudflare-api-token`,
      keys: ['apiToken'],
      usedBy: `${id}-acme`,
    });
  }
  if (roll < 0.4) {
    list.push({ kind: 'OnePasswordItem', name: `${id}-secret`, itemPath: `vaults/${env.onePassword.vault}/items/${id}`, keys: ['token'], usedBy: id });
    if (roll < 0.1) {
      list.push({
        kind: 'OnePasswordItem',
        name: `${id}-s3`,
        itemPath: `vaults/${env.onePassword.vault}/items/${id}-storage`,
        keys: ['S3_ACCESS_KEY_ID'],
        usedBy: id,
      });
    }
  }
  if (roll > 0.8) {
    const host = `${id}.${env.domains.internal}`;
    list.push({ kind: 'Certificate', name: host, secretName: `${host}-dns01`, dnsNames: [host], clusterIssuer: 'letsencrypt' });
  }
  return list;
}

/**
 * A synthetic catalog of `size` components in {@link LAYERS} layers, sorted by id.
 *
 * @param size at least {@link LAYERS}
 * @param seed PRNG seed; the default gives the catalog the benchmark measures
 */
export function syntheticCatalog(size: number, seed = 20_250_601): ComponentSpec[] {
  const next = random(seed + size);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const sizes = layerSizes(size);
  const layers: string[][] = [];
  const catalog: ComponentSpec[] = [];
  let index = 0;

  sizes.forEach((count, layerIndex) => {
    const layer = layerIndex + 1;
    const ids: string[] = [];
    for (let ordinal = 0; ordinal < count; ordinal++) {
      const id = syntheticId(layer, index++);
      ids.push(id);

      // 1–3 dependencies: one on the layer just below (so the wave is `layer`), the rest lower still.
      let dependsOn: ComponentSpec['dependsOn'] = [];
      if (layer > 1) {
        const below = layers[layer - 2];
        const deps = new Set<string>([pick(below)]);
        const extra = Math.floor(next() * 3); // 0, 1 or 2 more
        for (let k = 0; k < extra; k++) deps.add(pick(layers[Math.floor(next() * (layer - 1))]));
        const fixed = [...deps] as ComponentId[];
        if (next() < 0.1 && below.length >= 2) {
          // Like the team's apps: the environment's public ingress decides one dependency.
          // Both choices are on the layer below, so the wave stays `layer`; 1–3 in all.
          const [a, b] = [below[0], below[below.length - 1]] as ComponentId[];
          const others = fixed.filter((dep) => dep !== a && dep !== b).slice(0, 2);
          dependsOn = (env) => [...others, env.externalIngress.controller === 'traefik-external' ? a : b];
        } else {
          dependsOn = fixed;
        }
      }

      const shapeRoll = next();
      const shape: Shape = layer === LAYERS ? (shapeRoll < 0.8 ? 'app' : 'infra') : shapeRoll < 0.6 ? 'infra' : shapeRoll < 0.8 ? 'app' : 'observability';
      const variant = Math.floor(next() * 20);
      const manifestRoll = next();
      const declaresLayer = layer > 1 && next() < 0.25;
      const special = next();

      const spec: ComponentSpec = {
        id: id as ComponentId,
        description: `Synthetic ${shape} component ${id} for the scaling benchmark.`,
        repoUrl: `https://charts.example.test/${shape}-${variant}`,
        chart: id,
        version: `${1 + (variant % 4)}.${variant}.${ordinal % 10}`,
        namespace: id,
        releaseName: id,
        ...(declaresLayer ? { layer } : {}),
        dependsOn,
        values: (env) => values(id, shape, variant, env),
        manifests: (env) => manifests(id, layer, ordinal, manifestRoll, env),
        ...(special < 0.05 ? { serverSideApply: 'CRDs larger than the client-side last-applied annotation' } : {}),
        ...(special >= 0.05 && special < 0.1
          ? {
              ignoreDifferences: [
                { group: WEBHOOK.group, kind: WEBHOOK.kind, jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'], reason: 'the operator injects its CA' },
              ],
            }
          : {}),
        ...(layer === 1 ? { protected: 'the platform cannot run without it' } : {}),
        ...(special > 0.95 ? { skipCrds: true } : {}),
        ...(layer === LAYERS && special > 0.9 && special <= 0.95
          ? { requires: [{ satisfied: (env: Environment) => env.misskey !== undefined, message: `misskey.host is required when ${id} is enabled` }] }
          : {}),
      };
      catalog.push(spec);
    }
    layers.push(ids);
  });
  return catalog.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
