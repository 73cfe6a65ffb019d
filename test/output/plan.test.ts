import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/environment';
import { planChanges } from '../../src/output/plan';
import { formatPlanMarkdown, formatPlanText } from '../../src/output/plan-report';
import type { FileMap } from '../../src/output/render';
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

  it('render as a Markdown table for a pull-request comment', () => {
    const markdown = formatPlanMarkdown(plan, ['kkg'], 'dist');

    expect(markdown).toContain('| Wave | Change | Object | File | Note |');
    expect(markdown).toContain('| 9 | removed | Application navidrome | `dist/kkg/navidrome.yaml` | BLOCKED:');
  });

  it('say so when nothing changes', () => {
    expect(formatPlanText(planChanges(committed, committed), ['kkg'], 'dist')).toBe('kkg: no changes\nNo changes.\n');
  });
});
