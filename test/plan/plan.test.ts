import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/environment';
import { planChanges } from '../../src/plan/plan';
import type { ObjectChange } from '../../src/plan/object-diff';
import type { PlanDetails } from '../../src/plan/details';
import { formatPlanMarkdown, formatPlanText, MAX_OBJECT_LINES, PLAN_COMMENT_MARKER } from '../../src/plan/report';
import type { FileMap } from '../../src/synth/cluster-files';
import { loadAll, renderEnvironment } from '../helpers/render';

const kkg = loadAll().find((env) => env.cluster === 'kkg') as Environment;
const committed = renderEnvironment(kkg);

function withComponents(components: Environment['components']): FileMap {
  return renderEnvironment({ ...kkg, components: { ...kkg.components, ...components } });
}

function without(files: FileMap, prefix: string): FileMap {
  return new Map([...files].filter(([path]) => !path.startsWith(prefix)));
}

describe('planChanges', () => {
  it('reports nothing for an unchanged tree', () => {
    expect(planChanges(committed, renderEnvironment(kkg))).toEqual({ entries: [], blocked: [], refused: [] });
  });

  it('blocks a removed component and names it', () => {
    const plan = planChanges(committed, withComponents({ navidrome: { enabled: false } }));

    expect(plan.blocked.map((e) => `${e.cluster}/${e.component}`)).toEqual(['kkg/navidrome']);
    expect(plan.blocked[0]).toMatchObject({ change: 'removed', wave: 9, isApplication: true, cascades: true });
    expect(plan.refused).toEqual([]);
  });

  it('lets a removal pass with --allow-delete, by component or by cluster/component', () => {
    const after = withComponents({ navidrome: { enabled: false } });

    expect(planChanges(committed, after, ['navidrome']).blocked).toEqual([]);
    expect(planChanges(committed, after, ['kkg/navidrome']).blocked).toEqual([]);
    expect(planChanges(committed, after, ['example/navidrome']).blocked).toHaveLength(1);
  });

  it('treats a rename as a removal plus an addition, so the old name is blocked', () => {
    const after = new Map([...committed].map(([path, content]) => [path.replace('kkg/grafana.yaml', 'kkg/dashboards.yaml'), content]));

    const plan = planChanges(committed, after);

    expect(plan.blocked.map((e) => e.file)).toEqual(['kkg/grafana.yaml']);
    expect(plan.entries.filter((e) => e.change === 'added').map((e) => e.file)).toEqual(['kkg/dashboards.yaml']);
  });

  it('never lets a protected Application go, not even with --allow-delete', () => {
    const after = without(without(committed, 'kkg/cilium.yaml'), 'kkg/cilium/');

    const plan = planChanges(committed, after, ['cilium', 'kkg/cilium']);

    expect(plan.refused.map((e) => e.component)).toEqual(['cilium']);
    expect(plan.blocked).toEqual([]);
  });

  it('groups changes by wave and puts each supporting manifest in the wave of its component', () => {
    const after = new Map(committed);
    for (const path of ['kkg/traefik.yaml', 'kkg/traefik/certificate-traefik.str08.net.yaml', 'kkg/alloy.yaml']) {
      after.set(path, `${committed.get(path)}# edited\n`);
    }

    const plan = planChanges(committed, after);

    expect(plan.entries.map((e) => [e.wave, e.kind, e.component])).toEqual([
      [4, 'Application', 'traefik'],
      [4, 'Certificate', 'traefik'],
      [8, 'Application', 'alloy'],
    ]);
    expect(plan.entries.every((e) => e.change === 'changed')).toBe(true);
  });
});

