import { CLOUDFLARE_API_TOKEN, CLUSTER_ISSUER, onePasswordItem } from './_shared';
import type { ComponentSpec } from './types';

/**
 * cert-manager with its CRDs, and the ACME ClusterIssuer every Ingress of the
 * platform refers to (`letsencrypt`).
 *
 * - The issuer solves DNS-01 challenges through Cloudflare with the API token
 *   in Secret `cloudflare-api-token` (key `apiToken`), synced from 1Password
 *   into this namespace by a OnePasswordItem.
 * - Account e-mail and ACME directory come from the environment's `acme`
 *   section, so a test cluster can point at the staging directory.
 * - Its OnePasswordItem needs the 1Password operator's CRD, which `1password-connect`
 *   installs in the same layer (the seed's layer 2). The item is in-app wave 1, after
 *   cert-manager itself is healthy, and skips the dry run; should Connect still be
 *   starting, the sync fails and the Application's retry applies it once the CRD exists.
 * - The chart comes from the HTTP repository: the Helmfile era used the OCI
 *   registry `quay.io/jetstack/charts`, which Argo CD could only read as a
 *   registered OCI repository, and the platform's own Argo CD era switched too.
 */
export const certManager = {
  id: 'cert-manager',
  description: "cert-manager and the Let's Encrypt ClusterIssuer (DNS-01 through Cloudflare).",
  repoUrl: 'https://charts.jetstack.io',
  chart: 'cert-manager',
  version: 'v1.18.2',
  namespace: 'cert-manager',
  releaseName: 'cert-manager',
  dependsOn: ['cilium'],
  namespaces: {
    'kube-system':
      'The controller and cainjector hold their leader-election Leases in kube-system (global.leaderElection.namespace, ' +
      'chart default), through a Role and RoleBinding there each.',
  },
  protected:
    "cert-manager's Application owns its CRDs. Argo CD leaves CRDs alone when it cascade-deletes an Application, but " +
    'a sync prunes a CRD the chart no longer renders, and deleting a CRD deletes every Certificate, Issuer and ' +
    'ClusterIssuer of that kind; re-creating the ACME account and every certificate is slow and rate-limited. A ' +
    'cascading delete of the Application removes the controller and its webhook: no certificate of the platform ' +
    'is renewed until it is back.',
  ignoreDifferences: [
    // cert-manager's cainjector writes the CA bundle into its own webhook configurations after the
    // install; the chart renders them without one.
    ...(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'] as const).map((kind) => ({
      group: 'admissionregistration.k8s.io',
      kind,
      name: 'cert-manager-webhook',
      jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
      reason: 'cainjector injects the webhook CA bundle',
    })),
  ],
  serverSideApply:
    'crds.enabled=true installs the ClusterIssuer and Issuer CRDs, about 311 KB each, larger than the 262,144 bytes ' +
    'the client-side kubectl.kubernetes.io/last-applied-configuration annotation may hold.',
  values: () => ({
    crds: { enabled: true },
  }),
  manifests: (env) => [
    onePasswordItem(env, CLOUDFLARE_API_TOKEN.name, {
      keys: [CLOUDFLARE_API_TOKEN.key],
      usedBy: `ClusterIssuer ${CLUSTER_ISSUER} (DNS-01 through Cloudflare)`,
    }),
    {
      kind: 'ClusterIssuer',
      name: CLUSTER_ISSUER,
      email: env.acme.email,
      server: env.acme.server,
      privateKeySecretName: 'issuer-account-key',
      cloudflareApiToken: { secretName: CLOUDFLARE_API_TOKEN.name, key: CLOUDFLARE_API_TOKEN.key },
    },
  ],
} satisfies ComponentSpec;
