import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/inventory/inventory';
import { manifestsFor, valuesFor } from '../../src/platform/index';
import type { ComponentSpec, SupportingManifest } from '../../src/platform/types';
import { makeEnvironment } from '../helpers/make-environment';
import { probe } from '../helpers/probe';

/** A probe whose values and manifests count their calls and depend on the environment and inventory. */
function counted(): { spec: ComponentSpec; calls: { values: number; manifests: number } } {
  const calls = { values: 0, manifests: 0 };
  const spec: ComponentSpec = {
    ...probe('counted', {}),
    values: (env) => {
      calls.values++;
      return { cluster: env.cluster, nested: { list: [1, 2] } };
    },
    manifests: (env, inventory) => {
      calls.manifests++;
      return [
        {
          kind: 'OnePasswordItem',
          name: `${env.cluster}-${inventory === undefined ? 'none' : 'inventory'}`,
          itemPath: 'vaults/v/items/i',
        } as SupportingManifest,
      ];
    },
  };
  return { spec, calls };
}

describe("a component's values and manifests, computed once per environment", () => {
  it('calls the spec once per spec and environment, and again for another environment', () => {
    const { spec, calls } = counted();
    const lab = makeEnvironment({ cluster: 'lab' });
    const prod = makeEnvironment({ cluster: 'prod' });

    expect(valuesFor(spec, lab)).toBe(valuesFor(spec, lab));
    expect(calls.values).toBe(1);
    expect(valuesFor(spec, prod)).toEqual({ cluster: 'prod', nested: { list: [1, 2] } });
    expect(calls.values).toBe(2);
  });

  it('keeps manifests apart by inventory, and gives none for a spec without manifests', () => {
    const { spec, calls } = counted();
    const lab = makeEnvironment({ cluster: 'lab' });
    const inventory = { applications: new Map() } as unknown as Inventory;

    expect(manifestsFor(spec, lab).map((m) => m.name)).toEqual(['lab-none']);
    expect(manifestsFor(spec, lab, inventory).map((m) => m.name)).toEqual(['lab-inventory']);
    manifestsFor(spec, lab);
    manifestsFor(spec, lab, inventory);
    expect(calls.manifests).toBe(2);
    expect(manifestsFor(probe('bare', {}), lab)).toEqual([]);
  });

  it('freezes what it shares, so that no reader changes what the next one sees', () => {
    const { spec } = counted();
    const values = valuesFor(spec, makeEnvironment({ cluster: 'lab' })) as { nested: { list: number[] } };
    expect(() => values.nested.list.push(3)).toThrow(TypeError);
    expect(() => {
      (manifestsFor(spec, makeEnvironment()) as SupportingManifest[]).pop();
    }).toThrow(TypeError);
  });
});
