import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, visit } from 'yaml';
import { resolvePlain } from '../../src/synth/yaml11';
import { pruneRenderCache } from '../../src/charts/_cache-age';
import { ChartStore } from '../../src/charts/chart-store';
import { locateHelm, runHelm } from '../../src/charts/helm';
import { createLimit, helmEnvironment, readYaml, type RenderJob, renderJobs, resolvePackages } from '../../src/charts/jobs';

const REPO = process.cwd();

/** A render job of the test chart `probe` in `cluster`, with `values`. */
function probeJob(cluster: string, values: unknown): RenderJob {
  return {
    cluster,
    name: 'probe',
    chartRef: { repoURL: 'https://charts.example.test', chart: 'probe', version: '0.1.0' },
    releaseName: 'probe',
    namespace: 'probe',
    values,
    skipCrds: false,
    kubeVersion: '1.33.0',
    apiVersions: [],
    origin: { file: `environments/${cluster}.yaml`, fix: 'fix it' },
  };
}

/** A chart store below `dir` with the test charts as its offline folder. */
function testCharts(dir: string): ChartStore {
  return new ChartStore({ cacheDir: join(dir, 'charts'), offlineDirs: [join(REPO, 'test/fixtures/test-charts')] });
}

/** What the `yaml` package reads of a text with go-yaml v2's resolution: the reference js-yaml must agree with. */
function referenceRead(text: string): { values: unknown[] } | { error: true } {
  const docs = parseAllDocuments(text, { uniqueKeys: false, schema: 'failsafe' });
  for (const doc of docs) {
    visit(doc, {
      Scalar(_, node) {
        if (node.type === 'PLAIN' && node.tag === undefined && typeof node.value === 'string') node.value = resolvePlain(node.value);
      },
    });
  }
  if (docs.some((doc) => doc.errors.length > 0)) return { error: true };
  return { values: docs.map((doc) => doc.toJS({ maxAliasCount: -1 }) as unknown) };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    // A chart's templates are Go templates, not YAML.
    if (statSync(path).isDirectory()) return entry === 'templates' ? [] : yamlFiles(path);
    return /\.ya?ml$/.test(entry) ? [path] : [];
  });
}

