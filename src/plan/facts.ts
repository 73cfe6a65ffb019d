/**
 * What a reviewer scans a chart bump for, pulled out of the rendered diff for
 * the first screen of the plan: images (old → new), chart versions, CRD
 * changes, RBAC and admission webhooks added, objects that hold data removed,
 * replicas and resources; and which changes are only chart bookkeeping
 * (`helm.sh/chart`, `app.kubernetes.io/version`, checksum annotations), which
 * the report collapses into one line per Application.
 */
import type { ApplicationRender } from './details';
import { fieldChanges } from './field-diff';
import type { ObjectChange } from './object-diff';

/** One fact, with where it holds (`kkg/mimir`, … ), identical facts merged. */
export interface Fact {
  readonly text: string;
  readonly where: readonly string[];
}

/** The facts of a plan, by heading. */
export interface Facts {
  readonly images: readonly Fact[];
  readonly charts: readonly Fact[];
  readonly crds: readonly Fact[];
  readonly access: readonly Fact[];
  readonly data: readonly Fact[];
  readonly scale: readonly Fact[];
}

/**
 * Label and annotation keys that only say which chart made an object, matched
 * as whole keys or, ending in `*`, as prefixes; changes of them alone are
 * bookkeeping.
 */
export const BOOKKEEPING_KEYS: readonly string[] = [
  'helm.sh/chart',
  'chart',
  'app.kubernetes.io/version',
  'app.kubernetes.io/managed-by',
  'heritage',
  'release',
  'version',
  'checksum/*',
];

type Json = Readonly<Record<string, unknown>>;

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function matches(key: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => (pattern.endsWith('*') ? key.startsWith(pattern.slice(0, -1)) : key === pattern));
}

/** The label or annotation key a field path ends in (`metadata.labels["helm.sh/chart"]`), if it is one. */
function metadataKey(path: string): string | undefined {
  const match = /(?:^|\.)(?:labels|annotations)(?:\["((?:[^"\\]|\\.)*)"\]|\.([A-Za-z_][A-Za-z0-9_-]*))$/.exec(path);
  if (match === null) return undefined;
  return match[1] !== undefined ? (JSON.parse(`"${match[1]}"`) as string) : match[2];
}

/**
 * Whether a changed object differs only in bookkeeping labels and annotations
 * (anywhere: its own metadata or a pod template's).
 *
 * @param noise more keys to treat as bookkeeping (the report's noise filters)
 */
export function isBookkeeping(change: ObjectChange, noise: readonly string[] = []): boolean {
  if (change.change !== 'changed' || change.before === undefined || change.after === undefined) return false;
  const paths = changedFields(change).map((c) => c.path);
  const keys = [...BOOKKEEPING_KEYS, ...noise];
  return (
    paths.length > 0 &&
    paths.every((path) => {
      const key = metadataKey(path);
      return key !== undefined && matches(key, keys);
    })
  );
}

const fieldsOf = new WeakMap<ObjectChange, ReturnType<typeof fieldChanges>>();

/** The changed fields of an object, computed once per change (the report asks several times). */
export function changedFields(change: ObjectChange): ReturnType<typeof fieldChanges> {
  let fields = fieldsOf.get(change);
  if (fields === undefined) fieldsOf.set(change, (fields = fieldChanges(change.before, change.after)));
  return fields;
}

/** Whether a bookkeeping change reaches a pod template (its pods are replaced on sync). */
export function restartsPods(change: ObjectChange): boolean {
  if (change.before === undefined || change.after === undefined) return false;
  return changedFields(change).some((c) => /(^|\.)template\.metadata\./.test(c.path));
}

/** The pod spec of a workload (Deployment, StatefulSet, DaemonSet, Job, ReplicaSet, CronJob, Pod). */
function podSpec(object: Json | undefined): Json | undefined {
  if (object === undefined) return undefined;
  const spec = record(object.spec);
  if (object.kind === 'Pod') return spec;
  if (object.kind === 'CronJob') return record(record(record(record(spec?.jobTemplate)?.spec)?.template)?.spec);
  return record(record(spec?.template)?.spec);
}

interface Container {
  readonly name: string;
  readonly image?: string;
  readonly resources?: unknown;
}

function containers(object: Json | undefined): Container[] {
  const spec = podSpec(object);
  const list = (key: string) => (Array.isArray(spec?.[key]) ? (spec[key] as unknown[]) : []);
  return [...list('initContainers'), ...list('containers')].flatMap((c) => {
    const container = record(c);
    if (container === undefined || typeof container.name !== 'string') return [];
    return [{ name: container.name, ...(typeof container.image === 'string' ? { image: container.image } : {}), resources: container.resources }];
  });
}

const RBAC_KINDS = new Set(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
const WEBHOOK_KINDS = new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);

/** `cpu 100m → 200m, memory 128Mi → (none)` for two resources blocks. */
function resourceChange(before: unknown, after: unknown): string {
  return fieldChanges(before ?? {}, after ?? {})
    .map((c) => `${c.path} ${c.before === undefined ? '(none)' : String(c.before)} → ${c.after === undefined ? '(none)' : String(c.after)}`)
    .join(', ');
}

/** Collects facts, merging identical ones across Applications and clusters. */
class Collector {
  private readonly map = new Map<string, Map<string, Set<string>>>();

  add(heading: keyof Facts, text: string, where: string): void {
    let facts = this.map.get(heading);
    if (facts === undefined) this.map.set(heading, (facts = new Map()));
    let places = facts.get(text);
    if (places === undefined) facts.set(text, (places = new Set()));
    places.add(where);
  }

