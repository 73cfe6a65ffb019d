/**
 * Grafana wired to the platform: its data sources (Mimir as a Prometheus data
 * source, Loki) and its alerting (the rules of `_alert-rules.ts`, one contact
 * point, the notification policy), as ConfigMaps that the chart's sidecars
 * load (`sidecar.datasources`, `sidecar.alerts`). They are supporting
 * manifests, not Helm values: their URLs come from the inventory, and values
 * that depended on the inventory would change the values digest the
 * inventory was rendered from (docs/decisions.md, decision 50).
 */
import type { Environment } from '../config/environment';
import type { Inventory } from '../inventory/inventory';
import { ALERT_RULES, type AlertRule } from './_alert-rules';
import { httpPort, requireService, serviceUrl } from './_rendered';
import { onePasswordItem } from './_shared';
import type { ConfigMapManifest, HelmValues, OnePasswordItemManifest } from './types';

/** Mimir's tenant: its default (`anonymous`) for a single-tenant cluster; Alloy pushes as it. */
export const MIMIR_TENANT = 'anonymous';

/** Loki's tenant; Alloy pushes as it. */
export const LOKI_TENANT = 'fake';

/** Label and value Grafana's data-source sidecar selects ConfigMaps by (the chart's default label). */
export const DATASOURCE_LABEL = { grafana_datasource: '1' } as const;

/** Label and value Grafana's alerting sidecar selects ConfigMaps by (the chart's default label). */
export const ALERT_LABEL = { grafana_alert: '1' } as const;

/** Data source uids: the alert rules query Mimir by it. */
export const MIMIR_DATASOURCE_UID = 'mimir';
export const LOKI_DATASOURCE_UID = 'loki';

/** The 1Password item and Secret holding the contact point's webhook URL. */
export const ALERTING_SECRET = { name: 'grafana-alerting', key: 'webhook-url' } as const;

/** The environment variable of the Grafana container that carries the webhook URL (provisioning files expand `${…}`). */
export const ALERT_WEBHOOK_ENV = 'GRAFANA_ALERT_WEBHOOK_URL';

/** Name of the contact point and of the folder the rules live in. */
export const CONTACT_POINT = 'platform-webhook';
export const ALERT_FOLDER = 'Platform';

/** Helm values of the Grafana chart that turn the sidecars on and pass the contact point's secret. */
export function grafanaWiringValues(): HelmValues {
  return {
    sidecar: {
      datasources: { enabled: true, label: Object.keys(DATASOURCE_LABEL)[0], labelValue: Object.values(DATASOURCE_LABEL)[0] },
      alerts: { enabled: true, label: Object.keys(ALERT_LABEL)[0], labelValue: Object.values(ALERT_LABEL)[0] },
    },
    envValueFrom: {
      // optional: Grafana starts before the OnePasswordItem's Secret exists (it is applied after the chart);
      // the contact point then has no URL until the pod restarts.
      [ALERT_WEBHOOK_ENV]: { secretKeyRef: { name: ALERTING_SECRET.name, key: ALERTING_SECRET.key, optional: true } },
    },
  };
}

/** One data source as the provisioning file lists it. */
export interface DataSource {
  readonly name: string;
  readonly uid: string;
  readonly type: 'prometheus' | 'loki';
  readonly url: string;
  /** The Service the URL names, for the tests and the README. */
  readonly service: { readonly namespace: string; readonly name: string; readonly port: number };
  /** `X-Scope-OrgID`, when the backend is multi-tenant. */
  readonly tenant?: string;
}

/**
 * Mimir's and Loki's data sources, each pointing at the gateway Service its
 * chart renders (`<release>-nginx` of mimir-distributed 5.x, `<release>-gateway`
 * of later versions and of Loki) on its HTTP port, with the tenant header when
 * the backend runs multi-tenant (Mimir's `multitenancy_enabled` and Loki's
 * `auth_enabled`, both on unless the values turn them off).
 */
export function dataSources(inventory: Inventory, backends: { readonly mimir: Backend; readonly loki: Backend }): DataSource[] {
  const sources: DataSource[] = [];
  for (const [component, backend, type, name, uid, path, tenant, gateways] of [
    ['mimir', backends.mimir, 'prometheus', 'Mimir', MIMIR_DATASOURCE_UID, '/prometheus', MIMIR_TENANT, ['nginx', 'gateway']],
    ['loki', backends.loki, 'loki', 'Loki', LOKI_DATASOURCE_UID, '', LOKI_TENANT, ['gateway']],
  ] as const) {
    const purpose = `Grafana's ${name} data source`;
    const service = requireService(
      inventory,
      component,
      gateways.map((gateway) => `${backend.releaseName}-${gateway}`),
      purpose,
    );
    const port = httpPort(inventory, service, purpose);
    sources.push({
      name,
      uid,
      type,
      url: `${serviceUrl(service, port)}${path}`,
      service: { namespace: service.namespace, name: service.name, port: port.port },
      ...(backend.multiTenant ? { tenant } : {}),
    });
  }
  return sources;
}