describe('reading Helm output', () => {
  it('reads every YAML file of the repository (CRDs, dist/, inventories, environments, fixtures) as the yaml package does, empty documents aside', () => {
    const files = ['crds', 'dist', 'inventory', 'environments', 'test/fixtures'].flatMap((dir) => yamlFiles(join(REPO, dir)));
    expect(files.length).toBeGreaterThan(100);

    const disagreements = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const ours = readYaml(text);
      const reference = referenceRead(text);
      const same =
        'error' in reference
          ? 'error' in ours
          : 'values' in ours && JSON.stringify(ours.values.filter((v) => v !== null)) === JSON.stringify(reference.values.filter((v) => v !== null));
      return same ? [] : [relative(REPO, file)];
    });
    expect(disagreements).toEqual([]);
  });

  it('takes the last of a key written twice, as Helm and Argo CD do', () => {
    expect(readYaml('metadata:\n  labels:\n    a: one\n    a: two\n')).toEqual({ values: [{ metadata: { labels: { a: 'two' } } }] });
  });

  // Argo CD reads a chart's output with kube.SplitYAML (gitops-engine pkg/utils/kube/kube.go), through
  // sigs.k8s.io/yaml v1.6.0 and go-yaml v2: plain scalars resolve as go-yaml v2's resolve.go does.
  it.each([
    ['0400', 256, "cilium's defaultMode: a YAML 1.1 octal"],
    ['0o17', 15, "Go's ParseInt base 0"],
    ['0x1F', 31, 'hex'],
    ['0b101', 5, 'binary'],
    ['-0b101', -5, 'signed binary'],
    ['1_000', 1000, 'underscores dropped'],
    ['+2', 2, 'a sign'],
    ['08', 8, 'not octal, read as yamlStyleFloat'],
    ['1e3', 1000, 'yamlStyleFloat without a dot'],
    ['.5', 0.5, 'a float from a dot'],
    ['1.', 1, 'a float ending in a dot'],
    ['on', true, 'a YAML 1.1 boolean'],
    ['Yes', true, 'a YAML 1.1 boolean'],
    ['y', true, 'a YAML 1.1 boolean'],
    ['N', false, 'a YAML 1.1 boolean'],
    ['off', false, 'a YAML 1.1 boolean'],
    ['~', null, 'null'],
    ['Null', null, 'null'],
    ['2001-12-14', '2001-12-14', 'a timestamp stays a string for interface{}'],
    ['1:20', '1:20', 'go-yaml v2 never reads sexagesimals'],
    ['tRUE', 'tRUE', 'not in the map'],
    ['0x', '0x', 'no digits'],
    ['1.2.3', '1.2.3', 'a version'],
    ['"0400"', '0400', 'quoted: a string'],
    ["'on'", 'on', 'quoted: a string'],
  ] as [string, unknown, string][])('reads %s as go-yaml v2 does (%s)', (text, expected) => {
    expect(readYaml(`a: ${text}\n`)).toEqual({ values: [{ a: expected }] });
  });

  it('reads keys as go-yaml v2 does, and sigs.k8s.io/yaml writes them as JSON keys', () => {
    expect(readYaml('on: 1\n0400: 2\n')).toEqual({ values: [{ true: 1, 256: 2 }] });
  });

  it('applies a << merge key, as go-yaml v2 does', () => {
    expect(readYaml('base: &b\n  x: 0400\nobj:\n  <<: *b\n  z: on\n')).toEqual({ values: [{ base: { x: 256 }, obj: { x: 256, z: true } }] });
  });

  it('reads the same with the yaml package when js-yaml refuses the text (a tag of its own)', () => {
    expect(readYaml('a: !custom x\nb: 0400\nc: on\nd: "on"\n')).toEqual({ values: [{ a: 'x', b: 256, c: true, d: 'on' }] });
  });

  it('reads documents separated by ---; an empty one is null or absent', () => {
    expect(readYaml('a: 1\n---\n---\nb: 2\n')).toEqual({ values: [{ a: 1 }, null, { b: 2 }] });
    expect(readYaml('# Source: chart/templates/off.yaml\n')).toEqual({ values: [null] });
  });

  it('reads what js-yaml refuses but YAML allows (a tag of its own) with the yaml package', () => {
    expect(readYaml('value: !custom text\n')).toEqual({ values: [{ value: 'text' }] });
  });

  it("reports invalid YAML with the yaml package's message", () => {
    const read = readYaml('metadata:\n  name: [unclosed\n');

    expect(read).toEqual({ error: expect.stringMatching(/flow sequence/i) });
  });
});

