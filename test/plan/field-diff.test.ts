import { describe, expect, it } from 'vitest';
import { fieldChanges, fieldDiff, formatValue } from '../../src/plan/field-diff';

/** A child Application as synth writes it, with what a test changes. */
function application(version: string, values: Record<string, unknown>, annotations: Record<string, string> = { 'argocd.argoproj.io/sync-wave': '4' }) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'traefik', annotations },
    spec: {
      sources: [
        { chart: 'traefik', repoURL: 'https://traefik.github.io/charts', targetRevision: version, helm: { releaseName: 'traefik', valuesObject: values } },
        { path: 'dist/kkg/traefik', repoURL: 'https://git.example.test/platform.git', targetRevision: 'main' },
      ],
    },
  };
}

describe('fieldDiff', () => {
  it('names each changed field by its path, with the old and the new value', () => {
    const before = application('37.0.0', { ingress: { host: 'a.example.test' }, replicas: 1 });
    const after = application('37.1.0', { ingress: { host: 'b.example.test' }, replicas: 2 });

    expect(fieldDiff(before, after)).toEqual([
      'spec.sources[0].helm.valuesObject.ingress.host: a.example.test → b.example.test',
      'spec.sources[0].helm.valuesObject.replicas: 1 → 2',
      'spec.sources[0].targetRevision: 37.0.0 → 37.1.0',
    ]);
  });

  it('quotes a key that is no plain name, and a string that would read as a number', () => {
    const before = application('37.0.0', {}, { 'argocd.argoproj.io/sync-wave': '4' });
    const after = application('37.0.0', {}, { 'argocd.argoproj.io/sync-wave': '5' });

    expect(fieldDiff(before, after)).toEqual(['metadata.annotations["argocd.argoproj.io/sync-wave"]: "4" → "5"']);
  });

  it('says (none) for a field on one side only, and writes a whole added mapping as JSON', () => {
    const before = application('37.0.0', {});
    const after = application('37.0.0', { ingress: { enabled: true, host: '' } });

    expect(fieldDiff(before, after)).toEqual(['spec.sources[0].helm.valuesObject.ingress: (none) → {"enabled":true,"host":""}']);
    expect(fieldDiff(after, before)).toEqual(['spec.sources[0].helm.valuesObject.ingress: {"enabled":true,"host":""} → (none)']);
  });

  it('compares lists by index, and an item inserted in the middle does not shift the ones after it', () => {
    const before = { spec: { destinations: [{ namespace: 'alloy' }, { namespace: 'grafana' }, { namespace: 'loki' }] } };
    const inserted = { spec: { destinations: [{ namespace: 'alloy' }, { namespace: 'cert-manager' }, { namespace: 'grafana' }, { namespace: 'loki' }] } };
    const renamed = { spec: { destinations: [{ namespace: 'alloy' }, { namespace: 'grafana-2' }, { namespace: 'loki' }] } };

    expect(fieldDiff(before, inserted)).toEqual(['spec.destinations[1]: (none) → {"namespace":"cert-manager"}']);
    expect(fieldDiff(before, renamed)).toEqual(['spec.destinations[1].namespace: grafana → grafana-2']);
  });

  it('shortens a long value that is not a changed string to 80 characters', () => {
    const [line] = fieldDiff({ a: { long: 'x'.repeat(200) } }, { a: 'y' });

    expect(line).toBe(`a: {"long":"${'x'.repeat(70)}… → y`);
  });

  it('shows a string changed into another whole, however long: a cut could hide the difference', () => {
    const [line] = fieldDiff({ a: `${'x'.repeat(150)}1` }, { a: `${'x'.repeat(150)}2` });

    expect(line).toBe(`a: ${'x'.repeat(150)}1 → ${'x'.repeat(150)}2`);
  });

  it('shows a changed text of several lines as a line diff under its path', () => {
    const before = { data: { 'resource.customizations.health.argoproj.io_Application': 'hs = {}\nhs.status = "Progressing"\nreturn hs\n' } };
    const after = { data: { 'resource.customizations.health.argoproj.io_Application': 'hs = {}\nhs.status = "Healthy"\nreturn hs\n' } };

    expect(fieldDiff(before, after)).toEqual([
      'data["resource.customizations.health.argoproj.io_Application"]: text of 3 → 3 lines:',
      '    @@ -1,3 +1,3 @@',
      '     hs = {}',
      '    -hs.status = "Progressing"',
      '    +hs.status = "Healthy"',
      '     return hs',
    ]);
  });

  it('finds nothing in equal objects, whatever their key order', () => {
    expect(fieldChanges({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });
});

describe('formatValue', () => {
  it('writes plain strings plainly, and quotes what would read as something else', () => {
    expect([
      formatValue('traefik'),
      formatValue(''),
      formatValue('true'),
      formatValue(' padded'),
      formatValue(3),
      formatValue(null),
      formatValue(undefined),
    ]).toEqual(['traefik', '""', '"true"', '" padded"', '3', 'null', '(none)']);
  });
});
