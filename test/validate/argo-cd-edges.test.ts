import { describe, expect, it } from 'vitest';
import { filepathMatch, ProjectPolicy } from '../../src/validate/rules/app-project';

// Each row names the Argo CD v3.5.1 source it follows: pkg/apis/application/v1alpha1/app_project_types.go
// (isDestinationMatched, IsGroupKindNamePermitted) and types.go (isResourceInList, isNamedResourceInList).

const IN_CLUSTER = 'https://kubernetes.default.svc';

describe('project destinations (app_project_types.go isDestinationMatched, IsDestinationPermitted)', () => {
  it.each([
    [
      'by the cluster name, the Application giving the server',
      [{ name: 'in-cluster', namespace: 'cilium' }],
      { server: IN_CLUSTER, namespace: 'cilium' },
      true,
    ],
    [
      'by the server, the Application giving the cluster name',
      [{ server: IN_CLUSTER, namespace: 'cilium' }],
      { name: 'in-cluster', namespace: 'cilium' },
      true,
    ],
    ['by another cluster name', [{ name: 'elsewhere', namespace: 'cilium' }], { server: IN_CLUSTER, namespace: 'cilium' }, false],
    ['a namespace glob', [{ server: IN_CLUSTER, namespace: 'team-*' }], { server: IN_CLUSTER, namespace: 'team-a' }, true],
    [
      'a deny pattern the namespace fails stops the check',
      [
        { server: IN_CLUSTER, namespace: '*' },
        { server: IN_CLUSTER, namespace: '!kube-system' },
      ],
      { server: IN_CLUSTER, namespace: 'kube-system' },
      false,
    ],
    ['a deny pattern the namespace passes', [{ server: IN_CLUSTER, namespace: '!kube-system' }], { server: IN_CLUSTER, namespace: 'cilium' }, true],
    [
      'a deny pattern before the allowing item',
      [
        { server: IN_CLUSTER, namespace: '!kube-*' },
        { server: IN_CLUSTER, namespace: '*' },
      ],
      { server: IN_CLUSTER, namespace: 'kube-public' },
      false,
    ],
    [
      'a namespace deny on another server does not deny',
      [
        { server: 'https://other', namespace: '!kube-system' },
        { server: IN_CLUSTER, namespace: '*' },
      ],
      { server: IN_CLUSTER, namespace: 'kube-system' },
      true,
    ],
    [
      'a server deny pattern the server fails, namespace matching',
      [
        { server: '!https://kubernetes.*', namespace: '*' },
        { name: 'in-cluster', namespace: '*' },
      ],
      { server: IN_CLUSTER, namespace: 'a' },
      false,
    ],
    [
      'a cluster-name deny pattern the name fails',
      [
        { name: '!in-cluster', namespace: 'other' },
        { server: IN_CLUSTER, namespace: '*' },
      ],
      { server: IN_CLUSTER, namespace: 'a' },
      false,
    ],
  ] as [string, Record<string, string>[], Record<string, string>, boolean][])('%s', (_, destinations, target, expected) => {
    expect(new ProjectPolicy({ destinations }).destination(target)).toBe(expected);
  });
});

describe("kind patterns in Go's filepath.Match dialect (types.go isResourceInList)", () => {
  it.each([
    ['*', 'Deployment', true],
    ['Deploy*', 'Deployment', true],
    ['?eployment', 'Deployment', true],
    ['[CD]eployment', 'Deployment', true],
    ['[^C]eployment', 'Deployment', true],
    ['[!D]eployment', 'Deployment', true], // '!' is a plain class member in Go, not a negation
    ['[A-C]eployment', 'Deployment', false],
    ['{Deployment,Service}', 'Deployment', false], // no braces in filepath.Match
    ['\\Deployment', 'Deployment', true],
    ['[]Deployment', 'Deployment', false], // ErrBadPattern: no match
    ['Deployment[', 'Deployment', false], // ErrBadPattern
    ['*.k8s.io', 'apps.k8s.io', true],
    ['*', 'a/b', false], // '*' stops at the separator
    ['', '', true],
  ] as [string, string, boolean][])('%j matches %j: %s', (pattern, value, expected) => {
    expect(filepathMatch(pattern, value)).toBe(expected);
  });

  it.each([
    ['braces are literal in a whitelist', { namespaceResourceWhitelist: [{ group: '*', kind: '{Deployment,Service}' }] }, 'apps', 'Deployment', true, false],
    ['an empty namespaced whitelist allows nothing', { namespaceResourceWhitelist: [] }, 'apps', 'Deployment', true, false],
    ['no namespaced whitelist allows everything', {}, 'apps', 'Deployment', true, true],
    ['a blacklist glob', { namespaceResourceBlacklist: [{ group: '', kind: 'Resource*' }] }, '', 'ResourceQuota', true, false],
    [
      'a cluster entry with an empty name is any name',
      { clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: '' }] },
      '',
      'Namespace',
      false,
      true,
    ],
    [
      'a cluster entry with a name pattern',
      { clusterResourceWhitelist: [{ group: '', kind: 'PersistentVolume', name: 'music-*' }] },
      '',
      'PersistentVolume',
      false,
      false,
    ],
    ['namespaced entries have no names', { namespaceResourceWhitelist: [{ group: '', kind: 'ConfigMap', name: 'other' }] }, '', 'ConfigMap', true, true],
  ] as [string, Record<string, unknown>, string, string, boolean, boolean][])('%s', (_, spec, group, kind, namespaced, expected) => {
    expect(new ProjectPolicy(spec).kind(group, kind, 'data', namespaced)).toBe(expected);
  });
});
