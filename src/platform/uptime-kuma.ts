import { hostOf, publicIngressAnnotations, publicIngressClass, publicIngressComponent, publicIngressTls } from './_shared';
import { smokeTest } from './_smoke';
import type { ComponentSpec } from './types';

/**
 * Uptime Kuma: the public status page, on `status.<domains.public>`
 * (overridable with `components.uptime-kuma.host`), behind the environment's
 * public ingress controller.
 *
 * - Its data lives on a 4Gi ReadWriteMany volume of the default (NFS)
 *   StorageClass.
 * - Layer 5 is declared: behind a Cloudflare Tunnel its dependencies alone
 *   would place it in layer 4, but it belongs with the other layer-5
 *   services whichever public ingress an environment uses.
 * - No ServiceMonitor: the platform has no Prometheus Operator CRDs.
 */
export const uptimeKuma = {
  id: 'uptime-kuma',
  description: 'Uptime Kuma: uptime checks and the public status page.',
  repoUrl: 'https://helm.irsigler.cloud',
  chart: 'uptime-kuma',
  version: '2.22.0',
  namespace: 'uptime-kuma',
  releaseName: 'uptime-kuma',
  layer: 5,
  dependsOn: (env) => ['nfs-subdir-external-provisioner', 'cert-manager', 'external-dns', publicIngressComponent(env)],
  values: (env) => {
    const host = hostOf(env, 'uptime-kuma', 'status', env.domains.public);
    return {
      volume: { enabled: true, accessMode: 'ReadWriteMany', size: '4Gi' },
      ingress: {
        enabled: true,
        className: publicIngressClass(env),
        annotations: publicIngressAnnotations(env),
        hosts: [{ host, paths: [{ path: '/', pathType: 'ImplementationSpecific' }] }],
        tls: publicIngressTls(env, host),
      },
      serviceMonitor: { enabled: false },
    };
  },
  // Its web UI answers on the release's Service (a redirect to the dashboard or the first-run setup).
  manifests: (_env, inventory) =>
    smokeTest(inventory, 'uptime-kuma', [{ names: [inventory?.applications.get('uptime-kuma')?.releaseName ?? 'uptime-kuma'], path: '/', expect: 'success' }]),
} satisfies ComponentSpec;
