/**
 * Renders every chart of every cluster exactly as Argo CD's repo-server does,
 * and describes what Argo CD will apply: the inventory.
 *
 * For each child Application with a Helm source:
 *
 *     helm template <releaseName> <chart.tgz> --namespace <destination> \
 *       --kube-version <cluster.kubernetesVersion> --values <valuesObject> \
 *       --api-versions <…> [--include-crds unless helm.skipCrds]
 *
 * The API versions are what the cluster serves beyond Helm's built-in ones: the
 * CRDs the cluster's charts install (every served `group/version` and
 * `group/version/Kind`, as Argo CD passes the cluster's discovery), the CRDs
 * operators create at run time (`runtimeCrds` in the catalog) and the
 * environment's `cluster.apiVersions`. The charts' CRDs are known only after
 * rendering, so a render whose CRDs differ from those the previous inventory
 * listed renders once more with the new set.
 *
 * Renders run in parallel (one Helm per core) and are cached in
 * `.cache/render/` by everything that decides their output (Helm version,
 * chart digest, release, namespace, Kubernetes version, API versions, values,
 * skipCrds), so an unchanged Application is never rendered twice.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Environment } from '../config/environment';
import {
  fullKubeVersion,
  HOOK_PHASES,
  type HookPhase,
  type Inventory,
  type InventoryApplication,
  type InventoryCrd,
  type InventoryObject,
  inventoryFile,
  valuesDigest,
} from '../config/inventory';
import { type Problem, UserError } from '../config/user-error';
import { type PlatformPlan, planEnvironment } from '../platform/_resolve';
import type { ComponentSpec } from '../platform/types';
import { type ApplicationJson, type RenderedCluster, renderClusterObjects, renderInputs } from '../output/render';
import { type ChartPackage, type ChartRef, type ChartStore, ChartUnavailable } from './charts';
import { firstLine, type HelmBinary, runHelm } from './helm';
import { groupOf, isClusterScopedBuiltin } from './_scopes';

/** Bumped when the way rendered output is read changes, so no stale cache entry is reused. */
const CACHE_FORMAT = 2;

/** A Kubernetes object as a chart renders it. */
export type KubeObject = { readonly apiVersion: string; readonly kind: string; readonly metadata?: Record<string, unknown>; readonly [key: string]: unknown };

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
  /** CRDs the cluster has that no chart renders: runtime CRDs and vendored ones, for scope and ordering. */
  readonly problems: readonly Problem[];
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
   * Parallel Helm processes.
   * @default the number of cores
   */
  readonly jobs?: number;
}

/**
 * One `helm template` run: everything that decides its output, and where to
 * report a problem with it. A job comes from an Application (as synthesized
 * now, or as committed on the base side of a plan) and the cluster's render
 * settings; it is rendered once per cache key, whoever asks.
 */
export interface RenderJob {
  readonly cluster: string;
  /** Application (= component) name. */
  readonly name: string;
  readonly chartRef: ChartRef;
  readonly releaseName: string;
  /** The Application's destination namespace (`--namespace`). */
  readonly namespace: string;
  /** `helm.valuesObject`. */
  readonly values: unknown;
  readonly skipCrds: boolean;
  /** `--kube-version`, in full (`1.33.0`). */
  readonly kubeVersion: string;
  /** `--api-versions`, sorted. */
  readonly apiVersions: readonly string[];
  /** Where a problem with this render is reported (the environment file, or the base's Application file), and what to do when `helm template` fails. */
  readonly origin: { readonly file: string; readonly fix: string };
}

/** What a cluster renders its charts with. */
export interface RenderSettings {
  /** `--kube-version`, in full (`1.33.0`). */
  readonly kubeVersion: string;
  /** `--api-versions`, sorted. */
  readonly apiVersions: readonly string[];
}

/** What one job rendered. */
export interface RenderedJob {
  readonly chart: ChartPackage;
  /** One per object, in Helm's output order. */
  readonly summaries: readonly DocumentSummary[];
  /** The bodies, in the order of the summaries (read from the cache on first call). */
  readonly bodies: () => readonly KubeObject[];
  /** Rendered now (false: from the cache). */
  readonly fresh: boolean;
}

