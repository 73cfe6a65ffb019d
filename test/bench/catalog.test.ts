import { describe, expect, it } from 'vitest';
import { LAYERS, layerSizes, REAL_LAYER_SIZES, syntheticCatalog } from '../../bench/catalog';
import { planEnvironment } from '../../src/platform/index';
import type { ComponentSpec } from '../../src/platform/types';
import { makeEnvironment } from '../helpers/make-environment';

const env = makeEnvironment();
const dependenciesOf = (spec: ComponentSpec): readonly string[] => (typeof spec.dependsOn === 'function' ? spec.dependsOn(env) : spec.dependsOn);

describe('syntheticCatalog', () => {
  it.each([9, 200, 1000])('plans %i components without problems, in nine waves', (size) => {
    const catalog = syntheticCatalog(size);
    const plan = planEnvironment(env, catalog);

    expect(catalog).toHaveLength(size);
    expect(new Set(catalog.map((spec) => spec.id)).size).toBe(size);
    expect(plan.components).toHaveLength(size);
    expect(new Set(plan.components.map((component) => component.wave))).toEqual(new Set(Array.from({ length: LAYERS }, (_, i) => i + 1)));
  });

  it('gives every component above layer 1 one to three dependencies on lower layers', () => {
    const plan = planEnvironment(env, syntheticCatalog(1000));
    const waveOf = new Map(plan.components.map((component) => [component.spec.id as string, component.wave]));

    for (const component of plan.components) {
      const deps = dependenciesOf(component.spec);
      if (component.wave === 1) {
        expect(deps).toEqual([]);
      } else {
        expect(deps.length).toBeGreaterThanOrEqual(1);
        expect(deps.length).toBeLessThanOrEqual(3);
        expect(Math.max(...deps.map((dep) => waveOf.get(dep) as number))).toBe(component.wave - 1);
      }
    }
  });

  it('has supporting manifests of every kind and values on most components', () => {
    const catalog = syntheticCatalog(1000);
    const kinds = catalog.flatMap((spec) => spec.manifests?.(env) ?? []).map((manifest) => manifest.kind);
    const withManifests = catalog.filter((spec) => (spec.manifests?.(env) ?? []).length > 0).length;

    expect(new Set(kinds)).toEqual(new Set(['OnePasswordItem', 'Certificate', 'ClusterIssuer', 'CiliumLoadBalancerIPPool']));
    expect(withManifests / catalog.length).toBeGreaterThan(0.4);
    expect(withManifests / catalog.length).toBeLessThan(0.7);
    expect(catalog.every((spec) => Object.keys(spec.values(env)).length >= 4)).toBe(true);
  });

  it('is the same catalog for the same size', () => {
    const render = (specs: readonly ComponentSpec[]) => specs.map((spec) => [spec.id, dependenciesOf(spec), spec.values(env), spec.manifests?.(env)]);

    expect(render(syntheticCatalog(200))).toEqual(render(syntheticCatalog(200)));
  });
});

describe('layerSizes', () => {
  it('follows the real catalog for its own size and puts at least one component in every layer', () => {
    expect(layerSizes(23)).toEqual(REAL_LAYER_SIZES);
    expect(layerSizes(9)).toEqual(new Array(LAYERS).fill(1));
    for (const size of [10, 200, 1000, 5000]) {
      const sizes = layerSizes(size);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(size);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    }
  });

  it('rejects a catalog smaller than one component per layer', () => {
    expect(() => layerSizes(8)).toThrow(/at least 9/);
  });
});
