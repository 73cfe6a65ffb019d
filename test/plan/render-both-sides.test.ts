import { describe, expect, it } from 'vitest';
import { planChanges } from '../../src/plan/plan';
import { planExitCode } from '../../src/commands/plan';
import { renderProblems } from '../../src/plan/details';
import { formatPlanMarkdown, formatPlanText } from '../../src/plan/report';
import { type FileMap, renderEnvironments } from '../../src/synth/cluster-files';
import type { ComponentSpec, SupportingManifest } from '../../src/platform/types';
import { type PlanRenderOptions, renderPlan } from '../../src/plan/render-both-sides';
import { makeEnvironment } from '../helpers/make-environment';
import { probe, TEST_CHARTS } from '../helpers/probe';

const REPO = process.cwd();
const env = makeEnvironment({ cluster: 'lab', file: 'environments/lab.yaml' });

function pool(stop: string): { manifests: () => SupportingManifest[] } {
  return { manifests: () => [{ kind: 'CiliumLoadBalancerIPPool', name: 'lab-pool', block: { start: '10.0.1.100', stop } }] };
}

const OFFLINE: PlanRenderOptions = {
  root: REPO,
  chartDirs: [TEST_CHARTS],
  nearest: false,
  offline: true,
  env: { ...process.env, HELM: '' },
  fallbackSettings: new Map([['lab', { kubeVersion: '1.33.0', apiVersions: [] }]]),
};

/** What synth writes for the lab cluster with `catalog`. */
function synth(catalog: readonly ComponentSpec[]): FileMap {
  return renderEnvironments([env], catalog);
}

/** The plan from `base` to `head` with rendered diffs, as `npm run plan` makes it. */
async function planOf(base: readonly ComponentSpec[], head: readonly ComponentSpec[], options: { allow?: string[]; render?: Partial<PlanRenderOptions> } = {}) {
  const before = synth(base);
  const after = synth(head);
  const plan = planChanges(before, after, options.allow ?? []);
  const details = await renderPlan(
    plan,
    { files: before, inventories: new Map(), dir: 'base/dist' },
    { files: after, inventories: new Map(), dir: 'dist' },
    { ...OFFLINE, ...options.render },
  );
  return {
    plan,
    details,
    markdown: formatPlanMarkdown(plan, ['lab'], 'dist', { details, catalog: head }),
    text: formatPlanText(plan, ['lab'], 'dist', { details, catalog: head }),
  };
}

/** The lines of `text` from the one equal to `first`, as many as `expected` has: a block asserted whole. */
function block(text: string, first: string, length: number): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(first);
  return start < 0 ? [] : lines.slice(start, start + length);
}

// Each plan renders with real Helm (offline, from test/fixtures/test-charts); every render is cached in .cache/render.
const valuesChange = planOf(
  [probe('probe', { secret: { greeting: 'hello', name: 'probe' } }, pool('10.0.1.150'))],
  [probe('probe', { replicas: 2, secret: { greeting: 'howdy', name: 'probe' } }, pool('10.0.1.160'))],
);
const chartBump = planOf([probe('probe', { crd: true })], [probe('probe', { crd: true }, { version: '0.2.0' })]);

