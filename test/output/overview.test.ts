import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/environment';
import { onePasswordItems, onePasswordItemsTable } from '../../src/output/one-password-items';
import { dependencyGraph } from '../../src/output/overview';
import { README_GRAPH_END, README_GRAPH_START } from '../../src/output/readme-graph';
import { planEnvironment } from '../../src/platform/_resolve';
import { components } from '../../src/platform/index';
import { loadAll, renderEnvironment } from '../helpers/render';

const environments = loadAll();
const kkg = environments.find((env) => env.cluster === 'kkg') as Environment;

describe.each(environments.map((env) => [env.cluster, env] as const))('the overview of %s', (cluster, env) => {
  const overview = renderEnvironment(env).get(`${cluster}/README.md`) as string;
  const componentTable = overview.slice(overview.indexOf('## Components by wave'), overview.indexOf('## 1Password items'));
  const rows = componentTable.split('\n').filter((line) => /^\| \d+ \|/.test(line)).map((line) => line.split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim()));

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

  it('draws exactly the catalog\'s dependency edges', () => {
    const edges = [...overview.matchAll(/^ {2}c_(\S+) --> c_(\S+)$/gm)].map((m) => `${m[1]}>${m[2]}`).sort();
    const expected = planEnvironment(env, components)
      .components.flatMap((c) => c.dependsOn.map((dep) => `${dep}>${c.spec.id}`.replace(/-/g, '_')))
      .sort();

    expect(edges).toEqual(expected);
  });
});

describe('the overview of kkg', () => {
  const overview = renderEnvironment(kkg).get('kkg/README.md') as string;
  const hostsOf = (id: string) => overview.split('\n').find((line) => line.includes(`[${id}](`))?.split(' | ').at(-1)?.replace(/ \|$/, '');

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
