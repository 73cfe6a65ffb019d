/**
 * The rendered side of `npm run plan`: for every Application that changes,
 * what Argo CD applies before and after, rendered with real Helm exactly as
 * `npm run render` does, and compared object by object.
 *
 * Each side renders from its own files: the base from the Applications and
 * supporting manifests it has (a base folder, or the output as committed), the
 * head from the new render. Kubernetes and API versions come from each side's
 * inventory (`inventory/<cluster>.yaml`), the base falling back to the head's
 * when it has none. Only Applications that change are rendered (all of a
 * cluster's when its Kubernetes or API versions change), and every render is
 * taken from `.cache/render/` when it was made before, by this command or by
 * `npm run render`: a plan where nothing changed runs no Helm at all.
 */
import { join } from 'node:path';
import { parse } from 'yaml';
import type { HookPhase, Inventory } from '../inventory/inventory';
import { formatProblem, type Problem } from '../core/user-error';
import { describeFile } from '../synth/layout';
import { type AppliedSide, objectChanges } from './object-diff';
import { ignoreSettingsOf } from './ignore-differences';
import type { Plan } from './plan';
import type { ApplicationRender, PlanDetails } from './details';
import type { ApplicationJson, FileMap } from '../synth/cluster-files';
import { openCharts } from '../charts/chart-store';
import {
  hookOf,
  jobOfApplication,
  type KubeObject,
  type RenderedJob,
  type RenderJob,
  renderJobs,
  type RenderSettings,
  resolvePackages,
  waveOf,
} from '../charts/jobs';
import { groupOf, isClusterScopedBuiltin } from '../charts/scopes';

/** One side of a plan: its output files and the inventories it was rendered with. */
export interface PlanSide {
  /** Output files, paths relative to the output folder (`kkg/traefik.yaml`). */
  readonly files: FileMap;
  /** Inventories by cluster; a cluster without one renders with the other side's settings. */
  readonly inventories: ReadonlyMap<string, Inventory>;
  /** Where the files are, for messages (`dist`, `../base/dist`). */
  readonly dir: string;
}

/** Where charts and Helm come from, as for `npm run render`. */
export interface PlanRenderOptions {
  /** The project root (`.cache/` is under it). */
  readonly root: string;
  /** Offline chart folders (`--charts`, then `PKE_CHARTS`). */
  readonly chartDirs: readonly string[];
  /** Use the nearest version an offline folder has when the exact one is missing. */
  readonly nearest: boolean;
  /** Never `helm pull`. */
  readonly offline: boolean;
  /** The process environment (`HELM`, `PATH`). */
  readonly env: NodeJS.ProcessEnv;
  /**
   * Render settings of a cluster that neither side has an inventory of (its environment's).
   * @default - none: such a cluster's rendered diffs are missing
   */
  readonly fallbackSettings?: ReadonlyMap<string, RenderSettings>;
  /**
   * Parallel Helm processes.
   * @default the number of cores
   */
  readonly jobs?: number;
}

/** One Application on one side: its file and its supporting manifests. */
interface SideApplication {
  readonly application?: string;
  readonly manifests: string[];
}

/** What one side deploys, by cluster and component. */
type SideIndex = Map<string, Map<string, SideApplication>>;

function indexSide(files: FileMap): SideIndex {
  const index: SideIndex = new Map();
  for (const [path, content] of files) {
    const info = describeFile(path);
    if (info?.component === undefined) continue;
    let cluster = index.get(info.cluster);
    if (cluster === undefined) index.set(info.cluster, (cluster = new Map()));
    let app = cluster.get(info.component);
    if (app === undefined) cluster.set(info.component, (app = { manifests: [] }));
    if (info.role === 'child') cluster.set(info.component, { ...app, application: content });
    else app.manifests.push(content);
  }
  return index;
}

function settingsOf(inventory: Inventory | undefined): RenderSettings | undefined {
  return inventory === undefined ? undefined : { kubeVersion: inventory.kubeVersion, apiVersions: inventory.apiVersions };
}

function sameSettings(a: RenderSettings | undefined, b: RenderSettings | undefined): boolean {
  return a?.kubeVersion === b?.kubeVersion && a?.apiVersions.join(' ') === b?.apiVersions.join(' ');
}

