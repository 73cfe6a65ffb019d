/**
 * The plan of realistic pull requests, rendered with real Helm from the real
 * fixture chart packages (bumped versions re-packaged from them): what a
 * reviewer sees first, what is collapsed, what is left out and named, and what
 * Argo CD would not change at all.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { main as plan } from '../../src/commands/plan';
import { main as render } from '../../src/commands/render';
import { ignoreSettingsOf } from '../../src/plan/ignore-differences';
import { type AppliedSide, objectChanges } from '../../src/plan/object-diff';
import { openCharts } from '../../src/charts/chart-store';
import { jobOfApplication, renderJobs, resolvePackages } from '../../src/charts/jobs';
import type { ApplicationJson } from '../../src/synth/cluster-files';
import { MAX_COMMENT_CHARS } from '../../src/plan/report';
import { runAsyncMain } from '../helpers/run-main';
import { chartsWith, editEnvironment, FIXTURE_CHARTS, pinVersion, workspace } from './bumped-charts';

const offline = (charts: string) => ['--charts', charts, '--nearest', '--offline'];

/** `npm run render` in the workspace, as the developer (or Renovate's post-upgrade task) runs it after a bump. */
async function renderInventories(dir: string, charts: string): Promise<void> {
  const run = await runAsyncMain(render, offline(charts), { root: dir });
  if (run.code !== 0) throw new Error(`npm run render failed:\n${run.stderr}`);
}

// Real renders of big charts: generous limits (they hold at 10x slower), the results cached in .cache/render.
const SLOW = 600_000;

describe('the plan of a big bump: mimir-distributed on both clusters', () => {
  const result = (async () => {
    const dir = workspace();
    for (const cluster of ['kkg', 'example']) pinVersion(dir, cluster, 'mimir', '5.9.0');
    const charts = chartsWith([
      { from: 'mimir-distributed-5.7.0.tgz', chart: 'mimir-distributed', version: '5.9.0', appVersion: '2.17.0', values: [['tag: 2.16.0', 'tag: 2.17.0']] },
    ]);
    await renderInventories(dir, charts);
    const run = await runAsyncMain(plan, ['--markdown', '--full-report', 'plan.md', ...offline(charts)], {
      root: dir,
      env: { GITHUB_SERVER_URL: 'https://github.test', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7' },
    });
    return { dir, run, full: existsSync(join(dir, 'plan.md')) ? readFileSync(join(dir, 'plan.md'), 'utf8') : '' };
  })();

  it(
    'fits the comment, writes the full plan, and names everything of production it leaves out',
    async () => {
      const { run, full } = await result;

      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
      expect(full.length).toBeGreaterThan(0);
      // The first screen: both clusters' mimir, the image change, the chart versions.
      expect(run.stdout).toMatch(
        /\| `kkg` \(production\) \| `mimir` \| `mimir-distributed 5\.8\.0 \(rendered from 5\.7\.0[^`]*\) → mimir-distributed 5\.9\.0` \| \+\d+ −\d+ ~\d+/,
      );
      expect(run.stdout).toMatch(/\| `example` \| `mimir` \|/);
      expect(run.stdout).toContain('`grafana/mimir:2.16.0` → `grafana/mimir:2.17.0` (example/mimir, kkg/mimir)');
      // kkg, the production cluster, comes first.
      expect(run.stdout.indexOf('### `kkg` (production)')).toBeLessThan(run.stdout.indexOf('### `example`'));
      // Every object diff of production in the full plan is in the comment, or said to be the same as shown, or named as left out.
      const kkg = full.slice(full.indexOf('### `kkg` (production)'), full.indexOf('### `example`'));
      const comment = run.stdout.slice(run.stdout.indexOf('### `kkg` (production)'), run.stdout.indexOf('### `example`'));
      const objects = [...kkg.matchAll(/<summary><code>[~+-]<\/code> ([^:]+):/g)].map((m) => m[1]);
      expect(objects.length).toBeGreaterThan(10);
      const leftOut = /Left out of this section.*?\)\): (.*)\.\n/.exec(comment)?.[1] ?? '';
      for (const object of objects) {
        const shown = comment.includes(`</code> ${object}:`);
        const named = leftOut.includes(`\`${object}\``);
        expect(shown || named, object).toBe(true);
      }
      // The StatefulSets carry the image change, and are there (or named).
      expect(objects.some((o) => o.startsWith('apps/v1 StatefulSet'))).toBe(true);
    },
    SLOW,
  );

  it(
    'prints a change identical in both clusters once, naming the clusters',
    async () => {
      const { full } = await result;

      expect(full).toMatch(/<summary><code>~<\/code> apps\/v1 Deployment mimir\/[^:]+: \+\d+ −\d+ \(identical in `kkg`, `example`\)<\/summary>/);
      expect(full).toMatch(/- `~` apps\/v1 Deployment mimir\/[^:]+: the same change as in `kkg` \(shown there; checksums aside\)\./);
    },
    SLOW,
  );
});