/**
 * A backend as the data sources see it: its release name, and whether its values
 * leave multi-tenancy on (`false` at `switchPath` turns it off; anything else,
 * including nothing, leaves the default: on).
 */
export function backendOf(
  spec: { readonly releaseName: string; readonly values: (env: Environment) => HelmValues },
  env: Environment,
  switchPath: readonly string[],
): Backend {
  let value: unknown = spec.values(env);
  for (const key of switchPath)
    value = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
  return { releaseName: spec.releaseName, multiTenant: value !== false };
}

/** What the data sources need to know of a backend component. */
export interface Backend {
  readonly releaseName: string;
  readonly multiTenant: boolean;
}

/** The data-source provisioning file (Grafana's `apiVersion: 1` format). */
export function dataSourcesFile(sources: readonly DataSource[]): string {
  return provisioningFile({
    apiVersion: 1,
    datasources: sources.map((source, i) => ({
      name: source.name,
      uid: source.uid,
      type: source.type,
      access: 'proxy',
      url: source.url,
      isDefault: i === 0,
      editable: false,
      jsonData: {
        ...(source.type === 'prometheus' ? { prometheusType: 'Mimir', timeInterval: '30s' } : {}),
        ...(source.tenant === undefined ? {} : { httpHeaderName1: 'X-Scope-OrgID' }),
      },
      ...(source.tenant === undefined ? {} : { secureJsonData: { httpHeaderValue1: source.tenant } }),
    })),
  });
}

/**
 * The alerting provisioning file: the rules in one group of folder
 * {@link ALERT_FOLDER}, evaluated every minute against Mimir; the contact point
 * (a webhook whose URL Grafana expands from {@link ALERT_WEBHOOK_ENV}); and the
 * root notification policy sending everything to it.
 *
 * Each rule queries its PromQL expression (query A, instant) and fires for every
 * series it returns (expression B, `is_number($A) || is_nan($A) || is_inf($A)`,
 * the condition Grafana itself gives converted Prometheus rules), so the rules
 * read exactly as Prometheus rules would.
 */
export function alertingFile(cluster: string, rules: readonly AlertRule[] = ALERT_RULES): string {
  return provisioningFile({
    apiVersion: 1,
    groups: [
      {
        orgId: 1,
        name: 'platform',
        folder: ALERT_FOLDER,
        interval: '1m',
        rules: rules.map((rule) => ({
          uid: rule.alert.toLowerCase(),
          title: rule.alert,
          condition: 'B',
          data: [
            {
              refId: 'A',
              relativeTimeRange: { from: 600, to: 0 },
              datasourceUid: MIMIR_DATASOURCE_UID,
              model: { refId: 'A', expr: rule.expr, instant: true, range: false },
            },
            {
              refId: 'B',
              datasourceUid: '__expr__',
              model: { refId: 'B', type: 'math', expression: 'is_number($A) || is_nan($A) || is_inf($A)' },
            },
          ],
          noDataState: 'OK',
          execErrState: 'Error',
          for: rule.for,
          labels: { severity: rule.severity, cluster },
          annotations: { summary: rule.summary },
          isPaused: false,
        })),
      },
    ],
    contactPoints: [
      {
        orgId: 1,
        name: CONTACT_POINT,
        receivers: [{ uid: CONTACT_POINT, type: 'webhook', settings: { url: `\${${ALERT_WEBHOOK_ENV}}`, httpMethod: 'POST' }, disableResolveMessage: false }],
      },
    ],
    policies: [
      { orgId: 1, receiver: CONTACT_POINT, group_by: ['grafana_folder', 'alertname'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' },
    ],
  });
}

/** Grafana's supporting manifests that wire it: the two provisioning ConfigMaps and the contact point's OnePasswordItem. */
export function grafanaWiring(
  env: Environment,
  inventory: Inventory | undefined,
  backends: { readonly mimir: Backend; readonly loki: Backend },
): (ConfigMapManifest | OnePasswordItemManifest)[] {
  const item = onePasswordItem(env, ALERTING_SECRET.name, { keys: [ALERTING_SECRET.key], usedBy: "Grafana's contact point (the alert webhook URL)" });
  const alerting: ConfigMapManifest = {
    kind: 'ConfigMap',
    name: 'grafana-alerting',
    labels: ALERT_LABEL,
    data: { 'platform-alerting.yaml': alertingFile(env.cluster) },
  };
  if (inventory === undefined) return [alerting, item];
  const datasources: ConfigMapManifest = {
    kind: 'ConfigMap',
    name: 'grafana-datasources',
    labels: DATASOURCE_LABEL,
    data: { 'platform-datasources.yaml': dataSourcesFile(dataSources(inventory, backends)) },
  };
  return [datasources, alerting, item];
}

/**
 * A provisioning file: JSON (a subset of YAML, which Grafana reads), two-space
 * indented, ending in a newline. The catalog uses no YAML library of its own.
 */
function provisioningFile(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
