import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runHelm } from '../../src/charts/helm';
import { UserError } from '../../src/core/user-error';
import { type Inventory, loadInventories } from '../../src/inventory/inventory';
import { ALERT_RULES, CERTIFICATE_EXPIRY_DAYS } from '../../src/platform/_alert-rules';
import { ALERTING_SECRET, ALERT_WEBHOOK_ENV, alertingFile, dataSources, grafanaWiring, LOKI_TENANT, MIMIR_TENANT } from '../../src/platform/_observability';
import { alloy } from '../../src/platform/alloy';
import { certManager } from '../../src/platform/cert-manager';
import { grafana } from '../../src/platform/grafana';
import type { ComponentSpec } from '../../src/platform/types';
import { testHelm } from '../helpers/chart-repository';
import { loadAll } from '../helpers/render';

const [kkg] = loadAll().filter((env) => env.cluster === 'kkg');
const inventory = loadInventories(['kkg']).get('kkg') as Inventory;
const BACKENDS = { mimir: { releaseName: 'mimir', multiTenant: true }, loki: { releaseName: 'loki', multiTenant: true } };

/** The inventory with one Service of one Application left out. */
function without(service: string, application: string): Inventory {
  const applications = new Map(inventory.applications);
  const app = applications.get(application);
  if (app === undefined) throw new Error(`no ${application}`);
  applications.set(application, { ...app, services: (app.services ?? []).filter((s) => s.name !== service) });
  return { ...inventory, applications };
}

/** Every error node of a PromQL parse, as `from-to`. */
function syntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`${node.from}-${node.to}`);
    },
  });
  return errors;
}

/** The metric names of the vector selectors of a PromQL expression, from the parse tree. */
function metricNames(expr: string): string[] {
  const names = new Set<string>();
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier !== null) names.add(expr.slice(identifier.from, identifier.to));
      }
    },
  });
  return [...names].sort();
}

/** The chart of a component rendered with real Helm and its catalog values: every object. */
async function renderChart(spec: ComponentSpec, tgz: string): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pke-wired-'));
  const helm = testHelm();
  const values = join(dir, 'values.json');
  writeFileSync(values, JSON.stringify(spec.values(kkg)));
  const result = await runHelm(helm, ['template', spec.releaseName, join('test/fixtures/charts', tgz), '--namespace', spec.namespace, '--values', values]);
  expect(result.code, result.stderr).toBe(0);
  return parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as Record<string, unknown> | null)
    .filter((o): o is Record<string, unknown> => o !== null);
}

describe("Grafana's data sources", () => {
  it('point Mimir and Loki at the gateway Services their charts render, on the Service port, with the tenant Alloy pushes as', () => {
    const sources = dataSources(inventory, BACKENDS);

    expect(sources.map((s) => [s.name, s.type, s.url, s.tenant])).toEqual([
      ['Mimir', 'prometheus', 'http://mimir-nginx.mimir.svc:80/prometheus', MIMIR_TENANT],
      ['Loki', 'loki', 'http://loki-gateway.loki.svc:80', LOKI_TENANT],
    ]);
    for (const source of sources) {
      const app = inventory.applications.get(source.uid);
      const service = app?.services?.find((s) => s.namespace === source.service.namespace && s.name === source.service.name);
      expect(service, source.name).toBeDefined();
      expect(
        service?.ports.map((p) => p.port),
        source.name,
      ).toContain(source.service.port);
    }
  });

  it('fails, naming the inventory and what the chart renders, when the Service a data source needs is not in the inventory', () => {
    const run = () => dataSources(without('loki-gateway', 'loki'), BACKENDS);

    expect(run).toThrow(UserError);
    expect(run).toThrow(
      "inventory/kkg.yaml: /applications/loki/services: Grafana's Loki data source needs Service loki-gateway, which the loki chart does not render " +
        '(it renders: loki-backend, loki-backend-headless, loki-canary, loki-chunks-cache, loki-memberlist, loki-query-scheduler-discovery, loki-read, ' +
        'loki-read-headless, loki-results-cache, loki-write, loki-write-headless); run `npm run render` or change the catalog',
    );
  });

  it('sends no tenant header to a backend whose values turn multi-tenancy off', () => {
    const sources = dataSources(inventory, { ...BACKENDS, loki: { releaseName: 'loki', multiTenant: false } });

    expect(sources.find((s) => s.name === 'Loki')?.tenant).toBeUndefined();
    expect(sources.find((s) => s.name === 'Mimir')?.tenant).toBe(MIMIR_TENANT);
  });

  it('reads the tenants Alloy pushes with from the same constants', () => {
    const config = JSON.stringify(alloy.values(kkg));

    expect(config).toContain(`\\"X-Scope-OrgID\\" = \\"${MIMIR_TENANT}\\"`);
    expect(config).toContain(`\\"X-Scope-OrgID\\" = \\"${LOKI_TENANT}\\"`);
  });

  it('leaves the data sources out while the charts are rendered (no inventory yet), and Helm values never depend on the inventory', () => {
    const withInventory = grafanaWiring(kkg, inventory, BACKENDS).map((m) => `${m.kind}/${m.name}`);
    const withoutInventory = grafanaWiring(kkg, undefined, BACKENDS).map((m) => `${m.kind}/${m.name}`);

    expect(withInventory).toEqual(['ConfigMap/grafana-datasources', 'ConfigMap/grafana-alerting', 'OnePasswordItem/grafana-alerting']);
    expect(withoutInventory).toEqual(['ConfigMap/grafana-alerting', 'OnePasswordItem/grafana-alerting']);
    expect(grafana.values.length).toBe(1); // values(env): no inventory parameter, so the values digest cannot depend on it
  });
});

