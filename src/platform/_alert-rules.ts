/**
 * The platform's alert rules, kept in the repository as Prometheus-style rules
 * (alert name, PromQL expression returning the offending series, `for`,
 * severity, summary). Grafana loads them through file provisioning (see
 * `_observability.ts` and docs/decisions.md, decision 51); the tests parse every
 * expression with the real PromQL grammar and check every metric against the
 * component whose rendered chart exposes it.
 */

/** One alert rule. */
export interface AlertRule {
  /** Alert name, also the Grafana rule's title and (lower-cased) uid. */
  readonly alert: string;
  /** PromQL: every series it returns is one firing alert. */
  readonly expr: string;
  /** How long a series must be returned before the alert fires (Go duration). */
  readonly for: string;
  readonly severity: 'warning' | 'critical';
  /** One line for the notification. */
  readonly summary: string;
  /** The metrics the expression reads, each with where it comes from (checked by the tests). */
  readonly metrics: readonly string[];
}

/** Days before expiry from which a certificate alerts (the PKE README asks for expiry alerts). */
export const CERTIFICATE_EXPIRY_DAYS = 14;

/** The alert rules of every cluster. */
export const ALERT_RULES: readonly AlertRule[] = [
  {
    alert: 'CertificateExpiringSoon',
    expr: `(certmanager_certificate_expiration_timestamp_seconds - time()) < ${CERTIFICATE_EXPIRY_DAYS} * 24 * 3600`,
    for: '1h',
    severity: 'warning',
    summary: `Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within ${CERTIFICATE_EXPIRY_DAYS} days and has not been renewed`,
    metrics: ['certmanager_certificate_expiration_timestamp_seconds'],
  },
  {
    alert: 'CertificateNotReady',
    expr: 'max by (namespace, name) (certmanager_certificate_ready_status{condition!="True"}) == 1',
    for: '15m',
    severity: 'critical',
    summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} is not Ready',
    metrics: ['certmanager_certificate_ready_status'],
  },
  {
    alert: 'ArgoCdApplicationDegraded',
    expr: 'max by (name, dest_namespace) (argocd_app_info{health_status="Degraded"}) == 1',
    for: '15m',
    severity: 'critical',
    summary: 'Argo CD Application {{ $labels.name }} has been Degraded for 15 minutes',
    metrics: ['argocd_app_info'],
  },
  {
    alert: 'ArgoCdApplicationOutOfSync',
    expr: 'max by (name, dest_namespace) (argocd_app_info{sync_status="OutOfSync"}) == 1',
    for: '1h',
    severity: 'warning',
    summary: 'Argo CD Application {{ $labels.name }} has been OutOfSync for an hour',
    metrics: ['argocd_app_info'],
  },
  {
    alert: 'PersistentVolumeClaimNearlyFull',
    expr:
      'max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes) < 0.10 ' +
      'and max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes) > 0',
    for: '15m',
    severity: 'warning',
    summary: 'PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has less than 10% free',
    metrics: ['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes'],
  },
];
