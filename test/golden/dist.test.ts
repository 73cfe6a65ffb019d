import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '../../src/output/write';
import { loadAll, renderEnvironment } from '../helpers/render';

const environments = loadAll();

describe('committed dist/', () => {
  it.each(environments.map((env) => [env.cluster, env] as const))(
    'holds exactly what synth renders for %s (run `npm run synth` and commit when this fails)',
    (cluster, env) => {
      const rendered = Object.fromEntries(
        [...renderEnvironment(env)].map(([path, content]) => [path.slice(cluster.length + 1), content]),
      );

      expect(Object.fromEntries(readTree(join('dist', cluster)))).toEqual(rendered);
    },
  );

  it('has a folder for every environment and no other', () => {
    const folders = readdirSync('dist', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

    expect(folders).toEqual(environments.map((env) => env.cluster).sort());
  });
});

describe('fixture environments', () => {
  const fixtures = loadAll('test/fixtures/environments');

  it.each(fixtures.map((env) => [env.cluster, env] as const))('renders %s as in its snapshot', (_cluster, env) => {
    expect(Object.fromEntries(renderEnvironment(env))).toMatchSnapshot();
  });
});
