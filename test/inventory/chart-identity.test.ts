import { describe, expect, it } from 'vitest';
import { alignLocalDigests, type Inventory, type InventoryApplication, readInventory, serializeInventory } from '../../src/inventory/inventory';

const PUBLISHED = `sha256:${'a'.repeat(64)}`;
const FIXTURE = `sha256:${'b'.repeat(64)}`;
const OTHER = `sha256:${'c'.repeat(64)}`;

function app(extra: Partial<InventoryApplication> = {}): InventoryApplication {
  return {
    chart: 'alloy',
    repoURL: 'https://grafana.github.io/helm-charts',
    version: '1.2.1',
    digest: PUBLISHED,
    values: `sha256:${'d'.repeat(64)}`,
    releaseName: 'alloy',
    namespace: 'alloy',
    skipCrds: false,
    objects: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'alloy', name: 'alloy', wave: 0, skipDryRun: false }],
    crds: [],
    ...extra,
  };
}

function inventory(entry: InventoryApplication): Inventory {
  return { cluster: 'kkg', file: 'inventory/kkg.yaml', kubeVersion: '1.33.0', helm: 'v4.1.4', apiVersions: [], applications: new Map([['alloy', entry]]) };
}

const text = (next: InventoryApplication, committed: InventoryApplication, check: boolean): string =>
  serializeInventory(alignLocalDigests(inventory(next), inventory(committed), check));

describe('chart identity in the inventory', () => {
  it('writes and reads package: local for a package that is not the published one', () => {
    const written = serializeInventory(inventory(app({ digest: FIXTURE, package: 'local' })));
    expect(written).toContain(`    digest: ${FIXTURE}\n    package: local\n`);
    const read = readInventory('inventory/kkg.yaml', written) as Inventory;
    expect(read.applications.get('alloy')?.package).toBe('local');
    expect(readInventory('inventory/kkg.yaml', written.replace('package: local', 'package: mine'))).toEqual([
      expect.objectContaining({ path: '/applications/alloy/package', message: 'expected "local" (or no package key: the published package), got string "mine"' }),
    ]);
  });

  it('--check: a local package of the same version and content matches a published pin, and a published package a local entry', () => {
    const committedPublished = app();
    const committedLocal = app({ digest: FIXTURE, package: 'local' });
    expect(text(app({ digest: FIXTURE, package: 'local' }), committedPublished, true)).toBe(serializeInventory(inventory(committedPublished)));
    expect(text(app({ digest: PUBLISHED }), committedLocal, true)).toBe(serializeInventory(inventory(committedLocal)));
  });

  it('--check still fails on what a local package renders differently, on another version, and on two published digests', () => {
    const committed = app({ digest: FIXTURE, package: 'local' });
    const moreObjects = app({ digest: PUBLISHED, objects: [...app().objects, { apiVersion: 'v1', kind: 'Service', namespace: 'alloy', name: 'alloy', wave: 0, skipDryRun: false }] });
    expect(text(moreObjects, committed, true)).not.toBe(serializeInventory(inventory(committed)));
    expect(text(app({ digest: FIXTURE, package: 'local', version: '1.2.2' }), committed, true)).toContain('version: 1.2.2');
    expect(text(app({ digest: OTHER }), app(), true)).toContain(OTHER);
  });

  it('writing: a published package replaces a local entry; a local one keeps the published pin only when it renders the same', () => {
    expect(text(app(), app({ digest: FIXTURE, package: 'local' }), false)).toBe(serializeInventory(inventory(app())));
    expect(text(app({ digest: FIXTURE, package: 'local' }), app(), false)).toBe(serializeInventory(inventory(app())));
    const changed = app({ digest: FIXTURE, package: 'local', namespace: 'monitoring' });
    expect(text(changed, app(), false)).toBe(serializeInventory(inventory(changed)));
  });
});
