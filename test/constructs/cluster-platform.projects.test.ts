import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runRender } from '../../src/charts/run';
import { componentProjectName, isDnsLabel } from '../../src/config/names';
import type { Inventory } from '../../src/inventory/inventory';
import { navidrome } from '../../src/platform/navidrome';
import { spotifyNowplaying } from '../../src/platform/spotify-nowplaying';
import type { ComponentSpec } from '../../src/platform/types';
import { renderEnvironments } from '../../src/synth/cluster-files';
import { makeEnvironment } from '../helpers/make-environment';

const REPO = process.cwd();
const CHARTS = join(REPO, 'test/fixtures/charts');
/** navidrome 1.0.1: navidrome-1.0.0 re-packaged with a ClusterRoleBinding to cluster-admin (test/fixtures/bumped-charts/README.md). */
const BUMPED = join(REPO, 'test/fixtures/bumped-charts');
const env = makeEnvironment({ cluster: 'lab', file: 'environments/lab.yaml' });

/** Two team apps of the real catalog, alone in the cluster (their dependencies are other tests' business). */
function catalog(navidromeVersion: string): ComponentSpec[] {
  return [
    // Without their ingress controller in the cluster, their NetworkPolicies could admit nobody (synth refuses them): left out here.
    { ...navidrome, version: navidromeVersion, enabledByDefault: true, dependsOn: [], manifests: undefined },
    { ...spotifyNowplaying, enabledByDefault: true, dependsOn: [], manifests: undefined },
  ] as unknown as ComponentSpec[];
}

/** `npm run render` offline with real Helm, then synth: the files of the lab cluster. */
async function renderAndSynth(
  specs: readonly ComponentSpec[],
  chartDirs: string[],
  outdir?: string,
): Promise<{ files: Map<string, string>; lines: readonly string[]; outdir: string }> {
  const root = mkdtempSync(join(tmpdir(), 'pke-projects-'));
  const out = outdir ?? join(root, 'dist');
  const report = await runRender({
    root: REPO,
    environments: [env],
    chartDirs,
    nearest: false,
    offline: true,
    check: false,
    inventoryDir: join(root, 'inventory'),
    outdir: out,
    env: { ...process.env, HELM: '' },
    catalog: specs,
  });
  const inventory: Inventory = report.clusters[0].inventory;
  const files = renderEnvironments([env], specs, { inventories: new Map([['lab', inventory]]) });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), text);
  }
  return { files, lines: report.lines, outdir: out };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const kinds = (project: any, list: string): string[] => project.spec[list].map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`);

describe('a chart bump that adds a ClusterRoleBinding', () => {
  it("changes only that Application's file and its own AppProject, which now admits ClusterRoleBinding", async () => {
    // GIVEN two team apps rendered from their real charts
    const before = await renderAndSynth(catalog('1.0.0'), [CHARTS]);

    // WHEN navidrome's chart is bumped to a version that binds its ServiceAccount to cluster-admin
    const after = await renderAndSynth(catalog('1.0.1'), [BUMPED, CHARTS], before.outdir);

    // THEN only navidrome's Application, navidrome's project and the overview (which lists chart versions) differ
    const changed = [...new Set([...before.files.keys(), ...after.files.keys()])].filter((file) => before.files.get(file) !== after.files.get(file)).sort();
    expect(changed).toEqual(['lab/README.md', 'lab/bootstrap/appproject-platform-navidrome.yaml', 'lab/navidrome.yaml']);
    const old = parse(before.files.get('lab/bootstrap/appproject-platform-navidrome.yaml') as string);
    const now = parse(after.files.get('lab/bootstrap/appproject-platform-navidrome.yaml') as string);
    expect(kinds(old, 'clusterResourceWhitelist')).not.toContain('rbac.authorization.k8s.io/ClusterRoleBinding');
    expect(kinds(now, 'clusterResourceWhitelist')).toEqual([...kinds(old, 'clusterResourceWhitelist'), 'rbac.authorization.k8s.io/ClusterRoleBinding'].sort());
    expect(now.spec.namespaceResourceWhitelist).toEqual(old.spec.namespaceResourceWhitelist);
    const spotify = parse(after.files.get('lab/bootstrap/appproject-platform-spotify-nowplaying.yaml') as string);
    expect(kinds(spotify, 'clusterResourceWhitelist')).toEqual(['/Namespace']);
    // AND the render names the project that changes and what the project the cluster has refuses until bootstrap/ is applied
    const project = `${before.outdir}/lab/bootstrap/appproject-platform-navidrome.yaml`;
    expect(after.lines.filter((line) => line.includes('AppProject'))).toEqual([
      `  AppProject platform-navidrome changes: run \`npm run synth\`, review ${project}, and apply ${before.outdir}/lab/bootstrap/ before merging (Argo CD refuses what the old project does not allow)`,
      `  refused by the AppProject in ${project} until bootstrap/ is applied: ClusterRoleBinding/navidrome-cluster-admin: cluster-scoped kind ` +
        'rbac.authorization.k8s.io/ClusterRoleBinding is not allowed by project platform-navidrome ' +
        '(rbac.authorization.k8s.io/v1 ClusterRoleBinding navidrome-cluster-admin, rendered by the chart of navidrome)',
    ]);
  }, 120_000);
});

describe('the project of a component', () => {
  it('is <project>-<component> while that is a DNS-1123 label', () => {
    expect(componentProjectName('platform', 'grafana')).toBe('platform-grafana');
    expect(componentProjectName('p'.repeat(58), 'abcd')).toBe(`${'p'.repeat(58)}-abcd`);
  });

  it('is cut and ends with a hash of the whole name when longer, so two long names stay apart and stay the same', () => {
    const one = componentProjectName('p'.repeat(58), 'cloudflare-tunnel-ingress-controller');
    const two = componentProjectName('p'.repeat(58), 'cloudflare-tunnel-ingress-controller-2');

    expect(one).toHaveLength(63);
    expect(isDnsLabel(one)).toBe(true);
    expect(one).toMatch(/^p{54}-[0-9a-f]{8}$/);
    expect(two).not.toBe(one);
    expect(componentProjectName('p'.repeat(58), 'cloudflare-tunnel-ingress-controller')).toBe(one);
  });

  it('never ends the cut part with a dash', () => {
    // The 54 characters kept would end with the dash between project and component.
    const name = componentProjectName('a'.repeat(53), 'c'.repeat(20));

    expect(name).toMatch(/^a{53}-[0-9a-f]{8}$/);
    expect(isDnsLabel(name)).toBe(true);
  });
});
