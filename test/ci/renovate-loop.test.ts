/**
 * The loop with nobody at a laptop, run as CI runs it: the scripts of scripts/ci/ in a
 * fresh clone, with every chart repository of the catalog redirected to one Helm
 * repository on 127.0.0.1 (PKE_CHART_MIRRORS) that serves the test fixtures. A fresh
 * clone passes the checks; a chart bumped exactly as Renovate's regex manager bumps it is
 * regenerated, committed and green; a re-tagged package, a missing version and a
 * repository that fails or never answers are each refused with one clear line, and
 * nothing is written.
 *
 * The clone has no cache but Helm's binary (not what is tested). mimir-distributed 5.8.0,
 * the version the catalog pins, is not among the fixtures (test/fixtures/charts/README.md):
 * the render takes the nearest version the repository has (--nearest), as the committed
 * inventory says it was rendered.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIRRORS_ENV, OFFLINE_COMMAND, TIMEOUT_ENV } from '../../src/charts/chart-store';
import { type ServedRepository, serveRepository, testHelm } from '../helpers/chart-repository';
import { bump, type CustomManager, extract } from '../helpers/renovate-regex';
import { runHelm } from '../../src/charts/helm';

const REPO = process.cwd();
const FIXTURES = join(REPO, 'test/fixtures/charts');
/** Cold renders of 22 charts for two clusters, on a busy machine, ten times over. */
const LONG = 30 * 60_000;

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command in the clone without blocking this process (the repository it reads is served from here). */
function run(cwd: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.test', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** A fresh clone of the working tree as it is (tracked and new files), with node_modules and Helm's binary shared. */
function freshClone(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'pke-clone-')), 'main');
  const files = git(REPO, 'ls-files', '-z', '--cached', '--others', '--exclude-standard')
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(REPO, file)));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(REPO, file), join(dir, file));
  }
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '-m', 'the repository as cloned');
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  // .gitignore's "node_modules/" matches a folder, not this link: a real clone's npm ci makes a folder.
  writeFileSync(join(dir, '.git/info/exclude'), 'node_modules\n');
  mkdirSync(join(dir, '.cache'));
  symlinkSync(join(REPO, '.cache', 'helm'), join(dir, '.cache', 'helm'));
  return dir;
}

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const hashOf = (dir: string, ...files: string[]): string => files.map((file) => sha256(readFileSync(join(dir, file)))).join(' ');