describe('the plan of a traefik bump', () => {
  it(
    'opens the Deployment diff with the image change and collapses the chart-label-only changes into one line',
    async () => {
      const dir = workspace();
      pinVersion(dir, 'kkg', 'traefik', '37.1.0');
      const charts = chartsWith([{ from: 'traefik-37.0.0.tgz', chart: 'traefik', version: '37.1.0', appVersion: 'v3.5.1' }]);
      await renderInventories(dir, charts);

      const run = await runAsyncMain(plan, ['--markdown', ...offline(charts)], { root: dir });

      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/<details open><summary><code>~<\/code> apps\/v1 Deployment traefik\/traefik: /);
      expect(run.stdout).toMatch(/\n-\s+image: docker\.io\/traefik:v3\.5\.0\n\+\s+image: docker\.io\/traefik:v3\.5\.1\n/);
      expect(run.stdout).toMatch(/- \d+ object\(s\): chart labels and annotations only \([^)]*helm\.sh\/chart[^)]*\)/);
      expect(run.stdout).toContain('`docker.io/traefik:v3.5.0` → `docker.io/traefik:v3.5.1` (kkg/traefik)');
      expect(run.stdout).toContain('- **Chart versions**: traefik 37.0.0 → traefik 37.1.0 (kkg)');
      // The bookkeeping-only objects are not diffed one by one.
      expect(run.stdout).not.toMatch(/<summary><code>~<\/code> v1 ServiceAccount traefik\/traefik:/);
    },
    SLOW,
  );
});

describe('a chart bump that adds a ClusterRoleBinding to cluster-admin', () => {
  it(
    'is a blocking line naming the component, the chart versions and the role, and an RBAC fact on the first screen',
    async () => {
      const dir = workspace();
      editEnvironment(dir, 'kkg', (text) => text.replace('navidrome: { enabled: true }', "navidrome: { enabled: true, version: '1.1.0' }"));
      const binding = [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRoleBinding',
        'metadata:',
        '  name: {{ .Release.Name }}-admin',
        'roleRef:',
        '  apiGroup: rbac.authorization.k8s.io',
        '  kind: ClusterRole',
        '  name: cluster-admin',
        'subjects:',
        '  - kind: ServiceAccount',
        '    name: default',
        '    namespace: {{ .Release.Namespace }}',
        '',
      ].join('\n');
      const charts = chartsWith([{ from: 'navidrome-1.0.0.tgz', chart: 'navidrome', version: '1.1.0', files: { 'templates/escalate.yaml': binding } }]);
      await renderInventories(dir, charts);

      const run = await runAsyncMain(plan, ['--markdown', ...offline(charts)], { root: dir });

      expect(run.stdout).toContain(
        '- ⛔ **kkg: `navidrome` (navidrome 1.0.0 → navidrome 1.1.0) now binds `cluster-admin` in every namespace** (ClusterRoleBinding `navidrome-admin`): review it as an escalation of privilege before merging\n',
      );
      expect(run.stdout).toContain('ClusterRoleBinding `navidrome-admin` added (binds ClusterRole `cluster-admin`) (kkg/navidrome)');
    },
    SLOW,
  );
});

