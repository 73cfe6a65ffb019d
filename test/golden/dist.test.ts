import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/environment';
import type { FileMap } from '../../src/synth/cluster-files';
import { readTree } from '../../src/synth/write';
import { components } from '../../src/platform/index';
import { childApplications, loadAll, renderEnvironment } from '../helpers/render';

/** What a chart version from the catalog reads as in a fixture snapshot. */
const CATALOG_VERSION = '<catalog version>';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The rendered files of a fixture environment, with every chart version that comes from
 * the catalog written as `<catalog version>` (in the Application's `targetRevision` and in
 * the overview's `chart@version`). A chart bump, Renovate's one-line change of a catalog
 * file, then leaves the snapshots alone; a version the fixture sets itself stays literal.
 * That the Applications carry the right versions is checked on its own below.
 */
function withCatalogVersionsMasked(env: Environment, files: FileMap): Record<string, string> {
  const masked = new Map(files);
  for (const spec of components) {
    if (env.components[spec.id]?.version !== undefined) continue;
    const application = `${env.cluster}/${spec.id}.yaml`;
    const text = masked.get(application);
    if (text === undefined) continue;
    const version = escapeRegExp(spec.version);
    masked.set(application, text.replace(new RegExp(`^(\\s+targetRevision: )(['"]?)${version}\\2$`, 'm'), `$1${CATALOG_VERSION}`));
    const overview = `${env.cluster}/README.md`;
    masked.set(
      overview,
      (masked.get(overview) as string)
        .split('\n')
        .map((line) => (line.includes(`| [${spec.id}](`) ? line.replace(`| ${spec.chart}@${spec.version} |`, `| ${spec.chart}@${CATALOG_VERSION} |`) : line))
        .join('\n'),
    );
  }
  return Object.fromEntries(masked);
}

const environments = loadAll();

describe('committed dist/', () => {
  it.each(environments.map((env) => [env.cluster, env] as const))(
    'holds exactly what synth renders for %s (run `npm run synth` and commit when this fails)',
    (cluster, env) => {
      const rendered = Object.fromEntries([...renderEnvironment(env)].map(([path, content]) => [path.slice(cluster.length + 1), content]));

      expect(Object.fromEntries(readTree(join('dist', cluster)))).toEqual(rendered);
    },
  );

  it('has a folder for every environment and no other', () => {
    const folders = readdirSync('dist', { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();

    expect(folders).toEqual(environments.map((env) => env.cluster).sort());
  });
});

describe('fixture environments', () => {
  const fixtures = loadAll('test/fixtures/environments');

  it.each(fixtures.map((env) => [env.cluster, env] as const))('renders %s as in its snapshot (catalog chart versions masked)', (_cluster, env) => {
    expect(withCatalogVersionsMasked(env, renderEnvironment(env))).toMatchSnapshot();
  });

  it.each(fixtures.map((env) => [env.cluster, env] as const))(
    "gives every Application of %s the chart version its environment overrides, else the catalog's",
    (_cluster, env) => {
      const applications = childApplications(env);
      const deployed = components.filter((spec) => applications.has(spec.id));

      expect(deployed.length).toBeGreaterThan(0);
      for (const spec of deployed) {
        const app = applications.get(spec.id);
        const source = (app.spec.sources ?? [app.spec.source]).find((s: { chart?: string }) => s.chart !== undefined);
        expect(`${source.chart}@${source.targetRevision}`, spec.id).toBe(`${spec.chart}@${env.components[spec.id]?.version ?? spec.version}`);
      }
    },
  );

  it('masks catalog versions in the snapshot but keeps a version the fixture overrides', () => {
    const [lab] = fixtures;
    const masked = withCatalogVersionsMasked(lab, renderEnvironment(lab));

    expect(lab.components.grafana?.version).toBe('9.4.0');
    expect(masked['lab/grafana.yaml']).toMatch(/^ +targetRevision: 9\.4\.0$/m);
    expect(masked['lab/cilium.yaml']).toMatch(/^ +targetRevision: <catalog version>$/m);
    expect(masked['lab/README.md']).toContain('| grafana@9.4.0 |');
    expect(masked['lab/README.md']).toContain('| cilium@<catalog version> |');
    const revisions = new Set(Object.values(masked).flatMap((text) => [...text.matchAll(/targetRevision: (.+)$/gm)].map((m) => m[1])));
    expect([...revisions].sort()).toEqual(['9.4.0', '<catalog version>', lab.git.revision].sort());
  });
});
