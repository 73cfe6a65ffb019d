/**
 * The `--api-versions` Argo CD hands Helm for a cluster, derived the way Argo CD
 * derives them from the cluster's discovery (Argo CD v3.5.1):
 *
 * - the controller reads the cluster's API resources through gitops-engine's
 *   cluster cache, `GetAPIResources(config, preferred=true, ResourcesFilter)`
 *   (`gitops-engine/pkg/utils/kube/ctl.go`, `filterAPIResources`): client-go's
 *   `ServerPreferredResources`, which lists each group's resource once, in the
 *   group's preferred version when it is there, else in the first version
 *   (by priority) that has it; only resources that support `list` and `watch`;
 *   never the kinds `util/settings/resources_filter.go` always excludes
 *   (`coreExcludedResources`: the `events.k8s.io` and `metrics.k8s.io` groups,
 *   core `Event`, `coordination.k8s.io` `Lease`);
 * - `APIResourcesToStrings(resources, true)` (`util/argo/argo.go`) turns each
 *   into `group/version` and `group/version/Kind`, sorted; `controller/state.go`
 *   passes that list to the repo-server, which passes each as `--api-versions`.
 *
 * The built-in resources of a Kubernetes version come from the kinds of the
 * `cdk8s-plus-<minor>` package the project already reads for that version's
 * schemas, not from a hand list: a kind is a resource when the package also has
 * its `<Kind>List` (what `list` returns); versions named alpha or beta are left
 * out because Kubernetes serves none of those by default since 1.24 (new beta
 * APIs are off by default; a cluster that turns one on declares it in
 * `cluster.apiVersions`).
 */

/** One served kind: its API version (`group/version`, `v1` for the core group) and kind. */
export interface ServedKind {
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * Built-in kinds that have a List type but no `watch` verb, so gitops-engine's
 * `GetAPIResources` (list and watch, `ctl.go`) drops them: `ComponentStatus`
 * (verbs get and list only; deprecated since 1.19).
 */
const NOT_WATCHABLE = new Set(['v1 ComponentStatus']);

/** `util/settings/resources_filter.go`, `coreExcludedResources` (v3.5.1): never in Argo CD's view of a cluster. */
function coreExcluded(group: string, kind: string): boolean {
  return group === 'events.k8s.io' || group === 'metrics.k8s.io' || (group === '' && kind === 'Event') || (group === 'coordination.k8s.io' && kind === 'Lease');
}

/** The API group of an apiVersion (`''` for the core group's `v1`). */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
}

/**
 * Kubernetes' version priority (`apimachinery/pkg/version`, `CompareKubeAwareVersionStrings`):
 * GA before beta before alpha, a higher number first within each, anything else last by name.
 * Negative when `a` comes first.
 */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number, string] => {
    const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (match === null) return [3, 0, 0, v];
    const level = match[2] === undefined ? 0 : match[2] === 'beta' ? 1 : 2;
    return [level, -Number(match[1]), -Number(match[3] ?? 0), ''];
  };
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x[3] < y[3] ? -1 : x[3] > y[3] ? 1 : 0;
}

/**
 * The built-in resources a cluster serves by default, from the kinds of its
 * `cdk8s-plus-<minor>` package (`apiVersion kind` pairs, List types included).
 */
export function servedBuiltins(kinds: Iterable<string>): ServedKind[] {
  const all = new Set(kinds);
  const served: ServedKind[] = [];
  for (const entry of all) {
    const [apiVersion, kind] = entry.split(' ');
    if (kind.endsWith('List') || !all.has(`${apiVersion} ${kind}List`)) continue;
    if (/(alpha|beta)\d*$/.test(versionOf(apiVersion)) || NOT_WATCHABLE.has(entry)) continue;
    served.push({ apiVersion, kind });
  }
  return served;
}

/**
 * `--api-versions` as Argo CD passes them for a cluster that serves `kinds`:
 * each group's kinds in its preferred version (the group's first version by
 * priority when the kind is there, else the first version that has it), the
 * always-excluded kinds left out, as `group/version` and `group/version/Kind`,
 * sorted by code unit (Go's `slices.Sort`), plus `extra` strings as they are
 * (`cluster.apiVersions`).
 */
export function argoApiVersions(kinds: readonly ServedKind[], extra: readonly string[] = []): string[] {
  const versionsOfGroup = new Map<string, Set<string>>();
  const versionsOfKind = new Map<string, Set<string>>();
  for (const { apiVersion, kind } of kinds) {
    const group = groupOf(apiVersion);
    if (coreExcluded(group, kind)) continue;
    const version = versionOf(apiVersion);
    versionsOfGroup.set(group, (versionsOfGroup.get(group) ?? new Set()).add(version));
    const key = `${group}\u0000${kind}`;
    versionsOfKind.set(key, (versionsOfKind.get(key) ?? new Set()).add(version));
  }
  const result = new Set(extra);
  for (const [key, versions] of versionsOfKind) {
    const [group, kind] = key.split('\u0000');
    const preferred = [...(versionsOfGroup.get(group) as Set<string>)].sort(compareKubeVersions)[0];
    const version = versions.has(preferred) ? preferred : [...versions].sort(compareKubeVersions)[0];
    const groupVersion = group === '' ? version : `${group}/${version}`;
    result.add(groupVersion);
    result.add(`${groupVersion}/${kind}`);
  }
  return [...result].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
