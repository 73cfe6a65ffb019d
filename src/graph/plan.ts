import type { SourcePosition } from '../config/environment';
import { byCodeUnit, type Problem, UserError } from '../core/user-error';

/** Where a component's entry is written in the environment file (its key under `components`), if it is. */
export type LocateComponent = (id: string) => (SourcePosition & { readonly path: string }) | undefined;

/** One component as the dependency planner sees it: plain data, no cdk8s. */
export interface GraphNode {
  /** Component id. */
  readonly id: string;
  /** Ids of the components that must be running first. */
  readonly dependsOn: readonly string[];
  /**
   * Layer the component declares for itself.
   * @default - 1 + the highest layer of its dependencies (1 without dependencies)
   */
  readonly layer?: number;
  /** Whether the environment deploys the component. */
  readonly enabled: boolean;
}

/** An enabled component with its wave. */
export interface PlannedNode {
  readonly id: string;
  /** Deploy layer, used as the Application's sync-wave. */
  readonly wave: number;
  readonly dependsOn: readonly string[];
}

/**
 * Orders the enabled components of one environment into waves.
 *
 * A component's wave is its declared layer, or 1 + the highest wave of its
 * dependencies. Every problem is collected before anything is thrown: a
 * dependency on an unknown or disabled component, a dependency cycle (printed
 * as its whole path), and a declared layer that is not above a dependency's.
 *
 * @param nodes every component of the catalog, enabled or not
 * @param file the environment file, named in every problem
 * @param locate where a component's entry is in the file: a problem points at
 *   the entry of the first component it names that has one (for a disabled
 *   dependency, the dependency's entry, which disables it), else at the file
 * @returns the enabled components sorted by (wave, id)
 * @throws UserError with one problem per finding
 */
export function planWaves(nodes: readonly GraphNode[], file: string, locate: LocateComponent = () => undefined): PlannedNode[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const enabled = [...nodes].filter((node) => node.enabled).sort((a, b) => byCodeUnit(a.id, b.id));
  const problems: Problem[] = [];
  const problem = (message: string, ...ids: string[]): Problem => {
    for (const id of ids) {
      const at = locate(id);
      if (at !== undefined) return { file, line: at.line, column: at.column, path: at.path, message };
    }
    return { file, message };
  };

  for (const node of enabled) {
    for (const dep of node.dependsOn) {
      const target = byId.get(dep);
      if (dep === node.id) {
        problems.push(problem(`component "${node.id}" depends on itself`, node.id));
      } else if (target === undefined) {
        problems.push(problem(`component "${node.id}" depends on "${dep}", which is not a known component`, node.id));
      } else if (!target.enabled) {
        problems.push(problem(`component "${node.id}" depends on "${dep}", which is disabled in this environment`, dep, node.id));
      }
    }
    if (node.layer !== undefined && (!Number.isInteger(node.layer) || node.layer < 1)) {
      problems.push(problem(`component "${node.id}" declares layer ${node.layer}, expected a whole number of at least 1`, node.id));
    }
  }
  if (problems.length > 0) {
    throw new UserError(problems);
  }

  for (const cycle of findCycles(enabled, byId)) {
    problems.push(problem(`dependency cycle: ${cycle.join(' -> ')}`, ...cycle));
  }
  if (problems.length > 0) {
    throw new UserError(problems);
  }

  const waves = new Map<string, number>();
  const waveOf = (node: GraphNode): number => {
    const known = waves.get(node.id);
    if (known !== undefined) {
      return known;
    }
    let highest = 0;
    let highestDep = '';
    for (const dep of node.dependsOn) {
      const depWave = waveOf(byId.get(dep) as GraphNode);
      if (depWave > highest) {
        highest = depWave;
        highestDep = dep;
      }
    }
    let wave = highest + 1;
    if (node.layer !== undefined) {
      if (node.layer <= highest) {
        problems.push(
          problem(
            `component "${node.id}" declares layer ${node.layer}, which is not above layer ${highest} of its dependency "${highestDep}"`,
            node.id,
            highestDep,
          ),
        );
      }
      wave = node.layer;
    }
    waves.set(node.id, wave);
    return wave;
  };
  const planned = enabled.map((node) => ({ id: node.id, wave: waveOf(node), dependsOn: [...node.dependsOn] }));
  if (problems.length > 0) {
    throw new UserError(problems);
  }
  return planned.sort((a, b) => a.wave - b.wave || byCodeUnit(a.id, b.id));
}

/**
 * Every elementary cycle reachable by depth-first search, each printed once,
 * rotated so that it starts at its smallest id and closed with that id again.
 */
function findCycles(nodes: readonly GraphNode[], byId: ReadonlyMap<string, GraphNode>): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const seen = new Set<string>();
  const cycles: string[][] = [];

  const visit = (id: string): void => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of (byId.get(id) as GraphNode).dependsOn) {
      const depState = state.get(dep);
      if (depState === 'visiting') {
        const cycle = canonicalCycle(stack.slice(stack.indexOf(dep)));
        const key = cycle.join(' ');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (depState === undefined) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };

  for (const node of nodes) {
    if (!state.has(node.id)) {
      visit(node.id);
    }
  }
  return cycles.sort((a, b) => byCodeUnit(a.join(' '), b.join(' ')));
}

function canonicalCycle(path: readonly string[]): string[] {
  let start = 0;
  for (let i = 1; i < path.length; i++) {
    if (byCodeUnit(path[i], path[start]) < 0) {
      start = i;
    }
  }
  const rotated = [...path.slice(start), ...path.slice(0, start)];
  return [...rotated, rotated[0]];
}
