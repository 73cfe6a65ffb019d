/**
 * The catalog: every component of the platform, one file each in this folder.
 *
 * The list is sorted by id and must match the folder exactly (a test in
 * `test/platform/catalog.test.ts` checks both). To add a component, write
 * `src/platform/<id>.ts`, add its id to `ComponentId` in `types.ts` and add it
 * here.
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
import type { ComponentId, ComponentSpec } from './types';

export type {
  ComponentId,
  ComponentSpec,
  HelmValues,
  JsonValue,
  Requirement,
  SupportingManifest,
  OnePasswordItemManifest,
  ClusterIssuerManifest,
  CertificateManifest,
  LoadBalancerIpPoolManifest,
} from './types';

/** Every component of the platform, sorted by id. */
export const components: readonly ComponentSpec[] = [
  onePasswordConnect,
  alloy,
  certManager,
  cilium,
  cloudflareTunnelIngressController,
  daypassedBot,
  externalDns,
  flowSight,
  grafana,
  loki,
  mcMirrorCronjob,
  mimir,
  minioOperator,
  minioTenant,
  mkStream,
  navidrome,
  nfsSubdirExternalProvisioner,
  noteTweetConnector,
  spotifyNowplaying,
  subscriptionManager,
  traefik,
  traefikExternal,
  uptimeKuma,
];

/** The ids of {@link components}, in the same order. */
export const componentIds: readonly ComponentId[] = components.map((component) => component.id);
