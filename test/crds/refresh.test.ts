import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/user-error';
import { type Fetch, refreshCrds, refreshReport } from '../../src/crds/refresh';
import { readSources } from '../../src/crds/sources';
import { readTree } from '../../src/synth/write';

const sources = readSources('crds');

/** A copy of crds/ in a temporary folder, named relative to the working directory as the command names crds/. */
function copyOfCrds(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pke-crds-'));
  cpSync('crds', dir, { recursive: true });
  return relative('.', dir);
}

/** What upstream serves for each vendored file when nothing changed there (cert-manager's Helm wrapper put back). */
function upstreamToday(file: string): string {
  const vendored = readFileSync(`crds/${file}`, 'utf8');
  if (!file.startsWith('cert-manager/')) return vendored;
  const head = vendored.slice(0, vendored.indexOf('\nspec:\n'))
    .replace('\n  annotations:\n    helm.sh/resource-policy: keep\n', '\n  # START annotations {{- if .Values.crds.keep }}\n  annotations:\n    helm.sh/resource-policy: keep\n  # END annotations {{- end }}\n')
    .replace(/'cert-manager'/g, (_match, offset: number, text: string) =>
      text.slice(text.lastIndexOf('\n', offset), offset).includes('instance') ? "'{{ .Release.Name }}'" : `'{{ template "cert-manager.name" . }}'`,
    )
    .replace('    app.kubernetes.io/version: "v1.18.6"', '    # Generated labels {{- include "labels" . | nindent 4 }}');
  return `# START crd {{- if or .Values.crds.enabled .Values.installCRDs }}\n${head}${vendored.slice(vendored.indexOf('\nspec:\n'))}# END crd {{- end }}\n`;
}

/** A stand-in for the network: serves `content(file)` for each source URL, or what `answer` says. */
function fakeFetch(answer: (url: string) => string | { status: number; statusText: string } | Error): { fetch: Fetch; requested: string[] } {
  const requested: string[] = [];
  const fetch: Fetch = async (url) => {
    requested.push(url);
    const result = answer(url);
    if (result instanceof Error) throw result;
    if (typeof result === 'string') {
      return { ok: true, status: 200, statusText: 'OK', arrayBuffer: async () => new Uint8Array(Buffer.from(result)).buffer };
    }
    return { ok: false, ...result, arrayBuffer: async () => new ArrayBuffer(0) };
  };
  return { fetch, requested };
}

const fileOf = (url: string): string => (sources.find((source) => source.url === url) ?? { file: '?' }).file;
const unchangedUpstream = (url: string): string => upstreamToday(fileOf(url));
const offline = (host: string): Error =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }) });

/** The UserError a refresh throws, as printed lines. */
async function failure(dir: string, fetch: Fetch): Promise<string[]> {
  const error = await refreshCrds(dir, fetch).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as UserError).message.split('\n');
}