/** How jobs are rendered. */
export interface RenderJobsOptions {
  readonly helm: HelmBinary;
  /** `.cache/render`. */
  readonly cacheDir: string;
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

/** What rendering reads of one rendered document (kept apart from the bodies, so a warm run reads no body). */
export interface DocumentSummary {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** `metadata.namespace` as rendered. */
  readonly namespace?: string;
  /** Hook phase, or why Argo CD never applies the object. */
  readonly hook?: HookPhase;
  readonly skip?: string;
  readonly wave: number;
  readonly skipDryRun: boolean;
  /** The chart template (`# Source:`). */
  readonly source: string;
  /** sha1 of the object's JSON. */
  readonly hash: string;
  /** The kind a CRD defines. */
  readonly crd?: InventoryCrd;
}

/**
 * The job that renders an Application's chart, or undefined for an Application
 * without a Helm chart source.
 */
export function jobOfApplication(cluster: string, application: ApplicationJson, settings: RenderSettings, origin: RenderJob['origin']): RenderJob | undefined {
  const source = [application.spec?.source, ...(application.spec?.sources ?? [])].find((s) => s !== undefined && typeof s.chart === 'string');
  const [inputs] = renderInputs(application);
  if (source === undefined || inputs === undefined) return undefined;
  return {
    cluster,
    name: inputs.name,
    chartRef: { repoURL: inputs.repoURL, chart: inputs.chart, version: inputs.version },
    releaseName: inputs.releaseName,
    namespace: inputs.namespace,
    values: source.helm?.valuesObject ?? {},
    skipCrds: inputs.skipCrds,
    kubeVersion: settings.kubeVersion,
    apiVersions: settings.apiVersions,
    origin,
  };
}

/** `<repoURL> <chart> <version>`: one chart package. */
function chartKey(ref: ChartRef): string {
  return `${ref.repoURL} ${ref.chart} ${ref.version}`;
}

/**
 * The chart package of every job, each chart resolved once. A chart that cannot
 * be had is one problem per job that needs it (cluster, component, chart,
 * version, what to do); the other packages are still returned.
 */
export async function resolvePackages(jobs: readonly RenderJob[], charts: ChartStore): Promise<{ packages: Map<string, ChartPackage>; problems: Problem[] }> {
  const packages = new Map<string, ChartPackage>();
  const failed = new Map<string, string>();
  const problems: Problem[] = [];
  for (const job of jobs) {
    const key = chartKey(job.chartRef);
    if (!packages.has(key) && !failed.has(key)) {
      try {
        packages.set(key, await charts.resolve(job.chartRef));
      } catch (error) {
        if (!(error instanceof ChartUnavailable)) throw error;
        failed.set(key, error.message);
      }
    }
    const why = failed.get(key);
    if (why !== undefined) problems.push(chartProblem(job, why));
  }
  charts.save();
  return { packages, problems };
}

/** The package of a job, from {@link resolvePackages}. */
export function packageOf(job: RenderJob, packages: ReadonlyMap<string, ChartPackage>): ChartPackage | undefined {
  return packages.get(chartKey(job.chartRef));
}

/**
 * Renders every job whose package is known, in parallel, each distinct render
 * once (the cache key decides), from the cache when it has it. A failed
 * `helm template` or invalid output is a problem; the other jobs are still
 * returned.
 */
export async function renderJobs(
  jobs: readonly RenderJob[],
  packages: ReadonlyMap<string, ChartPackage>,
  options: RenderJobsOptions,
  limit: Limit = createLimit(options.jobs ?? availableParallelism()),
): Promise<{ results: Map<RenderJob, RenderedJob>; problems: Problem[]; stats: { renders: number; fresh: number } }> {
  const started = new Map<string, Promise<Omit<RenderedJob, 'chart'> | Failure>>();
  const pending = jobs.flatMap((job) => {
    const chart = packageOf(job, packages);
    if (chart === undefined) return [];
    const key = renderKey(job, chart, options.helm);
    let run = started.get(key);
    if (run === undefined) {
      run = limit(() => renderOne(job, chart, key, options));
      started.set(key, run);
    }
    return [{ job, chart, run }];
  });
  const results = new Map<RenderJob, RenderedJob>();
  const problems: Problem[] = [];
  for (const { job, chart, run } of pending) {
    const result = await run;
    if ('failure' in result) problems.push(chartProblem(job, result.helmFailed ? `${result.failure}; ${job.origin.fix}` : result.failure));
    else results.set(job, { chart, ...result });
  }
  let fresh = 0;
  for (const run of started.values()) {
    const result = await run;
    if (!('failure' in result) && result.fresh) fresh++;
  }
  return { results, problems, stats: { renders: started.size, fresh } };
}

/**
 * Renders the charts of every environment.
 *
 * @throws UserError with one line per chart that could not be had or rendered
 */
export async function renderCharts(environments: readonly Environment[], options: RenderOptions): Promise<RenderedClusterCharts[]> {
  const clusters = environments.map((env) => {
    const plan = planEnvironment(env, options.catalog);
    const synthesized = renderClusterObjects(plan);
    const settings: RenderSettings = { kubeVersion: fullKubeVersion(env.clusterSettings.kubernetesVersion), apiVersions: [] };
    const jobs: ClusterJob[] = plan.components.flatMap((component) => {
      const application = synthesized.applications.get(component.spec.id) as ApplicationJson;
      const job = jobOfApplication(env.cluster, application, settings, { file: env.file, fix: `fix the values in src/platform/${component.spec.id}.ts or the chart version` });
      return job === undefined ? [] : [{ env, name: component.spec.id, wave: component.wave, manifests: synthesized.manifests.get(component.spec.id) ?? [], job }];
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
      let apiVersions = apiVersionsOf(crds, runtime, declared);
      let raws = await renderAll(jobs, apiVersions);
      // The charts' CRDs decide what the cluster serves; render again if they are not what the last inventory said.
      const rendered = crdsFromRaws(raws);
      if (!sameCrds(rendered, crds)) {
        crds = rendered;
        apiVersions = apiVersionsOf(crds, runtime, declared);
        raws = await renderAll(jobs, apiVersions);
      }
      return assemble(env, plan, synthesized, jobs, raws, apiVersions, runtime, options);
    }),
  );
}

function chartProblem(job: RenderJob, message: string): Problem {
  return { file: job.origin.file, message: `cluster ${job.cluster}, ${job.name}: chart ${job.chartRef.chart} ${job.chartRef.version}: ${message}` };
}

/** Runs a task when fewer than the limit are running. */
type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/** A concurrency limit for async tasks. */
function createLimit(concurrency: number): Limit {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = (): void => {
    if (active < concurrency) queue.shift()?.();
  };
  return (task) =>
    new Promise((resolve, reject) => {
      queue.push(() => {
        active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            next();
          });
      });
      next();
    });
}

