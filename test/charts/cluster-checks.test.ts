import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/environment';
import { type Inventory, loadInventories, serializeInventory } from '../../src/inventory/inventory';
import { ClusterChecks } from '../../src/charts/cluster-checks';
import { makeEnvironment } from '../helpers/make-environment';

interface Check {
  readonly inventoryText: string;
  readonly cluster: string;
  readonly run: number;
}

/** A check that records what it was asked, and can be held until released. */
function recorder(hold = false): { checks: ClusterChecks<Check>; asked: string[]; release: () => void } {
  const asked: string[] = [];
  let release = (): void => {};
  const gate = hold ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
  const checks = new ClusterChecks<Check>(async (env, _inventory, inventoryText) => {
    asked.push(env.cluster);
    const run = asked.length;
    await gate;
    return { inventoryText, cluster: env.cluster, run };
  });
  return { checks, asked, release: () => release() };
}

const inventories = loadInventories(['example', 'kkg']);
/** The committed inventories with their text. */
const committed = new Map([...inventories].map(([cluster, inventory]) => [cluster, { inventory, text: serializeInventory(inventory) }]));
const environments: Environment[] = ['example', 'kkg'].map((cluster) => makeEnvironment({ cluster, file: `environments/${cluster}.yaml` }));
const [example, kkg] = environments;
/** The committed inventory of a cluster, as a render that changes nothing gives it: a new object with the same content. */
const rendered = (cluster: string): { inventory: Inventory; text: string } => {
  const inventory = { ...(inventories.get(cluster) as Inventory) };
  return { inventory, text: serializeInventory(inventory) };
};

describe('checking what synth renders from each inventory', () => {
  it('checks the clusters still to come from their committed inventories, and uses that check when the rendered inventory reads the same', async () => {
    const { checks, asked } = recorder();

    await checks.checkRendered(example, rendered('example'));
    await checks.checkAhead(environments, committed);
    const result = await checks.checkRendered(kkg, rendered('kkg'));

    expect(asked).toEqual(['example', 'kkg']);
    expect(result).toMatchObject({ cluster: 'kkg', run: 2, inventoryText: rendered('kkg').text });
    expect(checks.of('kkg')).toBe(result);
    expect(checks.counts).toEqual({ checked: 2, reused: 1 });
  });

  it('checks again a cluster whose rendered inventory differs from the committed one it was checked ahead with', async () => {
    const { checks, asked } = recorder();
    await checks.checkRendered(example, rendered('example'));
    await checks.checkAhead(environments, committed);
    const before = inventories.get('kkg') as Inventory;
    const [name, app] = [...before.applications][0];
    const changed: Inventory = { ...before, applications: new Map([...before.applications, [name, { ...app, objects: app.objects.slice(1) }]]) };

    const result = await checks.checkRendered(kkg, { inventory: changed, text: serializeInventory(changed) });

    expect(asked).toEqual(['example', 'kkg', 'kkg']);
    expect(result).toMatchObject({ cluster: 'kkg', run: 3, inventoryText: serializeInventory(changed) });
    expect(result.inventoryText).not.toBe(serializeInventory(before));
    expect(checks.counts).toEqual({ checked: 3, reused: 0 });
  });

  it('waits for a check ahead still running when its cluster is rendered, instead of starting another', async () => {
    // GIVEN checks ahead of both clusters that do not finish until released
    const { checks, asked, release } = recorder(true);
    const ahead = checks.checkAhead(environments, committed);

    // WHEN the first cluster is rendered while its check ahead still runs
    const result = checks.checkRendered(example, rendered('example'));
    release();

    // THEN it takes that check, and the next cluster's check ahead follows
    expect(await result).toMatchObject({ cluster: 'example', run: 1 });
    await ahead;
    expect(asked).toEqual(['example', 'kkg']);
    expect(checks.counts).toEqual({ checked: 2, reused: 1 });
  });

  it('checks nothing ahead for a cluster already rendered or without a committed inventory', async () => {
    const { checks, asked } = recorder();
    await checks.checkRendered(kkg, rendered('kkg'));

    await checks.checkAhead([...environments, makeEnvironment({ cluster: 'new', file: 'environments/new.yaml' })], committed);

    expect(asked).toEqual(['kkg', 'example']);
    expect(checks.of('example')).toBeUndefined();
  });
});
