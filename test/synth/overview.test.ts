import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/environment';
import { onePasswordItems, onePasswordItemsTable } from '../../src/synth/one-password-items';
import { dependencyGraph } from '../../src/synth/overview';
import { README_GRAPH_END, README_GRAPH_START } from '../../src/docs-gen/readme-graph';
import { planEnvironment } from '../../src/platform/index';
import { components } from '../../src/platform/index';
import { loadAll, renderEnvironment } from '../helpers/render';

const environments = loadAll();
const kkg = environments.find((env) => env.cluster === 'kkg') as Environment;

describe.each(environments.map((env) => [env.cluster, env] as const))('the overview of %s', (cluster, env) => {
  const overview = renderEnvironment(env).get(`${cluster}/README.md`) as string;
  const componentTable = overview.slice(overview.indexOf('## Components by wave'), overview.indexOf('## 1Password items'));
  const rows = componentTable
    .split('\n')
    .filter((line) => /^\| \d+ \|/.test(line))
    .map((line) => line.split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim()));

  it('has one row per deployed component with its wave, chart@version, namespace and dependencies from the catalog', () => {
    const expected = components
      .map((spec) => ({ spec, dependsOn: typeof spec.dependsOn === 'function' ? spec.dependsOn(env) : spec.dependsOn }))
      .filter(({ spec }) => renderEnvironment(env).has(`${cluster}/${spec.id}.yaml`));

    expect(rows.map((row) => row[1].replace(/^\[([^\]]+)\].*$/, '$1')).sort()).toEqual(expected.map(({ spec }) => spec.id).sort());
    for (const { spec, dependsOn } of expected) {
      const row = rows.find((r) => r[1].startsWith(`[${spec.id}]`)) as string[];
      const version = env.components[spec.id]?.version ?? spec.version;
      expect(row[2], spec.id).toBe(`${spec.chart}@${version}`);
      expect(row[3], spec.id).toBe(spec.namespace);
      expect(row[4], spec.id).toBe(dependsOn.length === 0 ? '—' : [...dependsOn].sort().join(', '));
      expect(row[5], spec.id).toBe(spec.protected === undefined ? 'no' : '**yes**');
    }
  });

  it('lists every 1Password item the cluster needs, with its keys and the Secret it becomes', () => {
    const table = overview.slice(overview.indexOf('## 1Password items'), overview.indexOf('## Dependency graph'));
    const itemRows = table.split('\n').filter((line) => /^\| \d+ \|/.test(line));

    expect(itemRows).toEqual(onePasswordItemsTable(onePasswordItems(planEnvironment(env, components))).slice(2));
    expect(itemRows.length).toBeGreaterThan(2);
    expect(table).toContain('| `cloudflare-api-token` | `apiToken` | `cert-manager/cloudflare-api-token` |');
  });

  it('lists the rows by wave', () => {
    const waves = rows.map((row) => Number(row[0]));

    expect(waves).toEqual([...waves].sort((a, b) => a - b));
  });

  const arrows = [...overview.matchAll(/^ {2}c_(\S+) --> c_(\S+)$/gm)].map((m) => [m[1], m[2]] as const);
  const invisible = [...overview.matchAll(/^ {2}c_(\S+) ~~~ c_(\S+)$/gm)].map((m) => [m[1], m[2]] as const);
  const planned = planEnvironment(env, components).components;
  const node = (id: string): string => id.replace(/-/g, '_');
  const waveIndex = new Map(planned.map((c) => [node(c.spec.id), [...new Set(planned.map((p) => p.wave))].indexOf(c.wave)]));

  /** Every node reachable from `from` along `edges`, not counting `from`. */
  const reachableFrom = (from: string, edges: readonly (readonly [string, string])[]): Set<string> => {
    const found = new Set<string>();
    const visit = (id: string): void => {
      for (const [dep, dependent] of edges) {
        if (dep === id && !found.has(dependent)) {
          found.add(dependent);
          visit(dependent);
        }
      }
    };
    visit(from);
    return found;
  };

  it('draws every catalog dependency as an arrow or as a path of arrows', () => {
    const implied = planned.flatMap((c) => c.dependsOn.map((dep) => [node(dep), node(c.spec.id)] as const));

    expect(implied.filter(([dep, dependent]) => !reachableFrom(dep, arrows).has(dependent))).toEqual([]);
    expect(arrows.every(([dep, dependent]) => implied.some(([d, t]) => d === dep && t === dependent))).toBe(true);
  });

  it('leaves out every arrow that a longer path of arrows implies', () => {
    const redundant = arrows.filter(([dep, dependent]) =>
      arrows.some(([d, middle]) => d === dep && middle !== dependent && reachableFrom(middle, arrows).has(dependent)),
    );

    expect(redundant).toEqual([]);
  });

  it("pins every component to its wave's column, left to right, with invisible links", () => {
    const links = [...arrows, ...invisible];
    const rank = new Map<string, number>();
    const rankOf = (id: string): number => {
      if (!rank.has(id)) rank.set(id, Math.max(0, ...links.filter(([, t]) => t === id).map(([d]) => rankOf(d) + 1)));
      return rank.get(id) as number;
    };
    const last = Math.max(...waveIndex.values());

    // THEN the longest path of links to each node is its wave's position (nothing pulls it left) …
    expect([...waveIndex].filter(([id, index]) => rankOf(id) !== index)).toEqual([]);
    // … and every node before the last wave links into the next one (nothing lets it drift right)
    const drifting = [...waveIndex].filter(([id, index]) => index < last && !links.some(([d, t]) => d === id && waveIndex.get(t) === index + 1));
    expect(drifting).toEqual([]);
  });
});

describe('the overview of kkg', () => {
  const overview = renderEnvironment(kkg).get('kkg/README.md') as string;
  const hostsOf = (id: string) =>
    overview
      .split('\n')
      .find((line) => line.includes(`[${id}](`))
      ?.split(' | ')
      .at(-1)
      ?.replace(/ \|$/, '');

  it('shows the hosts each component serves, read from its rendered values and certificates', () => {
    expect(hostsOf('grafana')).toBe('grafana.str08.net');
    expect(hostsOf('minio-tenant')).toBe('minio-console.str08.net, minio.str08.net');
    expect(hostsOf('spotify-nowplaying')).toBe('spn.soli0222.com');
    expect(hostsOf('traefik')).toBe('traefik.str08.net');
    expect(hostsOf('cilium')).toBe('—');
  });
});

describe('the project README', () => {
  it('embeds the current dependency graph of the production cluster (run `npm run readme` when this fails)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const embedded = readme.slice(readme.indexOf(README_GRAPH_START) + README_GRAPH_START.length, readme.indexOf(README_GRAPH_END)).trim();

    expect(embedded).toBe(dependencyGraph(planEnvironment(kkg, components)));
  });
});