describe('npm run crds', () => {
  it('reproduces every file byte for byte when nothing changed upstream, and says so', async () => {
    const dir = copyOfCrds();
    const before = readTree(dir);
    const { fetch, requested } = fakeFetch(unchangedUpstream);

    const outcomes = await refreshCrds(dir, fetch);

    expect(requested.sort()).toEqual(sources.map((s) => s.url).sort());
    expect(outcomes.map((o) => [o.path, o.status])).toEqual(sources.map((s) => [`${dir}/${s.file}`, 'unchanged']));
    expect(readTree(dir)).toEqual(before);
    expect(refreshReport(outcomes, 'crds').split('\n').at(-2)).toBe('crds/ is current: every file is what its pinned source gives');
  });

  it('says in one line per host that it cannot reach it, and changes nothing', async () => {
    const dir = copyOfCrds();
    const before = readTree(dir);

    const lines = await failure(dir, fakeFetch(() => offline('raw.githubusercontent.com')).fetch);

    expect(lines).toEqual([`raw.githubusercontent.com: not reachable (getaddrinfo ENOTFOUND raw.githubusercontent.com); 8 file(s) of ${dir}/ not refreshed`]);
    expect(readTree(dir)).toEqual(before);
  });

  it('writes nothing when one host is unreachable, even if the others changed', async () => {
    const dir = copyOfCrds();
    const sourcesFile = join(dir, 'sources.json');
    writeFileSync(sourcesFile, readFileSync(sourcesFile, 'utf8').replace('https://raw.githubusercontent.com/1Password/', 'https://mirror.example.test/1Password/'));
    const before = readTree(dir);
    const { fetch } = fakeFetch((url) => (url.startsWith('https://mirror.example.test/') ? offline('mirror.example.test') : url.includes('/cilium/') ? 'changed' : unchangedUpstream(url)));

    const lines = await failure(dir, fetch);

    expect(lines).toEqual([`mirror.example.test: not reachable (getaddrinfo ENOTFOUND mirror.example.test); 1 file(s) of ${dir}/ not refreshed`]);
    expect(readTree(dir)).toEqual(before);
  });

  it('says how long it waited when a host does not answer', async () => {
    const dir = copyOfCrds();
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });

    expect(await failure(dir, fakeFetch(() => timeout).fetch)).toEqual([
      `raw.githubusercontent.com: not reachable (no answer within 20 s); 8 file(s) of ${dir}/ not refreshed`,
    ]);
  });

  it('names the file and URL of a failed download', async () => {
    const dir = copyOfCrds();
    const missing = sources[0];
    const { fetch } = fakeFetch((url) => (url === missing.url ? { status: 404, statusText: 'Not Found' } : unchangedUpstream(url)));

    expect(await failure(dir, fetch)).toEqual([`${dir}/${missing.file}: ${missing.url}: HTTP 404 Not Found`]);
  });

  it('refuses a download whose blob is not the pinned one (a moved tag), and writes nothing', async () => {
    const dir = copyOfCrds();
    const before = readTree(dir);
    const { fetch } = fakeFetch((url) => (fileOf(url) === 'argo-cd/appproject-crd.yaml' ? 'moved\n' : unchangedUpstream(url)));

    const lines = await failure(dir, fetch);

    expect(lines).toEqual([
      `${dir}/argo-cd/appproject-crd.yaml: expected upstream blob 1cea1a4d5c90608643d513a30a51b3471a425755 (${dir}/sources.json), ` +
        'got 549477274da81523feadb7071d7af1b0f0bd1683 from https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.1/manifests/crds/appproject-crd.yaml: ' +
        'the tag moved or the pin changed; check the file, then set its blob',
    ]);
    expect(readTree(dir)).toEqual(before);
  });

  it('replaces a file whose upstream changed, and says to run npm run import', async () => {
    const dir = copyOfCrds();
    const l2 = 'cilium/ciliuml2announcementpolicies.yaml';
    const { fetch } = fakeFetch((url) => (fileOf(url) === l2 ? 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n' : unchangedUpstream(url)));

    const outcomes = await refreshCrds(dir, fetch);

    expect(outcomes.filter((o) => o.status !== 'unchanged').map((o) => [o.path, o.status])).toEqual([[`${dir}/${l2}`, 'updated']]);
    expect(readFileSync(join(dir, l2), 'utf8')).toBe('apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n');
    expect(refreshReport(outcomes, dir)).toContain(`  updated   ${dir}/${l2} (upstream blob `);
    expect(refreshReport(outcomes, dir)).toContain(`1 file(s) of ${dir}/ changed: run \`npm run import\`, then commit ${dir}/ and imports/ together\n`);
  });

  it('refuses a vendored file that sources.json does not list', async () => {
    const dir = copyOfCrds();
    writeFileSync(join(dir, 'cilium/extra.yaml'), 'kind: CustomResourceDefinition\n');

    expect(await failure(dir, fakeFetch(unchangedUpstream).fetch)).toEqual([
      `${dir}/cilium/extra.yaml: not listed in ${dir}/sources.json; add its url there, or delete the file`,
    ]);
  });

  it('names the key of a broken entry of sources.json before it downloads anything', async () => {
    const dir = copyOfCrds();
    const sourcesFile = join(dir, 'sources.json');
    writeFileSync(sourcesFile, readFileSync(sourcesFile, 'utf8').replace('"blob": "d654fa27c6baa8907e7c51f060d82cd1247925d6"', '"blob": "d654fa27"'));
    const { fetch, requested } = fakeFetch(unchangedUpstream);

    expect(await failure(dir, fetch)).toEqual([
      `${dir}/sources.json: /files/argo-cd~1application-crd.yaml/blob: expected a git blob id (40 hex digits), got "d654fa27"`,
    ]);
    expect(requested).toEqual([]);
    rmSync(dir, { recursive: true });
  });
});
