/**
 * Everything Argo CD applies for each Application of a cluster, in one form:
 * the objects its chart renders (from the inventory) and its supporting
 * manifests (from the output), with where each is named in a finding.
 */
import { formatObject, type HookPhase, type Inventory } from '../../inventory/inventory';
import { SYNC_OPTIONS_ANNOTATION, SYNC_WAVE_ANNOTATION } from '../../core/argocd-annotations';
import type { RenderedObject } from '../_parse';
import type { Finding, RuleName } from '../finding';
import { annotation, findingAt, nameOf, type PolicyContext } from './_context';

/** One object an Application applies. */
export interface AppliedObject {
  readonly cluster: string;
  /** The component (= Application) that applies it. */
  readonly component: string;
  readonly apiVersion: string;
  readonly group: string;
  readonly kind: string;
  /** Where a namespaced object lands; undefined for a cluster-scoped one. */
  readonly namespace: string | undefined;
  readonly name: string;
  /** In-app wave. */
  readonly wave: number;
  readonly hook: HookPhase | undefined;
  readonly skipDryRun: boolean;
  /** `chart` (from the inventory) or `supporting` (a manifest of the output). */
  readonly origin: 'chart' | 'supporting';
  /** Whether a CRD defines the kind, when the schema stage knows (supporting manifests); undefined for chart objects. */
  readonly custom: boolean | undefined;
  /** A finding about this object. */
  readonly finding: (rule: RuleName, path: string, message: string, fix: string) => Finding;
}

/** The API group of an apiVersion (`''` for `v1`). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Every applied object of every cluster that has an inventory, chart objects first. */
export function appliedObjects(context: PolicyContext): AppliedObject[] {
  const result: AppliedObject[] = [];
  for (const [cluster, inventory] of context.inventories ?? []) {
    result.push(...chartObjects(cluster, inventory));
  }
  for (const rendered of context.objects) {
    if (rendered.role !== 'supporting' || rendered.component === undefined || !context.inventories?.has(rendered.cluster)) continue;
    const applied = supportingObject(context, rendered);
    if (applied !== undefined) result.push(applied);
  }
  return result;
}

function chartObjects(cluster: string, inventory: Inventory): AppliedObject[] {
  return [...inventory.applications].flatMap(([component, app]) =>
    app.objects.map((entry, index) => ({
      cluster,
      component,
      apiVersion: entry.apiVersion,
      group: groupOf(entry.apiVersion),
      kind: entry.kind,
      namespace: entry.namespace,
      name: entry.name,
      wave: entry.wave,
      hook: entry.hook,
      skipDryRun: entry.skipDryRun,
      origin: 'chart' as const,
      custom: undefined,
      finding: (rule: RuleName, _path: string, message: string, fix: string): Finding => ({
        rule,
        cluster,
        file: inventory.file,
        object: `${entry.kind}/${entry.name}`,
        path: `/applications/${component}/objects/${index}`,
        message: `${message} (${formatObject(entry)}, rendered by the chart of ${component})`,
        fix,
      }),
    })),
  );
}

function supportingObject(context: PolicyContext, rendered: RenderedObject): AppliedObject | undefined {
  const kind = context.kind(rendered.object);
  const metaNamespace = (rendered.object.metadata as { namespace?: unknown } | undefined)?.namespace;
  // A built-in kind's schema carries no scope: a built-in supporting manifest (ConfigMap, NetworkPolicy, Job) with a namespace is namespaced.
  const scope = kind?.scope ?? (kind?.custom === false && typeof metaNamespace === 'string' && metaNamespace !== '' ? 'Namespaced' : undefined);
  if (kind === undefined || scope === undefined) return undefined; // no schema: the schema stage reports it
  const component = rendered.component as string;
  const own = context.clusters.get(rendered.cluster)?.namespaces.get(component)?.own;
  const wave = annotation(rendered, SYNC_WAVE_ANNOTATION);
  const options = annotation(rendered, SYNC_OPTIONS_ANNOTATION);
  return {
    cluster: rendered.cluster,
    component,
    apiVersion: rendered.object.apiVersion,
    group: groupOf(rendered.object.apiVersion),
    kind: rendered.object.kind,
    namespace: scope === 'Cluster' ? undefined : typeof metaNamespace === 'string' && metaNamespace !== '' ? metaNamespace : own,
    name: nameOf(rendered),
    wave: typeof wave === 'string' && /^-?\d+$/.test(wave) ? Number(wave) : 0,
    hook: undefined,
    skipDryRun:
      typeof options === 'string' &&
      options
        .split(',')
        .map((o) => o.trim())
        .includes('SkipDryRunOnMissingResource=true'),
    origin: 'supporting',
    custom: kind.custom,
    finding: (rule, path, message, fix) => findingAt(rendered, rule, path, message, fix),
  };
}