/** The cache key of a render: everything that decides Helm's output. */
function renderKey(job: RenderJob, chart: ChartPackage, helm: HelmBinary): string {
  const inputs = {
    format: CACHE_FORMAT,
    helm: helm.version,
    chart: chart.digest,
    releaseName: job.releaseName,
    namespace: job.namespace,
    kubeVersion: job.kubeVersion,
    apiVersions: job.apiVersions,
    skipCrds: job.skipCrds,
    values: valuesDigest(job.values),
  };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

/** Why a render failed; each job it is reported for adds what to do about a failed `helm template`. */
interface Failure {
  readonly failure: string;
  readonly helmFailed: boolean;
}

/** What a job renders, or why it cannot be rendered. */
async function renderOne(job: RenderJob, chart: ChartPackage, key: string, options: RenderJobsOptions): Promise<Omit<RenderedJob, 'chart'> | Failure> {
  const bodiesFile = join(options.cacheDir, key.slice(0, 2), `${key}.json`);
  const summaryFile = join(options.cacheDir, key.slice(0, 2), `${key}.summary.json`);
  if (existsSync(summaryFile) && existsSync(bodiesFile)) {
    try {
      const summaries = JSON.parse(readFileSync(summaryFile, 'utf8')) as DocumentSummary[];
      return { summaries, bodies: once(() => JSON.parse(readFileSync(bodiesFile, 'utf8')) as KubeObject[]), fresh: false };
    } catch {
      // A damaged cache entry is rendered again.
    }
  }
  const tmp = join(options.cacheDir, `.values-${process.pid}-${key.slice(0, 16)}.json`);
  mkdirSync(dirname(tmp), { recursive: true });
  writeFileSync(tmp, JSON.stringify(job.values));
  const args = [
    'template',
    job.releaseName,
    chart.path,
    '--namespace',
    job.namespace,
    '--kube-version',
    job.kubeVersion,
    '--values',
    tmp,
    ...job.apiVersions.flatMap((api) => ['--api-versions', api]),
    ...(job.skipCrds ? [] : ['--include-crds']),
  ];
  let result;
  try {
    result = await runHelm(options.helm, args);
  } finally {
    rmSync(tmp, { force: true });
  }
  if (result.code !== 0) {
    return { failure: `\`helm template\` failed: ${firstLine(result.stderr) ?? `exit ${result.code}`}`, helmFailed: true };
  }
  const bodies: KubeObject[] = [];
  const summaries: DocumentSummary[] = [];
  // Helm and Argo CD accept a mapping with a key twice (the last one wins), so this parser does too.
  for (const doc of parseAllDocuments(result.stdout, { uniqueKeys: false })) {
    const source = /Source: (\S+)/.exec(`${doc.commentBefore ?? ''}\n${(doc.contents as { commentBefore?: string } | null)?.commentBefore ?? ''}`)?.[1] ?? '';
    if (doc.errors.length > 0) {
      return { failure: `the chart rendered invalid YAML in ${source || 'its output'}: ${firstLine(doc.errors[0].message)}`, helmFailed: false };
    }
    for (const object of expandLists(doc.toJS({ maxAliasCount: -1 }) as unknown)) {
      const json = JSON.stringify(object);
      bodies.push(object);
      summaries.push(summarize(object, source, createHash('sha1').update(json).digest('base64')));
    }
  }
  writeAtomically(bodiesFile, JSON.stringify(bodies));
  writeAtomically(summaryFile, JSON.stringify(summaries));
  return { summaries, bodies: () => bodies, fresh: true };
}

function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, text);
  renameSync(partial, file);
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** What rendering needs to know of one object, without its body. */
function summarize(object: KubeObject, source: string, hash: string): DocumentSummary {
  const hook = hookOf(object);
  const metaNamespace = object.metadata?.namespace;
  const crd = crdOf(object);
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: typeof object.metadata?.name === 'string' ? object.metadata.name : '',
    ...(typeof metaNamespace === 'string' && metaNamespace !== '' ? { namespace: metaNamespace } : {}),
    ...('skip' in hook ? { skip: hook.skip } : hook.phase === undefined ? {} : { hook: hook.phase }),
    wave: waveOf(object),
    skipDryRun: skipsDryRun(object),
    source,
    hash,
    ...(crd === undefined ? {} : { crd }),
  };
}

