import { hostOf, INTERNAL_INGRESS_CLASS, internalIngressAnnotations, internalIngressTls } from './_shared';
import { LOKI_TENANT, MIMIR_TENANT } from './_observability';
import type { ComponentSpec } from './types';

/**
 * Grafana Alloy: the cluster's telemetry agent (a DaemonSet). It discovers
 * every running pod, scrapes the ones that declare a container port every
 * 30 seconds and pushes the samples to Mimir, and tails every container's
 * logs through the Kubernetes API and pushes them to Loki. Metrics and logs
 * carry the external label `cluster = <cluster.label>`.
 *
 * - Mimir and Loki are reached through their in-cluster gateways,
 *   `mimir-nginx.mimir` and `loki-gateway.loki` (from their release names),
 *   with the tenant headers they expect: `anonymous` for Mimir (its default
 *   tenant when multi-tenancy is off) and `fake` for Loki.
 * - Alloy's UI is on `alloy.<domains.internal>` (internal Traefik;
 *   overridable with `components.alloy.host`). The chart points its Ingress
 *   at `ingress.faroPort`, which defaults to the Faro receiver port 12347;
 *   it is set to 12345, Alloy's HTTP port, so the host serves the UI.
 * - Every kubelet is scraped too, through the API server's node proxy (the
 *   chart's ClusterRole grants `nodes/proxy`): its `kubelet_volume_stats_*`
 *   feed the PersistentVolumeClaim alert (`_alert-rules.ts`).
 * - No ServiceMonitor: the platform has no Prometheus Operator CRDs.
 */
export const alloy = {
  id: 'alloy',
  description: 'Grafana Alloy: ships pod metrics to Mimir and pod logs to Loki.',
  repoUrl: 'https://grafana.github.io/helm-charts',
  chart: 'alloy',
  version: '1.2.1',
  namespace: 'alloy',
  releaseName: 'alloy',
  dependsOn: ['mimir', 'loki'],
  values: (env) => {
    const host = hostOf(env, 'alloy', 'alloy', env.domains.internal);
    return {
      alloy: { configMap: { content: alloyConfig(env.clusterSettings.label) } },
      serviceMonitor: { enabled: false },
      ingress: {
        enabled: true,
        ingressClassName: INTERNAL_INGRESS_CLASS,
        annotations: internalIngressAnnotations(),
        faroPort: 12345,
        hosts: [host],
        tls: internalIngressTls(host),
      },
    };
  },
} satisfies ComponentSpec;

/**
 * The Alloy configuration (Alloy syntax). `clusterLabel` is written as a
 * quoted string literal, so any label value stays one token.
 */
function alloyConfig(clusterLabel: string): string {
  const cluster = JSON.stringify(clusterLabel);
  return `// Every pod of the cluster, one target per container port.
discovery.kubernetes "pods" {
  role = "pod"
}

// Running pods only, with their Kubernetes metadata as plain labels.
discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets

  rule {
    source_labels = ["__meta_kubernetes_pod_phase"]
    regex         = "Running"
    action        = "keep"
  }

  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }

  rule {
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }

  rule {
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }

  rule {
    source_labels = ["__meta_kubernetes_pod_node_name"]
    target_label  = "node"
  }

  rule {
    regex  = "__meta_kubernetes_pod_label_(.+)"
    action = "labelmap"
  }

  rule {
    source_labels = ["__meta_kubernetes_namespace", "__meta_kubernetes_pod_container_name"]
    separator     = "/"
    target_label  = "job"
  }
}

// Scrape targets: containers that declare a port, init containers excluded.
discovery.relabel "metrics" {
  targets = discovery.relabel.pods.output

  rule {
    source_labels = ["__meta_kubernetes_pod_container_port_number"]
    regex         = ""
    action        = "drop"
  }

  rule {
    source_labels = ["__meta_kubernetes_pod_container_init"]
    regex         = "true"
    action        = "drop"
  }
}

prometheus.scrape "pods" {
  targets         = discovery.relabel.metrics.output
  scrape_interval = "30s"
  forward_to      = [prometheus.remote_write.mimir.receiver]
}

// Every node's kubelet, through the API server's node proxy: volume usage of PersistentVolumeClaims.
discovery.kubernetes "nodes" {
  role = "node"
}

discovery.relabel "kubelet" {
  targets = discovery.kubernetes.nodes.targets

  rule {
    target_label = "__address__"
    replacement  = "kubernetes.default.svc:443"
  }

  rule {
    source_labels = ["__meta_kubernetes_node_name"]
    regex         = "(.+)"
    target_label  = "__metrics_path__"
    replacement   = "/api/v1/nodes/$1/proxy/metrics"
  }

  rule {
    source_labels = ["__meta_kubernetes_node_name"]
    target_label  = "node"
  }
}

prometheus.scrape "kubelet" {
  targets           = discovery.relabel.kubelet.output
  job_name          = "kubelet"
  scheme            = "https"
  scrape_interval   = "30s"
  bearer_token_file = "/var/run/secrets/kubernetes.io/serviceaccount/token"
  forward_to        = [prometheus.remote_write.mimir.receiver]

  tls_config {
    ca_file = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
  }
}

prometheus.remote_write "mimir" {
  external_labels = {
    cluster = ${cluster},
  }

  endpoint {
    url     = "http://mimir-nginx.mimir/api/v1/push"
    headers = {
      "X-Scope-OrgID" = ${JSON.stringify(MIMIR_TENANT)},
    }
  }
}

// Container logs, read through the Kubernetes API.
loki.source.kubernetes "pods" {
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.loki.receiver]
}

loki.write "loki" {
  external_labels = {
    cluster = ${cluster},
  }

  endpoint {
    url     = "http://loki-gateway.loki/loki/api/v1/push"
    headers = {
      "X-Scope-OrgID" = ${JSON.stringify(LOKI_TENANT)},
    }
  }
}
`;
}
