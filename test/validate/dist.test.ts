import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFolder } from '../../src/validate/validate';
import { loadAll, renderEnvironment } from '../helpers/render';
import { environments, lines, sources, validate } from './_helpers';

describe('validating the committed dist/', () => {
  it('finds nothing in the output of any cluster', () => {
    expect(lines(validateFolder('dist', { ...sources, environments }))).toEqual([]);
  });

  it('finds nothing in what synth renders for the fixture environments', () => {
    const fixtures = loadAll('test/fixtures/environments');
    const files = new Map(fixtures.flatMap((env) => [...renderEnvironment(env)]));

    expect(lines(validate(files, { environments: fixtures }))).toEqual([]);
  });

  it('names the file and path of a wrong type in spec.syncPolicy and of an unknown field in spec.source', () => {
    // GIVEN a copy of dist/ with a hand-broken copy of a real Application
    const dir = join(mkdtempSync(join(tmpdir(), 'pke-broken-')), 'dist');
    cpSync('dist', dir, { recursive: true });
    const file = join(dir, 'kkg/minio-operator.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('    targetRevision: ', '    targetRevisionn: ').replace('      selfHeal: true', '      selfHeal: "yes"'),
    );

    // WHEN the folder is validated
    const findings = validateFolder(dir, { ...sources, environments, shownDir: 'dist', cacheParsed: false });

    // THEN both mistakes are findings at their paths, with the schema they break
    expect(lines(findings)).toEqual([
      'dist/kkg/minio-operator.yaml: Application/minio-operator: /spec/source/targetRevision: chart operator: no targetRevision (Argo CD would take the latest chart) [chart-versions]',
      'dist/kkg/minio-operator.yaml: Application/minio-operator: /spec/source/targetRevisionn: unknown field (schema argoproj.io/v1alpha1 Application) [schema]',
      'dist/kkg/minio-operator.yaml: Application/minio-operator: /spec/syncPolicy/automated/selfHeal: expected boolean, got string "yes" [schema]',
    ]);
    expect(findings[1]).toMatchObject({ rule: 'schema', cluster: 'kkg', object: 'Application/minio-operator', fix: 'did you mean targetRevision?' });
  });

  it('reads files where the layout puts them, and names files it cannot read', () => {
    const files = new Map([
      ['kkg/README.md', '# documentation, read by no one'],
      ['kkg/a/b/deep.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\n'],
      ['kkg/grafana/extra.yml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n'],
      ['kkg/grafana/broken.yaml', 'metadata: [\n'],
      ['kkg/grafana/list.yaml', '- a\n- b\n'],
      ['kkg/grafana/empty.yaml', '# nothing\n'],
    ]);

    expect(lines(validate(files, { rules: [] }))).toEqual([
      'dist/kkg/a/b/deep.yaml: not where Argo CD or the bootstrap reads manifests [schema]',
      expect.stringMatching(/^dist\/kkg\/grafana\/broken\.yaml: not valid YAML: .+ \[schema\]$/),
      'dist/kkg/grafana/empty.yaml: holds no object [schema]',
      'dist/kkg/grafana/extra.yml: expected the extension .yaml (the root app reads *.yaml only) [schema]',
      'dist/kkg/grafana/list.yaml: not a Kubernetes object: expected a mapping with apiVersion and kind (strings) [schema]',
    ]);
  });
});
