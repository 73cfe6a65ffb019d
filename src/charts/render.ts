/**
 * Renders every chart of every cluster exactly as Argo CD's repo-server does,
 * and describes what Argo CD will apply: the inventory.
 *
 * Each child Application with a Helm source is one render job (`./jobs`:
 * `helm template` with the Application's release, namespace, values and
 * `skipCrds`, cached by its inputs). The API versions are what Argo CD passes
 * from the cluster's discovery (`./served-apis`): the built-in resources of its
 * Kubernetes version, Argo CD's own CRDs, the CRDs the cluster's charts install
 * and those operators create at run time (`runtimeCrds` in the catalog), each
 * as `group/version` and `group/version/Kind`, and the environment's
 * `cluster.apiVersions`.
 * The charts' CRDs are known only after rendering, so a render whose CRDs
 * differ from those the previous inventory listed renders once more with the
 * new set; an unchanged Application is never rendered twice.
 */
import { availableParallelism } from 'node:os';
import { argoApiVersions, servedBuiltins } from './served-apis';
import type { Environment } from '../config/environment';
import {
  fullKubeVersion,
  type Inventory,
  type InventoryApplication,
  type InventoryCrd,
  type InventoryObject,
  inventoryFile,
  valuesDigest,
} from '../inventory/inventory';
import { byCodeUnit, type Problem, UserError } from '../core/user-error';
import { type PlatformPlan, planEnvironment } from '../platform/index';
import type { ComponentSpec } from '../platform/types';
import { type ApplicationJson, type RenderedCluster, renderClusterObjects } from '../synth/cluster-files';
import type { ChartPackage, ChartStore } from './chart-store';
import type { HelmBinary } from './helm';
import {
  createLimit,
  type DocumentSummary,
  jobOfApplication,
  type KubeObject,
  type RenderedJob,
  type RenderJob,
  renderJobs,
  type RenderSettings,
  resolvePackages,
  summarize,
} from './jobs';
import { groupOf, isClusterScopedBuiltin } from './scopes';

/** One object Argo CD applies for an Application, with where it came from. */
export interface AppliedObject {
  /** The object as rendered (a chart's, read from the render cache on first use), or as synthesized (a supporting manifest). */
  readonly object: () => KubeObject;
  /** sha1 of the object's JSON (chart objects), to remember validation results by. */
  readonly hash?: string;
  /** What the inventory lists for it. */
  readonly entry: InventoryObject;
  /** The chart template it came from (`cilium/templates/…`), or the `dist/` file of a supporting manifest. */
  readonly source: string;
  /** A supporting manifest (second source) rather than a chart object. */
  readonly supporting: boolean;
}

/** One Application rendered. */
export interface RenderedApplication {
  readonly cluster: string;
  /** Component id = Application name. */
  readonly name: string;
  /** Root sync-wave of the Application. */
  readonly wave: number;
  readonly chart: ChartPackage;
  /** The inventory entry. */
  readonly inventory: InventoryApplication;
  /** Every object it applies: the chart's, then the supporting manifests. */
  readonly objects: readonly AppliedObject[];
  /** Objects the chart renders that Argo CD never applies (Helm test hooks …), with why. */
  readonly skipped: readonly { readonly kind: string; readonly name: string; readonly reason: string }[];
  /** Rendered now (false: from the cache). */
  readonly fresh: boolean;
}

/** One cluster rendered. */
export interface RenderedClusterCharts {
  readonly env: Environment;
  readonly plan: PlatformPlan;
  /** The synthesized Applications and supporting manifests (no inventory applied). */
  readonly synthesized: RenderedCluster;
  readonly inventory: Inventory;
  readonly applications: readonly RenderedApplication[];
  /** Chart objects of a kind the cluster neither has built in nor gets from a CRD (Argo CD cannot apply them). */
  readonly problems: readonly Problem[];
  /** Objects an Application renders more than once: Argo CD applies the last and warns (`RepeatedResourceWarning`). */
  readonly warnings: readonly Problem[];
}

