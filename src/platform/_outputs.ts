import type { Environment } from '../config/environment';
import type { Inventory } from '../inventory/inventory';
import type { ComponentSpec, HelmValues, SupportingManifest } from './types';

/**
 * A component's Helm values and supporting manifests for one environment, computed
 * once per spec, environment (and inventory) object: the plan's host check, the
 * constructs, the cluster overview and the list of 1Password items each read them,
 * and some are costly (Grafana's manifests write its alert rules as YAML). The
 * results are shared, so they are frozen: a reader cannot change what the next
 * one sees.
 */
interface Outputs {
  values?: HelmValues;
  readonly manifests: Map<Inventory | undefined, readonly SupportingManifest[]>;
}

const memo = new WeakMap<ComponentSpec, WeakMap<Environment, Outputs>>();

function outputsOf(spec: ComponentSpec, env: Environment): Outputs {
  let byEnv = memo.get(spec);
  if (byEnv === undefined) memo.set(spec, (byEnv = new WeakMap()));
  let outputs = byEnv.get(env);
  if (outputs === undefined) byEnv.set(env, (outputs = { manifests: new Map() }));
  return outputs;
}

/** `spec.values(env)`, computed once for this spec and environment. */
export function valuesFor(spec: ComponentSpec, env: Environment): HelmValues {
  const outputs = outputsOf(spec, env);
  outputs.values ??= deepFreeze(spec.values(env));
  return outputs.values;
}

/** `spec.manifests(env, inventory)` (none when the spec has no manifests), computed once for this spec, environment and inventory. */
export function manifestsFor(spec: ComponentSpec, env: Environment, inventory?: Inventory): readonly SupportingManifest[] {
  if (spec.manifests === undefined) return [];
  const { manifests } = outputsOf(spec, env);
  let made = manifests.get(inventory);
  if (made === undefined) manifests.set(inventory, (made = deepFreeze(spec.manifests(env, inventory))));
  return made;
}

/** Freezes a JSON-like value and everything in it, and gives it back. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
