import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { components } from '../../src/platform/index';

interface CustomManager {
  readonly managerFilePatterns: readonly string[];
  readonly matchStrings: readonly string[];
  readonly datasourceTemplate: string;
}

const config = JSON.parse(readFileSync('renovate.json', 'utf8')) as { customManagers: CustomManager[] };
const [manager] = config.customManagers;

/** Renovate writes file patterns as `/regex/`. */
function filePattern(pattern: string): RegExp {
  expect(pattern.startsWith('/') && pattern.endsWith('/'), pattern).toBe(true);
  return new RegExp(pattern.slice(1, -1));
}

/** What the manager extracts from the repository, as Renovate would: every match of every file it matches. */
function extracted(): { file: string; depName: string; registryUrl: string; currentValue: string }[] {
  const files = readdirSync('src/platform').map((name) => `src/platform/${name}`);
  const matched = files.filter((file) => manager.managerFilePatterns.some((p) => filePattern(p).test(file)));
  return matched.flatMap((file) =>
    manager.matchStrings.flatMap((source) =>
      [...readFileSync(file, 'utf8').matchAll(new RegExp(source, 'g'))].map((m) => ({
        file,
        depName: m.groups?.depName as string,
        registryUrl: m.groups?.registryUrl as string,
        currentValue: m.groups?.currentValue as string,
      })),
    ),
  );
}

describe('renovate.json', () => {
  it('finds every chart of the catalog, with its repository and version, exactly once', () => {
    const found = extracted().map(({ file, depName, registryUrl, currentValue }) => ({ file, depName, registryUrl, currentValue }));
    const catalog = components.map((spec) => ({
      file: `src/platform/${spec.id}.ts`,
      depName: spec.chart,
      registryUrl: spec.repoUrl,
      currentValue: spec.version,
    }));

    expect(found.sort((a, b) => a.file.localeCompare(b.file))).toEqual(catalog.sort((a, b) => a.file.localeCompare(b.file)));
  });

  it('looks the versions up in Helm repositories', () => {
    expect(manager.datasourceTemplate).toBe('helm');
  });

  it('does not read the internal modules of the catalog', () => {
    const files = ['src/platform/_shared.ts', 'src/platform/types.ts', 'src/platform/index.ts'];

    expect(extracted().filter((e) => files.includes(e.file))).toEqual([]);
  });
});