/** What to render for one Application. */
interface Target {
  readonly cluster: string;
  readonly component: string;
  readonly becauseOfCluster: boolean;
  readonly base?: { readonly job?: RenderJob; readonly side: SideApplication; readonly application: ApplicationJson };
  readonly head?: { readonly job?: RenderJob; readonly side: SideApplication; readonly application: ApplicationJson };
  readonly problems: string[];
}

/**
 * Renders both sides of every Application that changes and compares what Argo
 * CD applies.
 *
 * @throws UserError when Helm or an offline chart folder cannot be found
 *   (a chart that cannot be had is a problem of its Application instead)
 */
export async function renderPlan(plan: Plan, base: PlanSide, head: PlanSide, options: PlanRenderOptions): Promise<PlanDetails> {
  const baseIndex = indexSide(base.files);
  const headIndex = indexSide(head.files);
  const notes: string[] = [];
  const targets: Target[] = [];
  const clusters = [...new Set([...baseIndex.keys(), ...headIndex.keys()])].sort();
  for (const cluster of clusters) {
    const fallback = options.fallbackSettings?.get(cluster);
    const headSettings = settingsOf(head.inventories.get(cluster)) ?? settingsOf(base.inventories.get(cluster)) ?? fallback;
    const ownBase = settingsOf(base.inventories.get(cluster));
    const baseSettings = ownBase ?? headSettings;
    const changed = new Set(plan.entries.filter((e) => e.cluster === cluster && e.component !== 'bootstrap').map((e) => e.component));
    const all = ownBase !== undefined && !sameSettings(ownBase, headSettings);
    if (changed.size > 0 && ownBase === undefined && baseIndex.has(cluster)) {
      notes.push(
        `${cluster}: the base has no inventory/${cluster}.yaml beside ${base.dir}, so it is rendered with the Kubernetes and API versions of the change`,
      );
    }
    const components = all ? new Set([...(baseIndex.get(cluster)?.keys() ?? []), ...(headIndex.get(cluster)?.keys() ?? [])]) : changed;
    for (const component of [...components].sort()) {
      const target: Target = { cluster, component, becauseOfCluster: !changed.has(component), problems: [] };
      const sides = { base: baseIndex.get(cluster)?.get(component), head: headIndex.get(cluster)?.get(component) };
      const make = (which: 'base' | 'head', settings: RenderSettings | undefined, dir: string, fix: string): Target['base'] => {
        const side = sides[which];
        if (side?.application === undefined) return undefined;
        const application = parse(side.application) as ApplicationJson;
        const file = `${dir}/${cluster}/${component}.yaml`;
        if (settings === undefined) {
          target.problems.push(`${file}: no inventory/${cluster}.yaml on either side to render with; run \`npm run render\``);
          return { side, application };
        }
        const job = jobOfApplication(cluster, application, settings, { file, fix });
        return { side, application, ...(job === undefined ? {} : { job }) };
      };
      const baseSide = make('base', baseSettings, base.dir, 'that is the base as committed, so its rendered diff is left out');
      const headSide = make('head', headSettings, head.dir, `fix the values in src/platform/${component}.ts or the chart version`);
      targets.push({ ...target, ...(baseSide === undefined ? {} : { base: baseSide }), ...(headSide === undefined ? {} : { head: headSide }) });
    }
  }
  const jobs = targets.flatMap((t) => [t.base?.job, t.head?.job]).filter((job): job is RenderJob => job !== undefined);
  if (jobs.length === 0) {
    return {
      renders: targets.map((t) => compare(t, new Map(), new Map(), scopes(base, head))),
      stats: { applications: targets.length, renders: 0, helm: 0 },
      notes,
    };
  }

  const { helm, store } = openCharts('npm run plan', options);
  const resolved = await resolvePackages(jobs, store);
  const rendered = await renderJobs(jobs, resolved.packages, {
    helm,
    cacheDir: join(options.root, '.cache', 'render'),
    ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
  });
  const problems = new Map<string, string[]>();
  for (const problem of [...resolved.problems, ...rendered.problems])
    problems.set(problem.file, [...(problems.get(problem.file) ?? []), formatProblem(problem as Problem)]);
  const scopeOf = scopes(base, head, [...rendered.results.values()]);
  return {
    renders: targets.map((t) => compare(t, rendered.results, problems, scopeOf)),
    stats: { applications: targets.length, renders: rendered.stats.renders, helm: rendered.stats.fresh, helmVersion: helm.version },
    notes,
  };
}

/** Whether a kind is cluster-scoped: a built-in one, or one the inventories or rendered CRDs say is. */
type ClusterScoped = (apiVersion: string, kind: string) => boolean;

