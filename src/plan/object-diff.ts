/**
 * What changes among the objects Argo CD applies for one Application: each
 * object added, removed or changed, in the order Argo CD applies them, each
 * changed one as a unified diff of its YAML. Secret values never appear (keys
 * are kept, each marked changed or unchanged), and a CustomResourceDefinition
 * is summarised (versions and schema fields added or removed) instead of
 * diffed line by line.
 */
import { stringify } from 'yaml';
import type { HookPhase } from '../inventory/inventory';
import { canonicalJson } from '../inventory/inventory';
import { diffLines, unifiedHunks } from './line-diff';
import { type IgnoreSettings, normalise } from './ignore-differences';

/** One object as one side of a plan applies it. */
export interface AppliedSide {
  readonly object: Readonly<Record<string, unknown>>;
  /** Its namespace as Argo CD applies it (the Application's destination when the chart sets none); absent: cluster-scoped. */
  readonly namespace?: string;
  /** The hook phase it is applied in (`Sync` for an ordinary object). */
  readonly phase: HookPhase;
  /** Its in-app sync-wave. */
  readonly wave: number;
  /** A supporting manifest (the Application's second source), not a chart object. */
  readonly supporting: boolean;
}

/** One object that changes. */
export interface ObjectChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly apiVersion: string;
  readonly kind: string;
  /** Absent: cluster-scoped. */
  readonly namespace?: string;
  readonly name: string;
  /** Where Argo CD applies it: the new side's phase and wave, the old side's for a removed object. */
  readonly phase: HookPhase;
  readonly wave: number;
  readonly supporting: boolean;
  /**
   * What changes: unified-diff hunks of its YAML (keys sorted), all `+` lines
   * for an added object, nothing for a removed one; for a CRD, summary lines
   * first, then the hunks of the rest of its body.
   */
  readonly diff: readonly string[];
  /** What was left out of the diff and why (`Secret values masked`, `CRD schemas summarised`). */
  readonly notes: readonly string[];
  /** The object as Argo CD has it now (ignored fields removed); absent when added. */
  readonly before?: Readonly<Record<string, unknown>>;
  /** The object as it is applied after the change (ignored fields removed); absent when removed. */
  readonly after?: Readonly<Record<string, unknown>>;
}

/** The objects of one Application that change, in Argo CD's apply order, and how many do not. */
export interface ObjectChanges {
  readonly changes: readonly ObjectChange[];
  readonly unchanged: number;
  /**
   * Objects whose only differences are fields the Application's
   * `ignoreDifferences` leaves alone (`Secret cilium-ca: /data/ca.crt`), counted as unchanged.
   */
  readonly ignored: readonly string[];
  /**
   * Objects whose only differences are certificates or keys the chart
   * generates anew on every render (`Secret hubble-server-certs: tls.crt`),
   * counted as unchanged: "generated, not compared".
   */
  readonly generated: readonly string[];
  /** Ignore rules the plan could not apply, one line each. */
  readonly problems: readonly string[];
}

/** How two sides are compared. */
export interface CompareOptions {
  /**
   * The Application's `ignoreDifferences` (as it is after the change), applied
   * to both sides of an object that exists on both when syncs respect them.
   * @default - nothing ignored
   */
  readonly ignore?: IgnoreSettings;
}

/**
 * Argo CD's order of kinds within one phase and wave (gitops-engine's
 * `kindOrder`, from Helm's install order); any other kind, custom resources
 * included, comes after all of them.
 */
export const KIND_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

const KIND_RANK = new Map(KIND_ORDER.map((kind, i) => [kind, i - KIND_ORDER.length]));

/** Phases in the order a sync runs them (gitops-engine's `syncPhaseOrder`); the deletion hooks run only when the Application is deleted. */
const PHASE_RANK: Readonly<Record<HookPhase, number>> = { PreSync: -1, Sync: 0, PostSync: 1, SyncFail: 2, PreDelete: 3, PostDelete: 4 };

