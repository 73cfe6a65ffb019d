import { readFileSync } from 'node:fs';
import { Testing } from 'cdk8s';
import type { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { IngressNetworkPolicy } from '../../src/constructs/network-policy';
import { ProvisioningConfigMap } from '../../src/constructs/provisioning-config-map';
import { SMOKE_TEST_IMAGE, SmokeTestHook } from '../../src/constructs/smoke-test';
import { SyncOption } from '../../src/constructs/sync-option';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function synthOne(build: (scope: Construct) => void): any {
  const chart = Testing.chart();
  build(chart);
  const manifests = Testing.synth(chart);
  expect(manifests).toHaveLength(1);
  return manifests[0];
}

describe('IngressNetworkPolicy', () => {
  const allow = { from: [{ namespace: 'traefik', pods: { 'app.kubernetes.io/name': 'traefik' } }], ports: [{ port: 'http', protocol: 'TCP' }] };

  it('renders an Ingress-only policy whose peers are always pinned to a namespace by its name label', () => {
    const policy = synthOne((s) => new IngressNetworkPolicy(s, 'P', { name: 'allow-app', namespace: 'app', podSelector: { app: 'web' }, allows: [allow] }));

    expect(policy.apiVersion).toBe('networking.k8s.io/v1');
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'web' } });
    expect(policy.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
          },
        ],
        ports: [{ port: 'http', protocol: 'TCP' }],
      },
    ]);
  });

  it('denies every ingress of every pod with no allows and an empty selector', () => {
    const policy = synthOne((s) => new IngressNetworkPolicy(s, 'P', { name: 'default-deny-ingress', namespace: 'app', podSelector: {}, allows: [] }));

    expect(policy.spec.podSelector).toEqual({});
    expect(policy.spec.ingress).toEqual([]);
  });

  it('carries the sync options of a protected component', () => {
    const policy = synthOne(
      (s) =>
        new IngressNetworkPolicy(s, 'P', {
          name: 'd',
          namespace: 'app',
          podSelector: {},
          allows: [],
          extraSyncOptions: [SyncOption.noPrune(), SyncOption.noDelete()],
        }),
    );

    expect(policy.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
  });

  it.each([
    [{ ...allow, from: [] }, 'NetworkPolicy p: allow 0 needs at least one peer and one port'],
    [{ ...allow, ports: [{ port: 70000, protocol: 'TCP' }] }, 'NetworkPolicy p: port 70000 is outside 1-65535'],
    [{ ...allow, ports: [{ port: 80, protocol: 'tcp' }] }, 'NetworkPolicy p: protocol tcp is not TCP, UDP or SCTP'],
  ])('rejects a malformed allow (%#)', (bad, message) => {
    expect(() => new IngressNetworkPolicy(Testing.chart(), 'P', { name: 'p', namespace: 'app', podSelector: {}, allows: [bad] })).toThrow(message);
  });
});

describe('SmokeTestHook', () => {
  const targets = [
    { url: 'http://grafana.grafana.svc:80/api/health', expect: 'success' as const },
    { url: 'http://app.app.svc:8080/', expect: 'any-response' as const },
  ];

  it('renders a PostSync hook Job, replaced at the next sync, with a deadline and few retries', () => {
    const job = synthOne((s) => new SmokeTestHook(s, 'S', { name: 'platform-smoke-test', namespace: 'grafana', targets }));

    expect(job.metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    expect(job.spec.activeDeadlineSeconds).toBe(180);
    expect(job.spec.backoffLimit).toBe(1);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
    expect(job.spec.template.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(job.spec.template.spec.containers[0].image).toBe(SMOKE_TEST_IMAGE);
  });

  it('fails on a non-2xx/3xx answer only for health endpoints, and retries every target for about a minute', () => {
    const hook = new SmokeTestHook(Testing.chart(), 'S', { name: 'x', namespace: 'grafana', targets });
    const [, first, second] = hook.script.split('\n');

    expect(hook.script.startsWith('set -eu\n')).toBe(true);
    expect(first).toMatch(/^curl --fail .*--retry 12 --retry-delay 5 --retry-all-errors .*'http:\/\/grafana\.grafana\.svc:80\/api\/health'$/);
    expect(second).not.toContain('--fail');
    expect(second).toContain("'http://app.app.svc:8080/'");
  });

  it.each([
    [{ targets: [] }, 'smoke test x needs at least one target'],
    [
      { targets: [{ url: "http://a.b.svc/'; rm -rf /", expect: 'success' as const }] },
      `smoke test x: "http://a.b.svc/'; rm -rf /" is not a plain in-cluster http URL`,
    ],
    [{ image: 'curlimages/curl:8.11.1' }, 'smoke test x: image curlimages/curl:8.11.1 is not pinned by digest'],
  ])('rejects what it cannot run safely (%#)', (bad, message) => {
    expect(() => new SmokeTestHook(Testing.chart(), 'S', { name: 'x', namespace: 'grafana', targets, ...bad })).toThrow(message);
  });

  it("keeps its image where Renovate's docker manager finds tag and digest", () => {
    const config = JSON.parse(readFileSync('renovate.json', 'utf8')) as {
      customManagers: { datasourceTemplate: string; managerFilePatterns: string[]; matchStrings: string[] }[];
    };
    const manager = config.customManagers.find((m) => m.datasourceTemplate === 'docker');
    const source = readFileSync('src/constructs/smoke-test.ts', 'utf8');
    const match = new RegExp(manager?.matchStrings[0] ?? '$^').exec(source);

    expect(manager?.managerFilePatterns).toEqual(['/^src/constructs/smoke-test\\.ts$/']);
    expect(match?.groups).toEqual({ depName: 'curlimages/curl', currentValue: '8.11.1', currentDigest: SMOKE_TEST_IMAGE.split('@')[1] });
  });
});

describe('ProvisioningConfigMap', () => {
  it('renders the files under the label its sidecar selects', () => {
    const map = synthOne(
      (s) =>
        new ProvisioningConfigMap(s, 'C', {
          name: 'grafana-datasources',
          namespace: 'grafana',
          labels: { grafana_datasource: '1' },
          files: { 'a.yaml': 'x: 1\n' },
        }),
    );

    expect(map).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { grafana_datasource: '1' } }, data: { 'a.yaml': 'x: 1\n' } });
  });

  it('rejects a ConfigMap no sidecar would find, or a file name Kubernetes refuses', () => {
    expect(() => new ProvisioningConfigMap(Testing.chart(), 'C', { name: 'c', namespace: 'g', labels: {}, files: { a: '' } })).toThrow(
      'ConfigMap c needs the label its sidecar selects',
    );
    expect(() => new ProvisioningConfigMap(Testing.chart(), 'C', { name: 'c', namespace: 'g', labels: { l: '1' }, files: { 'a/b': '' } })).toThrow(
      'ConfigMap c: "a/b" is not a valid file name',
    );
  });
});