describe('the alert rules', () => {
  it('hold at least the rules the platform needs', () => {
    expect(ALERT_RULES.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'CertificateExpiringSoon',
        'CertificateNotReady',
        'ArgoCdApplicationDegraded',
        'ArgoCdApplicationOutOfSync',
        'PersistentVolumeClaimNearlyFull',
      ]),
    );
    expect(ALERT_RULES.find((r) => r.alert === 'CertificateExpiringSoon')?.expr).toContain(`< ${CERTIFICATE_EXPIRY_DAYS} * 24 * 3600`);
    expect(CERTIFICATE_EXPIRY_DAYS).toBe(14);
  });

  it.each(ALERT_RULES.map((rule) => [rule.alert, rule] as const))(
    '%s parses with the PromQL grammar, and reads exactly the metrics it declares',
    (_name, rule) => {
      expect(syntaxErrors(rule.expr)).toEqual([]);
      expect(metricNames(rule.expr)).toEqual([...new Set(rule.metrics)].sort());
    },
  );

  it('catches a broken expression (the parser check can fail)', () => {
    expect(syntaxErrors('max by (name) (argocd_app_info{health_status="Degraded"} == ')).not.toEqual([]);
    expect(syntaxErrors('rate(certmanager_certificate_ready_status[5m)')).not.toEqual([]);
  });

  it('uses only metrics whose source is known: cert-manager and the kubelets (scraped by Alloy, checked below), Argo CD (installed outside the catalog)', () => {
    const sources: Record<string, string> = {
      certmanager_: 'cert-manager controller, scraped by Alloy from its declared container port',
      kubelet_: "every kubelet, scraped by Alloy's kubelet job",
      argocd_: "Argo CD's application controller (bootstrapped by Helmfile, not a catalog chart: not knowable from the rendered charts)",
    };
    for (const metric of ALERT_RULES.flatMap((r) => r.metrics)) {
      expect(
        Object.keys(sources).some((prefix) => metric.startsWith(prefix)),
        metric,
      ).toBe(true);
    }
  });

  it("are scraped: the rendered cert-manager controller declares its metrics port, which Alloy's pod job scrapes", async () => {
    const objects = await renderChart(certManager, 'cert-manager-v1.18.2.tgz');
    const controller = objects.find((o) => o.kind === 'Deployment' && (o.metadata as { name: string }).name === 'cert-manager') as {
      spec: { template: { spec: { containers: { ports?: { containerPort: number; name?: string }[] }[] } } };
    };

    expect(controller.spec.template.spec.containers.flatMap((c) => c.ports ?? []).map((p) => p.containerPort)).toContain(9402);
    expect(JSON.stringify(alloy.values(kkg))).toContain('prometheus.scrape \\"pods\\"');
  });

  it("are scraped: Alloy's rendered configuration has the kubelet job, and its ClusterRole may read the nodes' proxy", async () => {
    const objects = await renderChart(alloy, 'alloy-1.2.1.tgz');
    const config = objects.find((o) => o.kind === 'ConfigMap') as { data: Record<string, string> };
    const role = objects.find((o) => o.kind === 'ClusterRole') as { rules: { resources?: string[]; verbs: string[] }[] };

    expect(Object.values(config.data).join('\n')).toContain('prometheus.scrape "kubelet"');
    expect(role.rules.some((r) => (r.resources ?? []).includes('nodes/proxy') && r.verbs.includes('get'))).toBe(true);
  });
});