describe('plan reports', () => {
  const plan = planChanges(committed, withComponents({ navidrome: { enabled: false } }));

  it('print a blocked removal with the flag that allows it', () => {
    const text = formatPlanText(plan, ['kkg'], 'dist');

    expect(text).toContain('  wave 9\n    - Application navidrome');
    expect(text).toContain('BLOCKED: Argo CD deletes everything it installed; pass --allow-delete navidrome if that is intended');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Not safe to merge: 0 protected Application(s) removed, 1 removal(s) not allowed.');
  });

  it('render as Markdown for the pull-request comment: the marker the workflow finds it by, the removal blocked at the top and in its wave', () => {
    const markdown = formatPlanMarkdown(plan, ['kkg'], 'dist');

    expect(markdown.startsWith(`${PLAN_COMMENT_MARKER}\n## Argo CD plan\n`)).toBe(true);
    expect(markdown).toContain('### Before you merge\n\n- ⛔ **kkg: `navidrome` is removed**: Argo CD deletes everything it installed. Not allowed yet:');
    expect(markdown).toContain(
      '#### wave 9 · `navidrome`\n\n- `-` Application `navidrome` · `dist/kkg/navidrome.yaml` — BLOCKED: Argo CD deletes everything it installed;',
    );
  });

  it('say to delete the AppProject of a removed component by hand after merging: kubectl apply never deletes it', () => {
    const markdown = formatPlanMarkdown(plan, ['kkg'], 'dist');

    expect(markdown).toContain(
      '- 🔁 **kkg: delete the AppProject(s) nothing uses any more by hand after merging**, once Argo CD has removed their Applications ' +
        '(`kubectl apply` never deletes them): `kubectl -n argocd delete appproject platform-navidrome`\n',
    );
    expect(markdown).not.toContain('apply `dist/kkg/bootstrap/` after merging');
  });

  it('say to apply bootstrap/ after merging when an AppProject only admits less, and name what', () => {
    const after = new Map(committed);
    const file = 'kkg/bootstrap/appproject-platform-navidrome.yaml';
    after.set(file, (committed.get(file) as string).replace(/\n {4}- group: batch\n {6}kind: Job\n/, '\n'));
    expect(after.get(file)).not.toBe(committed.get(file));

    const markdown = formatPlanMarkdown(planChanges(committed, after), ['kkg'], 'dist');

    expect(markdown).toContain(
      '- 🔁 **kkg: apply `dist/kkg/bootstrap/` after merging**, once Argo CD has synced and pruned what leaves: AppProject `platform-navidrome` no longer allows ' +
        'namespaced kind `batch/Job`. Run `kubectl apply -f dist/kkg/bootstrap/` (the root app does not manage bootstrap/). ' +
        'Not before: a project that no longer permits a kind or destination hides the live objects of it from their Application, which then never prunes them, not even on cascade delete\n',
    );
  });

  it('say to apply bootstrap/ before merging when argocd-cm or the root app change, with the fields', () => {
    const after = new Map(committed);
    after.set(
      'kkg/bootstrap/configmap-argocd-cm.yaml',
      (committed.get('kkg/bootstrap/configmap-argocd-cm.yaml') as string).replace('Health of a child Application', 'Health of a child'),
    );
    after.set('kkg/bootstrap/root-app.yaml', (committed.get('kkg/bootstrap/root-app.yaml') as string).replace('limit: -1', 'limit: 5'));

    const text = formatPlanText(planChanges(committed, after), ['kkg'], 'dist');

    expect(text).toContain(
      '  ⛔ kkg: apply `dist/kkg/bootstrap/` before merging, or the waves wait by the old Application health check ' +
        '(`argocd-cm`: data["resource.customizations.health.argoproj.io_Application"]); or Argo CD keeps the old root Application `root-app`, ' +
        'which does not manage itself (spec.syncPolicy.retry.limit). Run `kubectl apply -f dist/kkg/bootstrap/` (the root app does not manage bootstrap/).\n',
    );
    expect(text).toContain('        spec.syncPolicy.retry.limit: -1 → 5\n');
    expect(text).toMatch(/ {8}data\["resource\.customizations\.health\.argoproj\.io_Application"\]: text of (\d+) → \1 lines:\n/);
    expect(text).toContain(
      '            @@ -1,4 +1,4 @@\n' +
        '            --- Health of a child Application, so that App-of-Apps sync-waves wait until it is done.\n' +
        '            +-- Health of a child, so that App-of-Apps sync-waves wait until it is done.\n',
    );
  });

  it('say so when nothing changes', () => {
    expect(formatPlanText(planChanges(committed, committed), ['kkg'], 'dist')).toBe('kkg: no changes\nNo changes.\n');
  });

  it('cut a long object diff in the comment and fold it, saying how many lines were cut', () => {
    const change: ObjectChange = {
      change: 'changed',
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'grafana',
      name: 'dashboards',
      phase: 'Sync',
      wave: 0,
      supporting: false,
      diff: ['@@ -1,200 +1,200 @@', ...Array.from({ length: 200 }, (_, i) => `-line ${i}`), ...Array.from({ length: 200 }, (_, i) => `+line ${i}!`)],
      notes: [],
    };
    const details: PlanDetails = {
      renders: [{ cluster: 'kkg', component: 'navidrome', before: 'navidrome 1.0.0', changes: [change], unchanged: 0, problems: [], becauseOfCluster: false }],
      stats: { applications: 1, renders: 1, helm: 0 },
      notes: [],
    };

    const markdown = formatPlanMarkdown(plan, ['kkg'], 'dist', { details });

    expect(markdown).toContain('<details open><summary><code>~</code> v1 ConfigMap grafana/dashboards: +200 −200</summary>');
    expect(markdown).toContain(
      `_… ${401 - MAX_OBJECT_LINES} more diff line(s) of this object cut (at most ${MAX_OBJECT_LINES} per object); the full plan has them all._`,
    );
    expect(markdown).not.toContain('+line 199!');
    // The full report (no size limit) keeps every line.
    expect(formatPlanMarkdown(plan, ['kkg'], 'dist', { details, maxChars: Number.POSITIVE_INFINITY })).toContain('+line 199!');
  });
});