describe('a component that reads a new 1Password item', () => {
  it(
    'is a blocking line of "Before you merge" naming vault, item and fields',
    async () => {
      const dir = workspace();
      editEnvironment(dir, 'kkg', (text) => text.replace('flow-sight: { enabled: false }', 'flow-sight: { enabled: true }'));
      await renderInventories(dir, FIXTURE_CHARTS);

      const run = await runAsyncMain(plan, ['--markdown', ...offline(FIXTURE_CHARTS)], { root: dir });

      expect(run.stdout).toMatch(
        /- ⛔ \*\*kkg: `flow-sight` reads a new 1Password item: make sure item `flow-sight-backend-secrets` exists in vault `Kubernetes` with field\(s\) `[^`]+`(, `[^`]+`)* before merging\*\*/,
      );
    },
    SLOW,
  );
});

describe('cilium rendered twice', () => {
  it(
    'shows no diff: the TLS material it generates on every render is ignored by its Application, as Argo CD ignores it',
    async () => {
      const application = parse(readFileSync('dist/kkg/cilium.yaml', 'utf8')) as ApplicationJson;
      const inventory = parse(readFileSync('inventory/kkg.yaml', 'utf8')) as { kubeVersion: string; apiVersions: string[] };
      const job = jobOfApplication(
        'kkg',
        application,
        { kubeVersion: inventory.kubeVersion, apiVersions: inventory.apiVersions },
        { file: 'dist/kkg/cilium.yaml', fix: '' },
      );
      if (job === undefined) throw new Error('no render job for cilium');
      const { helm, store } = openCharts('test', { root: process.cwd(), chartDirs: [FIXTURE_CHARTS], nearest: true, offline: true, env: process.env });
      const resolved = await resolvePackages([job], store);
      // Two renders, each in a cache of its own: Helm runs twice.
      const sides: AppliedSide[][] = [];
      for (let i = 0; i < 2; i++) {
        const rendered = await renderJobs([job], resolved.packages, { helm, cacheDir: mkdtempSync(join(tmpdir(), 'pke-cilium-')) });
        const result = rendered.results.get(job);
        if (result === undefined) throw new Error(rendered.problems.map((p) => p.message).join('\n'));
        const bodies = result.bodies();
        sides.push(
          result.summaries.map((s, n) => ({ object: bodies[n], namespace: s.namespace ?? 'kube-system', phase: 'Sync', wave: s.wave, supporting: false })),
        );
      }

      const raw = objectChanges(sides[0], sides[1]);
      const compared = objectChanges(sides[0], sides[1], { ignore: ignoreSettingsOf(application as unknown as Record<string, unknown>) });

      // Without the Application's ignoreDifferences, the two renders differ (so this test can fail) …
      expect(raw.changes.filter((c) => c.kind === 'Secret').length + raw.generated.length).toBeGreaterThan(0);
      // … with them, nothing changes, and the report can say what was not compared.
      expect(compared.changes).toEqual([]);
      expect(compared.ignored.join('\n')).toContain('Secret hubble-server-certs');
    },
    SLOW,
  );
});

describe('a cluster that gains an API version no chart branches on', () => {
  it(
    'renders every Application of the cluster again, finds nothing Argo CD would change (not even the certificates cilium generates anew), and says "No changes." only then',
    async () => {
      // GIVEN kkg serving one more API (a Prometheus operator installed outside this repository), rendered into its inventory
      const dir = workspace();
      editEnvironment(dir, 'kkg', (text) =>
        text.replace("  kubernetesVersion: '1.33'\n", "  kubernetesVersion: '1.33'\n  apiVersions: [monitoring.coreos.com/v1]\n"),
      );
      await renderInventories(dir, FIXTURE_CHARTS);

      // WHEN the plan compares it with what Argo CD syncs now
      const run = await runAsyncMain(plan, ['--markdown', ...offline(FIXTURE_CHARTS)], { root: dir });

      // THEN every Application of kkg was rendered on both sides, and no object differs, so the verdict is "No changes."
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Rendered 21 Application\(s\) as Argo CD does/);
      expect(run.stdout).not.toMatch(/<code>[~+-]<\/code>/);
      expect(run.stdout).toContain('### `kkg` (production): no changes');
      expect(run.stdout.match(/\*\*No changes\.\*\*/g)).toHaveLength(2);
    },
    SLOW,
  );
});
