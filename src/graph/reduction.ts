/**
 * The transitive reduction of a dependency graph: each component keeps only the
 * dependencies that no other path implies. If grafana depends on traefik and on
 * cilium, and traefik already depends (through cert-manager) on cilium, the edge
 * cilium → grafana says nothing new and is left out of a drawing.
 *
 * For drawings only: the planner, the waves and the overview's table use every
 * declared dependency.
 */

/**
 * The direct dependencies of each node that are not reachable through another of
 * its dependencies, in their original order.
 *
 * @param dependsOn each node's direct dependencies; an acyclic graph (the planner
 *   has rejected cycles). Dependencies that are not keys have no dependencies of
 *   their own.
 */
export function transitiveReduction(dependsOn: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const reachable = new Map<string, ReadonlySet<string>>();
  /** Every node reachable from `id` through one or more dependency edges. */
  const ancestors = (id: string): ReadonlySet<string> => {
    const known = reachable.get(id);
    if (known !== undefined) return known;
    const found = new Set<string>();
    for (const dependency of dependsOn.get(id) ?? []) {
      found.add(dependency);
      for (const further of ancestors(dependency)) found.add(further);
    }
    reachable.set(id, found);
    return found;
  };
  const reduced = new Map<string, string[]>();
  for (const [id, dependencies] of dependsOn) {
    const direct = [...new Set(dependencies)];
    reduced.set(
      id,
      direct.filter((dependency) => !direct.some((other) => other !== dependency && ancestors(other).has(dependency))),
    );
  }
  return reduced;
}
