import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/environment';
import { formatPlanMarkdown } from '../../src/plan/report';
import { planChanges } from '../../src/plan/plan';
import { components, planEnvironment } from '../../src/platform/index';
import { onePasswordItems, onePasswordItemsTable, parseOnePasswordItemsTable } from '../../src/synth/one-password-items';
import { loadAll, renderEnvironment } from '../helpers/render';

const kkg = loadAll().find((env) => env.cluster === 'kkg') as Environment;
const rows = onePasswordItems(planEnvironment(kkg, components));
const reads = rows.map(({ component, vault, item, keys }) => ({ component, vault, item, keys }));

describe('the 1Password item table read back', () => {
  it('gives the items and fields of the rows it was written from', () => {
    expect(parseOnePasswordItemsTable(['# x', '', ...onePasswordItemsTable(rows), '', 'after'].join('\n'))).toEqual(reads);
  });

  it('reads the committed README of a cluster as the catalog says today', () => {
    expect(parseOnePasswordItemsTable(readFileSync('dist/kkg/README.md', 'utf8'))).toEqual(reads);
    expect(reads.length).toBeGreaterThan(5);
  });

  it('finds nothing in a document without the table', () => {
    expect(parseOnePasswordItemsTable('# Cluster\n\n| a | b |\n|---|---|\n| 1 | 2 |\n')).toEqual([]);
  });
});

describe('the plan of a field newly read from an item already read', () => {
  it('is a blocking step naming the field, the item and the vault, and the verdict is not "No changes."', () => {
    // GIVEN nothing Argo CD applies changes, but grafana now reads one more field of its admin item
    const files = renderEnvironment(kkg);
    const base = reads.map((r) => (r.component === 'grafana' && r.item === 'grafana-admin' ? { ...r, keys: r.keys.filter((k) => k !== 'admin-user') } : r));

    // WHEN the plan is written with the items of both sides
    const markdown = formatPlanMarkdown(planChanges(files, files), ['kkg'], 'dist', {
      context: { onePasswordItems: new Map([['kkg', rows]]), baseOnePasswordItems: new Map([['kkg', base]]) },
    });

    // THEN it says so before merging, and does not call the change empty
    expect(markdown).toContain('**kkg: `grafana` now reads field(s) `admin-user` of item `grafana-admin` in vault `Kubernetes`: add them before merging**');
    expect(markdown).not.toContain('No changes.');
  });

  it('says nothing when the fields are the same', () => {
    const files = renderEnvironment(kkg);
    const markdown = formatPlanMarkdown(planChanges(files, files), ['kkg'], 'dist', {
      context: { onePasswordItems: new Map([['kkg', rows]]), baseOnePasswordItems: new Map([['kkg', reads]]) },
    });

    expect(markdown).not.toContain('now reads field(s)');
    expect(markdown).toContain('No changes.');
  });
});