/** What rendering needs besides the environments. */
export interface RenderOptions {
  readonly catalog: readonly ComponentSpec[];
  readonly charts: ChartStore;
  readonly helm: HelmBinary;
  /** `.cache/render`. */
  readonly cacheDir: string;
  /** The inventories committed now (their CRDs seed the API versions). */
  readonly previous: ReadonlyMap<string, Inventory>;
  /** CRDs known without rendering: vendored (`crds/`), for runtime CRDs. `group/Kind` → CRD. */
  readonly knownCrds: ReadonlyMap<string, InventoryCrd>;
  /** Built-in `apiVersion kind` pairs of each cluster's Kubernetes version. */
  readonly builtins: (kubernetesVersion: string) => ReadonlySet<string>;
  /**
   * Called with each cluster as soon as its charts are rendered and assembled (while other clusters may still render);
   * a promise is awaited. Work done here should give the event loop a turn now and then, so Helm's next render starts
   * as soon as a place under the limit is free.
   */
  readonly assembled?: (cluster: RenderedClusterCharts) => void | Promise<void>;
  /**
   * Parallel Helm processes.
   * @default the number of cores
   */
  readonly jobs?: number;
}

/** A component's job within a cluster render, before the cluster's API versions are known. */
interface ClusterJob {
  readonly env: Environment;
  readonly name: string;
  readonly wave: number;
  readonly manifests: readonly Record<string, unknown>[];
  readonly job: RenderJob;
}

/**
 * Renders the charts of every environment.
 *
 * @throws UserError with one line per chart that could not be had or rendered
 */
export async function renderCharts(environments: readonly Environment[], options: RenderOptions): Promise<RenderedClusterCharts[]> {
  const clusters = environments.map((env) => {
    const plan = planEnvironment(env, options.catalog);
    const synthesized = renderClusterObjects(plan, undefined, { text: false });
    const settings: RenderSettings = { kubeVersion: fullKubeVersion(env.clusterSettings.kubernetesVersion), apiVersions: [] };
    const jobs: ClusterJob[] = plan.components.flatMap((component) => {
      const application = synthesized.applications.get(component.spec.id) as ApplicationJson;
      const job = jobOfApplication(env.cluster, application, settings, {
        file: env.file,
        fix: `fix the values in src/platform/${component.spec.id}.ts or the chart version`,
      });
      return job === undefined
        ? []
        : [{ env, name: component.spec.id, wave: component.wave, manifests: synthesized.manifests.get(component.spec.id) ?? [], job }];
    });
    return { env, plan, synthesized, jobs };
  });

  // Every chart package first: one clear list of what is missing beats a half-done render.
  const { packages, problems } = await resolvePackages(
    clusters.flatMap(({ jobs }) => jobs.map(({ job }) => job)),
    options.charts,
  );
  if (problems.length > 0) throw new UserError(problems);

  const limit = createLimit(options.jobs ?? availableParallelism());
  const renderAll = async (jobs: readonly ClusterJob[], apiVersions: readonly string[]): Promise<Map<ClusterJob, RenderedJob>> => {
    const withApis = jobs.map((clusterJob) => ({ clusterJob, job: { ...clusterJob.job, apiVersions } }));
    const rendered = await renderJobs(
      withApis.map(({ job }) => job),
      packages,
      options,
      limit,
    );
    if (rendered.problems.length > 0) throw new UserError(rendered.problems);
    return new Map(withApis.map(({ clusterJob, job }) => [clusterJob, rendered.results.get(job) as RenderedJob]));
  };
  return Promise.all(
    clusters.map(async ({ env, plan, synthesized, jobs }) => {
      const runtime = runtimeCrds(plan, options.knownCrds);
      const declared = env.clusterSettings.apiVersions;
      let crds = crdsOf(options.previous.get(env.cluster));
      const builtins = options.builtins(env.clusterSettings.kubernetesVersion);
      let apiVersions = apiVersionsOf(builtins, options.knownCrds, crds, runtime, declared);
      let raws = await renderAll(jobs, apiVersions);
      // The charts' CRDs decide what the cluster serves; render again if they are not what the last inventory said.
      const rendered = crdsFromRaws(raws);
      if (!sameCrds(rendered, crds)) {
        crds = rendered;
        apiVersions = apiVersionsOf(builtins, options.knownCrds, crds, runtime, declared);
        raws = await renderAll(jobs, apiVersions);
      }
      const cluster = assemble(env, plan, synthesized, jobs, raws, apiVersions, runtime, options);
      await options.assembled?.(cluster);
      return cluster;
    }),
  );
}

