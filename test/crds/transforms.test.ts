import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gitBlobId } from '../../src/crds/refresh';
import { readSources } from '../../src/crds/sources';
import { applyTransform, type CertManagerStatic, TransformError } from '../../src/crds/transforms';

const sources = readSources('crds');
const certManager = sources.filter((source) => source.transform?.name === 'cert-manager-static');

/**
 * cert-manager's upstream file, rebuilt from the vendored one by putting back the Helm
 * template lines of `deploy/crds/*.yaml` at v1.18.6 (facts of those files; crds/README.md
 * lists them). Its git blob id proves the rebuild is the real upstream file.
 */
function upstreamOf(vendored: string): string {
  const [head, spec] = [vendored.slice(0, vendored.indexOf('\nspec:\n')), vendored.slice(vendored.indexOf('\nspec:\n'))];
  const templated = head
    .replace('\n  annotations:\n    helm.sh/resource-policy: keep\n', '\n  # START annotations {{- if .Values.crds.keep }}\n  annotations:\n    helm.sh/resource-policy: keep\n  # END annotations {{- end }}\n')
    .replace("    app: 'cert-manager'", `    app: '{{ template "cert-manager.name" . }}'`)
    .replace("    app.kubernetes.io/name: 'cert-manager'", `    app.kubernetes.io/name: '{{ template "cert-manager.name" . }}'`)
    .replace("    app.kubernetes.io/instance: 'cert-manager'", "    app.kubernetes.io/instance: '{{ .Release.Name }}'")
    .replace('    app.kubernetes.io/version: "v1.18.6"', '    # Generated labels {{- include "labels" . | nindent 4 }}');
  return `# START crd {{- if or .Values.crds.enabled .Values.installCRDs }}\n${templated}${spec}# END crd {{- end }}\n`;
}

describe('crds/sources.json', () => {
  it('pins the upstream blob of every file vendored byte for byte, and the vendored file has it', () => {
    const verbatim = sources.filter((source) => source.transform === undefined && source.blob !== undefined);

    expect(verbatim.map((source) => source.file)).toEqual([
      'argo-cd/application-crd.yaml',
      'argo-cd/appproject-crd.yaml',
      'onepassword-operator/onepassword.com_onepassworditems.yaml',
    ]);
    for (const source of verbatim) {
      expect(gitBlobId(readFileSync(`crds/${source.file}`)), source.file).toBe(source.blob);
    }
  });

  it('says why each file without a blob pin may change on its first refresh', () => {
    const unpinned = sources.filter((source) => source.blob === undefined);

    expect(unpinned.map((source) => source.file)).toEqual(['cilium/ciliuml2announcementpolicies.yaml', 'cilium/ciliumloadbalancerippools.yaml']);
    for (const source of unpinned) expect(source.note, source.file).toMatch(/\S/);
  });

  it('pins every URL at a tag or a commit of its repository', () => {
    for (const source of sources) {
      expect(source.url, source.file).toMatch(/^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/(v\d+\.\d+\.\d+|[0-9a-f]{40})\//);
    }
  });
});

describe('the cert-manager-static transform', () => {
  it.each(certManager.map((source) => [source.file, source] as const))(
    'turns the upstream %s into the vendored file, byte for byte',
    (file, source) => {
      const vendored = readFileSync(`crds/${file}`, 'utf8');
      const upstream = upstreamOf(vendored);

      // GIVEN the real upstream file (its blob is the pinned one)
      expect(gitBlobId(Buffer.from(upstream))).toBe(source.blob);
      // THEN the transform gives exactly today's vendored file
      expect(applyTransform(upstream, source.transform as CertManagerStatic)).toBe(vendored);
    },
  );

  it('uses the release version of the pinned tag', () => {
    for (const source of certManager) {
      expect(source.url, source.file).toContain(`/${(source.transform as CertManagerStatic).version}/`);
    }
  });

  it('changes only the wrapper and label lines, never the spec', () => {
    const upstream = upstreamOf(readFileSync('crds/cert-manager/crd-issuers.yaml', 'utf8'));
    const transformed = applyTransform(upstream, { name: 'cert-manager-static', release: 'certs', version: 'v9.9.9' });

    expect(transformed.slice(transformed.indexOf('\nspec:\n'))).toBe(upstream.slice(upstream.indexOf('\nspec:\n')).replace(/# END crd \{\{- end \}\}\n$/, ''));
    expect(transformed).toContain("    app.kubernetes.io/instance: 'certs'\n");
    expect(transformed).toContain('    app.kubernetes.io/component: "crds"\n    app.kubernetes.io/version: "v9.9.9"\n');
  });

  it('leaves a file without templates as it is', () => {
    const vendored = readFileSync('crds/cert-manager/crd-certificates.yaml', 'utf8');

    expect(applyTransform(vendored, { name: 'cert-manager-static', release: 'cert-manager', version: 'v1.18.6' })).toBe(vendored);
  });

  it('refuses a template it does not know instead of vendoring it', () => {
    const upstream = "metadata:\n  labels:\n    app: '{{ template \"cert-manager.name\" . }}'\n    tier: '{{ .Values.tier }}'\nspec: {}\n";

    expect(() => applyTransform(upstream, { name: 'cert-manager-static', release: 'cert-manager', version: 'v1.18.6' })).toThrow(
      new TransformError('line 4 of the result still holds a template: "tier: \'{{ .Values.tier }}\'"'),
    );
  });
});

describe('gitBlobId', () => {
  it('is the id `git hash-object` gives', () => {
    expect(gitBlobId(new Uint8Array())).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    expect(gitBlobId(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });
});
