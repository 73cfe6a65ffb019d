/**
 * The deletion guard compares what Argo CD compares: Application identity,
 * the finalizer forms that cascade, a base it can read, and the exit code of a
 * protected removal; and the plan's verdict and first lines say what Argo CD
 * really changes.
 */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Environment } from '../../src/config/environment';
import { planExitCode } from '../../src/commands/plan';
import { reviewerActions } from '../../src/plan/actions';
import { NO_DETAILS, type PlanDetails } from '../../src/plan/details';
import type { ObjectChange } from '../../src/plan/object-diff';
import { assertComparableBase, planChanges } from '../../src/plan/plan';
import { formatPlanMarkdown, formatPlanText } from '../../src/plan/report';
import type { FileMap } from '../../src/synth/cluster-files';
import { loadAll, renderEnvironment } from '../helpers/render';

const kkg = loadAll().find((env) => env.cluster === 'kkg') as Environment;
const committed = renderEnvironment(kkg);

function edited(files: FileMap, path: string, edit: (text: string) => string): FileMap {
  const copy = new Map(files);
  copy.set(path, edit(files.get(path) as string));
  return copy;
}

function without(files: FileMap, prefix: string): FileMap {
  return new Map([...files].filter(([path]) => !path.startsWith(prefix)));
}

describe('Application identity', () => {
  it('sees every child moved to another Argo CD namespace as removed and added, and blocks the removals', () => {
    const moved = renderEnvironment({ ...kkg, argocd: { ...kkg.argocd, namespace: 'argo' } });

    const plan = planChanges(committed, moved);

    const children = [...committed.keys()].filter((path) => /^kkg\/[^/]+\.yaml$/.test(path)).length;
    const removed = plan.entries.filter((e) => e.isApplication && e.change === 'removed');
    expect(removed).toHaveLength(children);
    expect(plan.entries.filter((e) => e.isApplication && e.change === 'added')).toHaveLength(children);
    expect(removed[0].identityChange).toMatch(/^argocd\/\S+ → https:\/\/kubernetes\.default\.svc\/\S+ becomes argo\/\S+ → /);
    // The protected ones are refused, the others blocked: nothing passes unseen.
    expect(plan.refused.length + plan.blocked.length).toBe(children);
    expect(planExitCode(plan, NO_DETAILS)).toBe(1);
    expect(formatPlanText(plan, ['kkg'], 'dist')).toContain('(its identity changes: argocd/navidrome → ');
  });

  it("treats a child's new destination namespace as a removal plus an addition", () => {
    const after = edited(committed, 'kkg/navidrome.yaml', (text) => text.replace('    namespace: navidrome\n', '    namespace: music\n'));

    const plan = planChanges(committed, after);

    expect(plan.blocked.map((e) => e.component)).toEqual(['navidrome']);
    expect(plan.entries.filter((e) => e.component === 'navidrome' && e.isApplication).map((e) => e.change)).toEqual(['removed', 'added']);
  });

  it.each(['resources-finalizer.argocd.argoproj.io/foreground', 'resources-finalizer.argocd.argoproj.io/background'])(
    'knows a removed Application with %s deletes what it installed',
    (finalizer) => {
      const before = edited(committed, 'kkg/navidrome.yaml', (text) => text.replace('- resources-finalizer.argocd.argoproj.io\n', `- ${finalizer}\n`));
      expect(before.get('kkg/navidrome.yaml')).toContain(finalizer);

      const plan = planChanges(before, without(without(committed, 'kkg/navidrome.yaml'), 'kkg/navidrome/'));

      expect(plan.blocked[0]).toMatchObject({ component: 'navidrome', cascades: true });
      expect(formatPlanText(plan, ['kkg'], 'dist')).toContain('BLOCKED: Argo CD deletes everything it installed');
    },
  );
});

describe('a base the guard can read', () => {
  it('fails closed on a base with no Application at all (only the marker, or documents)', () => {
    expect(() => assertComparableBase(new Map([['kkg/README.md', '# kkg\n']]), 'base/dist')).toThrow(
      'base/dist: the base holds no child Application (only the output marker or documents), so every removal would pass unseen; give the output to compare with',
    );
  });

  it('fails closed, in one line, on a base Application without kind', () => {
    const base = edited(committed, 'kkg/navidrome.yaml', (text) => text.replace('kind: Application\n', ''));

    expect(() => assertComparableBase(base, 'base/dist')).toThrow(
      /^base\/dist\/kkg\/navidrome\.yaml: expected a child Application with `kind: Application`, got no kind; a base Application that cannot be read would let its removal pass unseen$/,
    );
  });

  it('accepts the committed output', () => {
    expect(() => assertComparableBase(committed, 'dist')).not.toThrow();
  });
});