/** CRDs of an inventory, by `group/Kind`. */
function crdsOf(inventory: Inventory | undefined): Map<string, InventoryCrd> {
  return new Map([...(inventory?.applications.values() ?? [])].flatMap((app) => app.crds.map((crd) => [`${crd.group}/${crd.kind}`, crd] as const)));
}

function crdsFromRaws(raws: ReadonlyMap<unknown, RenderedJob>): Map<string, InventoryCrd> {
  const crds = new Map<string, InventoryCrd>();
  for (const raw of raws.values()) {
    for (const { crd, skip } of raw.summaries) {
      if (crd !== undefined && skip === undefined) crds.set(`${crd.group}/${crd.kind}`, crd);
    }
  }
  return crds;
}

function sameCrds(a: ReadonlyMap<string, InventoryCrd>, b: ReadonlyMap<string, InventoryCrd>): boolean {
  return a.size === b.size && [...a].every(([key, crd]) => b.get(key)?.versions.join(',') === crd.versions.join(',') && b.get(key)?.scope === crd.scope);
}

/** The CRDs operators of this cluster create at run time (`runtimeCrds`), from the vendored definitions. */
function runtimeCrds(plan: PlatformPlan, known: ReadonlyMap<string, InventoryCrd>): Map<string, { crd: InventoryCrd; component: string }> {
  const result = new Map<string, { crd: InventoryCrd; component: string }>();
  const problems: Problem[] = [];
  for (const { spec } of plan.components) {
    for (const groupKind of spec.runtimeCrds ?? []) {
      const crd = known.get(groupKind);
      if (crd === undefined)
        problems.push({
          file: `src/platform/${spec.id}.ts`,
          path: '/runtimeCrds',
          message: `expected the CRD of ${groupKind} in crds/ (vendored), found none`,
        });
      else result.set(groupKind, { crd, component: spec.id });
    }
  }
  if (problems.length > 0) throw new UserError(problems);
  return result;
}

/** The group of Argo CD's own CRDs, which every cluster it manages serves (it runs there). */
const ARGO_CD_GROUP = 'argoproj.io';

/**
 * `--api-versions` for a cluster, as Argo CD passes them (see `./served-apis`): the built-in
 * resources of its Kubernetes version, Argo CD's own CRDs (vendored in `crds/argo-cd/`), the CRDs
 * of its charts and operators, each in its preferred version, plus the declared ones.
 */
function apiVersionsOf(
  builtins: ReadonlySet<string>,
  known: ReadonlyMap<string, InventoryCrd>,
  crds: ReadonlyMap<string, InventoryCrd>,
  runtime: ReadonlyMap<string, { crd: InventoryCrd }>,
  declared: readonly string[],
): string[] {
  const argoCd = [...known.values()].filter((crd) => crd.group === ARGO_CD_GROUP);
  const custom = [...argoCd, ...crds.values(), ...[...runtime.values()].map((r) => r.crd)].flatMap((crd) =>
    crd.versions.map((version) => ({ apiVersion: `${crd.group}/${version}`, kind: crd.kind })),
  );
  return argoApiVersions([...servedBuiltins(builtins), ...custom], declared);
}

/** Scope of a kind in a cluster, or undefined when nothing defines it. */
type ScopeOf = (apiVersion: string, kind: string) => 'Namespaced' | 'Cluster' | undefined;