describe('the Helm processes', () => {
  it('give Go as many threads as there are cores per parallel Helm, at least one', () => {
    const cores = availableParallelism();

    expect(helmEnvironment(cores, { PATH: '/bin' })).toEqual({ PATH: '/bin', GOMAXPROCS: '1' });
    expect(helmEnvironment(1, {}).GOMAXPROCS).toBe(String(cores));
    expect(helmEnvironment(cores * 4, {}).GOMAXPROCS).toBe('1');
  });

  it("keep the user's GOMAXPROCS", () => {
    expect(helmEnvironment(2, { GOMAXPROCS: '7' })).toEqual({ GOMAXPROCS: '7' });
  });

  it('start once the file is no longer open for writing (ETXTBSY: Helm just taken out of the zip while another thread starts a child)', async () => {
    // GIVEN an executable that this process still holds open for writing
    const path = join(mkdtempSync(join(tmpdir(), 'pke-busy-')), 'helm');
    const fd = openSync(path, 'w', 0o755);
    writeSync(fd, '#!/bin/sh\necho "rendered $1"\n');
    chmodSync(path, 0o755);

    // WHEN it is run, and the descriptor is closed a little later
    const run = runHelm({ path, version: 'v0', source: 'test' }, ['template']);
    setTimeout(() => closeSync(fd), 120);

    // THEN the run waits for it instead of failing
    expect(await run).toEqual({ code: 0, stdout: 'rendered template\n', stderr: '' });
  });

  it('ask the version of a Helm still held open for writing once it is closed', async () => {
    // GIVEN a Helm that this process holds open for writing, closed by another thread 120 ms later
    const path = join(mkdtempSync(join(tmpdir(), 'pke-busy-')), 'helm');
    const fd = openSync(path, 'w', 0o755);
    writeSync(fd, '#!/bin/sh\necho v4.1.4\n');
    chmodSync(path, 0o755);
    const closer = new Worker("const { workerData } = require('node:worker_threads'); setTimeout(() => require('node:fs').closeSync(workerData), 120);", {
      eval: true,
      workerData: fd,
    });
    await new Promise((resolve) => closer.once('online', resolve));

    // WHEN Helm is located (which asks its version, blocking this thread)
    const helm = locateHelm({ root: REPO, cacheDir: join(REPO, '.cache', 'helm'), env: { HELM: path } });

    // THEN the version is there
    expect(helm).toEqual({ path, version: 'v4.1.4', source: '$HELM' });
    await closer.terminate();
  });

  it('render the same inputs once when two clusters ask at the same time, each with its own values file', async () => {
    // GIVEN a Helm that logs each run and the values file it was given
    const dir = mkdtempSync(join(tmpdir(), 'pke-jobs-'));
    const real = locateHelm({ root: REPO, cacheDir: join(REPO, '.cache', 'helm'), env: { PATH: '' } });
    const log = join(dir, 'runs.log');
    const wrapper = join(dir, 'helm');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nprev=''\nfor a in "$@"; do [ "$prev" = --values ] && echo "$a" >> '${log}'; prev="$a"; done\nexec '${real.path}' "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    const helm = { ...real, path: wrapper };
    const jobs = [probeJob('one', { replicas: 2 }), probeJob('two', { replicas: 2 }), probeJob('three', { replicas: 3 })];
    const { packages } = await resolvePackages(jobs, testCharts(dir));
    const options = { helm, cacheDir: join(dir, 'render'), jobs: 2 };
    const limit = createLimit(2);

    // WHEN the three clusters render at the same time
    const [one, two, three] = await Promise.all(jobs.map((j) => renderJobs([j], packages, options, limit)));

    // THEN Helm ran twice (replicas 2 once, replicas 3 once), with a values file each, and every cluster has its objects
    const runs = readFileSync(log, 'utf8').trim().split('\n');
    expect(runs).toHaveLength(2);
    expect(new Set(runs).size).toBe(2);
    for (const rendered of [one, two, three]) expect(rendered.problems).toEqual([]);
    const replicas = (rendered: typeof one, j: RenderJob): unknown =>
      (
        rendered.results
          .get(j)
          ?.bodies()
          .find((o) => o.kind === 'Deployment') as { spec?: { replicas?: unknown } } | undefined
      )?.spec?.replicas;
    expect([replicas(one, jobs[0]), replicas(two, jobs[1]), replicas(three, jobs[2])]).toEqual([2, 2, 3]);
  });
});

describe('the render cache over time', () => {
  const DAY = 24 * 3600 * 1000;
  const aged = (file: string, days: number): void => {
    const when = new Date(Date.now() - days * DAY);
    utimesSync(file, when, when);
  };
  const cacheWith = (files: Record<string, number>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-render-cache-'));
    for (const [file, days] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), '{}');
      aged(join(dir, file), days);
    }
    return dir;
  };
  const filesIn = (dir: string): string[] =>
    (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => statSync(join(dir, f)).isFile()).sort();

  it('forgets what no run has used for a week, folders left empty too, and keeps its own memos', () => {
    const dir = cacheWith({ 'ab/old.json': 8, 'ab/new.json': 0, 'cd/old.summary.json': 8, 'crds/x.json': 10, 'validated.json': 30 });

    pruneRenderCache(dir);

    expect(filesIn(dir)).toEqual(['.pruned', 'ab/new.json', 'validated.json']);
  });

  it('prunes at most once a day', () => {
    const dir = cacheWith({ 'ab/new.json': 0 });
    pruneRenderCache(dir);
    writeFileSync(join(dir, 'ab', 'old.json'), '{}');
    aged(join(dir, 'ab', 'old.json'), 9);

    pruneRenderCache(dir);
    const sameDay = filesIn(dir);
    pruneRenderCache(dir, 7, Date.now() + 2 * DAY);

    expect(sameDay).toContain('ab/old.json');
    expect(filesIn(dir)).not.toContain('ab/old.json');
  });

  it('marks a render as used when a run takes it from the cache', async () => {
    // GIVEN a render in the cache whose files were last used three days ago
    const dir = mkdtempSync(join(tmpdir(), 'pke-jobs-'));
    const helm = locateHelm({ root: REPO, cacheDir: join(REPO, '.cache', 'helm'), env: { PATH: '' } });
    const job = probeJob('lab', {});
    const { packages } = await resolvePackages([job], testCharts(dir));
    const options = { helm, cacheDir: join(dir, 'render'), jobs: 1 };
    await renderJobs([job], packages, options);
    const cached = filesIn(options.cacheDir).map((f) => join(options.cacheDir, f));
    for (const file of cached) aged(file, 3);

    // WHEN a run takes it from the cache
    const again = await renderJobs([job], packages, options);

    // THEN nothing was rendered, and both files of the render are marked as used today
    expect(again.stats.fresh).toBe(0);
    expect(cached).toHaveLength(2);
    for (const file of cached) expect(Date.now() - statSync(file).mtimeMs).toBeLessThan(DAY);
  });
});

