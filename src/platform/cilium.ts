import type { ComponentSpec } from './types';

/**
 * Cilium: the cluster's CNI and kube-proxy replacement, with L2 announcements
 * for LoadBalancer addresses and Hubble (relay and UI) for flow visibility.
 *
 * - Pods get addresses from the environment's `cluster.podCidr` (cluster-pool
 *   IPAM) and are routed natively inside that CIDR, with IPv4 masquerading
 *   for traffic leaving it. IPv6 is off.
 * - Without kube-proxy, the agent reaches the API server directly at
 *   `cluster.apiServer` (usually a VIP), not through the `kubernetes` Service.
 * - Ships one `CiliumLoadBalancerIPPool` (`default-ip-pool`) covering the
 *   environment's `loadBalancer.ipRange`, either a first–last range or a CIDR,
 *   and the `CiliumL2AnnouncementPolicy` `default-l2-policy` that makes those
 *   addresses reachable: external and LoadBalancer IPs, announced on the
 *   interfaces and from the nodes of `loadBalancer.l2` (by default `^eth[0-9]+`
 *   on every node that is not a control-plane node), as in the Helmfile era.
 *   cilium-operator creates both CRDs when it starts; on a bootstrapped cluster
 *   Cilium runs before Argo CD, so they exist by the first sync.
 * - Protected: Cilium is installed out of band at bootstrap (nothing has pod
 *   networking before it) and the Application only adopts it, so deleting the
 *   Application must never delete Cilium.
 */
export const cilium = {
  id: 'cilium',
  description: 'Cilium CNI: pod networking, kube-proxy replacement, LoadBalancer IPs and Hubble.',
  repoUrl: 'https://helm.cilium.io',
  chart: 'cilium',
  version: '1.18.1',
  namespace: 'kube-system',
  releaseName: 'cilium',
  dependsOn: [],
  namespaces: {
    'cilium-secrets':
      'The chart creates this namespace (tls.secretsNamespace, on by default) and the Roles that let the agent and ' +
      'the operator read the TLS Secrets of L7 policies there. Kept as upstream: the running release has it.',
  },
  // The operator registers Cilium's CRDs when it starts; the chart ships none. Supporting manifests of
  // these kinds wait for it in a later in-app wave.
  runtimeCrds: ['cilium.io/CiliumLoadBalancerIPPool', 'cilium.io/CiliumL2AnnouncementPolicy'],
  ignoreDifferences: [
    // The chart generates Hubble's CA and mTLS certificates with Helm's genCA/genSignedCert on every
    // render, so each `helm template` differs from what runs; syncing them would rotate the certificates
    // on every sync. (Cilium's own Argo CD notes list these objects.)
    ...['cilium-ca', 'hubble-server-certs', 'hubble-relay-client-certs'].map((name) => ({
      group: '',
      kind: 'Secret',
      name,
      jsonPointers: ['/data/ca.crt', '/data/ca.key', '/data/tls.crt', '/data/tls.key'],
      reason: 'Hubble TLS material is generated anew by every Helm render',
    })),
    {
      group: '',
      kind: 'ConfigMap',
      name: 'hubble-ca-cert',
      jsonPointers: ['/data/ca.crt'],
      reason: 'Hubble TLS material is generated anew by every Helm render',
    },
  ],
  protected:
    'Cilium is the CNI. Deleting its Application with a cascading finalizer would remove pod networking for the ' +
    'whole cluster, Argo CD included, with nothing left to put it back. It is installed out of band at bootstrap ' +
    'and only adopted by Argo CD.',
  values: (env) => ({
    ipam: {
      mode: 'cluster-pool',
      operator: { clusterPoolIPv4PodCIDRList: [env.clusterSettings.podCidr] },
    },
    routingMode: '',
    tunnelProtocol: '',
    ipv4NativeRoutingCIDR: env.clusterSettings.podCidr,
    ipv4: { enabled: true },
    ipv6: { enabled: false },
    enableIPv4Masquerade: true,
    kubeProxyReplacement: true,
    k8sServiceHost: env.clusterSettings.apiServer.host,
    k8sServicePort: env.clusterSettings.apiServer.port,
    socketLB: { hostNamespaceOnly: false },
    l2announcements: { enabled: true },
    hubble: {
      relay: { enabled: true },
      ui: { enabled: true },
    },
  }),
  manifests: (env) => [
    {
      kind: 'CiliumLoadBalancerIPPool',
      name: 'default-ip-pool',
      block: 'range' in env.loadBalancer ? { start: env.loadBalancer.range.start, stop: env.loadBalancer.range.stop } : { cidr: env.loadBalancer.cidr },
    },
    {
      kind: 'CiliumL2AnnouncementPolicy',
      name: 'default-l2-policy',
      interfaces: env.l2Announcement.interfaces,
      nodeSelector: env.l2Announcement.nodeSelector,
      externalIPs: true,
      loadBalancerIPs: true,
    },
  ],
} satisfies ComponentSpec;
