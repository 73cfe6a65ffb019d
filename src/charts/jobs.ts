/**
 * One chart rendered as Argo CD's repo-server renders it:
 *
 *     helm template <releaseName> <chart.tgz> --namespace <destination> \
 *       --kube-version <version> --values <valuesObject> \
 *       --api-versions <…> [--include-crds unless helm.skipCrds]
 *
 * A render job comes from an Application (as synthesized now, or as committed
 * on the base side of a plan) and its cluster's Kubernetes and API versions.
 * Jobs run in parallel (one Helm per core), each distinct render once, and are
 * cached in `.cache/render/` by everything that decides their output (Helm
 * version, chart digest, release, namespace, Kubernetes version, API versions,
 * values, skipCrds): what `npm run render` rendered, `npm run plan` reuses.
 * Also here: how Argo CD reads a rendered object (hook phase, in-app wave,
 * SkipDryRunOnMissingResource, the kind a CRD defines).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { loadAll } from 'js-yaml';
import { parseAllDocuments, visit } from 'yaml';
import { resolvePlain } from '../synth/yaml11';
import { GO_YAML_SCHEMA } from './_go-yaml';
import { HOOK_PHASES, type HookPhase, type InventoryCrd, valuesDigest } from '../inventory/inventory';
import { ingressOf, type InventoryIngress, type InventoryService, serviceOf } from '../inventory/network';
import type { Problem } from '../core/user-error';
import { type ApplicationJson, renderInputs } from '../synth/cluster-files';
import { type ChartPackage, type ChartRef, type ChartStore, ChartUnavailable } from './chart-store';
import { firstLine, type HelmBinary, helmFailure, runHelm } from './helm';
import { groupOf } from './scopes';
import { partialPath, writeAtomically } from '../core/atomic-write';
import { markUsed } from './_cache-age';
import { readCacheEntry, sha256, writeCacheEntry } from './_cache-entry';
import { once } from '../core/once';
import { HOOK_ANNOTATION, SYNC_OPTIONS_ANNOTATION, SYNC_WAVE_ANNOTATION } from '../core/argocd-annotations';

/** Bumped when the way rendered output is read changes, so no stale cache entry is reused. */
const CACHE_FORMAT = 4;

/** A Kubernetes object as a chart renders it. */
export type KubeObject = { readonly apiVersion: string; readonly kind: string; readonly metadata?: Record<string, unknown>; readonly [key: string]: unknown };

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