describe("Grafana's alerting", () => {
  const file = JSON.parse(alertingFile('kkg')) as {
    groups: { rules: { condition: string; data: { refId: string; datasourceUid: string; model: { expr?: string; expression?: string } }[] }[] }[];
    contactPoints: { receivers: { type: string; settings: { url: string } }[] }[];
    policies: { receiver: string }[];
  };

  it('evaluates each rule against the Mimir data source and fires for every series the expression returns', () => {
    const rules = file.groups[0].rules;

    expect(rules).toHaveLength(ALERT_RULES.length);
    for (const [i, rule] of rules.entries()) {
      expect(rule.data[0]).toMatchObject({ refId: 'A', datasourceUid: 'mimir', model: { expr: ALERT_RULES[i].expr } });
      expect(rule.data[1]).toMatchObject({ refId: 'B', datasourceUid: '__expr__', model: { expression: 'is_number($A) || is_nan($A) || is_inf($A)' } });
      expect(rule.condition).toBe('B');
    }
  });

  it("takes the contact point's URL from the environment, which Grafana gets from the 1Password item's Secret", () => {
    const env = (grafana.values(kkg) as unknown as { envValueFrom: Record<string, { secretKeyRef: { name: string; key: string } }> }).envValueFrom;
    const item = grafana.manifests(kkg, inventory).find((m) => m.kind === 'OnePasswordItem' && m.name === ALERTING_SECRET.name);

    expect(file.contactPoints[0].receivers[0].settings.url).toBe(`\${${ALERT_WEBHOOK_ENV}}`);
    expect(env[ALERT_WEBHOOK_ENV].secretKeyRef).toMatchObject({ name: ALERTING_SECRET.name, key: ALERTING_SECRET.key });
    expect(item).toMatchObject({ kind: 'OnePasswordItem', itemPath: 'vaults/Kubernetes/items/grafana-alerting', keys: [ALERTING_SECRET.key] });
    expect(file.policies[0].receiver).toBe('platform-webhook');
  });
});

describe('the committed data-source files', () => {
  it.each(['kkg', 'example'])('%s: every URL names a Service and port its chart renders (read from dist/, checked against the inventory)', (cluster) => {
    const map = parseAllDocuments(readFileSync(`dist/${cluster}/grafana/configmap-grafana-datasources.yaml`, 'utf8'))[0].toJS() as {
      data: Record<string, string>;
    };
    const file = JSON.parse(Object.values(map.data)[0]) as { datasources: { url: string }[] };
    const clusterInventory = loadInventories([cluster]).get(cluster) as Inventory;

    expect(file.datasources.map((d) => d.url.replace(/\.svc:.*/, ''))).toEqual(['http://mimir-nginx.mimir', 'http://loki-gateway.loki']);
    for (const { url } of file.datasources) {
      const [, name, namespace, port] = /^http:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc:([0-9]+)/.exec(url) ?? [];
      const service = [...clusterInventory.applications.values()]
        .flatMap((app) => app.services ?? [])
        .find((s) => s.name === name && s.namespace === namespace);

      expect(service, url).toBeDefined();
      expect(
        service?.ports.map((p) => p.port),
        url,
      ).toContain(Number(port));
    }
  });
});