/** The order in which Argo CD applies objects of one Application: phase, in-app wave, kind, name. */
export function compareApplyOrder(
  a: { readonly phase: HookPhase; readonly wave: number; readonly kind: string; readonly name: string },
  b: { readonly phase: HookPhase; readonly wave: number; readonly kind: string; readonly name: string },
): number {
  return (
    PHASE_RANK[a.phase] - PHASE_RANK[b.phase] ||
    a.wave - b.wave ||
    (KIND_RANK.get(a.kind) ?? 0) - (KIND_RANK.get(b.kind) ?? 0) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/** Compares the objects one Application applies before and after a change. */
export function objectChanges(before: readonly AppliedSide[], after: readonly AppliedSide[], options: CompareOptions = {}): ObjectChanges {
  const old = byIdentity(before);
  const next = byIdentity(after);
  const changes: ObjectChange[] = [];
  const ignored: string[] = [];
  const generated: string[] = [];
  const problems = new Set<string>();
  const rules = options.ignore?.respected === true ? options.ignore.rules : [];
  let unchanged = 0;
  for (const key of new Set([...old.keys(), ...next.keys()])) {
    const was = old.get(key);
    const is = next.get(key);
    if (was !== undefined && is !== undefined) {
      if (canonicalJson(was.object) === canonicalJson(is.object)) {
        unchanged++;
        continue;
      }
      const label = `${String(is.object.kind)} ${String((is.object.metadata as { name?: unknown } | undefined)?.name ?? '')}`;
      let [a, b] = [was.object, is.object];
      if (rules.length > 0) {
        const na = normalise(a, was.namespace, rules);
        const nb = normalise(b, is.namespace, rules);
        for (const problem of [...na.problems, ...nb.problems]) problems.add(problem);
        [a, b] = [na.object, nb.object];
        if (canonicalJson(a) === canonicalJson(b)) {
          unchanged++;
          ignored.push(`${label}: ${[...new Set([...na.applied, ...nb.applied])].join(', ')}`);
          continue;
        }
      }
      const fresh = generatedOnly(a, b);
      if (fresh !== undefined) {
        unchanged++;
        generated.push(`${label}: ${fresh.join(', ')}`);
        continue;
      }
      const compared = compareObjects(a, b);
      if (compared === undefined) unchanged++;
      else changes.push({ ...describe('changed', is, compared.diff, compared.notes), before: a, after: b });
    } else if (is !== undefined) {
      const compared = compareObjects(undefined, is.object);
      changes.push({ ...describe('added', is, compared?.diff ?? [], compared?.notes ?? []), after: is.object });
    } else if (was !== undefined) {
      changes.push({ ...describe('removed', was, [], []), before: was.object });
    }
  }
  const ordered = inPruneOrder(changes);
  ordered.sort(
    (a, b) =>
      compareApplyOrder(a, b) ||
      Number(b.change === 'removed') - Number(a.change === 'removed') ||
      compareText(a.namespace ?? '', b.namespace ?? '') ||
      compareText(a.apiVersion, b.apiVersion),
  );
  return { changes: ordered, unchanged, ignored, generated, problems: [...problems] };
}

/**
 * The changes with each removal moved to the wave Argo CD prunes it in:
 * gitops-engine swaps the waves of prune tasks end for end (the highest
 * wave's objects are pruned first), and within a wave runs prunes before
 * creates and updates (`sync_context.go`, `getSyncTasks` and `runTasks`).
 */
function inPruneOrder(changes: readonly ObjectChange[]): ObjectChange[] {
  const waves = [...new Set(changes.filter((c) => c.change === 'removed' && c.phase === 'Sync').map((c) => c.wave))].sort((a, b) => a - b);
  const mirror = new Map(waves.map((wave, i) => [wave, waves[waves.length - 1 - i]]));
  return changes.map((c) => (c.change === 'removed' && c.phase === 'Sync' ? { ...c, wave: mirror.get(c.wave) ?? c.wave } : c));
}

const PEM = /-----BEGIN [A-Z ]+-----/;

/** A value that holds a PEM certificate or key, as text or base64 (a Secret's `data`). */
function isPem(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (PEM.test(value)) return true;
  return /^[A-Za-z0-9+/=\s]+$/.test(value) && PEM.test(Buffer.from(value, 'base64').toString('latin1'));
}

/**
 * The keys of a Secret or ConfigMap whose only differences are certificates or
 * keys on both sides (what `genCA` and `genSignedCert` make anew on every
 * render), or undefined when anything else differs.
 */
function generatedOnly(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): string[] | undefined {
  if (!(a.apiVersion === 'v1' && (a.kind === 'Secret' || a.kind === 'ConfigMap'))) return undefined;
  const keys: string[] = [];
  const strip = (object: Readonly<Record<string, unknown>>, other: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...object };
    for (const field of ['data', 'stringData']) {
      const mine = record(object[field]);
      const theirs = record(other[field]);
      if (mine === undefined) continue;
      copy[field] = Object.fromEntries(
        Object.entries(mine).map(([key, value]) => {
          const counterpart = theirs?.[key];
          if (value !== counterpart && isPem(value) && isPem(counterpart)) {
            if (!keys.includes(key)) keys.push(key);
            return [key, '<generated>'];
          }
          return [key, value];
        }),
      );
    }
    return copy;
  };
  const sa = strip(a, b);
  const sb = strip(b, a);
  return keys.length > 0 && canonicalJson(sa) === canonicalJson(sb) ? keys.sort() : undefined;
}

function describe(change: ObjectChange['change'], side: AppliedSide, diff: readonly string[], notes: readonly string[]): ObjectChange {
  const metadata = (side.object.metadata ?? {}) as { name?: unknown };
  return {
    change,
    apiVersion: String(side.object.apiVersion),
    kind: String(side.object.kind),
    ...(side.namespace === undefined ? {} : { namespace: side.namespace }),
    name: typeof metadata.name === 'string' ? metadata.name : '',
    phase: side.phase,
    wave: side.wave,
    supporting: side.supporting,
    diff,
    notes,
  };
}

/** Objects by API group, kind, namespace and name (a later duplicate wins, as the last applied does). */
function byIdentity(sides: readonly AppliedSide[]): Map<string, AppliedSide> {
  const result = new Map<string, AppliedSide>();
  for (const side of sides) {
    const apiVersion = String(side.object.apiVersion);
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    const name = (side.object.metadata as { name?: unknown } | undefined)?.name;
    result.set(`${group}/${String(side.object.kind)}/${side.namespace ?? ''}/${typeof name === 'string' ? name : ''}`, side);
  }
  return result;
}

/** The diff of two versions of an object (before undefined: added), or undefined when they are the same. */
function compareObjects(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>>,
): { diff: string[]; notes: string[] } | undefined {
  if (before !== undefined && canonicalJson(before) === canonicalJson(after)) return undefined;
  const notes: string[] = [];
  let [a, b] = [before, after];
  if (isSecret(after) || (before !== undefined && isSecret(before))) {
    [a, b] = maskSecrets(before, after);
    notes.push('Secret values masked: each key says whether its value changed');
  }
  const summary: string[] = [];
  if (isCrd(after)) {
    summary.push(...crdSummary(before, after));
    [a, b] = [a === undefined ? undefined : withoutSchemas(a), withoutSchemas(b as Record<string, unknown>)];
    notes.push('CRD schemas summarised: versions and schema fields added or removed');
  }
  const hunks = unifiedHunks(diffLines(a === undefined ? [] : yamlLines(a), yamlLines(b as Record<string, unknown>)), 3);
  if (summary.length === 0 && hunks.length === 0) summary.push('(only the masked or summarised parts differ)');
  return { diff: [...summary, ...hunks], notes };
}

/** An object as YAML lines, keys sorted, no line folding. */
function yamlLines(object: unknown): string[] {
  const text = stringify(object, { sortMapEntries: true, lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
  return text.split('\n').slice(0, -1);
}

function isSecret(object: Readonly<Record<string, unknown>>): boolean {
  return object.kind === 'Secret' && object.apiVersion === 'v1';
}

function isCrd(object: Readonly<Record<string, unknown>>): boolean {
  return object.kind === 'CustomResourceDefinition' && String(object.apiVersion).startsWith('apiextensions.k8s.io/');
}

/** Placeholders written instead of a Secret's values. */
export const MASKED = { same: '<masked, unchanged>', before: '<masked>', changed: '<masked, changed>', added: '<masked, added>' } as const;

/** Both sides of a Secret with every value of `data` and `stringData` replaced by a placeholder that says only whether it changed. */
function maskSecrets(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>>,
): [Record<string, unknown> | undefined, Record<string, unknown>] {
  const a: Record<string, unknown> | undefined = before === undefined ? undefined : { ...before };
  const b: Record<string, unknown> = { ...after };
  for (const field of ['data', 'stringData']) {
    const old = record(before?.[field]);
    const next = record(after[field]);
    if (a !== undefined && old !== undefined) {
      a[field] = Object.fromEntries(
        Object.entries(old).map(([key, value]) => [key, next !== undefined && key in next && next[key] === value ? MASKED.same : MASKED.before]),
      );
    } else if (a !== undefined && before !== undefined && field in before) {
      a[field] = MASKED.before;
    }
    if (next !== undefined) {
      b[field] = Object.fromEntries(
        Object.entries(next).map(([key, value]) => {
          if (old === undefined || !(key in old)) return [key, before === undefined ? MASKED.before : MASKED.added];
          return [key, old[key] === value ? MASKED.same : MASKED.changed];
        }),
      );
    } else if (field in after) {
      b[field] = MASKED.changed;
    }
  }
  return [a, b];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly schema: unknown;
}

function crdVersions(object: Readonly<Record<string, unknown>> | undefined): CrdVersion[] {
  const versions = record(object?.spec)?.versions;
  if (!Array.isArray(versions)) return [];
  return versions.flatMap((version) => {
    const v = record(version);
    if (v === undefined || typeof v.name !== 'string') return [];
    return [{ name: v.name, served: v.served !== false, storage: v.storage === true, schema: record(v.schema)?.openAPIV3Schema }];
  });
}

/** Lines saying how a CRD changes: versions added or removed, the storage version, schema fields added or removed. */
function crdSummary(before: Readonly<Record<string, unknown>> | undefined, after: Readonly<Record<string, unknown>>): string[] {
  const old = crdVersions(before);
  const next = crdVersions(after);
  const names = (list: readonly CrdVersion[]) => list.map((v) => v.name);
  const lines: string[] = [];
  const added = next.filter((v) => !names(old).includes(v.name));
  const removed = old.filter((v) => !names(next).includes(v.name));
  if (before === undefined) {
    lines.push(`# CRD versions: ${names(next).join(', ') || 'none'}; storage: ${next.find((v) => v.storage)?.name ?? 'none'}`);
    for (const version of next) lines.push(`# ${version.name}: ${schemaPaths(version.schema).length} schema fields`);
    return lines;
  }
  if (added.length > 0) lines.push(`# versions added: ${names(added).join(', ')}`);
  if (removed.length > 0) lines.push(`# versions removed: ${names(removed).join(', ')} (objects stored at a removed version can no longer be read)`);
  const oldStorage = old.find((v) => v.storage)?.name;
  const newStorage = next.find((v) => v.storage)?.name;
  if (oldStorage !== newStorage) lines.push(`# storage version: ${oldStorage ?? 'none'} → ${newStorage ?? 'none'}`);
  for (const version of next) {
    const was = old.find((v) => v.name === version.name);
    if (was === undefined) continue;
    if (was.served !== version.served) lines.push(`# ${version.name}: ${version.served ? 'served again' : 'no longer served'}`);
    if (canonicalJson(was.schema) === canonicalJson(version.schema)) continue;
    const oldPaths = new Set(schemaPaths(was.schema));
    const newPaths = new Set(schemaPaths(version.schema));
    const gained = [...newPaths].filter((p) => !oldPaths.has(p));
    const lost = [...oldPaths].filter((p) => !newPaths.has(p));
    if (gained.length === 0 && lost.length === 0)
      lines.push(`# ${version.name}: schema changed, no field added or removed (descriptions, defaults or validation)`);
    lines.push(...listed(`# ${version.name}: schema fields added`, gained), ...listed(`# ${version.name}: schema fields removed`, lost));
  }
  return lines;
}

/** `label: a, b, c`, at most 20 names, then how many more. */
function listed(label: string, items: readonly string[], max = 20): string[] {
  if (items.length === 0) return [];
  const more = items.length > max ? `, … ${items.length - max} more` : '';
  return [`${label}: ${items.slice(0, max).join(', ')}${more}`];
}

/** Every field path a schema declares (`spec.tls[].hosts`), sorted. */
function schemaPaths(schema: unknown, prefix = ''): string[] {
  const node = record(schema);
  if (node === undefined) return [];
  const paths: string[] = [];
  const properties = record(node.properties);
  for (const [name, child] of Object.entries(properties ?? {}).sort(([a], [b]) => compareText(a, b))) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    paths.push(path, ...schemaPaths(child, path));
  }
  if (node.items !== undefined) paths.push(...schemaPaths(node.items, `${prefix}[]`));
  const additional = record(node.additionalProperties);
  if (additional !== undefined) paths.push(...schemaPaths(additional, `${prefix}.*`));
  return paths;
}

/** A CRD with each version's schema left out (the summary says how the schemas change). */
function withoutSchemas(object: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const spec = record(object.spec);
  if (spec === undefined || !Array.isArray(spec.versions)) return { ...object };
  return {
    ...object,
    spec: {
      ...spec,
      versions: spec.versions.map((version) =>
        record(version)?.schema === undefined ? version : { ...(version as Record<string, unknown>), schema: '<summarised above>' },
      ),
    },
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