/** What rendering reads of one rendered document (kept apart from the bodies, so a warm run reads no body). */
export interface DocumentSummary {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** `metadata.namespace` as rendered. */
  readonly namespace?: string;
  /** Hook phase (the first, when there are several), or why Argo CD never applies the object. */
  readonly hook?: HookPhase;
  /** Every hook phase, when there are several. */
  readonly phases?: readonly HookPhase[];
  readonly skip?: string;
  readonly wave: number;
  readonly skipDryRun: boolean;
  /** The chart template (`# Source:`). */
  readonly source: string;
  /** sha1 of the object's JSON. */
  readonly hash: string;
  /** The kind a CRD defines. */
  readonly crd?: InventoryCrd;
  /** A Service's ports and selector (namespace as rendered, `''` when the chart sets none). */
  readonly service?: InventoryService;
  /** An Ingress's class and backends (namespace as rendered, `''` when the chart sets none). */
  readonly ingress?: InventoryIngress;
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
  const env = helmEnvironment(options.jobs ?? availableParallelism());
  const started = new Map<string, Promise<Omit<RenderedJob, 'chart'> | Failure>>();
  const pending = jobs.flatMap((job) => {
    const chart = packageOf(job, packages);
    if (chart === undefined) return [];
    const key = renderKey(job, chart, options.helm);
    let run = started.get(key);
    if (run === undefined) {
      run = shared(join(options.cacheDir, key), () => renderOne(job, chart, key, options, limit, env));
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
 * The environment of the Helm processes: Go may use as many threads for Go code
 * (`GOMAXPROCS`) as there are cores per parallel Helm. Helm renders on one
 * thread anyway; with one Helm per core, Go runtimes competing for every core
 * cost about 5% more time. A `GOMAXPROCS` of the user's wins.
 */
export function helmEnvironment(parallel: number, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (env.GOMAXPROCS !== undefined && env.GOMAXPROCS !== '') return env;
  return { ...env, GOMAXPROCS: String(Math.max(1, Math.floor(availableParallelism() / Math.max(1, parallel)))) };
}

/** Renders in progress, by cache entry: clusters rendered at the same time share a render of the same inputs. */
const IN_FLIGHT = new Map<string, Promise<Omit<RenderedJob, 'chart'> | Failure>>();

function shared(entry: string, render: () => Promise<Omit<RenderedJob, 'chart'> | Failure>): Promise<Omit<RenderedJob, 'chart'> | Failure> {
  let run = IN_FLIGHT.get(entry);
  if (run === undefined) {
    run = render().finally(() => IN_FLIGHT.delete(entry));
    IN_FLIGHT.set(entry, run);
  }
  return run;
}

/** A problem of one job: cluster, component, chart and version, then what happened. */
function chartProblem(job: RenderJob, message: string): Problem {
  return { file: job.origin.file, message: `cluster ${job.cluster}, ${job.name}: chart ${job.chartRef.chart} ${job.chartRef.version}: ${message}` };
}

/** Runs a task when fewer than the limit are running. */
export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A concurrency limit for async tasks. A finished task's place goes to the
 * next one before its caller goes on: the next Helm starts before this process
 * reads the last one's output, not after.
 */
export function createLimit(concurrency: number): Limit {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = (): void => {
    if (active < concurrency) queue.shift()?.();
  };
  return (task) =>
    new Promise((resolve, reject) => {
      queue.push(() => {
        active++;
        const release = (): void => {
          active--;
          next();
        };
        task().then(
          (value) => {
            release();
            resolve(value);
          },
          (error: unknown) => {
            release();
            reject(error);
          },
        );
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

/**
 * The `helm template` command line of a render (without the binary): the one place it is
 * written, for the render and for the benchmark's "Helm alone" (bench/helm-commands.ts).
 */
export function helmTemplateArgs(
  job: Pick<RenderJob, 'releaseName' | 'namespace' | 'kubeVersion' | 'apiVersions' | 'skipCrds'>,
  chartPath: string,
  valuesFile: string,
): string[] {
  return [
    'template',
    job.releaseName,
    chartPath,
    '--namespace',
    job.namespace,
    '--kube-version',
    job.kubeVersion,
    '--values',
    valuesFile,
    ...job.apiVersions.flatMap((api) => ['--api-versions', api]),
    ...(job.skipCrds ? [] : ['--include-crds']),
  ];
}

/** Values files written so far: each render its own. */
let valuesFiles = 0;

/**
 * What a job renders, or why it cannot be rendered. Only Helm holds a place
 * under the limit: while this process reads one output, the next Helm runs.
 */
async function renderOne(
  job: RenderJob,
  chart: ChartPackage,
  key: string,
  options: RenderJobsOptions,
  limit: Limit,
  env: NodeJS.ProcessEnv,
): Promise<Omit<RenderedJob, 'chart'> | Failure> {
  const bodiesFile = join(options.cacheDir, key.slice(0, 2), `${key}.json`);
  const summaryFile = join(options.cacheDir, key.slice(0, 2), `${key}.summary.json`);
  const cached = fromCache(summaryFile, bodiesFile, key);
  if (cached !== undefined) return cached;
  const tmp = partialPath(join(options.cacheDir, `.values-${++valuesFiles}-${key.slice(0, 16)}.json`));
  const args = helmTemplateArgs(job, chart.path, tmp);
  const result = await limit(async () => {
    mkdirSync(dirname(tmp), { recursive: true });
    writeFileSync(tmp, JSON.stringify(job.values));
    try {
      return await runHelm(options.helm, args, { env });
    } finally {
      rmSync(tmp, { force: true });
    }
  });
  if (result.code !== 0) {
    return { failure: `\`helm template\` failed: ${helmFailure(result)}`, helmFailed: true };
  }
  const bodies: KubeObject[] = [];
  const summaries: DocumentSummary[] = [];
  let held = performance.now();
  for (const chunk of result.stdout.split(DOCUMENT_MARKER)) {
    // A large output (a chart's CRDs) takes tens of milliseconds to read: give the event loop a turn now and
    // then, so that a Helm that ended meanwhile is seen and its place given to the next render at once.
    if (performance.now() - held > YIELD_AFTER_MS) {
      await setImmediate();
      held = performance.now();
    }
    const parsed = parseDocument(chunk);
    if ('error' in parsed) return { failure: `the chart rendered invalid YAML in ${parsed.source || 'its output'}: ${parsed.error}`, helmFailed: false };
    for (const { object, hash } of parsed.objects) {
      bodies.push(object);
      summaries.push(summarize(object, parsed.source, hash));
    }
  }
  // The bodies first: a summary is only believed with the bodies it names.
  const bodiesText = JSON.stringify(bodies);
  writeAtomically(bodiesFile, bodiesText);
  writeCacheEntry(summaryFile, SUMMARY_FORMAT, { key, bodies: sha256(bodiesText), summaries } satisfies CachedSummary);
  return { summaries, bodies: () => bodies, fresh: true };
}

/** How long reading one Helm output may hold the main thread before it lets other events run. */
const YIELD_AFTER_MS = 4;

/** The format of a render's cache entry: its summaries, the checksum of its bodies file, the key it was rendered for. */
const SUMMARY_FORMAT = `render-summary/${CACHE_FORMAT}`;

interface CachedSummary {
  readonly key: string;
  /** sha256 of the bodies file. */
  readonly bodies: string;
  readonly summaries: readonly DocumentSummary[];
}

function isCachedSummary(value: unknown): value is CachedSummary {
  const entry = value as Partial<CachedSummary> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.key === 'string' &&
    typeof entry.bodies === 'string' &&
    Array.isArray(entry.summaries) &&
    entry.summaries.every((s: Partial<DocumentSummary>) => typeof s?.apiVersion === 'string' && typeof s.kind === 'string' && typeof s.hash === 'string')
  );
}

/**
 * A render from the cache, verified: the summary entry's format and checksum,
 * the key it was rendered for, and the checksum of the bodies file it names
 * (its bytes are hashed, not parsed: a warm run parses no body). Anything that
 * does not hold is rendered again.
 */
function fromCache(summaryFile: string, bodiesFile: string, key: string): Omit<RenderedJob, 'chart'> | undefined {
  const modified = statSync(summaryFile, { throwIfNoEntry: false })?.mtimeMs;
  if (modified === undefined) return undefined;
  const entry = readCacheEntry(summaryFile, SUMMARY_FORMAT, isCachedSummary);
  if (entry === undefined || entry.key !== key) return undefined;
  let bodiesText: string;
  try {
    bodiesText = readFileSync(bodiesFile, 'utf8');
  } catch {
    return undefined;
  }
  if (sha256(bodiesText) !== entry.bodies) {
    rmSync(summaryFile, { force: true });
    return undefined;
  }
  markUsed([summaryFile, bodiesFile], modified);
  return { summaries: entry.summaries, bodies: once(() => JSON.parse(bodiesText) as KubeObject[]), fresh: false };
}

/** A line `---`: Helm separates documents with it, and YAML allows it nowhere else at the start of a line. */
const DOCUMENT_MARKER = /^---[ \t]*(?:\r?\n|$)/m;

type ParsedDocument =
  | { readonly source: string; readonly objects: readonly { readonly object: KubeObject; readonly hash: string }[] }
  | { readonly source: string; readonly error: string };

/** Parsed documents by their text: the same CRDs and objects come out of several renders (clusters, sides of a plan, passes). */
const PARSED = new Map<string, ParsedDocument>();

/** One document of Helm's output: its objects (a `List` unpacked) with their hashes, and the template it came from. */
function parseDocument(text: string): ParsedDocument {
  const key = createHash('sha1').update(text).digest('base64');
  let parsed = PARSED.get(key);
  if (parsed === undefined) {
    const source = /^# Source: (\S+)/m.exec(text)?.[1] ?? '';
    const read = readYaml(text);
    parsed =
      'error' in read
        ? { source, error: read.error }
        : {
            source,
            objects: read.values.flatMap(expandLists).map((object) => ({ object, hash: createHash('sha1').update(JSON.stringify(object)).digest('base64') })),
          };
    PARSED.set(key, parsed);
  }
  return parsed;
}

/**
 * The values of the documents in a text (an empty document is null or absent),
 * or the first error, read as Argo CD reads them: plain scalars as go-yaml v2
 * resolves them (YAML 1.1: `0400` is 256, `on` is true; `../synth/yaml11`), and
 * a mapping with a key twice as Helm and Argo CD do (the last one wins). js-yaml
 * reads Helm's output about eight times faster than `yaml` (decision 22); what
 * it refuses (an unknown tag, invalid YAML) goes to `yaml`, which decides and
 * words the error and reads the rest with the same resolution.
 */
export function readYaml(text: string): { readonly values: unknown[] } | { readonly error: string } {
  try {
    return { values: loadAll(text, undefined, { schema: GO_YAML_SCHEMA, json: true }) };
  } catch {
    const docs = parseAllDocuments(text, { uniqueKeys: false, schema: 'failsafe' });
    const error = docs.flatMap((doc) => doc.errors)[0];
    if (error !== undefined) return { error: firstLine(error.message) ?? error.message };
    for (const doc of docs) {
      visit(doc, {
        Scalar(_, node) {
          if (node.type === 'PLAIN' && node.tag === undefined && typeof node.value === 'string') node.value = resolvePlain(node.value);
        },
      });
    }
    return { values: docs.map((doc) => doc.toJS({ maxAliasCount: -1 }) as unknown) };
  }
}

/** What rendering needs to know of one object, without its body. */
export function summarize(object: KubeObject, source: string, hash: string): DocumentSummary {
  const hook = hookOf(object);
  const metaNamespace = object.metadata?.namespace;
  const crd = crdOf(object);
  const rendered = typeof metaNamespace === 'string' ? metaNamespace : '';
  const service = object.apiVersion === 'v1' && object.kind === 'Service' ? serviceOf(object, rendered) : undefined;
  const ingress = object.apiVersion === 'networking.k8s.io/v1' && object.kind === 'Ingress' ? ingressOf(object, rendered) : undefined;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: typeof object.metadata?.name === 'string' ? object.metadata.name : '',
    ...(typeof metaNamespace === 'string' && metaNamespace !== '' ? { namespace: metaNamespace } : {}),
    ...('skip' in hook
      ? { skip: hook.skip }
      : hook.phase === undefined
        ? {}
        : { hook: hook.phase, ...(hook.phases === undefined ? {} : { phases: hook.phases }) }),
    wave: waveOf(object),
    skipDryRun: skipsDryRun(object),
    source,
    hash,
    ...(crd === undefined ? {} : { crd }),
    ...(service === undefined ? {} : { service }),
    ...(ingress === undefined ? {} : { ingress }),
  };
}

/**
 * The objects of a document as Argo CD's repo-server takes them
 * (`reposerver/repository/repository.go`, `GenerateManifests`, v3.5.1): any
 * object whose `items` is an array is a list (`unstructured.IsList`), unpacked
 * one level (`EachListItem`), whatever its kind; one whose `items` is null and
 * that has no `spec` or `status` is an empty list (`isNullList`); nothing for an
 * empty document.
 */
export function expandLists(value: unknown): KubeObject[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const object = value as Record<string, unknown>;
  if (Array.isArray(object.items)) return object.items.flatMap(kubeObject);
  if ('items' in object && object.items === null && !('spec' in object) && !('status' in object)) return [];
  return kubeObject(object);
}

function kubeObject(value: unknown): KubeObject[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const object = value as Record<string, unknown>;
  return typeof object.apiVersion === 'string' && typeof object.kind === 'string' ? [object as KubeObject] : [];
}

/** The kind a CustomResourceDefinition defines, or undefined for any other object. */
export function crdOf(object: KubeObject): InventoryCrd | undefined {
  if (object.kind !== 'CustomResourceDefinition' || groupOf(object.apiVersion) !== 'apiextensions.k8s.io') return undefined;
  const spec = object.spec as { group?: unknown; scope?: unknown; names?: { kind?: unknown }; versions?: unknown } | undefined;
  if (typeof spec?.group !== 'string' || typeof spec.names?.kind !== 'string' || !Array.isArray(spec.versions)) return undefined;
  const versions = spec.versions.flatMap((v: { name?: unknown; served?: unknown }) => (typeof v?.name === 'string' && v.served !== false ? [v.name] : []));
  return { group: spec.group, kind: spec.names.kind, scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced', versions };
}

const HELM_HOOK = 'helm.sh/hook';
const HELM_HOOK_WEIGHT = 'helm.sh/hook-weight';

/**
 * Helm hooks Argo CD runs in a sync, and the phase (gitops-engine `pkg/sync/hook/helm/type.go`,
 * v3.5.1); `pre-delete` and `post-delete` run when the Application is deleted
 * (`controller/hook.go`); other Helm hooks never run.
 */
const HELM_HOOK_PHASES: Readonly<Record<string, HookPhase>> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};

/** `common.NewHookType` (gitops-engine `pkg/sync/common/types.go`): the Argo CD hook types of a sync. */
const ARGO_SYNC_HOOK_TYPES = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip']);

function annotations(object: KubeObject): Record<string, unknown> {
  const value = object.metadata?.annotations;
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function csv(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '')
    : [];
}

/**
 * How Argo CD treats an object: the phases it applies it in as a hook (none: an
 * ordinary resource), or why it never applies it. As gitops-engine v3.5.1 and
 * Argo CD's controller decide:
 *
 * - an `argocd.argoproj.io/hook` annotation, whatever its value (empty too), makes
 *   the object a hook unless its only type is `Skip` (`hook.IsHook`, `hook.Skip`);
 * - its types are the annotation's known sync types (`PreSync`, `Sync`, `PostSync`,
 *   `SyncFail`, `Skip`); when it names none, the Helm hook's types count instead
 *   (`hook.Types`): an unknown Argo CD hook beside `pre-install` is PreSync;
 * - a hook runs in every sync phase among its types (`syncPhases`), and in
 *   `PreDelete`/`PostDelete` when either annotation names it
 *   (`controller/hook.go`, `isHookOfType`);
 * - a hook with no phase is never applied (an empty annotation, a Helm `test` hook);
 * - `helm.sh/hook: crd-install` is no hook.
 */
export function hookOf(object: KubeObject): { readonly phase?: HookPhase; readonly phases?: readonly HookPhase[] } | { readonly skip: string } {
  const notes = annotations(object);
  const argoValue = notes[HOOK_ANNOTATION];
  const helmValue = notes[HELM_HOOK];
  const hasArgo = HOOK_ANNOTATION in notes;
  const argo = csv(argoValue);
  const helm = csv(helmValue);
  const argoTypes = argo.filter((h) => ARGO_SYNC_HOOK_TYPES.has(h));
  const types = argoTypes.length > 0 ? argoTypes : [...new Set(helm.flatMap((h) => (h in HELM_HOOK_PHASES ? [HELM_HOOK_PHASES[h]] : [])))];
  if (types.length === 1 && types[0] === 'Skip') return { skip: `${HOOK_ANNOTATION}: Skip` };
  const isHook = hasArgo || (HELM_HOOK in notes && helmValue !== 'crd-install');
  const deletePhases: HookPhase[] = [
    ...(argo.includes('PreDelete') || helm.includes('pre-delete') ? (['PreDelete'] as const) : []),
    ...(argo.includes('PostDelete') || helm.includes('post-delete') ? (['PostDelete'] as const) : []),
  ];
  if (!isHook && deletePhases.length === 0) return {};
  const phases = HOOK_PHASES.filter((phase) => (types as readonly string[]).includes(phase) || deletePhases.includes(phase));
  if (phases.length === 0) {
    return hasArgo
      ? { skip: `${HOOK_ANNOTATION}: "${typeof argoValue === 'string' ? argoValue : ''}" names no phase Argo CD runs, so it is never applied` }
      : { skip: `Helm hook ${helm.join(',')}, which Argo CD does not run` };
  }
  return phases.length === 1 ? { phase: phases[0] } : { phase: phases[0], phases };
}

/**
 * The in-app wave of an object as gitops-engine reads it (`pkg/sync/syncwaves/waves.go`,
 * `Wave`, and `pkg/sync/hook/helm/weight.go`, v3.5.1): its sync-wave annotation when Go's
 * `strconv.Atoi` reads it (`+2` is 2; ` 1`, with a space, is not a number), else its Helm
 * hook weight read the same way, else 0.
 */
export function waveOf(object: KubeObject): number {
  const notes = annotations(object);
  for (const key of [SYNC_WAVE_ANNOTATION, HELM_HOOK_WEIGHT]) {
    const value = notes[key];
    if (typeof value === 'string') {
      const wave = goAtoi(value);
      if (wave !== undefined) return wave;
    }
  }
  return 0;
}

/** Go's `strconv.Atoi` on a 64-bit platform: an optional sign and decimal digits, nothing else. */
function goAtoi(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value >= -(2n ** 63n) && value <= 2n ** 63n - 1n ? Number(value) : undefined;
}

/** Whether the object skips its dry run when its kind is missing. */
export function skipsDryRun(object: KubeObject): boolean {
  return csv(annotations(object)[SYNC_OPTIONS_ANNOTATION]).includes('SkipDryRunOnMissingResource=true');
}
