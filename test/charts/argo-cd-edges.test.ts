import { describe, expect, it } from 'vitest';
import { expandLists, hookOf, type KubeObject, waveOf } from '../../src/charts/jobs';

// Each row names the Argo CD v3.5.1 source it follows (github.com/argoproj/argo-cd at v3.5.1, with
// gitops-engine under gitops-engine/).

function annotated(annotations: Record<string, string>): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job', annotations } };
}

describe('hooks as Argo CD runs them', () => {
  it.each([
    ['no annotation', {}, {}, 'an ordinary resource'],
    [
      'a hook with several phases',
      { 'argocd.argoproj.io/hook': 'PreSync,PostSync' },
      { phase: 'PreSync', phases: ['PreSync', 'PostSync'] },
      'sync_phase.go syncPhases',
    ],
    ['the same phase twice', { 'argocd.argoproj.io/hook': 'PostSync, PostSync' }, { phase: 'PostSync' }, 'resource/annotations.go GetAnnotationCSVs'],
    [
      'an unknown Argo CD hook beside a Helm hook',
      { 'argocd.argoproj.io/hook': 'Bogus', 'helm.sh/hook': 'pre-install' },
      { phase: 'PreSync' },
      'hook/hook.go Types: Helm types when no Argo CD type is known',
    ],
    [
      'an Argo CD hook beside a Helm hook',
      { 'argocd.argoproj.io/hook': 'PostSync', 'helm.sh/hook': 'pre-install' },
      { phase: 'PostSync' },
      'hook/hook.go Types',
    ],
    ['Skip with another type', { 'argocd.argoproj.io/hook': 'Skip,PreSync' }, { phase: 'PreSync' }, 'hook/hook.go Skip: only when Skip is alone'],
    ['Skip alone', { 'argocd.argoproj.io/hook': 'Skip' }, { skip: 'argocd.argoproj.io/hook: Skip' }, 'hook/hook.go Skip'],
    [
      'an empty hook annotation',
      { 'argocd.argoproj.io/hook': '' },
      { skip: 'argocd.argoproj.io/hook: "" names no phase Argo CD runs, so it is never applied' },
      'hook/hook.go IsHook: the key alone makes a hook; no type, no phase',
    ],
    [
      'an unknown Argo CD hook alone',
      { 'argocd.argoproj.io/hook': 'Bogus' },
      { skip: 'argocd.argoproj.io/hook: "Bogus" names no phase Argo CD runs, so it is never applied' },
      'hook/hook.go Types',
    ],
    ['a PreDelete hook', { 'argocd.argoproj.io/hook': 'PreDelete' }, { phase: 'PreDelete' }, 'controller/hook.go isHookOfType'],
    [
      'a sync and a delete phase',
      { 'argocd.argoproj.io/hook': 'PostSync,PostDelete' },
      { phase: 'PostSync', phases: ['PostSync', 'PostDelete'] },
      'controller/hook.go hasGitOpsEngineSyncPhaseHook',
    ],
    ['Helm post-delete', { 'helm.sh/hook': 'post-delete' }, { phase: 'PostDelete' }, 'controller/hook.go hookTypeAnnotations'],
    [
      'Helm pre-install,post-upgrade',
      { 'helm.sh/hook': 'pre-install,post-upgrade' },
      { phase: 'PreSync', phases: ['PreSync', 'PostSync'] },
      'hook/helm/type.go',
    ],
    ['Helm test', { 'helm.sh/hook': 'test' }, { skip: 'Helm hook test, which Argo CD does not run' }, 'hook/helm/type.go NewType'],
    ['Helm crd-install', { 'helm.sh/hook': 'crd-install' }, {}, 'hook/helm/hook.go IsHook'],
  ] as [string, Record<string, string>, ReturnType<typeof hookOf>, string][])('%s', (_, annotations, expected) => {
    expect(hookOf(annotated(annotations))).toEqual(expected);
  });
});

describe('waves as gitops-engine reads them (syncwaves/waves.go Wave, hook/helm/weight.go Weight: strconv.Atoi)', () => {
  it.each([
    ['1', undefined, 1],
    ['+2', undefined, 2],
    ['-3', undefined, -3],
    [' 1', undefined, 0],
    ['1 ', '5', 5],
    ['1.5', undefined, 0],
    ['', '7', 7],
    [undefined, '+4', 4],
    [undefined, ' 4', 0],
    ['99999999999999999999', undefined, 0],
  ] as [string | undefined, string | undefined, number][])('sync-wave %j, hook weight %j: wave %d', (wave, weight, expected) => {
    const annotations: Record<string, string> = {
      ...(wave === undefined ? {} : { 'argocd.argoproj.io/sync-wave': wave }),
      ...(weight === undefined ? {} : { 'helm.sh/hook-weight': weight }),
    };
    expect(waveOf(annotated(annotations))).toBe(expected);
  });
});

describe('lists as the repo-server unpacks them (reposerver/repository/repository.go GenerateManifests)', () => {
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
  it.each([
    ['a v1 List', { apiVersion: 'v1', kind: 'List', items: [configMap] }, [configMap], 'unstructured.IsList'],
    ['any kind with an items array', { apiVersion: 'example.com/v1', kind: 'Bundle', items: [configMap] }, [configMap], 'unstructured.IsList'],
    [
      'a list inside a list, one level only',
      { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'List', items: [configMap] }] },
      [{ apiVersion: 'v1', kind: 'List', items: [configMap] }],
      'EachListItem',
    ],
    ['a list whose items are null', { apiVersion: 'v1', kind: 'ConfigMapList', items: null }, [], 'isNullList'],
    [
      'an object with items null and a spec',
      { apiVersion: 'example.com/v1', kind: 'Thing', items: null, spec: {} },
      [{ apiVersion: 'example.com/v1', kind: 'Thing', items: null, spec: {} }],
      'isNullList',
    ],
    [
      'a kind ending in List without items',
      { apiVersion: 'example.com/v1', kind: 'AllowList', spec: {} },
      [{ apiVersion: 'example.com/v1', kind: 'AllowList', spec: {} }],
      'unstructured.IsList',
    ],
  ] as [string, unknown, unknown[], string][])('%s', (_, document, expected) => {
    expect(expandLists(document)).toEqual(expected);
  });
});
