/**
 * The layout the two Traefik instances (`traefik` and `traefik-external`)
 * share. They differ only in their ingress class name, in whether that class is
 * the cluster default, and in the LAN host their dashboard is served on.
 * Internal module: only `src/platform/traefik.ts` and
 * `src/platform/traefik-external.ts` import it.
 */
import type { Environment } from '../config/environment';
import { CLUSTER_ISSUER, CRD_FROM_SAME_WAVE_ANNOTATIONS, hostOf, tlsSecretName } from './_shared';
import type { CertificateManifest, HelmValues } from './types';

/** Annotation external-dns reads for the record of a LoadBalancer Service. */
const EXTERNAL_DNS_HOSTNAME_ANNOTATION = 'external-dns.alpha.kubernetes.io/hostname';

/** Which of the two Traefik instances. Its id is also its ingress class name. */
export type TraefikInstance = 'traefik' | 'traefik-external';

/**
 * The LAN host of an instance's dashboard and LoadBalancer Service:
 * `<instance>.<domains.internal>`, or `components.<instance>.host` when set.
 */
export function traefikHost(env: Environment, instance: TraefikInstance): string {
  return hostOf(env, instance, instance, env.domains.internal);
}

/**
 * Helm values of one Traefik instance (chart `traefik/traefik`).
 *
 * - Access logs on.
 * - external-dns publishes the LoadBalancer Service as the instance's LAN host.
 * - An IngressClass named after the instance; both the Ingress and the
 *   IngressRoute provider only pick up objects of that class, so the two
 *   instances never serve each other's routes.
 * - The dashboard IngressRoute answers on the LAN host under `/dashboard` and
 *   `/api`, on `web` and `websecure`, with the certificate from
 *   {@link traefikCertificate}. The instance that does not own the Traefik CRDs
 *   (`ownsCrds: false`, installed with `skipCrds`) gets its IngressRoute in a
 *   later in-app wave without a dry run ({@link CRD_FROM_SAME_WAVE_ANNOTATIONS}):
 *   the CRD comes from the other instance's Application in the same wave.
 *
 * @param isDefaultClass whether the instance's IngressClass is the cluster default
 * @param ownsCrds whether this instance's Application installs the chart's CRDs
 */
export function traefikValues(env: Environment, instance: TraefikInstance, isDefaultClass: boolean, ownsCrds: boolean): HelmValues {
  const host = traefikHost(env, instance);
  return {
    logs: { access: { enabled: true } },
    service: { annotations: { [EXTERNAL_DNS_HOSTNAME_ANNOTATION]: host } },
    ingressClass: { enabled: true, isDefaultClass, name: instance },
    providers: {
      kubernetesCRD: { ingressClass: instance },
      kubernetesIngress: { ingressClass: instance },
    },
    ingressRoute: {
      dashboard: {
        enabled: true,
        ...(ownsCrds ? {} : { annotations: { ...CRD_FROM_SAME_WAVE_ANNOTATIONS } }),
        matchRule: `Host(\`${host}\`) && (PathPrefix(\`/dashboard\`) || PathPrefix(\`/api\`))`,
        entryPoints: ['web', 'websecure'],
        tls: { secretName: tlsSecretName(host) },
      },
    },
  };
}

/**
 * The cert-manager Certificate for an instance's dashboard host. The dashboard
 * is an IngressRoute, which cert-manager's ingress-shim does not watch, so the
 * certificate is requested explicitly (the Helmfile-era `certificate.yaml`).
 */
export function traefikCertificate(env: Environment, instance: TraefikInstance): CertificateManifest {
  const host = traefikHost(env, instance);
  return {
    kind: 'Certificate',
    name: host,
    secretName: tlsSecretName(host),
    dnsNames: [host],
    clusterIssuer: CLUSTER_ISSUER,
  };
}
