/**
 * Validates every object the charts render against the schema of its kind, as
 * the API server would: built-in kinds against the cluster's Kubernetes version
 * (the types of `cdk8s-plus-<minor>`), custom kinds against the CRDs the charts
 * themselves install (exact versions), else the vendored ones in `crds/`.
 *
 * Results are remembered per object and validator in `.cache/render/`, so a
 * render that changed nothing validates nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { formatObject, inventoryFile } from '../inventory/inventory';
import { objectMetaProblems } from '../validate/object-meta';
import { schemaProblems } from '../validate/schema-findings';
import type { Finding } from '../validate/finding';
import { type CrdText, saveCodeCaches, SchemaRegistry } from '../validate/schema-registry';
import type { RenderedClusterCharts } from './render';
import { writeAtomically } from '../core/atomic-write';
import { once } from '../core/once';

/** Where schemas come from. */
export interface ChartSchemaOptions {
  /** The vendored CRD files (`crds/`) and the `group/Kind`s each defines. */
  readonly crds: readonly { readonly file: string; readonly kinds: readonly string[] }[];
  /** The cdk8s-plus package folder of a Kubernetes version (`1.33` → `…/cdk8s-plus-33`). */
  readonly builtinPackage: (kubernetesVersion: string) => string;
  /** `.cache/validate` (compiled validators). */
  readonly validatorCache: string;
  /** `.cache/render` (which objects passed). */
  readonly renderCache: string;
}

/**
 * Validates the chart objects of one cluster at a time, as each is rendered
 * (the first cluster's while Helm still renders the next), and remembers in
 * `.cache/render/validated.json` which objects passed.
 */
export class ChartObjectValidator {
  private readonly memoFile: string;
  private readonly memo: Record<string, 1>;
  private readonly used: Record<string, 1> = {};
  private readonly findings = new Map<string, Finding[]>();

  constructor(private readonly options: ChartSchemaOptions) {
    this.memoFile = join(options.renderCache, 'validated.json');
    let memo: Record<string, 1> = {};
    try {
      memo = JSON.parse(readFileSync(this.memoFile, 'utf8')) as Record<string, 1>;
    } catch {
      // no memo yet
    }
    this.memo = memo;
  }

  /**
   * Validates every chart object of a rendered cluster, one Application at a time with a turn of the event loop
   * between them: Helm's renders of the next cluster go on starting meanwhile.
   */
  public async validate(cluster: RenderedClusterCharts): Promise<void> {
    const { options, memo, used } = this;
    const findings: Finding[] = [];
    const registry = new SchemaRegistry({
      ...crdsFor(cluster, options),
      builtinPackage: options.builtinPackage(cluster.env.clusterSettings.kubernetesVersion),
      cacheDir: options.validatorCache,
    });
    const file = inventoryFile(cluster.env.cluster);
    for (const app of cluster.applications) {
      await setImmediate();
      for (const applied of app.objects) {
        if (applied.supporting) continue; // synth validates the supporting manifests
        const { entry } = applied;
        const at = (path: string, message: string, fix: string): void => {
          findings.push({
            rule: 'schema',
            cluster: cluster.env.cluster,
            file,
            object: `${entry.kind}/${entry.name}`,
            path,
            message: `${message} (${formatObject(entry)} from ${applied.source || app.name})`,
            fix,
          });
        };
        const lookup = registry.lookup(entry.apiVersion, entry.kind);
        if ('missing' in lookup) {
          at('', lookup.missing, lookup.fix);
          continue;
        }
        const key = `${lookup.schema.id} ${applied.hash ?? createHash('sha1').update(JSON.stringify(applied.object())).digest('base64')}`;
        if (memo[key] !== undefined || used[key] !== undefined) {
          used[key] = 1;
          continue;
        }
        const validate = lookup.schema.validator();
        // `status` is the controller's (the API server ignores it on apply), and a null field is an unset one.
        const { status: _status, ...body } = withoutNulls(applied.object()) as Record<string, unknown>;
        const problems = [
          ...(validate(body) ? [] : schemaProblems(validate.errors ?? [], body, lookup.schema.label, lookup.schema.schema)),
          ...objectMetaProblems(body, entry.namespace === undefined ? 'Cluster' : 'Namespaced').filter((p) => !p.path.startsWith('/metadata/namespace')),
        ];
        for (const problem of problems) at(problem.path, problem.message, `fix the chart's values in src/platform/${app.name}.ts, or report it to the chart`);
        if (problems.length === 0) used[key] = 1;
      }
    }
    this.findings.set(cluster.env.cluster, findings);
  }

  /**
   * The findings of the given clusters, in their order (then by Application
   * and object), and the memo written: it keeps what passed in this run only.
   */
  public finish(clusters: readonly string[]): Finding[] {
    writeAtomically(this.memoFile, JSON.stringify(this.used));
    saveCodeCaches();
    return clusters.flatMap((cluster) => this.findings.get(cluster) ?? []);
  }
}

/**
 * The CRDs for a cluster's schemas: every CRD its charts render (held in memory, as rendered),
 * and each vendored file that defines no kind the charts already define.
 */
function crdsFor(cluster: RenderedClusterCharts, options: ChartSchemaOptions): { crds: string[]; crdTexts: CrdText[] } {
  const crdTexts: CrdText[] = [];
  const seen = new Set<string>();
  const defined = new Set(cluster.applications.flatMap((app) => app.inventory.crds.map((crd) => `${crd.group}/${crd.kind}`)));
  for (const app of cluster.applications) {
    for (const applied of app.objects) {
      const { entry } = applied;
      if (applied.supporting || entry.kind !== 'CustomResourceDefinition' || !entry.apiVersion.startsWith('apiextensions.k8s.io/')) continue;
      const key = applied.hash ?? createHash('sha1').update(JSON.stringify(applied.object())).digest('base64');
      if (seen.has(key)) continue; // the same CRD from two releases of a chart
      seen.add(key);
      // Its text only when the registry has not seen it: a warm run reads no body.
      crdTexts.push({
        name: `CustomResourceDefinition ${entry.name} (from ${applied.source || app.name})`,
        key,
        text: once(() => JSON.stringify(applied.object())),
      });
    }
  }
  const crds = options.crds.filter(({ kinds }) => !kinds.some((kind) => defined.has(kind))).map(({ file }) => file);
  return { crds, crdTexts };
}

/**
 * The object as the API server reads it: a field whose value is null is unset
 * (decoding into the API types, or pruning for custom resources), so charts that
 * render `annotations:` with nothing after it are not wrong. Only what holds a
 * null is copied; the rest is the object's own (nothing changes it).
 */
export function withoutNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = withoutNulls(value[i]);
      if (item !== value[i]) (copy ??= [...(value as unknown[])])[i] = item;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const v = record[keys[i]];
    const kept = v === null ? undefined : withoutNulls(v);
    if (copy === undefined) {
      if (kept === v) continue;
      copy = {};
      for (let j = 0; j < i; j++) define(copy, keys[j], record[keys[j]]);
    }
    if (v !== null) define(copy, keys[i], kept);
  }
  return copy ?? value;
}

/** defineProperty: a key `__proto__` stays a key. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
