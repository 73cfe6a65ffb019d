import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_FILES_GLOB, environmentOverrideRules, RENOVATE_CONFIG_PATH, withEnvironmentOverrideRules } from '../../src/docs-gen/renovate';
import { components } from '../../src/platform/index';
import { type CustomManager, extract, type Extracted, reads } from '../helpers/renovate-regex';

interface RenovateConfig {
  readonly customManagers: readonly CustomManager[];
  readonly packageRules: readonly Record<string, unknown>[];
  readonly description: string;
  readonly constraints: Record<string, string>;
  readonly postUpgradeTasks: { readonly commands: readonly string[]; readonly fileFilters: readonly string[]; readonly executionMode: string };
}

const TEXT = readFileSync(RENOVATE_CONFIG_PATH, 'utf8');
const config = JSON.parse(TEXT) as RenovateConfig;
const [catalogManager, environmentManager] = config.customManagers;

function extractFromFolder(manager: CustomManager, dir: string): Extracted[] {
  return readdirSync(dir)
    .map((name) => `${dir}/${name}`)
    .filter((file) => reads(manager, file))
    .flatMap((file) => extract(manager, file, readFileSync(file, 'utf8')));
}

/** The version overrides of an environment file, as the loader reads them. */
function overridesOf(file: string): Extracted[] {
  const data = parse(readFileSync(file, 'utf8')) as { components?: Record<string, { version?: unknown } | null> };
  return Object.entries(data.components ?? {})
    .filter(([, override]) => override?.version !== undefined)
    .map(([id, override]) => ({ file, depName: id, currentValue: String(override?.version) }));
}

const byFileAndName = (a: Extracted, b: Extracted): number => `${a.file} ${a.depName}`.localeCompare(`${b.file} ${b.depName}`);

describe('renovate.json', () => {
  it('writes every match string in the syntax RE2 accepts (no lookaround, no backreference)', () => {
    for (const manager of config.customManagers) {
      for (const source of manager.matchStrings) {
        expect(source, source).not.toMatch(/\(\?<?[=!]|\\[1-9]|\\k</);
        expect(() => new RegExp(source, 'gu'), source).not.toThrow();
      }
    }
  });

  it('looks every version up in Helm repositories, with regex managers', () => {
    expect(config.customManagers.filter((m) => m.datasourceTemplate === 'helm').map((m) => [m.customType, m.datasourceTemplate])).toStrictEqual([
      ['regex', 'helm'],
      ['regex', 'helm'],
    ]);
  });
});

describe('the catalog manager of renovate.json', () => {
  it('finds every chart of the catalog, with its repository and version, exactly once', () => {
    const found = extractFromFolder(catalogManager, 'src/platform');
    const catalog = components.map((spec) => ({
      file: `src/platform/${spec.id}.ts`,
      depName: spec.chart,
      registryUrl: spec.repoUrl,
      currentValue: spec.version,
    }));

    expect(found.sort(byFileAndName)).toEqual(catalog.sort(byFileAndName));
  });

  it('extracts nothing from the internal modules of the catalog', () => {
    const internal = ['src/platform/_shared.ts', 'src/platform/types.ts', 'src/platform/index.ts'];

    expect(extractFromFolder(catalogManager, 'src/platform').filter((e) => internal.includes(e.file))).toEqual([]);
  });
});

describe('the environment manager of renovate.json', () => {
  const extractText = (text: string): Extracted[] => extract(environmentManager, 'environments/test.yaml', text);

  it('reads every environment file and nothing else', () => {
    const files = readdirSync('environments')
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => `environments/${name}`);

    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(files.filter((file) => !reads(environmentManager, file))).toEqual([]);
    expect(
      ['environments/environment.schema.json', 'test/fixtures/environments/lab.yaml', 'src/platform/grafana.ts'].filter((f) => reads(environmentManager, f)),
    ).toEqual([]);
  });

  it('finds exactly the version overrides the loader reads, in every environment file', () => {
    const files = readdirSync('environments')
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => `environments/${name}`);

    expect(extractFromFolder(environmentManager, 'environments').sort(byFileAndName)).toEqual(files.flatMap(overridesOf).sort(byFileAndName));
  });

  it('finds the override of the lab fixture, written in flow style', () => {
    const file = 'test/fixtures/environments/lab.yaml';

    expect(extract(environmentManager, file, readFileSync(file, 'utf8'))).toEqual(overridesOf(file));
    expect(overridesOf(file)).toEqual([{ file, depName: 'grafana', currentValue: '9.4.0' }]);
  });

  it('finds overrides in block and flow style, quoted or not, among comments and blank lines', () => {
    const text = [
      '# yaml-language-server: $schema=./environment.schema.json',
      'minio:',
      '  version: 1.0.0 # not a component',
      'components:',
      '  # the LAN gets the newer chart',
      '  grafana:',
      '    enabled: true',
      '',
      '    version: 9.4.0',
      '  loki: { enabled: true, version: "6.38.1" }',
      "  alloy: {version: '1.3.0'}",
      '  mimir: { enabled: false }',
      '  cert-manager:',
      '    host: certs.example.test',
      '  traefik:',
      '    version: 37.1.0 # pinned until the CRDs are upgraded',
      'timezone: Asia/Tokyo',
      'version: 2.0.0',
      '',
    ].join('\n');

    expect(extractText(text)).toEqual([
      { file: 'environments/test.yaml', depName: 'grafana', currentValue: '9.4.0' },
      { file: 'environments/test.yaml', depName: 'loki', currentValue: '6.38.1' },
      { file: 'environments/test.yaml', depName: 'alloy', currentValue: '1.3.0' },
      { file: 'environments/test.yaml', depName: 'traefik', currentValue: '37.1.0' },
    ]);
  });

  it('finds nothing in a file without overrides', () => {
    expect(extractText('git:\n  repoUrl: https://example.test/p.git\ncomponents:\n  navidrome: { enabled: true }\n')).toEqual([]);
  });
});