describe('a render cache entry', () => {
  /** A render of the probe chart in a cache of its own, and what a run makes of that cache once `poison` has changed it. */
  async function renderAfter(poison: (summaryFile: string, bodiesFile: string) => void) {
    const dir = mkdtempSync(join(tmpdir(), 'pke-poison-'));
    const helm = locateHelm({ root: REPO, cacheDir: join(REPO, '.cache', 'helm'), env: { PATH: '' } });
    const job = probeJob('lab', {});
    const { packages } = await resolvePackages([job], testCharts(dir));
    const options = { helm, cacheDir: join(dir, 'render'), jobs: 1 };
    const first = await renderJobs([job], packages, options);
    const files = (readdirSync(options.cacheDir, { recursive: true, encoding: 'utf8' }) as string[]).map((f) => join(options.cacheDir, f));
    const summaryFile = files.find((f) => f.endsWith('.summary.json')) as string;
    poison(summaryFile, summaryFile.replace(/\.summary\.json$/, '.json'));
    const again = await renderJobs([job], packages, options);
    const objects = (run: typeof first) => run.results.get(job)?.summaries.map((s) => `${s.kind}/${s.name}`);
    return { first: objects(first), again: objects(again), fresh: again.stats.fresh, bodies: again.results.get(job)?.bodies().length, summaryFile };
  }

  it('is believed when it is whole: nothing is rendered again', async () => {
    const run = await renderAfter(() => {});
    expect(run.fresh).toBe(0);
    expect(run.again).toEqual(run.first);
  });

  it.each([
    ['a summary replaced with []', (summary: string) => writeFileSync(summary, '[]')],
    [
      'a summary with an object left out and its checksum unchanged',
      (summary: string) => writeFileSync(summary, readFileSync(summary, 'utf8').replace(/\{"apiVersion":[^{}]*\},?/, '')),
    ],
    ['a summary cut short', (summary: string) => writeFileSync(summary, readFileSync(summary, 'utf8').slice(0, 100))],
    ['a summary of an older format', (summary: string) => writeFileSync(summary, readFileSync(summary, 'utf8').replace('render-summary/', 'render-summary/0'))],
    ['bodies replaced with []', (_summary: string, bodies: string) => writeFileSync(bodies, '[]')],
    ['bodies removed', (_summary: string, bodies: string) => writeFileSync(bodies, '')],
  ])('is discarded and rendered again when it is poisoned: %s', async (_name, poison) => {
    const run = await renderAfter(poison);

    expect(run.fresh).toBe(1);
    expect(run.again).toEqual(run.first);
    expect(run.bodies).toBe(run.first?.length);
    expect((run.first ?? []).length).toBeGreaterThan(0);
    // and the entry written again is believed by the next run
    expect(readFileSync(run.summaryFile, 'utf8')).toMatch(/^\{"format":"render-summary\/\d+","sha256":"[0-9a-f]{64}","value":/);
  });
});