describe('CI scripts in a fresh clone, against a chart repository on 127.0.0.1', () => {
  let served: ServedRepository;
  let clone: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    testHelm(); // Helm's binary, extracted once before the clone shares it
    served = await serveRepository(FIXTURES);
    // alloy 1.2.2, the version the bump below moves to: 1.2.1's chart with its version raised, packaged by Helm.
    const work = mkdtempSync(join(tmpdir(), 'alloy-'));
    spawnSync('tar', ['-xzf', join(FIXTURES, 'alloy-1.2.1.tgz'), '-C', work]);
    const chartYaml = join(work, 'alloy', 'Chart.yaml');
    writeFileSync(chartYaml, readFileSync(chartYaml, 'utf8').replace(/^version: 1\.2\.1$/m, 'version: 1.2.2'));
    const packaged = await runHelm(testHelm(), ['package', join(work, 'alloy'), '--destination', served.dir], { timeoutMs: LONG });
    expect(packaged.code, packaged.stderr).toBe(0);
    await served.index();
    clone = freshClone();
    env = { ...process.env, [MIRRORS_ENV]: `*=${served.url}`, SKIP_UNIT_TESTS: '1' };
    delete env.PKE_CHARTS;
    delete env.PKE_RENDER_CACHE;
  }, LONG);
  afterAll(() => served?.close());

  it(
    'a fresh clone pulls every package from the repository, verifies it, and passes the checks',
    async () => {
      const checks = await run(clone, 'scripts/ci/checks.sh', ['--nearest'], env);

      expect(checks.stderr + checks.stdout).toContain('inventory/ is up to date');
      expect(checks.code).toBe(0);
      expect(served.requests).toContain('/index.yaml');
      expect(served.requests).toContain('/alloy-1.2.1.tgz');
      expect(served.requests).toContain('/mimir-distributed-5.7.0.tgz');
      expect(existsSync(join(clone, '.cache/charts/grafana.github.io_helm-charts/alloy-1.2.1.tgz'))).toBe(true);
      expect(git(clone, 'status', '--porcelain')).toBe('');
    },
    LONG,
  );

  it(
    "a chart bumped as Renovate's regex manager bumps it is regenerated, committed and green, with no local step",
    async () => {
      const config = JSON.parse(readFileSync(join(clone, 'renovate.json'), 'utf8')) as { customManagers: CustomManager[] };
      const catalog = config.customManagers[0];
      const file = 'src/platform/alloy.ts';
      const before = readFileSync(join(clone, file), 'utf8');
      expect(extract(catalog, file, before)).toEqual([{ file, depName: 'alloy', registryUrl: 'https://grafana.github.io/helm-charts', currentValue: '1.2.1' }]);
      writeFileSync(join(clone, file), bump(catalog, file, before, 'alloy', '1.2.2'));
      git(clone, 'commit', '--quiet', '-am', 'chore(deps): update helm chart alloy to v1.2.2');

      const regenerated = await run(clone, 'scripts/ci/regenerate.sh', ['--nearest'], env);
      expect(regenerated.code, regenerated.stderr).toBe(0);
      const commit = await run(clone, 'scripts/ci/commit-regenerated.sh', [], env);
      expect(commit.code, commit.stderr).toBe(0);
      expect(commit.stdout.trim()).toBe(git(clone, 'rev-parse', 'HEAD').trim());
      expect(git(clone, 'log', '-1', '--format=%s')).toBe('regenerate inventory/ and dist/ for: chore(deps): update helm chart alloy to v1.2.2\n');
      const changed = git(clone, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n');
      expect(changed).toEqual(expect.arrayContaining(['inventory/example.yaml', 'inventory/kkg.yaml', 'dist/kkg/alloy.yaml']));

      const checks = await run(clone, 'scripts/ci/checks.sh', ['--nearest'], env);
      expect(checks.stderr + checks.stdout).toContain('inventory/ is up to date');
      expect(checks.code).toBe(0);
      expect(git(clone, 'status', '--porcelain')).toBe('');

      // The inventory pins alloy 1.2.2 by the digest the repository publishes, and says it is the published package.
      const inventory = readFileSync(join(clone, 'inventory/kkg.yaml'), 'utf8');
      const alloy = /\n {2}alloy:\n((?: {4}.*\n)+)/.exec(inventory)?.[1] ?? '';
      expect(alloy).toContain('    version: 1.2.2\n');
      expect(alloy).toContain(`    digest: ${sha256(readFileSync(join(served.dir, 'alloy-1.2.2.tgz')))}\n`);
      expect(alloy).not.toContain('package: local');
      expect(readFileSync(join(clone, 'dist/kkg/alloy.yaml'), 'utf8')).toContain('targetRevision: 1.2.2');
    },
    LONG,
  );

  it(
    'refuses a re-tagged package with one line naming chart, version and both digests, and writes nothing',
    async () => {
      const pinned = sha256(readFileSync(join(served.dir, 'alloy-1.2.2.tgz')));
      writeFileSync(join(served.dir, 'alloy-1.2.2.tgz'), gzipSync(gunzipSync(readFileSync(join(served.dir, 'alloy-1.2.2.tgz'))), { level: 1 }));
      await served.index();
      const republished = sha256(readFileSync(join(served.dir, 'alloy-1.2.2.tgz')));
      rmSync(join(clone, '.cache/charts'), { recursive: true });
      const inventories = hashOf(clone, 'inventory/example.yaml', 'inventory/kkg.yaml');

      const render = await run(clone, 'npm', ['run', '-s', 'render', '--', '--nearest'], env);

      expect(render.code).toBe(1);
      const lines = render.stderr.trim().split('\n');
      expect(lines).toHaveLength(2); // one line per cluster that deploys alloy
      for (const line of lines) {
        expect(line).toContain(
          `alloy 1.2.2 of https://grafana.github.io/helm-charts was re-tagged: https://grafana.github.io/helm-charts/index.yaml has ${republished}, inventory/`,
        );
        expect(line).toContain(`pins ${pinned}`);
      }
      expect(hashOf(clone, 'inventory/example.yaml', 'inventory/kkg.yaml')).toBe(inventories);
    },
    LONG,
  );

  it(
    'names a version the repository does not have, with the versions it has, and writes nothing',
    async () => {
      const file = join(clone, 'src/platform/alloy.ts');
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.replace("version: '1.2.2'", "version: '1.3.0'"));
      const inventories = hashOf(clone, 'inventory/example.yaml', 'inventory/kkg.yaml');
      try {
        const render = await run(clone, 'npm', ['run', '-s', 'render'], env);
        expect(render.code).toBe(1);
        const alloy = render.stderr.split('\n').filter((line) => line.includes('alloy'));
        expect(alloy).toHaveLength(2);
        expect(alloy[0]).toContain(
          `alloy 1.3.0 is not in the index of https://grafana.github.io/helm-charts (read from ${served.url}) (versions 1.2.1, 1.2.2 (of 2)); fix the version, or add --nearest to render the nearest one`,
        );
        expect(hashOf(clone, 'inventory/example.yaml', 'inventory/kkg.yaml')).toBe(inventories);
      } finally {
        writeFileSync(file, text);
      }
    },
    LONG,
  );

  describe('a repository that does not answer: a summary line with the offline command first, then one line per chart', () => {
    it.each([
      ['answers HTTP 500', 'error' as const, 'HTTP 500 Internal Server Error'],
      ['never answers', 'hang' as const, 'no answer within 1 s'],
    ])(
      '%s',
      async (_name, fault, why) => {
        rmSync(join(clone, '.cache/charts'), { recursive: true, force: true });
        const inventories = hashOf(clone, 'inventory/example.yaml', 'inventory/kkg.yaml');
        served.fault = fault;
        try {
          // The repository never answers, so any time limit is reached; one second keeps the test short.
          const render = await run(clone, 'npm', ['run', '-s', 'render'], { ...env, [TIMEOUT_ENV]: '1' });
          expect(render.code).toBe(1);
          const lines = render.stderr.trim().split('\n');
          expect(lines[0]).toMatch(/^no answer from \d+ chart repositories https:\/\/.*: connect to them, or render from the test fixtures: /);
          expect(lines[0].endsWith(OFFLINE_COMMAND)).toBe(true);
          expect(lines.length).toBeGreaterThan(1);
          for (const line of lines.slice(1)) expect(line).toContain(why);
          expect(hashOf(clone, 'inventory/example.yaml', 'inventory/kkg.yaml')).toBe(inventories);
        } finally {
          served.fault = 'none';
        }
      },
      LONG,
    );
  });
});
