/** What every policy rule works with: the rendered objects, the facts of each cluster, and small accessors. */
import type { Inventory } from '../../inventory/inventory';
import type { RenderedObject, ValuesFile } from '../_parse';
import type { Finding, RuleName } from '../finding';

/** What the catalog and an environment say about one cluster, for the rules that need more than the files. */
export interface ClusterFacts {
  /** The environment file, named in findings (`environments/kkg.yaml`). */
  readonly environment: string;
  /** Every enabled component and the components it depends on in this environment. */
  readonly dependsOn: ReadonlyMap<string, readonly string[]>;
  /** Protected components (never cascade-deleted) and why. */
  readonly protected: ReadonlyMap<string, string>;
  /** Root sync-wave of every enabled component. */
  readonly waves: ReadonlyMap<string, number>;
  /** The namespaces each component may put objects in: its own, then those it declares (`namespaces`) with why. */
  readonly namespaces: ReadonlyMap<string, { readonly own: string; readonly declared: Readonly<Record<string, string>> }>;
  /** `group/Kind` of CRDs an operator creates at run time → the component whose operator does. */
  readonly runtimeCrds: ReadonlyMap<string, string>;
  /** The API versions the environment declares the cluster serves from outside this repository. */
  readonly apiVersions: readonly string[];
}

/** What the schema stage knows about a kind. */
export interface KindFacts {
  /** Defined by a CRD (not a built-in kind). */
  readonly custom: boolean;
  /** Namespaced or cluster-scoped, when known. */
  readonly scope?: 'Namespaced' | 'Cluster';
}

/** Everything a policy rule sees. */
export interface PolicyContext {
  /** Every rendered object. */
  readonly objects: readonly RenderedObject[];
  /** Every Helm values file. */
  readonly values: readonly ValuesFile[];
  /** Per cluster; a cluster missing here has no environment file. */
  readonly clusters: ReadonlyMap<string, ClusterFacts>;
  /** The output folder as shown in findings (`dist`). */
  readonly shownDir: string;
  /** What is known about an object's kind (undefined: no schema). */
  readonly kind: (object: RenderedObject['object']) => KindFacts | undefined;
  /**
   * What the charts of each cluster render (`inventory/<cluster>.yaml`).
   * @default - none: the rules check what synth writes only
   */
  readonly inventories?: ReadonlyMap<string, Inventory>;
}

/** A named policy check over all rendered objects. */
export interface PolicyRule {
  readonly name: RuleName;
  /** One sentence: what the rule demands and why. */
  readonly description: string;
  readonly check: (context: PolicyContext) => Finding[];
}

/** A finding about one rendered object. */
export function findingAt(rendered: RenderedObject, rule: RuleName, path: string, message: string, fix: string): Finding {
  return { rule, cluster: rendered.cluster, file: rendered.file, object: rendered.label, path, message, fix };
}

/** Argo CD Applications (any version of argoproj.io). */
export function isApplication(rendered: RenderedObject): boolean {
  return rendered.object.kind === 'Application' && rendered.object.apiVersion.startsWith('argoproj.io/');
}

/** A field of a nested object, or undefined. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** An Application's sources with their JSON Pointers (`/spec/source` or `/spec/sources/<i>`). */
export function applicationSources(rendered: RenderedObject): { readonly path: string; readonly source: Record<string, unknown> }[] {
  const spec = field(rendered.object, 'spec');
  const single = field(spec, 'source');
  const many = field(spec, 'sources');
  const sources: { path: string; source: Record<string, unknown> }[] = [];
  if (isRecord(single)) sources.push({ path: '/spec/source', source: single });
  if (Array.isArray(many)) many.forEach((source, i) => isRecord(source) && sources.push({ path: `/spec/sources/${i}`, source }));
  return sources;
}

/** `metadata.name`, or the empty string. */
export function nameOf(rendered: RenderedObject): string {
  const name = field(rendered.object, 'metadata', 'name');
  return typeof name === 'string' ? name : '';
}

/** The value of an annotation, or undefined. */
export function annotation(rendered: RenderedObject, key: string): unknown {
  return field(rendered.object, 'metadata', 'annotations', key);
}

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
