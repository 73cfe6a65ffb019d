import { componentPointer, environmentProblem } from '../config/env-problem';
import type { Environment } from '../config/environment';
import { type Problem, UserError } from '../core/user-error';
import { planWaves } from '../graph/plan';
import { assertCatalog } from './_check';
import { hostProblems } from './_hosts';
import type { ComponentId, ComponentSpec } from './types';

/** A component as one environment deploys it. */
export interface PlannedComponent {
  /** The catalog entry. */
  readonly spec: ComponentSpec;
  /** Sync-wave of its Application (its layer). */
  readonly wave: number;
  /** Chart version: the environment's override or the catalog's. */
  readonly version: string;
  /** Dependencies in this environment. */
  readonly dependsOn: readonly ComponentId[];
}

/** What one environment deploys, in (wave, id) order. */
export interface PlatformPlan {
  readonly env: Environment;
  readonly components: readonly PlannedComponent[];
}

/**
 * Decides what an environment deploys: which components are enabled, in which
 * wave, at which chart version, and whether the environment provides what each
 * enabled component requires.
 *
 * @throws UserError naming the catalog file and field of every incomplete or wrong
 *   entry, else the environment file for every problem found
 */
export function planEnvironment(env: Environment, catalog: readonly ComponentSpec[]): PlatformPlan {
  assertCatalog(catalog);
  const resolved = catalog.map((spec) => ({
    spec,
    enabled: isEnabled(spec, env),
    dependsOn: typeof spec.dependsOn === 'function' ? spec.dependsOn(env) : spec.dependsOn,
  }));

  const problems: Problem[] = [];
  for (const { spec, enabled } of resolved) {
    if (!enabled) {
      continue;
    }
    for (const requirement of spec.requires ?? []) {
      if (!requirement.satisfied(env)) {
        problems.push(environmentProblem(env, requirement.message, componentPointer(spec.id)));
      }
    }
  }
  if (problems.length > 0) {
    throw new UserError(problems);
  }

  const waves = planWaves(
    resolved.map(({ spec, enabled, dependsOn }) => ({ id: spec.id, dependsOn, layer: spec.layer, enabled })),
    env.file,
    (id) => {
      const path = componentPointer(id);
      const position = env.positions?.[path];
      return position === undefined ? undefined : { ...position, path };
    },
  );
  const byId = new Map(resolved.map((entry) => [entry.spec.id as string, entry]));
  const components = waves.map(({ id, wave }) => {
    const entry = byId.get(id) as (typeof resolved)[number];
    return {
      spec: entry.spec,
      wave,
      version: env.components[id]?.version ?? entry.spec.version,
      dependsOn: entry.dependsOn,
    };
  });
  const hostIssues = hostProblems(
    env,
    components.map((component) => component.spec),
  );
  if (hostIssues.length > 0) {
    throw new UserError(hostIssues);
  }
  return { env, components };
}

function isEnabled(spec: ComponentSpec, env: Environment): boolean {
  const override = env.components[spec.id]?.enabled;
  if (override !== undefined) {
    return override;
  }
  const byDefault = spec.enabledByDefault ?? true;
  return typeof byDefault === 'function' ? byDefault(env) : byDefault;
}
