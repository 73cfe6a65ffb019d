import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ExternalIngressController } from '../../src/config/environment';
import { isExactVersion } from '../../src/core/versions';
import { componentIds, components } from '../../src/platform/index';
import type { ComponentId, ComponentSpec } from '../../src/platform/types';
import { makeEnvironment } from '../helpers/make-environment';

const PLATFORM_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../src/platform');

/**
 * Stems of the component files: every `.ts` in `src/platform/` except the index,
 * the types and `_` modules. Sorted as stems, so `traefik` comes before `traefik-external`.
 */
const stems: readonly string[] = readdirSync(PLATFORM_DIR)
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts' && file !== 'types.ts' && !file.startsWith('_'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();

/** A DNS-1123 label (RFC 1123), as Kubernetes object names and Argo CD Application names must be. */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Helm's limit on release names, stricter than the 63 characters of a label. */
const MAX_ID_LENGTH = 53;

const CONTROLLERS: readonly ExternalIngressController[] = ['traefik-external', 'cloudflare-tunnel'];

function dependencies(component: ComponentSpec, controller: ExternalIngressController): readonly ComponentId[] {
  const env = makeEnvironment({ externalIngress: { controller } });
  return typeof component.dependsOn === 'function' ? component.dependsOn(env) : component.dependsOn;
}

describe('the component list', () => {
  it('is sorted by id', () => {
    const ids = components.map((component) => component.id);

    expect(ids).toEqual([...ids].sort());
  });

  it('has no duplicate ids', () => {
    const ids = components.map((component) => component.id);

    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists exactly the component files of src/platform', () => {
    expect(components.map((component) => component.id)).toEqual(stems);
  });

  it('derives componentIds from the components, in the same order', () => {
    expect(componentIds).toEqual(components.map((component) => component.id));
  });
});

describe.each(stems)('component file %s.ts', (stem) => {
  it('exports one object whose id is the file name, and the index lists that very object', async () => {
    const module = (await import(join(PLATFORM_DIR, `${stem}.ts`))) as Record<string, unknown>;
    const exported = Object.values(module);

    expect(exported).toHaveLength(1);
    expect((exported[0] as ComponentSpec).id).toBe(stem);
    expect(components).toContain(exported[0]);
  });

  it('puts its one repoUrl line right above chart and version, both string literals, for the Renovate regex manager', () => {
    const lines = readFileSync(join(PLATFORM_DIR, `${stem}.ts`), 'utf8').split('\n');
    const repoLine = lines.findIndex((line) => /^\s*repoUrl:/.test(line));

    expect(repoLine).toBeGreaterThanOrEqual(0);
    expect(lines[repoLine + 1]).toMatch(/^\s*chart: (['"])[^'"]+\1,$/);
    expect(lines[repoLine + 2]).toMatch(/^\s*version: (['"])[^'"]+\1,$/);
    expect(lines.filter((line) => /^\s*repoUrl:/.test(line))).toHaveLength(1);
  });
});

describe.each(components.map((component) => [component.id, component] as const))('component %s', (id, component) => {
  it('has an id that is a DNS-1123 label of at most 53 characters', () => {
    expect(id).toMatch(DNS_1123_LABEL);
    expect(id.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
  });

  it('pins an exact chart version (no range, no latest, no wildcard)', () => {
    expect(isExactVersion(component.version), component.version).toBe(true);
  });

  it.each(CONTROLLERS)('depends only on known components, never on itself, behind %s', (controller) => {
    for (const dependency of dependencies(component, controller)) {
      expect(componentIds).toContain(dependency);
      expect(dependency).not.toBe(id);
    }
  });

  it('declares a whole layer between 1 and 9, or none', () => {
    if (component.layer !== undefined) {
      expect(Number.isInteger(component.layer)).toBe(true);
      expect(component.layer).toBeGreaterThanOrEqual(1);
      expect(component.layer).toBeLessThanOrEqual(9);
    }
  });
});
