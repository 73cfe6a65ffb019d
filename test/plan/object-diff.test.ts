import { describe, expect, it } from 'vitest';
import type { HookPhase } from '../../src/inventory/inventory';
import { type AppliedSide, KIND_ORDER, objectChanges } from '../../src/plan/object-diff';

/** An object as a chart renders it, applied in `phase` and `wave`. */
function applied(
  kind: string,
  name: string,
  extra: { apiVersion?: string; phase?: HookPhase; wave?: number; body?: Record<string, unknown>; namespace?: string | null } = {},
): AppliedSide {
  const namespace = extra.namespace === null ? undefined : (extra.namespace ?? 'app');
  return {
    object: { apiVersion: extra.apiVersion ?? 'v1', kind, metadata: { name }, ...extra.body },
    ...(namespace === undefined ? {} : { namespace }),
    phase: extra.phase ?? 'Sync',
    wave: extra.wave ?? 0,
    supporting: false,
  };
}

function crd(versions: { name: string; storage?: boolean; properties: Record<string, unknown> }[]): AppliedSide {
  return applied('CustomResourceDefinition', 'widgets.example.com', {
    apiVersion: 'apiextensions.k8s.io/v1',
    namespace: null,
    body: {
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: versions.map((v) => ({
          name: v.name,
          served: true,
          storage: v.storage ?? false,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: v.properties } } } },
        })),
      },
    },
  });
}

describe('objectChanges', () => {
  it('lists what changes in the order Argo CD applies it: PreSync, then Sync by wave and kind, then PostSync', () => {
    const after = [
      applied('Job', 'after', { apiVersion: 'batch/v1', phase: 'PostSync' }),
      applied('Widget', 'w', { apiVersion: 'example.com/v1', wave: 1 }),
      applied('Deployment', 'web', { apiVersion: 'apps/v1' }),
      applied('Service', 'web'),
      applied('Widget', 'a', { apiVersion: 'example.com/v1' }),
      applied('ConfigMap', 'settings'),
      applied('Job', 'migrate', { apiVersion: 'batch/v1', phase: 'PreSync' }),
      applied('Namespace', 'app', { namespace: null }),
    ];

    const { changes } = objectChanges([], after);

    expect(changes.map((c) => `${c.phase} ${c.wave} ${c.kind}/${c.name}`)).toEqual([
      'PreSync 0 Job/migrate',
      'Sync 0 Namespace/app',
      'Sync 0 ConfigMap/settings',
      'Sync 0 Service/web',
      'Sync 0 Deployment/web',
      'Sync 0 Widget/a',
      'Sync 1 Widget/w',
      'PostSync 0 Job/after',
    ]);
  });

  it('orders kinds as gitops-engine does, custom kinds last', () => {
    expect(KIND_ORDER.slice(0, 3)).toEqual(['Namespace', 'NetworkPolicy', 'ResourceQuota']);
    expect(KIND_ORDER.indexOf('CustomResourceDefinition')).toBeLessThan(KIND_ORDER.indexOf('ClusterRole'));
    expect(KIND_ORDER.at(-1)).toBe('APIService');
    expect(KIND_ORDER).toHaveLength(35);
  });

  it('diffs a changed object as YAML with sorted keys, and counts the unchanged ones', () => {
    const before = [applied('ConfigMap', 'settings', { body: { data: { level: 'info', mode: 'a' } } }), applied('Service', 'web')];
    const after = [applied('ConfigMap', 'settings', { body: { data: { mode: 'a', level: 'debug' } } }), applied('Service', 'web')];

    const { changes, unchanged } = objectChanges(before, after);

    expect(unchanged).toBe(1);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ change: 'changed', kind: 'ConfigMap', namespace: 'app', name: 'settings' });
    expect(changes[0].diff).toEqual([
      '@@ -1,6 +1,6 @@',
      ' apiVersion: v1',
      ' data:',
      '-  level: info',
      '+  level: debug',
      '   mode: a',
      ' kind: ConfigMap',
      ' metadata:',
    ]);
  });

  it('tells an object moved to another namespace from one changed in place, the prune before the create (as in a sync wave)', () => {
    const { changes } = objectChanges([applied('Service', 'web', { namespace: 'old' })], [applied('Service', 'web', { namespace: 'new' })]);

    expect(changes.map((c) => `${c.change} ${c.namespace}/${c.name}`)).toEqual(['removed old/web', 'added new/web']);
  });

  it('never shows a Secret value: each key says only whether its value changed', () => {
    const secret = (data: Record<string, string>) => applied('Secret', 'credentials', { body: { type: 'Opaque', data } });

    const { changes } = objectChanges(
      [secret({ password: 'c2VjcmV0MQ==', user: 'YWRtaW4=', old: 'eA==' })],
      [secret({ password: 'c2VjcmV0Mg==', user: 'YWRtaW4=', token: 'dA==' })],
    );
    const text = changes[0].diff.join('\n');

    expect(changes[0].diff).toEqual([
      '@@ -1,7 +1,7 @@',
      ' apiVersion: v1',
      ' data:',
      '-  old: <masked>',
      '-  password: <masked>',
      '+  password: <masked, changed>',
      '+  token: <masked, added>',
      '   user: <masked, unchanged>',
      ' kind: Secret',
      ' metadata:',
    ]);
    expect(text).not.toMatch(/c2VjcmV0|YWRtaW4|eA==|dA==/);
    expect(changes[0].notes).toEqual(['Secret values masked: each key says whether its value changed']);
  });

  it('masks every value of an added Secret', () => {
    const { changes } = objectChanges([], [applied('Secret', 's', { body: { stringData: { key: 'plain secret' } } })]);

    expect(changes[0].diff).toContain('+  key: <masked>');
    expect(changes[0].diff.join('\n')).not.toContain('plain secret');
  });

  it('summarises a CRD: versions and schema fields added or removed, the storage version, then the rest of its body', () => {
    const before = crd([{ name: 'v1', storage: true, properties: { size: { type: 'integer' }, legacy: { type: 'string' } } }]);
    const after = crd([
      {
        name: 'v1',
        properties: {
          size: { type: 'integer' },
          color: { type: 'string' },
          tags: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' } } } },
        },
      },
      { name: 'v2', storage: true, properties: { size: { type: 'integer' } } },
    ]);

    const { changes } = objectChanges([before], [after]);

    expect(changes[0].diff.filter((line) => line.startsWith('#'))).toEqual([
      '# versions added: v2',
      '# storage version: v1 → v2',
      '# v1: schema fields added: spec.color, spec.tags, spec.tags[].key',
      '# v1: schema fields removed: spec.legacy',
    ]);
    expect(changes[0].diff.join('\n')).not.toContain('openAPIV3Schema');
    expect(changes[0].diff).toContain('+    - name: v2');
  });
});
