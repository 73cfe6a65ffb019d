/**
 * The catalog: every component of the platform, one file each in this folder.
 *
 * The record is keyed by file name (= component id), sorted, and must match the
 * folder exactly (a test in `test/platform/catalog.test.ts` checks both). The
 * compiler fails when an id of `ComponentId` is missing here; synth fails,
 * naming the file and the field, when an entry is incomplete or wrong
 * (`_check.ts`). To add a component, follow docs/add-a-component.md.
 */
import { onePasswordConnect } from './1password-connect';
import { alloy } from './alloy';
import { certManager } from './cert-manager';
import { cilium } from './cilium';
import { cloudflareTunnelIngressController } from './cloudflare-tunnel-ingress-controller';
import { daypassedBot } from './daypassed-bot';
import { externalDns } from './external-dns';
import { flowSight } from './flow-sight';
import { grafana } from './grafana';
import { loki } from './loki';
import { mcMirrorCronjob } from './mc-mirror-cronjob';
import { mimir } from './mimir';
import { minioOperator } from './minio-operator';
import { minioTenant } from './minio-tenant';
import { mkStream } from './mk-stream';
import { navidrome } from './navidrome';
import { nfsSubdirExternalProvisioner } from './nfs-subdir-external-provisioner';
import { noteTweetConnector } from './note-tweet-connector';
import { spotifyNowplaying } from './spotify-nowplaying';
import { subscriptionManager } from './subscription-manager';
import { traefik } from './traefik';
import { traefikExternal } from './traefik-external';
import { uptimeKuma } from './uptime-kuma';
import { registerCatalog } from './_check';
import type { ComponentId, ComponentSpec } from './types';
// The room's public face: what other rooms use besides the catalog. The `_` files stay private to this folder.
export { assertCatalog } from './_check';
export { hostsOf } from './_hosts';
export { manifestsFor, valuesFor } from './_outputs';
export { type PlannedComponent, type PlatformPlan, planEnvironment } from './_resolve';
export { CONNECT_SECRETS, CRD_FROM_SAME_WAVE_ANNOTATIONS } from './_shared';
export { MIMIR_TENANT } from './_observability';
export { servicesOf, workloadsOf } from './_rendered';

export type { ComponentId, ComponentSpec } from './types';

/** The catalog by file name: `'<id>': <export>,`, sorted by id. */
const catalog = {
  '1password-connect': onePasswordConnect,
  alloy,
  'cert-manager': certManager,
  cilium,
  'cloudflare-tunnel-ingress-controller': cloudflareTunnelIngressController,
  'daypassed-bot': daypassedBot,
  'external-dns': externalDns,
  'flow-sight': flowSight,
  grafana,
  loki,
  'mc-mirror-cronjob': mcMirrorCronjob,
  mimir,
  'minio-operator': minioOperator,
  'minio-tenant': minioTenant,
  'mk-stream': mkStream,
  navidrome,
  'nfs-subdir-external-provisioner': nfsSubdirExternalProvisioner,
  'note-tweet-connector': noteTweetConnector,
  'spotify-nowplaying': spotifyNowplaying,
  'subscription-manager': subscriptionManager,
  traefik,
  'traefik-external': traefikExternal,
  'uptime-kuma': uptimeKuma,
} satisfies Record<ComponentId, ComponentSpec>;

/** Every component of the platform, sorted by id (checked by `assertCatalog` before planning). */
export const components: readonly ComponentSpec[] = registerCatalog(catalog);

/** The ids of {@link components}, in the same order. */
export const componentIds: readonly ComponentId[] = components.map((component) => component.id);