function assemble(
  env: Environment,
  plan: PlatformPlan,
  synthesized: RenderedCluster,
  jobs: readonly ClusterJob[],
  raws: ReadonlyMap<ClusterJob, RenderedJob>,
  apiVersions: readonly string[],
  runtime: ReadonlyMap<string, { crd: InventoryCrd }>,
  options: RenderOptions,
): RenderedClusterCharts {
  const builtins = options.builtins(env.clusterSettings.kubernetesVersion);
  const crds = new Map<string, InventoryCrd>([...options.knownCrds, ...[...runtime].map(([k, r]) => [k, r.crd] as const), ...crdsFromRaws(raws)]);
  const scopeOf: ScopeOf = (apiVersion, kind) => {
    const group = groupOf(apiVersion);
    const crd = crds.get(`${group}/${kind}`);
    if (crd !== undefined) return crd.scope;
    if (builtins.has(`${apiVersion} ${kind}`)) return isClusterScopedBuiltin(group, kind) ? 'Cluster' : 'Namespaced';
    return undefined;
  };
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const applications = jobs.map((clusterJob): RenderedApplication => {
    const raw = raws.get(clusterJob) as RenderedJob;
    const { chart } = raw;
    const { job } = clusterJob;
    const objects: AppliedObject[] = [];
    const skipped: { kind: string; name: string; reason: string }[] = [];
    const add = (summary: Omit<DocumentSummary, 'hash' | 'source'>, source: string, supporting: boolean, object: () => KubeObject, hash?: string): void => {
      if (summary.skip !== undefined) {
        skipped.push({ kind: summary.kind, name: summary.name, reason: summary.skip });
        return;
      }
      const scope = scopeOf(summary.apiVersion, summary.kind);
      if (scope === undefined) {
        problems.push({
          file: inventoryFile(env.cluster),
          path: `/applications/${job.name}`,
          message: `${summary.apiVersion} ${summary.kind} ${summary.name} (from ${source}) is neither a built-in kind of Kubernetes ${env.clusterSettings.kubernetesVersion} nor defined by a CRD of the cluster; Argo CD cannot apply it`,
        });
        return;
      }
      const namespace = scope === 'Cluster' ? undefined : (summary.namespace ?? job.namespace);
      const entry: InventoryObject = {
        apiVersion: summary.apiVersion,
        kind: summary.kind,
        ...(namespace === undefined ? {} : { namespace }),
        name: summary.name,
        wave: summary.wave,
        ...(summary.hook === undefined || (summary.hook === 'Sync' && summary.phases === undefined)
          ? {}
          : { hook: summary.hook, ...(summary.phases === undefined ? {} : { phases: summary.phases }) }),
        skipDryRun: summary.skipDryRun,
      };
      objects.push({ object, ...(hash === undefined ? {} : { hash }), entry, source, supporting });
    };
    raw.summaries.forEach((summary, index) => add(summary, summary.source, false, () => raw.bodies()[index], summary.hash));
    let chartCount = objects.length;
    for (const manifest of clusterJob.manifests) {
      const object = manifest as KubeObject;
      add(summarize(object, '', ''), `${env.git.path}/${env.cluster}/${job.name}/`, true, () => object);
    }
    // controller/state.go NormalizeTargetObjects (v3.5.1): an object (group, kind, namespace, name) that appears
    // more than once among an Application's manifests is applied once, as its last copy, with a RepeatedResourceWarning.
    const copies = new Map<string, number>();
    objects.forEach(({ entry }) => copies.set(objectKey(entry), (copies.get(objectKey(entry)) ?? 0) + 1));
    for (const [key, count] of copies) {
      if (count < 2) continue;
      const [group, kind, namespace, name] = key.split(' ');
      warnings.push({
        file: inventoryFile(env.cluster),
        path: `/applications/${job.name}`,
        message: `${group === '' ? '' : `${group}/`}${kind} ${namespace === '' ? '' : `${namespace}/`}${name} appears ${count} times among the objects of ${job.name}; Argo CD applies only the last and warns (RepeatedResourceWarning): render it once`,
      });
    }
    const seen = new Set<string>();
    for (let i = objects.length - 1; i >= 0; i--) {
      const key = objectKey(objects[i].entry);
      if (!seen.has(key)) {
        seen.add(key);
        continue;
      }
      objects.splice(i, 1);
      if (i < chartCount) chartCount--;
    }
    const entries = objects
      .slice(0, chartCount)
      .map((o) => o.entry)
      .sort(compareEntries);
    const resolved = (namespace: string): string => namespace || job.namespace;
    const chartSummaries = raw.summaries.filter((summary) => summary.skip === undefined);
    const services = chartSummaries.flatMap((s) => (s.service === undefined ? [] : [{ ...s.service, namespace: resolved(s.service.namespace) }]));
    const ingresses = chartSummaries.flatMap((s) => (s.ingress === undefined ? [] : [{ ...s.ingress, namespace: resolved(s.ingress.namespace) }]));
    const byName = (a: { namespace: string; name: string }, b: { namespace: string; name: string }): number =>
      byCodeUnit(a.namespace, b.namespace) || byCodeUnit(a.name, b.name);
    const appCrds = raw.summaries.flatMap((summary) => (summary.crd === undefined || summary.skip !== undefined ? [] : [summary.crd]));
    const inventory: InventoryApplication = {
      chart: job.chartRef.chart,
      repoURL: job.chartRef.repoURL,
      version: job.chartRef.version,
      ...(chart.version === job.chartRef.version ? {} : { renderedVersion: chart.version }),
      digest: chart.digest,
      ...(chart.published ? {} : { package: 'local' as const }),
      values: valuesDigest(job.values),
      releaseName: job.releaseName,
      namespace: job.namespace,
      skipCrds: job.skipCrds,
      objects: dedupe(entries),
      crds: appCrds.sort((a, b) => byCodeUnit(`${a.group}/${a.kind}`, `${b.group}/${b.kind}`)),
      ...(services.length === 0 ? {} : { services: services.sort(byName) }),
      ...(ingresses.length === 0 ? {} : { ingresses: ingresses.sort(byName) }),
    };
    return { cluster: env.cluster, name: job.name, wave: clusterJob.wave, chart, inventory, objects, skipped, fresh: raw.fresh };
  });
  const inventory: Inventory = {
    cluster: env.cluster,
    file: inventoryFile(env.cluster),
    kubeVersion: fullKubeVersion(env.clusterSettings.kubernetesVersion),
    helm: options.helm.version,
    apiVersions,
    declaredApiVersions: [...new Set(env.clusterSettings.apiVersions)].sort(byCodeUnit),
    applications: new Map(applications.map((app) => [app.name, app.inventory])),
  };
  return { env, plan, synthesized, inventory, applications, problems, warnings };
}

/** Argo CD's key of an object (`kube.GetResourceKey`): group, kind, namespace, name; not the version. */
function objectKey(entry: InventoryObject): string {
  return `${groupOf(entry.apiVersion)} ${entry.kind} ${entry.namespace ?? ''} ${entry.name}`;
}

/** Inventory order: by kind's API group, kind, namespace, name. */
function compareEntries(a: InventoryObject, b: InventoryObject): number {
  return (
    byCodeUnit(groupOf(a.apiVersion), groupOf(b.apiVersion)) ||
    byCodeUnit(a.kind, b.kind) ||
    byCodeUnit(a.namespace ?? '', b.namespace ?? '') ||
    byCodeUnit(a.name, b.name) ||
    byCodeUnit(a.apiVersion, b.apiVersion)
  );
}

function dedupe(entries: readonly InventoryObject[]): InventoryObject[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = `${entry.apiVersion} ${entry.kind} ${entry.namespace ?? ''} ${entry.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