/** The objects of a document: itself, or the items of a `List`; nothing for an empty document. */
function expandLists(value: unknown): KubeObject[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const object = value as Record<string, unknown>;
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) return object.items.flatMap(expandLists);
  return typeof object.apiVersion === 'string' && typeof object.kind === 'string' ? [object as KubeObject] : [];
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

/** The kind a CustomResourceDefinition defines, or undefined for any other object. */
export function crdOf(object: KubeObject): InventoryCrd | undefined {
  if (object.kind !== 'CustomResourceDefinition' || groupOf(object.apiVersion) !== 'apiextensions.k8s.io') return undefined;
  const spec = object.spec as { group?: unknown; scope?: unknown; names?: { kind?: unknown }; versions?: unknown } | undefined;
  if (typeof spec?.group !== 'string' || typeof spec.names?.kind !== 'string' || !Array.isArray(spec.versions)) return undefined;
  const versions = spec.versions.flatMap((v: { name?: unknown; served?: unknown }) => (typeof v?.name === 'string' && v.served !== false ? [v.name] : []));
  return { group: spec.group, kind: spec.names.kind, scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced', versions };
}

/** The CRDs operators of this cluster create at run time (`runtimeCrds`), from the vendored definitions. */
function runtimeCrds(plan: PlatformPlan, known: ReadonlyMap<string, InventoryCrd>): Map<string, { crd: InventoryCrd; component: string }> {
  const result = new Map<string, { crd: InventoryCrd; component: string }>();
  const problems: Problem[] = [];
  for (const { spec } of plan.components) {
    for (const groupKind of spec.runtimeCrds ?? []) {
      const crd = known.get(groupKind);
      if (crd === undefined) problems.push({ file: `src/platform/${spec.id}.ts`, path: '/runtimeCrds', message: `expected the CRD of ${groupKind} in crds/ (vendored), found none` });
      else result.set(groupKind, { crd, component: spec.id });
    }
  }
  if (problems.length > 0) throw new UserError(problems);
  return result;
}

/** `--api-versions` for a cluster: group/version and group/version/Kind of every CRD, plus the declared ones, sorted. */
function apiVersionsOf(crds: ReadonlyMap<string, InventoryCrd>, runtime: ReadonlyMap<string, { crd: InventoryCrd }>, declared: readonly string[]): string[] {
  const set = new Set(declared);
  for (const crd of [...crds.values(), ...[...runtime.values()].map((r) => r.crd)]) {
    for (const version of crd.versions) {
      set.add(`${crd.group}/${version}`);
      set.add(`${crd.group}/${version}/${crd.kind}`);
    }
  }
  return [...set].sort();
}

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
const ARGO_HOOK = 'argocd.argoproj.io/hook';
const HELM_HOOK = 'helm.sh/hook';
const HELM_HOOK_WEIGHT = 'helm.sh/hook-weight';

/** Helm hooks Argo CD runs, and the phase it runs them in (gitops-engine's mapping); other Helm hooks never run. */
const HELM_HOOK_PHASES: Readonly<Record<string, HookPhase>> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
  'pre-delete': 'PreDelete',
  'post-delete': 'PostDelete',
};

