import { describe, expect, it } from 'vitest';
import { ignoreSettingsOf, jqPaths, normalise } from '../../src/plan/ignore-differences';

const webhook = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingWebhookConfiguration',
  metadata: { name: 'cert-manager-webhook' },
  webhooks: [{ name: 'a', clientConfig: { caBundle: 'X', service: { name: 's' } } }, { name: 'b' }],
};

describe('jq path expressions (the subset Argo CD users write)', () => {
  it('follows keys, iterates with [] and [] ?, and gives null paths under a missing key, as jq does', () => {
    expect(jqPaths('.webhooks[]?.clientConfig.caBundle', webhook)).toEqual([
      ['webhooks', 0, 'clientConfig', 'caBundle'],
      ['webhooks', 1, 'clientConfig', 'caBundle'],
    ]);
    expect(jqPaths('.metadata.labels["app.kubernetes.io/version"]', webhook)).toEqual([['metadata', 'labels', 'app.kubernetes.io/version']]);
    expect(jqPaths('.webhooks[1]', webhook)).toEqual([['webhooks', 1]]);
    expect(jqPaths('.nothing[]?', webhook)).toEqual([]);
  });

  it('selects with select(path == literal), and, or', () => {
    const pod = {
      spec: {
        initContainers: [
          { name: 'a', image: 'x' },
          { name: 'injected', image: 'y' },
        ],
      },
    };
    expect(jqPaths('.spec.initContainers[] | select(.name == "injected")', pod)).toEqual([['spec', 'initContainers', 1]]);
    expect(jqPaths('.spec.initContainers[] | select(.name != "injected" and .image == "x") | .image', pod)).toEqual([['spec', 'initContainers', 0, 'image']]);
    expect(jqPaths('.spec.initContainers[] | select(.name == "z" or .image == "y")', pod)).toEqual([['spec', 'initContainers', 1]]);
  });

  it('fails as jq fails, and on what it does not evaluate, saying where', () => {
    expect(() => jqPaths('.webhooks[].name[]', webhook)).toThrow('cannot iterate over string');
    expect(() => jqPaths('.webhooks | map(.name)', webhook)).toThrow(/^expected `select\(\.\.\.\)` or a path after `\|` at character 13/);
    expect(() => jqPaths('webhooks', webhook)).toThrow(/^expected a path starting with `\.`/);
  });
});

describe('normalise', () => {
  it('removes JSON pointers and jq paths of the objects a rule matches (group and kind globs, name), as del() does', () => {
    const result = normalise(webhook, undefined, [
      { group: 'admissionregistration.k8s.io', kind: '*WebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
      { group: '', kind: 'Secret', jsonPointers: ['/data'] },
    ]);

    expect(result.object.webhooks).toEqual([{ name: 'a', clientConfig: { service: { name: 's' } } }, { name: 'b' }]);
    expect(result.applied).toEqual(['.webhooks[]?.clientConfig.caBundle']);
    expect(webhook.webhooks[0].clientConfig?.caBundle).toBe('X');
  });

  it('deletes selected array items from the last, so earlier indices stay right', () => {
    const object = {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a' }, { name: 'x' }, { name: 'b' }, { name: 'x' }] },
    };

    const result = normalise(object, 'ns', [{ kind: 'Pod', jqPathExpressions: ['.spec.containers[] | select(.name == "x")'] }]);

    expect(result.object.spec).toEqual({ containers: [{ name: 'a' }, { name: 'b' }] });
  });

  it('says what it cannot apply instead of skipping it silently (managed fields managers need the live object)', () => {
    const result = normalise(webhook, undefined, [
      { kind: 'ValidatingWebhookConfiguration', managedFieldsManagers: ['kube-controller-manager'] },
      { kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks | length'] },
    ]);

    expect(result.problems).toEqual([
      'ignoreDifferences managedFieldsManagers (kube-controller-manager) on ValidatingWebhookConfiguration cert-manager-webhook name managers of the live object, which a render does not have; those fields are compared',
      expect.stringMatching(
        /^ignoreDifferences jq path `\.webhooks \| length` on ValidatingWebhookConfiguration cert-manager-webhook: expected .*; the field is compared$/,
      ),
    ]);
  });

  it('reads the rules and RespectIgnoreDifferences from an Application', () => {
    const settings = ignoreSettingsOf({
      spec: {
        ignoreDifferences: [{ kind: 'Secret', jsonPointers: ['/data'] }],
        syncPolicy: { syncOptions: ['ServerSideApply=true', 'RespectIgnoreDifferences=true'] },
      },
    });

    expect(settings).toEqual({ rules: [{ kind: 'Secret', jsonPointers: ['/data'] }], respected: true });
    expect(ignoreSettingsOf({ spec: {} })).toEqual({ rules: [], respected: false });
  });
});
