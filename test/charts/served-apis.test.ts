import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { argoApiVersions, compareKubeVersions, servedBuiltins } from '../../src/charts/served-apis';
import { builtinKinds } from '../../src/validate/builtin';

// What Argo CD v3.5.1 passes as --api-versions: util/argo/argo.go APIResourcesToStrings over the
// cluster cache's resources, which gitops-engine/pkg/utils/kube/ctl.go filterAPIResources reads with
// client-go's ServerPreferredResources, keeping list+watch resources, minus
// util/settings/resources_filter.go coreExcludedResources.

const k8s33 = builtinKinds(readFileSync('node_modules/cdk8s-plus-33/lib/imports/k8s.js', 'utf8')).map((k) => `${k.apiVersion} ${k.kind}`);
const served = argoApiVersions(servedBuiltins(k8s33));

describe('the API versions Argo CD passes to Helm', () => {
  it.each([
    ['policy/v1/PodDisruptionBudget', true, 'a GA built-in kind'],
    ['policy/v1', true, 'its group/version'],
    ['v1/Pod', true, 'a core kind, as group/version/Kind with the empty group'],
    ['v1', true, 'the core group/version'],
    ['apiextensions.k8s.io/v1/CustomResourceDefinition', true, 'the CRD kind'],
    ['autoscaling/v2/HorizontalPodAutoscaler', true, "the group's preferred version"],
    ['autoscaling/v1/HorizontalPodAutoscaler', false, 'a kind also in the preferred version (ServerPreferredResources)'],
    ['autoscaling/v1', false, 'a group/version left without resources'],
    ['v1/PodList', false, 'a List type, not a resource'],
    ['autoscaling/v1/Scale', false, 'a subresource kind (no List)'],
    ['authentication.k8s.io/v1/TokenReview', false, 'a create-only kind (no list, no watch)'],
    ['v1/ComponentStatus', false, 'a kind without watch'],
    ['coordination.k8s.io/v1/Lease', false, 'coreExcludedResources'],
    ['v1/Event', false, 'coreExcludedResources'],
    ['events.k8s.io/v1/Event', false, 'coreExcludedResources (the whole group)'],
    ['resource.k8s.io/v1beta1/DeviceClass', false, 'a beta API, off by default'],
    ['storagemigration.k8s.io/v1alpha1/StorageVersionMigration', false, 'an alpha API, off by default'],
    ['policy/v1beta1/PodDisruptionBudget', false, 'removed in Kubernetes 1.25'],
  ])('%s: %s (%s)', (api, expected) => {
    expect(served.includes(api)).toBe(expected);
  });

  it('is sorted by code unit, as Go sorts strings', () => {
    expect(served).toEqual([...served].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it("puts a CRD group's kinds in the group's preferred version, and a kind only an older version has in that one", () => {
    const cilium = [
      { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumLoadBalancerIPPool' },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool' },
      { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumL2AnnouncementPolicy' },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy' },
    ];

    expect(argoApiVersions(cilium, ['example.com/v1'])).toEqual([
      'cilium.io/v2',
      'cilium.io/v2/CiliumLoadBalancerIPPool',
      'cilium.io/v2/CiliumNetworkPolicy',
      'cilium.io/v2alpha1',
      'cilium.io/v2alpha1/CiliumL2AnnouncementPolicy',
      'example.com/v1',
    ]);
  });

  it.each([
    ['v2', 'v1'],
    ['v1', 'v2beta1'],
    ['v2beta2', 'v2beta1'],
    ['v1beta1', 'v1alpha1'],
    ['v1alpha2', 'v1alpha1'],
    ['v1alpha1', 'foo'],
  ])('orders %s before %s (Kubernetes version priority)', (first, second) => {
    expect(compareKubeVersions(first, second)).toBeLessThan(0);
    expect(compareKubeVersions(second, first)).toBeGreaterThan(0);
  });
});