describe('the exit code', () => {
  it('is 1 when the only problem is a protected removal', () => {
    const plan = planChanges(committed, without(without(committed, 'kkg/cilium.yaml'), 'kkg/cilium/'), ['cilium']);

    expect(plan.blocked).toEqual([]);
    expect(plan.refused.map((e) => e.component)).toEqual(['cilium']);
    expect(planExitCode(plan, NO_DETAILS)).toBe(1);
  });

  it('is 0 for an allowed removal', () => {
    const plan = planChanges(committed, without(without(committed, 'kkg/navidrome.yaml'), 'kkg/navidrome/'), ['navidrome']);

    expect(planExitCode(plan, NO_DETAILS)).toBe(0);
  });
});

/** A component's project (one per component) edited as YAML. */
function editProject(files: FileMap, component: string, edit: (project: { spec: Record<string, unknown[]> }) => void): FileMap {
  return edited(files, `kkg/bootstrap/appproject-platform-${component}.yaml`, (text) => {
    const header = text.slice(0, text.indexOf('apiVersion'));
    const project = parse(text);
    edit(project);
    return `${header}${stringify(project)}`;
  });
}

describe('an AppProject change', () => {
  it('that admits and forbids is two ordered steps: admit before merging, narrow after the removal has synced', () => {
    // navidrome's music volume changes name: its project admits the new PersistentVolume and forbids the old one.
    const after = editProject(committed, 'navidrome', (project) => {
      project.spec.clusterResourceWhitelist = project.spec.clusterResourceWhitelist.map((k) =>
        (k as { name?: string }).name === 'navidrome-music-pv' ? { ...(k as object), name: 'navidrome-library-pv' } : k,
      );
    });

    const plan = planChanges(committed, after);
    const actions = reviewerActions(plan, 'dist', [], NO_DETAILS).filter((a) => a.text.includes('step'));

    expect(actions.map((a) => a.level)).toEqual(['blocking', 'after']);
    expect(actions[0].text).toMatch(
      /^\*\*kkg, step 1 of 2, before merging: admit what the change needs, without narrowing yet\*\*: AppProject `platform-navidrome` now allows cluster-scoped kind `PersistentVolume` named `navidrome-library-pv`/,
    );
    expect(actions[0].text).toContain(
      'Run `kubectl patch appproject platform-navidrome -n argocd --type json -p \'[{"op":"add","path":"/spec/clusterResourceWhitelist/-","value":{"group":"","kind":"PersistentVolume","name":"navidrome-library-pv"}}]\'`',
    );
    expect(actions[1].text).toMatch(
      /^\*\*kkg, step 2 of 2, after the merge has synced and Argo CD has pruned what leaves: narrow the project\*\*: AppProject `platform-navidrome` no longer allows cluster-scoped kind `PersistentVolume` named `navidrome-music-pv`/,
    );
    expect(actions[1].text).toContain('never prunes them, not even on cascade delete');
  });

  it('that admits a privileged kind is a blocking line naming the kind, the project and the chart that renders it', () => {
    const after = editProject(committed, 'navidrome', (project) => {
      project.spec.clusterResourceWhitelist.push({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' });
    });
    const plan = planChanges(
      committed,
      edited(after, 'kkg/navidrome.yaml', (text) => text.replace('targetRevision: 1.0.0', 'targetRevision: 1.1.0')),
    );
    const binding: ObjectChange = {
      change: 'added',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      name: 'navidrome-admin',
      phase: 'Sync',
      wave: 0,
      supporting: false,
      diff: ['+kind: ClusterRoleBinding'],
      notes: [],
      after: { kind: 'ClusterRoleBinding', roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } },
    };
    const details: PlanDetails = {
      renders: [
        {
          cluster: 'kkg',
          component: 'navidrome',
          before: 'navidrome 1.0.0',
          after: 'navidrome 1.1.0',
          changes: [binding],
          unchanged: 3,
          problems: [],
          becauseOfCluster: false,
        },
      ],
      stats: { applications: 1, renders: 2, helm: 0 },
      notes: [],
    };

    const markdown = formatPlanMarkdown(plan, ['kkg'], 'dist', { details });

    expect(markdown).toContain(
      '- ⛔ **kkg: AppProject `platform-navidrome` now admits `ClusterRoleBinding`, a privileged kind** (it can bind any ClusterRole, cluster-admin included, to any subject): ' +
        '`navidrome` (navidrome 1.0.0 → navidrome 1.1.0) renders ClusterRoleBinding `navidrome-admin`. Review it as an escalation of privilege before merging\n',
    );
    expect(markdown).toContain(
      '- **RBAC and admission webhooks**: ClusterRoleBinding `navidrome-admin` added (binds ClusterRole `cluster-admin`) (kkg/navidrome)',
    );
  });
});

describe('the verdict and the first lines', () => {
  it('is not "No changes." when only a rendered object changes (the cluster\'s API versions did)', () => {
    const plan = planChanges(committed, committed);
    const secret: ObjectChange = {
      change: 'changed',
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'x',
      name: 'y',
      phase: 'Sync',
      wave: 0,
      supporting: false,
      diff: ['-a: 1', '+a: 2'],
      notes: [],
    };
    const details: PlanDetails = {
      renders: [
        {
          cluster: 'kkg',
          component: 'grafana',
          before: 'grafana 9.3.4',
          after: 'grafana 9.3.4',
          changes: [secret],
          unchanged: 1,
          problems: [],
          becauseOfCluster: true,
        },
      ],
      stats: { applications: 1, renders: 2, helm: 0 },
      notes: [],
    };

    const text = formatPlanText(plan, ['kkg'], 'dist', { details });

    expect(text).toContain("rendered again: the cluster's Kubernetes or API versions change");
    expect(text.trimEnd().split('\n').at(-1)).toBe('Safe to merge: no Application or CRD is removed without --allow-delete.');
    expect(formatPlanText(plan, ['kkg'], 'dist').trimEnd().split('\n').at(-1)).toBe('No changes.');
  });

  it("lists Argo CD's changed values under Before you merge, with the fields", () => {
    const after = edited(committed, 'kkg/bootstrap/values/argo-cd.yaml', (text) => `${text}server:\n  replicas: 2\n`);

    const plan = planChanges(committed, after);
    const markdown = formatPlanMarkdown(plan, ['kkg'], 'dist');

    expect(markdown).toContain("- ⛔ **kkg: Argo CD's values `dist/kkg/bootstrap/values/argo-cd.yaml` are changed (server): install them before merging**");
    expect(markdown).toContain('```text\nserver: (none) → {"replicas":2}\n```');
    expect(markdown).not.toContain('**No changes.**');
  });

  it('shows a changed Lua health check whole, as a line diff in a diff block', () => {
    const after = edited(committed, 'kkg/bootstrap/configmap-argocd-cm.yaml', (text) =>
      text.replace('SyncError', 'SyncError_And_A_Much_Longer_Identifier_That_Would_Have_Been_Cut_At_One_Hundred_Characters_Before'),
    );

    const markdown = formatPlanMarkdown(planChanges(committed, after), ['kkg'], 'dist');

    expect(markdown).toMatch(/`data\["resource\.customizations\.health\.argoproj\.io_Application"\]: text of (\d+) → \1 lines:`\n\n```diff\n@@ /);
    expect(markdown).toContain('SyncError_And_A_Much_Longer_Identifier_That_Would_Have_Been_Cut_At_One_Hundred_Characters_Before');
    expect(markdown).not.toMatch(/…\n/);
  });
});

describe('the size cap', () => {
  it('leaves out bookkeeping lists first, then other clusters, production last, and names what each section lost', () => {
    const big = (cluster: string, n: number): ObjectChange => ({
      change: 'changed',
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'app',
      name: `${cluster}-${n}`,
      phase: 'Sync',
      wave: 0,
      supporting: false,
      diff: [
        '@@ -1 +1 @@',
        ...Array.from({ length: 40 }, (_, i) => `-x${i}: ${'a'.repeat(60)}`),
        ...Array.from({ length: 40 }, (_, i) => `+x${i}: ${cluster}`),
      ],
      notes: [],
    });
    const plan = planChanges(committed, committed);
    const details: PlanDetails = {
      renders: ['kkg', 'example'].map((cluster) => ({
        cluster,
        component: 'grafana',
        before: 'grafana 9.3.4',
        after: 'grafana 9.3.5',
        changes: [0, 1, 2].map((n) => big(cluster, n)),
        unchanged: 0,
        problems: [],
        becauseOfCluster: true,
      })),
      stats: { applications: 2, renders: 4, helm: 0 },
      notes: [],
    };
    const full = formatPlanMarkdown(plan, ['example', 'kkg'], 'dist', { details, production: ['kkg'], maxChars: Number.POSITIVE_INFINITY });
    const limit = full.length - 4000;

    const markdown = formatPlanMarkdown(plan, ['example', 'kkg'], 'dist', { details, production: ['kkg'], maxChars: limit, fullReport: { path: 'plan.md' } });

    expect(markdown.length).toBeLessThanOrEqual(limit);
    for (const n of [0, 1, 2]) expect(markdown).toContain(`<summary><code>~</code> apps/v1 Deployment app/kkg-${n}: `);
    const example = markdown.slice(markdown.indexOf('### `example`'));
    expect(example).toMatch(
      /> Left out of this section to keep the comment under GitHub's 65,536 characters \(the full plan is in `plan\.md`\): `apps\/v1 Deployment app\/example-\d`/,
    );
    const kkgSection = markdown.slice(markdown.indexOf('### `kkg` (production)'), markdown.indexOf('### `example`'));
    expect(kkgSection).not.toContain('Left out');
  });
});