describe('npm run plan, rendered with Helm', () => {
  it('shows a values change as the fields that change, then what Argo CD applies differently, in its apply order', async () => {
    const { markdown } = await valuesChange;

    expect(block(markdown, '- `~` Application `probe` · `dist/lab/probe.yaml`', 6)).toEqual([
      '- `~` Application `probe` · `dist/lab/probe.yaml`',
      '',
      '```text',
      'spec.sources[0].helm.valuesObject.replicas: (none) → 2',
      'spec.sources[0].helm.valuesObject.secret.greeting: hello → howdy',
      '```',
    ]);
    expect(markdown).toContain(
      "- `~` CiliumLoadBalancerIPPool `lab-pool` · `dist/lab/probe/ciliumloadbalancerippool-lab-pool.yaml` (applied by probe's Application in its in-app wave 2)\n\n" +
        '```text\nspec.blocks[0].stop: 10.0.1.150 → 10.0.1.160\n```',
    );
    expect(block(markdown, '**What Argo CD applies**, rendered with Helm: `probe 0.1.0`: 0 added, 3 changed, 0 removed, 1 unchanged', 7)).toEqual([
      '**What Argo CD applies**, rendered with Helm: `probe 0.1.0`: 0 added, 3 changed, 0 removed, 1 unchanged',
      '',
      '| Applied in | | Object |',
      '|---|---|---|',
      '| Sync · wave 0 | `~` | `v1 Secret probe/probe-credentials` |',
      '| Sync · wave 0 | `~` | `apps/v1 Deployment probe/probe` |',
      '| Sync · wave 2 | `~` | `cilium.io/v2 CiliumLoadBalancerIPPool lab-pool` (supporting manifest) |',
    ]);
    expect(markdown).toContain(' spec:\n-  replicas: 1\n+  replicas: 2\n');
  });

  it('never shows the values of a Secret a chart renders: each key says whether it changed', async () => {
    const { markdown, text } = await valuesChange;

    expect(markdown).toContain('_Secret values masked: each key says whether its value changed._');
    expect(markdown).toContain(' data:\n-  greeting: <masked>\n+  greeting: <masked, changed>\n   name: <masked, unchanged>\n');
    for (const encoded of [Buffer.from('hello').toString('base64'), Buffer.from('howdy').toString('base64'), Buffer.from('probe').toString('base64')]) {
      expect(markdown).not.toContain(encoded);
      expect(text).not.toContain(encoded);
    }
  });

  it('shows a chart bump object by object: hooks first, then by wave and kind; a CRD as the versions and fields it gains', async () => {
    const { markdown, text } = await chartBump;

    expect(markdown).toContain('```text\nspec.source.targetRevision: 0.1.0 → 0.2.0\n```');
    expect(block(markdown, '**What Argo CD applies**, rendered with Helm: `probe 0.1.0 → probe 0.2.0`: 2 added, 2 changed, 0 removed, 1 unchanged', 8)).toEqual(
      [
        '**What Argo CD applies**, rendered with Helm: `probe 0.1.0 → probe 0.2.0`: 2 added, 2 changed, 0 removed, 1 unchanged',
        '',
        '| Applied in | | Object |',
        '|---|---|---|',
        '| PreSync · wave 0 | `+` | `batch/v1 Job probe/probe-migrate` |',
        '| Sync · wave 0 | `~` | `apiextensions.k8s.io/v1 CustomResourceDefinition widgets.probe.example.com` |',
        '| Sync · wave 0 | `+` | `v1 Service probe/probe` |',
        '| Sync · wave 0 | `~` | `apps/v1 Deployment probe/probe` |',
      ],
    );
    expect(markdown).toContain('-        - image: busybox:1.36\n+        - image: busybox:1.37\n');
    expect(markdown).toContain('```diff\n# versions added: v2\n# v1: schema fields added: spec.color\n@@ ');
    expect(markdown).toContain('<details open><summary><code>+</code> v1 Service probe/probe: +10 −0</summary>');
    expect(text).toContain(
      '      rendered probe 0.1.0 → probe 0.2.0: 2 added, 2 changed, 0 removed, 1 unchanged\n        PreSync · wave 0   + batch/v1 Job probe/probe-migrate\n',
    );
  });

  it('blocks a removed Application at the top, and lists what Argo CD deletes with it', async () => {
    const { plan, markdown } = await planOf([probe('probe', {}), probe('other', {})], [probe('probe', {})]);

    expect(plan.blocked.map((e) => e.component)).toEqual(['other']);
    expect(markdown).toContain(
      '### Before you merge\n\n- ⛔ **lab: `other` is removed**: Argo CD deletes everything it installed. Not allowed yet: pass `--allow-delete other` ' +
        '(in a pull request, a line `allow-delete: other` in its description) if that is intended\n',
    );
    expect(markdown).toContain('| Sync · wave 0 | `-` | `apps/v1 Deployment other/other` |\n| PostSync · wave 2 | `-` | `batch/v1 Job other/other-after` |\n');
    expect(markdown).toContain('**Not safe to merge: 0 protected Application(s) removed, 1 removal(s) not allowed.**');
  });

  it('says to apply bootstrap/ before merging when the AppProject admits more, and names what', async () => {
    const { markdown } = await planOf([probe('probe', {})], [probe('probe', {}, pool('10.0.1.150'))]);

    expect(markdown).toContain(
      '- ⛔ **lab: apply `dist/lab/bootstrap/` before merging**, or Argo CD refuses what only the new project allows: ' +
        'AppProject `platform-probe` now allows cluster-scoped kind `cilium.io/CiliumLoadBalancerIPPool`, repository `https://git.example.test/platform.git`. ' +
        'Run `kubectl apply -f dist/lab/bootstrap/` (the root app does not manage bootstrap/).\n',
    );
    expect(markdown).toContain('**Safe to merge once the steps marked ⛔ are done on lab: no Application or CRD is removed without --allow-delete.**');
  });

  it('says what a protected component is protected against when a change touches it', async () => {
    const { markdown } = await planOf(
      [probe('probe', {}, { protected: "It holds the lab's only copy of the data." })],
      [probe('probe', { replicas: 3 }, { protected: "It holds the lab's only copy of the data." })],
    );

    expect(markdown).toContain(
      "- ⚠️ **lab: `probe` is protected**, and this change touches it; read its diff below. Why it is protected: It holds the lab's only copy of the data.\n",
    );
  });

  it("blocks a CRD that leaves a chart's output like a removed Application: the sync prunes it with every resource of its kind", async () => {
    const { plan, details, markdown } = await planOf([probe('probe', { crd: true })], [probe('probe', {})]);

    expect(markdown).toContain(
      '- ⛔ **lab: CRD `widgets.probe.example.com` leaves the rendered output of `probe`**: the sync prunes it, and deleting a CRD deletes every custom resource ' +
        'of its kind in the cluster (their data with them). Not allowed yet: pass `--allow-delete widgets.probe.example.com` (in a pull request, a line ' +
        '`allow-delete: widgets.probe.example.com` in its description) if that is intended\n',
    );
    expect(markdown).toContain('**Not safe to merge: 0 protected Application(s) removed, 0 removal(s) not allowed, 1 CRD removal(s) not allowed.**');
    expect(markdown).toContain('- **Data**:\n  - CRD `widgets.probe.example.com` removed: every custom resource of its kind is deleted (lab/probe)\n');
    expect(planExitCode(plan, details)).toBe(1);
  });

  it('lets a CRD removal pass when --allow-delete names the CRD', async () => {
    const { plan, details, markdown } = await planOf([probe('probe', { crd: true })], [probe('probe', {})], { allow: ['lab/widgets.probe.example.com'] });

    expect(markdown).toContain('- ⚠️ **lab: CRD `widgets.probe.example.com` leaves the rendered output of `probe`**');
    expect(markdown).toContain('; allowed by --allow-delete\n');
    expect(planExitCode(plan, details)).toBe(0);
  });

  it("names the cluster, component, chart and version when the base's chart cannot be had, and is not safe to merge without that diff", async () => {
    const { details, markdown } = await planOf([probe('probe', {}, { version: '0.0.9' })], [probe('probe', {})]);

    expect(renderProblems(details)).toEqual([
      expect.stringMatching(
        /^base\/dist\/lab\/probe\.yaml: cluster lab, probe: chart probe 0\.0\.9: probe-0\.0\.9\.tgz is not in .*test-charts, .*\.cache\/charts and pulling is off \(--offline\); add --nearest to render the nearest version there; or pass --charts <folder of \.tgz> \(or set PKE_CHARTS\) with it$/,
      ),
    ]);
    expect(markdown).toContain('- ⛔ **lab: the rendered diff of `probe` is missing**: base/dist/lab/probe.yaml: cluster lab, probe: chart probe 0.0.9: ');
    expect(markdown).toContain('**Not safe to merge: 0 protected Application(s) removed, 0 removal(s) not allowed, 1 rendered diff(s) missing.**');
  });

  it('runs no Helm when nothing changes', async () => {
    const catalog = [probe('probe', {}), probe('other', {})];

    const { details, markdown } = await planOf(catalog, catalog, { render: { env: { ...process.env, HELM: '/nonexistent/helm' } } });

    expect(details.stats).toEqual({ applications: 0, renders: 0, helm: 0 });
    expect(markdown).toContain('**No changes.**');
  });

  it('renders only the Application that changes', async () => {
    const { details } = await planOf([probe('probe', {}), probe('other', {})], [probe('probe', { replicas: 2 }), probe('other', {})]);

    expect(details.renders.map((r) => r.component)).toEqual(['probe']);
    expect(details.stats).toMatchObject({ applications: 1, renders: 2 });
  });

  it('renders every Application of a cluster whose API versions differ between the sides, and says when the base has no inventory', async () => {
    const catalog = [probe('probe', {}), probe('other', {})];
    const before = synth(catalog);
    const after = synth([probe('probe', { replicas: 2 }), probe('other', {})]);
    const plan = planChanges(before, after);
    const inventory = (apiVersions: string[]) => ({
      cluster: 'lab',
      file: 'inventory/lab.yaml',
      kubeVersion: '1.33.0',
      helm: 'v4.1.4',
      apiVersions,
      applications: new Map(),
    });

    const withInventory = await renderPlan(
      plan,
      { files: before, inventories: new Map([['lab', inventory(['probe.example.com/v1'])]]), dir: 'base/dist' },
      { files: after, inventories: new Map([['lab', inventory([])]]), dir: 'dist' },
      OFFLINE,
    );
    const without = await renderPlan(
      plan,
      { files: before, inventories: new Map(), dir: 'base/dist' },
      { files: after, inventories: new Map(), dir: 'dist' },
      OFFLINE,
    );

    expect(withInventory.renders.map((r) => [r.component, r.becauseOfCluster, r.changes.length])).toEqual([
      ['other', true, 0],
      ['probe', false, 1],
    ]);
    expect(withInventory.notes).toEqual([]);
    expect(without.renders.map((r) => r.component)).toEqual(['probe']);
    expect(without.notes).toEqual([
      'lab: the base has no inventory/lab.yaml beside base/dist, so it is rendered with the Kubernetes and API versions of the change',
    ]);
  });

  it('keeps the comment under its size limit, and says which diffs it left out', async () => {
    const { plan, details } = await chartBump;

    const full = formatPlanMarkdown(plan, ['lab'], 'dist', { details, maxChars: Number.POSITIVE_INFINITY });
    const limit = full.length - 400;
    const markdown = formatPlanMarkdown(plan, ['lab'], 'dist', {
      details,
      maxChars: limit,
      fullReport: { path: 'plan.md', url: 'https://github.test/o/r/actions/runs/1' },
    });

    expect(markdown.length).toBeLessThanOrEqual(limit);
    expect(markdown).toMatch(
      /> Left out of this section to keep the comment under GitHub's 65,536 characters \(the full plan is in \[this run's summary and its `plan` artifact\]\(https:\/\/github\.test\/o\/r\/actions\/runs\/1\)\): `[^`]+`/,
    );
    // Whatever is left out is named; whatever is named is left out.
    const named = [...(/Left out of this section.*?\)\): (.*)\.\n/.exec(markdown)?.[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    for (const what of named) expect(markdown).not.toContain(`<summary><code>+</code> ${what}:`);
    expect(markdown).toContain('| PreSync · wave 0 | `+` | `batch/v1 Job probe/probe-migrate` |');
  });
});
