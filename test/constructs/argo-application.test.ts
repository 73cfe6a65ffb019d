import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { type ArgoApplicationProps, ArgoApplication } from '../../src/constructs/argo-application';
import { DeletionPolicy } from '../../src/constructs/deletion-policy';
import { SyncWave } from '../../src/constructs/sync-wave';

function props(overrides: Partial<ArgoApplicationProps> = {}): ArgoApplicationProps {
  return {
    name: 'grafana',
    namespace: 'argocd',
    project: 'platform',
    wave: SyncWave.of(6),
    chart: {
      repoUrl: 'https://grafana.github.io/helm-charts',
      chart: 'grafana',
      version: '9.3.4',
      releaseName: 'grafana',
      values: { persistence: { enabled: true, size: '10Gi' } },
    },
    destinationServer: 'https://kubernetes.default.svc',
    destinationNamespace: 'grafana',
    ...overrides,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function render(overrides: Partial<ArgoApplicationProps> = {}): any {
  const chart = Testing.chart();
  new ArgoApplication(chart, 'App', props(overrides));
  const manifests = Testing.synth(chart);
  expect(manifests).toHaveLength(1);
  return manifests[0];
}

describe('ArgoApplication', () => {
  it('renders an argoproj.io/v1alpha1 Application in the Argo CD namespace', () => {
    const app = render();

    expect(app.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(app.kind).toBe('Application');
    expect(app.metadata.name).toBe('grafana');
    expect(app.metadata.namespace).toBe('argocd');
    expect(app.spec.project).toBe('platform');
  });

  it('writes the wave as a quoted string annotation', () => {
    expect(render({ wave: SyncWave.of(7) }).metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '7' });
  });

  it('pins the chart version as targetRevision and sets the release name', () => {
    const { source } = render().spec;

    expect(source.repoURL).toBe('https://grafana.github.io/helm-charts');
    expect(source.chart).toBe('grafana');
    expect(source.targetRevision).toBe('9.3.4');
    expect(source.helm.releaseName).toBe('grafana');
  });

  it('puts the values inline as valuesObject, not as a values file', () => {
    const { helm } = render().spec.source;

    expect(helm.valuesObject).toEqual({ persistence: { enabled: true, size: '10Gi' } });
    expect(helm.valueFiles).toBeUndefined();
    expect(helm.values).toBeUndefined();
  });

  it('syncs automatically with prune and self-heal', () => {
    expect(render().spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  it('retries failed syncs ten times with exponential backoff', () => {
    const { retry } = render().spec.syncPolicy;

    expect(retry.limit).toBe(10);
    expect(retry.backoff).toEqual({ duration: '10s', factor: 2, maxDuration: '5m' });
  });

  it('retries at the latest revision, so a fix committed meanwhile is picked up', () => {
    expect(render().spec.syncPolicy.retry.refresh).toBe(true);
  });

  it('creates the destination namespace', () => {
    expect(render().spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true']);
  });

  it('adds ServerSideApply=true only when asked', () => {
    expect(render({ serverSideApply: true }).spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
    expect(render().spec.syncPolicy.syncOptions).not.toContain('ServerSideApply=true');
  });

  it('carries the resources finalizer by default', () => {
    expect(render().metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it('carries no finalizer when the component is protected', () => {
    const app = render({ deletionPolicy: DeletionPolicy.protect('the CNI') });

    expect(app.metadata.finalizers).toBeUndefined();
  });

  it('marks a protected Application Prune=false,Delete=false so the root app never removes it', () => {
    const app = render({ deletionPolicy: DeletionPolicy.protect('the CNI') });

    expect(app.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
  });

  // controller/state.go CompareAppState (Argo CD v3.5.1): an object in the cluster but not in Git
  // makes the Application OutOfSync unless it carries compare-options IgnoreExtraneous; Prune=false
  // keeps it there for good, so without the option the root would stay OutOfSync for good.
  it('keeps a protected Application, once removed from Git, from leaving the root OutOfSync', () => {
    const app = render({ deletionPolicy: DeletionPolicy.protect('the CNI') });

    expect(app.metadata.annotations['argocd.argoproj.io/compare-options']).toBe('IgnoreExtraneous');
  });

  it('lets the root see an unprotected Application that left Git (it prunes it)', () => {
    const app = render({});

    expect(app.metadata.annotations?.['argocd.argoproj.io/compare-options']).toBeUndefined();
  });

  it('renders ignoreDifferences without the reason and respects them during sync', () => {
    const app = render({
      ignoreDifferences: [
        {
          group: 'admissionregistration.k8s.io',
          kind: 'ValidatingWebhookConfiguration',
          name: 'hook',
          jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
          reason: 'cainjector',
        },
        { group: '', kind: 'Secret', jsonPointers: ['/data/tls.crt'], reason: 'generated' },
      ],
    });

    expect(app.spec.ignoreDifferences).toEqual([
      {
        group: 'admissionregistration.k8s.io',
        kind: 'ValidatingWebhookConfiguration',
        name: 'hook',
        jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
      },
      { group: '', kind: 'Secret', jsonPointers: ['/data/tls.crt'] },
    ]);
    expect(app.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    expect(render().spec.syncPolicy.syncOptions).not.toContain('RespectIgnoreDifferences=true');
  });

  it('uses a single source when there are no supporting manifests', () => {
    const { spec } = render();

    expect(spec.source).toBeDefined();
    expect(spec.sources).toBeUndefined();
  });

  it('adds the Git folder of supporting manifests as a second source', () => {
    const { spec } = render({
      manifests: { repoUrl: 'https://git.example.test/platform.git', revision: 'main', path: 'dist/test/grafana' },
    });

    expect(spec.source).toBeUndefined();
    expect(spec.sources).toHaveLength(2);
    expect(spec.sources[0].chart).toBe('grafana');
    expect(spec.sources[1]).toEqual({
      repoURL: 'https://git.example.test/platform.git',
      targetRevision: 'main',
      path: 'dist/test/grafana',
    });
  });

  it('skips the chart CRDs only when asked', () => {
    const skipping = render({ chart: { ...props().chart, skipCrds: true } });

    expect(skipping.spec.source.helm.skipCrds).toBe(true);
    expect(render().spec.source.helm.skipCrds).toBeUndefined();
  });

  it('sends the application to the destination cluster and namespace', () => {
    expect(render().spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'grafana' });
  });
});

describe('ArgoApplication errors', () => {
  it('rejects a name longer than 53 characters, the Helm release name limit', () => {
    const name = 'a'.repeat(54);

    expect(() => render({ name })).toThrow(`Application name must be a DNS-1123 label of at most 53 characters, got "${name}"`);
  });

  it('rejects a name that is not a DNS-1123 label', () => {
    expect(() => render({ name: 'Grafana_1' })).toThrow('Application name must be a DNS-1123 label of at most 53 characters, got "Grafana_1"');
  });

  it.each(['^9.3.4', '9.x', 'latest', '*', '9.3', '>=9.0.0'])('rejects the chart version range %s', (version) => {
    expect(() => render({ chart: { ...props().chart, version } })).toThrow(`chart version of grafana must be an exact version like 1.2.3, got "${version}"`);
  });

  it('accepts a version with a leading v, as cert-manager spells it', () => {
    expect(render({ chart: { ...props().chart, version: 'v1.18.2' } }).spec.source.targetRevision).toBe('v1.18.2');
  });
});