describe('the generated package rules of renovate.json', () => {
  it('are what `npm run schema` writes from the catalog (run it when this fails)', () => {
    expect(TEXT).toBe(withEnvironmentOverrideRules(TEXT, components));
  });

  it('name the chart and repository of every component id an environment may override', () => {
    const rules = config.packageRules.filter((rule) => Array.isArray(rule.matchDepNames) && rule.overridePackageName !== undefined);

    expect(rules).toEqual(environmentOverrideRules(components));
    for (const spec of components) {
      const rule = rules.find((r) => (r.matchDepNames as string[]).includes(spec.id));
      expect(rule, spec.id).toMatchObject({
        matchManagers: ['custom.regex'],
        matchFileNames: [ENVIRONMENT_FILES_GLOB],
        overridePackageName: spec.chart,
        registryUrls: [spec.repoUrl],
      });
    }
  });

  it('replace the old generated rules and keep the hand-written ones, in place', () => {
    const edited = JSON.stringify({
      extends: ['config:recommended'],
      packageRules: [{ description: 'mine', groupName: 'x' }, { description: 'Generated by `npm run schema` from the catalog: stale' }],
      postUpgradeTasks: { commands: [] },
    });

    const updated = JSON.parse(withEnvironmentOverrideRules(edited, components.slice(0, 1)));

    expect(Object.keys(updated)).toEqual(['extends', 'packageRules', 'postUpgradeTasks']);
    expect(updated.packageRules).toEqual([{ description: 'mine', groupName: 'x' }, ...environmentOverrideRules(components.slice(0, 1))]);
  });
});

describe('the post-upgrade tasks of renovate.json (a self-hosted Renovate; the hosted app leaves them to CI)', () => {
  const { commands, fileFilters, executionMode } = config.postUpgradeTasks;
  const generated = readFileSync('scripts/ci/generated-paths', 'utf8').trim().split('\n');

  it('install exactly the locked packages, then run the script CI runs on the same branches', () => {
    expect(commands).toStrictEqual(['npm ci --no-audit --no-fund', 'scripts/ci/regenerate.sh']);
    expect(readFileSync('.github/workflows/ci.yaml', 'utf8')).toContain('scripts/ci/regenerate.sh');
  });

  it('never run vitest -u, which would bless any snapshot change', () => {
    expect(commands.join('\n')).not.toMatch(/vitest|-u\b|--update/);
    expect(readFileSync('scripts/ci/regenerate.sh', 'utf8')).not.toMatch(/vitest|-u\b|--update/);
  });

  it('run once per branch and commit exactly what the script generates', () => {
    expect(executionMode).toBe('branch');
    expect(fileFilters).toStrictEqual(generated.map((path) => (path.includes('.') ? path : `${path}/**`)));
  });

  it('state the Renovate and Node versions they need', () => {
    expect(config.description).toMatch(/Renovate 40\.2\.0 or later/);
    expect(config.description).toMatch(/Node 24/);
    expect(config.constraints).toEqual({ node: '>=24' });
  });
});