function scopes(base: PlanSide, head: PlanSide, rendered: readonly RenderedJob[] = []): ClusterScoped {
  const cluster = new Set<string>();
  const namespaced = new Set<string>();
  for (const inventory of [...base.inventories.values(), ...head.inventories.values()]) {
    for (const app of inventory.applications.values()) {
      for (const crd of app.crds) (crd.scope === 'Cluster' ? cluster : namespaced).add(`${crd.group}/${crd.kind}`);
      for (const object of app.objects) if (object.namespace === undefined) cluster.add(`${groupOf(object.apiVersion)}/${object.kind}`);
    }
  }
  for (const job of rendered) {
    for (const { crd } of job.summaries) if (crd !== undefined) (crd.scope === 'Cluster' ? cluster : namespaced).add(`${crd.group}/${crd.kind}`);
  }
  return (apiVersion, kind) => {
    const group = groupOf(apiVersion);
    return isClusterScopedBuiltin(group, kind) || (cluster.has(`${group}/${kind}`) && !namespaced.has(`${group}/${kind}`));
  };
}

/** The objects one side applies for an Application: its chart's (as Argo CD applies them), then its supporting manifests. */
function sideObjects(side: NonNullable<Target['base']>, result: RenderedJob | undefined, clusterScoped: ClusterScoped): AppliedSide[] {
  const objects: AppliedSide[] = [];
  const destination = side.application.spec?.destination?.namespace ?? '';
  if (result !== undefined) {
    const bodies = result.bodies();
    result.summaries.forEach((summary, i) => {
      if (summary.skip !== undefined) return;
      const namespace = clusterScoped(summary.apiVersion, summary.kind) ? undefined : (summary.namespace ?? destination);
      objects.push({
        object: bodies[i],
        ...(namespace === undefined ? {} : { namespace }),
        phase: summary.hook ?? 'Sync',
        wave: summary.wave,
        supporting: false,
      });
    });
  }
  for (const text of side.side.manifests) {
    const object = parse(text) as KubeObject | null;
    if (object === null || typeof object !== 'object' || typeof object.kind !== 'string') continue;
    const hook = hookOf(object);
    if ('skip' in hook) continue;
    const namespace = object.metadata?.namespace;
    objects.push({
      object,
      ...(typeof namespace === 'string' && namespace !== '' ? { namespace } : {}),
      phase: (hook.phase ?? 'Sync') satisfies HookPhase,
      wave: waveOf(object),
      supporting: true,
    });
  }
  return objects;
}

function chartLabel(result: RenderedJob | undefined, job: RenderJob | undefined): string | undefined {
  if (job === undefined) return undefined;
  const version =
    result !== undefined && result.chart.version !== job.chartRef.version
      ? `${job.chartRef.version} (rendered from ${result.chart.version}, the nearest package there was)`
      : job.chartRef.version;
  return `${job.chartRef.chart} ${version}`;
}

function compare(
  target: Target,
  results: ReadonlyMap<RenderJob, RenderedJob>,
  problems: ReadonlyMap<string, readonly string[]>,
  clusterScoped: ClusterScoped,
): ApplicationRender {
  const all = [...target.problems, ...[target.base?.job, target.head?.job].flatMap((job) => (job === undefined ? [] : (problems.get(job.origin.file) ?? [])))];
  const baseResult = target.base?.job === undefined ? undefined : results.get(target.base.job);
  const headResult = target.head?.job === undefined ? undefined : results.get(target.head.job);
  const before = chartLabel(baseResult, target.base?.job);
  const after = chartLabel(headResult, target.head?.job);
  const common = {
    cluster: target.cluster,
    component: target.component,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
    becauseOfCluster: target.becauseOfCluster,
  };
  if (all.length > 0) return { ...common, changes: [], unchanged: 0, problems: all };
  const old = target.base === undefined ? [] : sideObjects(target.base, baseResult, clusterScoped);
  const next = target.head === undefined ? [] : sideObjects(target.head, headResult, clusterScoped);
  const application = (target.head ?? target.base)?.application as Readonly<Record<string, unknown>> | undefined;
  const compared = objectChanges(old, next, { ignore: ignoreSettingsOf(application) });
  return {
    ...common,
    changes: compared.changes,
    unchanged: compared.unchanged,
    ignored: compared.ignored,
    generated: compared.generated,
    notes: compared.problems,
    problems: [],
  };
}
