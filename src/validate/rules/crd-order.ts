import type { Finding } from '../finding';
import { appliedObjects } from './_applied';
import type { PolicyContext, PolicyRule } from './_context';

/** Who installs the CRD of a kind: an Application's chart, or its operator at run time. */
interface Provider {
  readonly component: string;
  readonly how: 'chart' | 'runtime';
}

const SKIP = 'SkipDryRunOnMissingResource=true';

/**
 * `crd-order`: every custom resource's CRD exists before Argo CD applies it.
 *
 * - The CRD comes from an Application of an earlier root wave (Healthy before
 *   this one starts), or from the object's own Application's chart (Argo CD
 *   skips the dry run of a kind whose CRD is in the same sync and applies CRDs first).
 * - A CRD its own Application's operator creates at run time (`runtimeCrds`), or
 *   one from another Application of the same root wave, exists only after that
 *   Application's workloads run: the object needs `SkipDryRunOnMissingResource`
 *   and an in-app wave after them (≥ 1); its first apply may still fail once and
 *   succeed on the Application's retry.
 * - A CRD from a later wave, or from no Application of the cluster (and not in
 *   `cluster.apiVersions`), is an error: the sync fails on every attempt.
 */
export const crdOrderRule: PolicyRule = {
  name: 'crd-order',
  description:
    "every custom resource's CRD is installed before it: by an earlier wave, its own chart, or (with SkipDryRunOnMissingResource and a later in-app wave) its own operator or a same-wave Application",
  check(context) {
    const findings: Finding[] = [];
    const providers = crdProviders(context);
    for (const object of appliedObjects(context)) {
      const facts = context.clusters.get(object.cluster);
      if (facts === undefined) continue;
      const groupKind = `${object.group}/${object.kind}`;
      const provider = providers.get(object.cluster)?.get(groupKind);
      if (provider === undefined) {
        const custom = object.custom === true;
        const external = facts.apiVersions.some((api) => api === object.apiVersion || api === `${object.apiVersion}/${object.kind}`);
        if (custom && !external) {
          findings.push(
            object.finding(
              'crd-order',
              '',
              `no Application of cluster ${object.cluster} installs the CRD of ${groupKind}`,
              `enable the component that installs it, or list ${object.apiVersion} in cluster.apiVersions of ${facts.environment} if something outside this repository does`,
            ),
          );
        }
        continue;
      }
      const own = facts.waves.get(object.component) ?? 0;
      const theirs = facts.waves.get(provider.component) ?? 0;
      if (provider.component === object.component && provider.how === 'chart') continue;
      if (provider.component !== object.component && theirs < own) continue;
      if (provider.component !== object.component && theirs > own) {
        findings.push(
          object.finding(
            'crd-order',
            '',
            `the CRD of ${groupKind} comes from ${provider.component} in wave ${theirs}, after ${object.component}'s wave ${own}`,
            `make ${object.component} depend on ${provider.component} (dependsOn in src/platform/${object.component}.ts)`,
          ),
        );
        continue;
      }
      // Same wave, another Application; or the own operator's runtime CRD: later in-app wave, skipping the dry run.
      const why =
        provider.component === object.component
          ? `${object.component}'s operator creates the CRD of ${groupKind} at run time`
          : `the CRD of ${groupKind} comes from ${provider.component}, in the same wave ${own}`;
      if (!object.skipDryRun || object.wave < 1) {
        findings.push(
          object.finding(
            'crd-order',
            '',
            `${why}, so the object needs ${SKIP} and an in-app wave of 1 or more (has ${object.skipDryRun ? SKIP : `no ${SKIP}`}, wave ${object.wave})`,
            `add ${SKIP} and argocd.argoproj.io/sync-wave: "1" to the object${object.origin === 'chart' ? " (through the chart's values)" : ''}, or make ${object.component} depend on ${provider.component}`,
          ),
        );
      }
    }
    return findings;
  },
};

/** Per cluster, `group/Kind` → the Application that installs its CRD. */
export function crdProviders(context: PolicyContext): Map<string, Map<string, Provider>> {
  const result = new Map<string, Map<string, Provider>>();
  for (const [cluster, inventory] of context.inventories ?? []) {
    const providers = new Map<string, Provider>();
    for (const [groupKind, component] of context.clusters.get(cluster)?.runtimeCrds ?? []) providers.set(groupKind, { component, how: 'runtime' });
    for (const [component, app] of inventory.applications) {
      for (const crd of app.crds) providers.set(`${crd.group}/${crd.kind}`, { component, how: 'chart' });
    }
    result.set(cluster, providers);
  }
  return result;
}
