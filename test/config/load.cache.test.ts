import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type EnvironmentCache, loadEnvironments } from '../../src/config/load';
import { UserError } from '../../src/core/user-error';
import { seal, unseal } from '../../src/core/sealed';
import { Warnings } from '../../src/core/warnings';
import { componentIds } from '../../src/platform/index';
import { environmentYaml, KNOWN_COMPONENTS } from '../helpers/environment-yaml';

/** The real environments in a folder of their own, a cache folder beside them, and a load that says what it found. */
function setUp(): { dir: string; cache: (build?: string) => EnvironmentCache; load: (cache?: EnvironmentCache) => { clusters: unknown; warnings: string[] } } {
  const root = mkdtempSync(join(tmpdir(), 'pke-env-cache-'));
  const dir = join(root, 'environments');
  cpSync('environments', dir, { recursive: true });
  return {
    dir,
    cache: (build = 'build-1') => ({ dir: join(root, 'cache'), build }),
    load: (cache) => {
      const warnings = new Warnings();
      const clusters = loadEnvironments(dir, componentIds, { warnings, ...(cache === undefined ? {} : { cache }) });
      return {
        clusters: JSON.parse(JSON.stringify(clusters)),
        warnings: warnings
          .report()
          .split('\n')
          .filter((line) => line !== ''),
      };
    },
  };
}

function entries(cache: EnvironmentCache): string[] {
  return readdirSync(cache.dir).sort();
}

describe('the cache of environment checks', () => {
  it('gives the environments and warnings of a check made without it, from one entry per file', () => {
    const { cache, load } = setUp();
    const fresh = load();
    expect(fresh.warnings.some((line) => /example\.yaml:\d+:\d+: \/acme\/email: warning/.test(line))).toBe(true);

    const first = load(cache());
    const again = load(cache());

    expect(first).toEqual(fresh);
    expect(again).toEqual(fresh);
    expect(entries(cache())).toHaveLength(2);
  });

  it('is read: what an entry holds is what the load gives, for the code it was made by only', () => {
    const { cache, load } = setUp();
    const fresh = load();
    load(cache('build-1'));
    // An entry rewritten (sealed again) with another time zone: only its contents can say so.
    for (const name of entries(cache())) {
      const path = join(cache().dir, name);
      const header = readFileSync(path, 'utf8').split('\n')[0];
      const format = Number(/format (\d+)/.exec(header)?.[1]);
      const body = unseal('environment', format, readFileSync(path, 'utf8')) as string;
      const value = JSON.parse(body) as { environment: { timezone: string } };
      value.environment.timezone = 'Antarctica/Troll';
      writeFileSync(path, seal('environment', format, JSON.stringify(value)));
    }

    expect((load(cache('build-1')).clusters as { timezone: string }[]).map((env) => env.timezone)).toEqual(['Antarctica/Troll', 'Antarctica/Troll']);
    // Another build of the code believes none of them.
    expect(load(cache('build-2'))).toEqual(fresh);
  });

  it('ignores an entry that is not whole, or sealed but not JSON, and checks the file again', () => {
    const { cache, load } = setUp();
    const fresh = load();
    load(cache());
    for (const name of entries(cache())) {
      const path = join(cache().dir, name);
      writeFileSync(path, readFileSync(path, 'utf8').slice(0, -20));
    }
    expect(load(cache())).toEqual(fresh);
    for (const name of entries(cache())) {
      const path = join(cache().dir, name);
      const format = Number(/format (\d+)/.exec(readFileSync(path, 'utf8').split('\n')[0])?.[1]);
      writeFileSync(path, seal('environment', format, '{"environment": '));
    }
    expect(load(cache())).toEqual(fresh);
  });

  it('keeps no file with problems: each run says them again, with their lines', () => {
    const { dir, cache, load } = setUp();
    writeFileSync(join(dir, 'broken.yaml'), environmentYaml({ 'label: lab': 'label: 7' }));
    const problems = (): string[] => {
      try {
        load(cache());
      } catch (error) {
        if (error instanceof UserError) return error.message.split('\n');
        throw error;
      }
      throw new Error('the load passed');
    };
    const first = problems();
    expect(first.some((line) => line.startsWith(`${join(dir, 'broken.yaml')}:`))).toBe(true);
    expect(problems()).toEqual(first);
    expect(entries(cache())).toHaveLength(2); // example and kkg only
  });

  it('still points at the line of a label two cached environments share', () => {
    const { dir, cache } = setUp();
    writeFileSync(join(dir, 'alpha.yaml'), environmentYaml({ 'label: lab': 'label: twin' }));
    writeFileSync(join(dir, 'beta.yaml'), environmentYaml({ 'label: lab': 'label: twin' }));
    const lines = (): string[] => {
      try {
        loadEnvironments(dir, KNOWN_COMPONENTS, { cache: cache() });
      } catch (error) {
        if (error instanceof UserError) return error.message.split('\n');
        throw error;
      }
      throw new Error('the load passed');
    };
    // The first run checks and remembers alpha and beta (valid each on its own); the second takes both from the cache.
    const first = lines();
    expect(entries(cache()).length).toBeGreaterThanOrEqual(2);
    const second = lines();
    expect(second).toEqual(first);
    expect(
      second.some((line) => new RegExp(`^${join(dir, 'beta.yaml')}:\\d+:\\d+: /cluster/label: expected a label no other environment uses`).test(line)),
    ).toBe(true);
  });
});