function annotations(object: KubeObject): Record<string, unknown> {
  const value = object.metadata?.annotations;
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function csv(value: unknown): string[] {
  return typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter((v) => v !== '') : [];
}

/**
 * How Argo CD treats an object: its hook phase (undefined: an ordinary resource),
 * or why it never applies it. Argo CD hooks win over Helm hooks; `crd-install`
 * is no hook; Helm hooks without an Argo CD equivalent (`test`, rollbacks) are
 * never run.
 */
export function hookOf(object: KubeObject): { readonly phase?: HookPhase } | { readonly skip: string } {
  const notes = annotations(object);
  const argo = csv(notes[ARGO_HOOK]);
  if (argo.length > 0) {
    if (argo.every((h) => h === 'Skip')) return { skip: `${ARGO_HOOK}: Skip` };
    const phase = argo.find((h): h is HookPhase => (HOOK_PHASES as readonly string[]).includes(h));
    return phase === undefined ? { skip: `${ARGO_HOOK}: ${argo.join(',')} is no hook phase Argo CD knows` } : { phase };
  }
  const helm = csv(notes[HELM_HOOK]);
  if (helm.length === 0 || (helm.length === 1 && helm[0] === 'crd-install')) return {};
  const phase = helm.map((h) => HELM_HOOK_PHASES[h]).find((p) => p !== undefined);
  return phase === undefined ? { skip: `Helm hook ${helm.join(',')}, which Argo CD does not run` } : { phase };
}

/** The in-app wave of an object: its sync-wave annotation, else its Helm hook weight, else 0. */
export function waveOf(object: KubeObject): number {
  const notes = annotations(object);
  for (const key of [SYNC_WAVE, HELM_HOOK_WEIGHT]) {
    const value = notes[key];
    if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  }
  return 0;
}

/** Whether the object skips its dry run when its kind is missing. */
export function skipsDryRun(object: KubeObject): boolean {
  return csv(annotations(object)[SYNC_OPTIONS]).includes('SkipDryRunOnMissingResource=true');
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
        ...(summary.hook === undefined || summary.hook === 'Sync' ? {} : { hook: summary.hook }),
        skipDryRun: summary.skipDryRun,
      };
      objects.push({ object, ...(hash === undefined ? {} : { hash }), entry, source, supporting });
    };
    raw.summaries.forEach((summary, index) => add(summary, summary.source, false, () => raw.bodies()[index], summary.hash));
    const chartCount = objects.length;
    for (const manifest of clusterJob.manifests) {
      const object = manifest as KubeObject;
      add(summarize(object, '', ''), `${env.git.path}/${env.cluster}/${job.name}/`, true, () => object);
    }
    const entries = objects
      .slice(0, chartCount)
      .map((o) => o.entry)
      .sort(compareEntries);
    const appCrds = raw.summaries.flatMap((summary) => (summary.crd === undefined || summary.skip !== undefined ? [] : [summary.crd]));
    const inventory: InventoryApplication = {
      chart: job.chartRef.chart,
      repoURL: job.chartRef.repoURL,
      version: job.chartRef.version,
      ...(chart.version === job.chartRef.version ? {} : { renderedVersion: chart.version }),
      digest: chart.digest,
      values: valuesDigest(job.values),
      releaseName: job.releaseName,
      namespace: job.namespace,
      skipCrds: job.skipCrds,
      objects: dedupe(entries),
      crds: appCrds.sort((a, b) => compareStrings(`${a.group}/${a.kind}`, `${b.group}/${b.kind}`)),
    };
    return { cluster: env.cluster, name: job.name, wave: clusterJob.wave, chart, inventory, objects, skipped, fresh: raw.fresh };
  });
  const inventory: Inventory = {
    cluster: env.cluster,
    file: inventoryFile(env.cluster),
    kubeVersion: fullKubeVersion(env.clusterSettings.kubernetesVersion),
    helm: options.helm.version,
    apiVersions,
    applications: new Map(applications.map((app) => [app.name, app.inventory])),
  };
  return { env, plan, synthesized, inventory, applications, problems };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Inventory order: by kind's API group, kind, namespace, name. */
function compareEntries(a: InventoryObject, b: InventoryObject): number {
  return (
    compareStrings(groupOf(a.apiVersion), groupOf(b.apiVersion)) ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.namespace ?? '', b.namespace ?? '') ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.apiVersion, b.apiVersion)
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