  facts(): Facts {
    const get = (heading: keyof Facts): Fact[] =>
      [...(this.map.get(heading) ?? new Map<string, Set<string>>())].map(([text, where]) => ({ text, where: [...where].sort() }));
    return { images: get('images'), charts: get('charts'), crds: get('crds'), access: get('access'), data: get('data'), scale: get('scale') };
  }
}

/** The facts of every rendered Application of a plan. */
export function planFacts(renders: readonly ApplicationRender[]): Facts {
  const collect = new Collector();
  for (const render of renders) {
    const where = `${render.cluster}/${render.component}`;
    if (render.before !== undefined && render.after !== undefined && render.before !== render.after)
      collect.add('charts', `${render.before} → ${render.after}`, render.cluster);
    else if (render.before === undefined && render.after !== undefined) collect.add('charts', `${render.after} (new)`, render.cluster);
    else if (render.after === undefined && render.before !== undefined) collect.add('charts', `${render.before} (removed)`, render.cluster);
    for (const change of render.changes) {
      const label = `${change.kind} \`${change.name}\``;
      // Images: by container, old → new.
      const old = containers(change.before);
      const next = containers(change.after);
      for (const container of next) {
        const was = old.find((c) => c.name === container.name);
        if (change.change === 'changed' && was !== undefined && was.image !== container.image && container.image !== undefined) {
          collect.add('images', `\`${was.image ?? '(none)'}\` → \`${container.image}\``, where);
        }
        if (change.change === 'changed' && was !== undefined && JSON.stringify(was.resources ?? {}) !== JSON.stringify(container.resources ?? {})) {
          collect.add('scale', `${label} container \`${container.name}\` resources: ${resourceChange(was.resources, container.resources)}`, where);
        }
      }
      if (change.change === 'added') for (const c of next) if (c.image !== undefined) collect.add('images', `\`${c.image}\` (in new objects)`, where);
      // Replicas.
      const replicas = (o: Json | undefined) => record(o?.spec)?.replicas;
      if (change.change === 'changed' && replicas(change.before) !== replicas(change.after)) {
        collect.add('scale', `${label} replicas ${String(replicas(change.before) ?? '(default)')} → ${String(replicas(change.after) ?? '(default)')}`, where);
      }
      // CRDs.
      if (change.kind === 'CustomResourceDefinition') {
        if (change.change === 'added') collect.add('crds', `CRD \`${change.name}\` added`, where);
        else if (change.change === 'removed') collect.add('crds', `CRD \`${change.name}\` removed`, where);
        else {
          const summary = change.diff.filter((line) => line.startsWith('# ')).map((line) => line.slice(2));
          collect.add('crds', `CRD \`${change.name}\` changed${summary.length > 0 ? `: ${summary.join('; ')}` : ''}`, where);
        }
      }
      // RBAC and webhooks.
      if (change.change === 'added' && (RBAC_KINDS.has(change.kind) || WEBHOOK_KINDS.has(change.kind))) {
        const roleRef = record(change.after?.roleRef);
        const bound = roleRef === undefined ? '' : ` (binds ${String(roleRef.kind)} \`${String(roleRef.name)}\`)`;
        collect.add('access', `${label} added${bound}`, where);
      } else if (change.change === 'changed' && (RBAC_KINDS.has(change.kind) || WEBHOOK_KINDS.has(change.kind))) {
        const paths = fieldChanges(change.before, change.after)
          .map((c) => c.path)
          .filter((p) => /^(rules|roleRef|subjects|webhooks|aggregationRule)/.test(p));
        if (paths.length > 0) collect.add('access', `${label}: ${[...new Set(paths.map((p) => p.split(/[.[]/)[0]))].join(', ')} change`, where);
      }
      // Objects that hold data.
      if (change.change === 'removed' && (change.kind === 'PersistentVolumeClaim' || change.kind === 'PersistentVolume')) {
        collect.add('data', `${label} removed: its volume is released (and deleted, by a Delete reclaim policy)`, where);
      }
      if (change.kind === 'StatefulSet') {
        const claims = (o: Json | undefined) =>
          (Array.isArray(record(o?.spec)?.volumeClaimTemplates) ? (record(o?.spec)?.volumeClaimTemplates as unknown[]) : []).map((t) =>
            String(record(record(t)?.metadata)?.name),
          );
        if (change.change === 'removed' && claims(change.before).length > 0) {
          collect.add(
            'data',
            `${label} removed with volume claims ${claims(change.before)
              .map((c) => `\`${c}\``)
              .join(', ')} (its PVCs stay, orphaned)`,
            where,
          );
        } else if (change.change === 'changed') {
          const lost = claims(change.before).filter((c) => !claims(change.after).includes(c));
          const changed =
            JSON.stringify(record(change.before?.spec)?.volumeClaimTemplates) !== JSON.stringify(record(change.after?.spec)?.volumeClaimTemplates);
          if (lost.length > 0) collect.add('data', `${label} drops volume claims ${lost.map((c) => `\`${c}\``).join(', ')}`, where);
          else if (changed)
            collect.add(
              'data',
              `${label} changes its volumeClaimTemplates, which Kubernetes refuses on an existing StatefulSet: the sync fails until it is recreated`,
              where,
            );
        }
      }
      if (change.change === 'removed' && change.kind === 'CustomResourceDefinition') {
        collect.add('data', `CRD \`${change.name}\` removed: every custom resource of its kind is deleted`, where);
      }
    }
  }
  return collect.facts();
}

/** Whether there is any fact. */
export function hasFacts(facts: Facts): boolean {
  return Object.values(facts).some((list: readonly Fact[]) => list.length > 0);
}
