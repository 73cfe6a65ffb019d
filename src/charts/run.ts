/**
 * `npm run render`: renders every chart of every cluster with real Helm, checks
 * what Argo CD would do with the objects (schemas, admission, CRD order,
 * objects claimed twice), and writes the inventories synth reads. Nothing is
 * written while a problem remains.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { Environment } from '../config/environment';
import { componentProjectName } from '../config/names';
import { alignLocalDigests, formatObject, type Inventory, type InventoryCrd, loadInventories, serializeInventory } from '../inventory/inventory';
import { type Problem, UserError } from '../core/user-error';
import { Warnings } from '../core/warnings';
import { bootstrapFile, describeFile } from '../synth/layout';
import { renderEnvironments } from '../synth/cluster-files';
import { components } from '../platform/index';
import type { ComponentSpec } from '../platform/types';
import { INVENTORY_FOLDER, lockOutput, readLocked, readTree, withoutMarker, writeOutput } from '../synth/write';
import { nodeFileSystem } from '../core/file-system';
import { admissionRule } from '../validate/rules/admission';
import { builtinKinds } from '../validate/builtin';
import { crdsInText, listCrdFiles } from '../validate/crds';
import { compareFindings, type Finding, findingsAsProblems } from '../validate/finding';
import { DEFAULT_CRDS, defaultSources, validateFiles } from '../validate/validate';
import { KEYRING_DIR, openCharts, withOfflineSummary } from './chart-store';
import { type RenderedClusterCharts, renderCharts } from './render';
import { readYaml } from './jobs';
import { ChartObjectValidator } from './validate-charts';
import { ClusterChecks, type InventoryCheck, type InventoryText } from './cluster-checks';
import { pruneRenderCache } from './_cache-age';
import { readCacheEntry, writeCacheEntry } from './_cache-entry';
import { once } from '../core/once';

/** The environment variable naming offline chart folders (separated like PATH). */
export const CHARTS_ENV = 'PKE_CHARTS';

/** What `npm run render` is asked to do. */
export interface RenderRun {
  /** The project root. */
  readonly root: string;
  readonly environments: readonly Environment[];
  /** Offline chart folders (`--charts`, then `PKE_CHARTS`). */
  readonly chartDirs: readonly string[];
  /** Use the nearest version an offline folder has when the exact one is missing. */
  readonly nearest: boolean;
  /** Never `helm pull`. */
  readonly offline: boolean;
  /** Compare with the committed inventories instead of writing them. */
  readonly check: boolean;
  /** Parallel Helm processes; undefined: one per core. */
  readonly jobs?: number;
  /** The inventory folder (relative to `workDir`, as messages show it). */
  readonly inventoryDir: string;
  /**
   * The folder the inventory and output folders are relative to (the command's working folder).
   * @default the process's working folder
   */
  readonly workDir?: string;
  /** The output folder synth writes (to tell whether the AppProject changes). */
  readonly outdir: string;
  /**
   * Where rendered charts are cached.
   * @default `<root>/.cache/render`
   */
  readonly renderCache?: string;
  readonly env: NodeJS.ProcessEnv;
  /**
   * The catalog.
   * @default the platform's catalog
   */
  readonly catalog?: readonly ComponentSpec[];
}

/** What a render found and did. */
export interface RenderReport {
  readonly clusters: readonly RenderedClusterCharts[];
  /** Inventory files whose text changed (written, or out of date with `check`). */
  readonly changed: readonly string[];
  /** One line each, for the terminal. */
  readonly lines: readonly string[];
  /** Worth saying, not stopping for. */
  readonly warnings: Warnings;
}

/** What synth renders from one cluster's inventory, and what the checks synth runs found in it. */
interface ClusterCheck extends InventoryCheck {
  /**
   * The AppProjects synth would write into bootstrap/ that differ from the committed ones, by path
   * (compared while Helm still renders: the report names them).
   */
  readonly changedProjects: ReadonlySet<string>;
  readonly findings: readonly Finding[];
  /** Why synth could not render it. */
  readonly problems: readonly Problem[];
  readonly warnings: readonly Problem[];
}

/** Offline folders from `--charts` and `PKE_CHARTS`. */
export function chartDirsFrom(options: readonly string[], env: NodeJS.ProcessEnv): string[] {
  return [...options, ...(env[CHARTS_ENV] ?? '').split(delimiter).filter((dir) => dir !== '')];
}

/**
 * Renders, checks and (unless `check`) writes the inventories.
 *
 * @throws UserError with one line per problem; nothing is written then
 */
export async function runRender(run: RenderRun): Promise<RenderReport> {
  const fs = nodeFileSystem(run.workDir ?? '.');
  // A swap of inventory/ that a killed render left is completed or rolled back before anything is read.
  if (!run.check) lockOutput(run.inventoryDir, { fs, kind: INVENTORY_FOLDER }).release();
  const clusters = run.environments.map((env) => env.cluster);
  const warnings = new Warnings();
  const cache = join(run.root, '.cache');
  const workDir = run.workDir ?? '.';
  const at = (path: string): string => resolve(workDir, path);
  let previous: Map<string, Inventory>;
  // The committed inventories, and their text as committed (read under the same lock: the same generation).
  let committedTexts: Map<string, InventoryText>;
  try {
    [previous, committedTexts] = readLocked(
      run.inventoryDir,
      () => {
        const loaded = loadInventories(clusters, { dir: run.inventoryDir, root: workDir, cacheDir: join(cache, 'inventory') });
        const texts = new Map(
          [...loaded].map(([name, inventory]) => {
            const file = join(run.inventoryDir, `${name}.yaml`);
            return [name, { inventory: { ...inventory, file }, text: readFileSync(at(file), 'utf8') }] as const;
          }),
        );
        return [loaded, texts] as const;
      },
      { fs, kind: INVENTORY_FOLDER },
    );
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    warnings.add(...error.problems.map((p) => ({ ...p, message: `${p.message} (ignored: this render replaces it)` })));
    previous = new Map();
    committedTexts = new Map();
  }
  const { helm, store } = openCharts('npm run render', run);
  store.pin(previous.values());
  const vendored = vendoredCrds(join(run.root, DEFAULT_CRDS), join(cache, 'render', 'vendored-crds.json'));
  const catalog = run.catalog ?? components;
  const renderCache = run.renderCache ?? join(cache, 'render');
  const schemas = new ChartObjectValidator({
    crds: vendored.map(({ file, crds }) => ({ file, kinds: crds.map((crd) => `${crd.group}/${crd.kind}`) })),
    builtinPackage: (version) => builtinPackage(run.root, version),
    validatorCache: join(cache, 'validate'),
    renderCache,
  });
  const withFile = (cluster: RenderedClusterCharts): Inventory => ({ ...cluster.inventory, file: join(run.inventoryDir, `${cluster.env.cluster}.yaml`) });
  const sources = defaultSources(run.root);
  // What synth will render from each cluster's inventory, checked as synth checks it (admission, CRD order …).
  // Two steps with a turn of the event loop between them: Helm's next render starts as soon as a place is free.
  const checkCluster = async (env: Environment, inventory: Inventory, inventoryText: string): Promise<ClusterCheck> => {
    const inventories = new Map([[env.cluster, inventory]]);
    const found = new Warnings();
    try {
      // Checked as objects: no YAML written and read back.
      const documents = new Map<string, object>();
      renderEnvironments([env], catalog, { inventories, warnings: found, text: () => false, documents });
      await setImmediate();
      const findings = validateFiles(documents, { ...sources, shownDir: run.outdir, environments: [env], inventories, catalog });
      const changedProjects = new Set<string>();
      for (const [path, document] of documents) {
        if (describeFile(path)?.role !== 'bootstrap' || (document as { kind?: unknown }).kind !== 'AppProject') continue;
        const committed = at(join(run.outdir, path));
        if (existsSync(committed) && !sameDocument(readFileSync(committed, 'utf8'), document)) changedProjects.add(path);
      }
      return { inventoryText, changedProjects, findings, problems: [], warnings: found.all };
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return { inventoryText, changedProjects: new Set(), findings: [], problems: error.problems, warnings: found.all };
    }
  };
  const checks = new ClusterChecks(checkCluster);
  /** The inventory files to write, by path, as each cluster is rendered. */
  const inventoryTexts = new Map<string, string>();
  const rendered = await withOfflineSummary(store, () =>
    renderCharts(run.environments, {
      catalog,
      charts: store,
      helm,
      cacheDir: renderCache,
      previous,
      knownCrds: new Map(vendored.flatMap(({ crds }) => crds.map((crd) => [`${crd.group}/${crd.kind}`, crd] as const))),
      builtins: (version) => builtinSet(run.root, version, join(cache, 'render')),
      ...(run.jobs === undefined ? {} : { jobs: run.jobs }),
      // Each cluster is checked and synthesized as soon as it is rendered, while Helm renders the next.
      assembled: async (cluster) => {
        await schemas.validate(cluster);
        await setImmediate();
        // Only a published package identifies a chart: a local one (a fixture) never changes a digest on its own.
        const inventory = withFile(cluster);
        const text = serializeInventory(alignLocalDigests(inventory, previous.get(cluster.env.cluster), run.check));
        inventoryTexts.set(inventory.file, text);
        await checks.checkRendered(cluster.env, { inventory, text });
        // Meanwhile Helm renders the clusters still to come: what synth renders from their committed inventories is
        // checked now, so a render that leaves an inventory as it was has nothing left to check once Helm is done.
        await setImmediate();
        await checks.checkAhead(run.environments, committedTexts);
      },
    }),
  );
  for (const chart of store.unverifiedProvenance()) {
    warnings.add({
      file: KEYRING_DIR,
      message: `${chart} is signed (.prov) but not verified: add the repository's public key as a keyring here to verify every package of it`,
    });
  }

  const inventories = new Map(rendered.map((cluster) => [cluster.env.cluster, withFile(cluster)]));
  const problems: Problem[] = rendered.flatMap((cluster) => [...cluster.problems]);
  warnings.add(...rendered.flatMap((cluster) => cluster.warnings));
  problems.push(...findingsAsProblems(schemas.finish(clusters)));
  const checked = clusters.map((cluster) => checks.of(cluster)).filter((check) => check !== undefined);
  warnings.add(...checked.flatMap((check) => check.warnings));
  const synthProblems = checked.flatMap((check) => check.problems);
  if (synthProblems.length > 0) throw new UserError([...problems, ...synthProblems]);
  const changedProjects = new Set(checked.flatMap((check) => [...check.changedProjects]));
  problems.push(...findingsAsProblems(checked.flatMap((check) => check.findings).sort(compareFindings)));
  if (problems.length > 0) throw new UserError(problems);
  // What the AppProjects the clusters have now (the committed bootstrap/) would refuse until bootstrap/ is applied again;
  // worked out only when a project changes.
  const refusedNow = once(() => {
    const committed = withoutMarker(readLocked(run.outdir, () => readTree(run.outdir, fs), { fs }));
    return committed.size === 0
      ? []
      : validateFiles(committed, { ...sources, shownDir: run.outdir, environments: run.environments, inventories, catalog, rules: [admissionRule] });
  });

  // Renders no run has used for a week leave the cache (once a day).
  pruneRenderCache(renderCache);

  const texts = new Map([...inventories.values()].map(({ file }) => [file, inventoryTexts.get(file) as string]));
  const changed = [...texts].filter(([file, text]) => !existsSync(at(file)) || readFileSync(at(file), 'utf8') !== text).map(([file]) => file);
  if (!run.check) {
    // Under the lock, as a whole: both inventories change together or not at all.
    const written = writeOutput(run.inventoryDir, new Map([...texts].map(([file, text]) => [basename(file), text])), { fs, kind: INVENTORY_FOLDER });
    // An inventory of a cluster that has no environment file any more goes with the folder.
    changed.push(...written.removed.filter((name) => name !== INVENTORY_FOLDER.marker).map((name) => join(run.inventoryDir, name)));
    if (written.leftover !== undefined) warnings.add({ file: run.inventoryDir, message: written.leftover });
  }

  const lines: string[] = [];
  for (const cluster of rendered) {
    const fresh = cluster.applications.filter((app) => app.fresh).length;
    const objects = cluster.applications.reduce((sum, app) => sum + app.inventory.objects.length, 0);
    lines.push(
      `${cluster.env.cluster}: ${cluster.applications.length} Applications, ${objects} objects (${fresh} rendered with ${helm.version}, ${cluster.applications.length - fresh} from the cache)`,
    );
    // An inventory that reads as committed lists the same objects: nothing to compare.
    const unchanged = committedTexts.get(cluster.env.cluster)?.text === inventoryTexts.get(withFile(cluster).file);
    if (!unchanged) lines.push(...objectChanges(previous.get(cluster.env.cluster), cluster.inventory).map((line) => `  ${line}`));
    for (const app of cluster.applications) {
      for (const { kind, name, reason } of app.skipped) lines.push(`  ${app.name}: not applied by Argo CD: ${kind}/${name} (${reason})`);
    }
    // Each Application has its own AppProject: name the ones that change and what their committed version refuses.
    for (const app of cluster.applications) {
      const name = componentProjectName(cluster.env.argocd.project, app.name);
      const file = `${cluster.env.cluster}/${bootstrapFile('AppProject', name)}`;
      const project = join(run.outdir, file);
      if (!changedProjects.has(file)) continue;
      lines.push(
        `  AppProject ${name} changes: run \`npm run synth\`, review ${project}, and apply ${join(run.outdir, cluster.env.cluster, 'bootstrap')}/ before merging (Argo CD refuses what the old project does not allow)`,
      );
      const ofProject = new RegExp(`\\bproject ${name}(?![-a-z0-9])`);
      for (const finding of refusedNow().filter((f) => f.cluster === cluster.env.cluster && ofProject.test(f.message))) {
        lines.push(`  refused by the AppProject in ${project} until bootstrap/ is applied: ${finding.object ?? ''}: ${finding.message}`);
      }
    }
  }
  return { clusters: rendered, changed, lines, warnings };
}

/** Whether a committed file holds this one document (read as Argo CD reads it; its header and layout aside). */
function sameDocument(text: string, document: object): boolean {
  const read = readYaml(text);
  return 'values' in read && read.values.length === 1 && isDeepStrictEqual(read.values[0], document);
}

/** `+ added` / `- removed` objects per Application, compared with the previous inventory. */
function objectChanges(before: Inventory | undefined, after: Inventory): string[] {
  if (before === undefined) return [`new inventory: ${after.applications.size} Applications`];
  const lines: string[] = [];
  for (const [name, app] of after.applications) {
    const old = new Set((before.applications.get(name)?.objects ?? []).map(formatObject));
    const now = new Set(app.objects.map(formatObject));
    if (!before.applications.has(name)) {
      lines.push(`+ ${name}: ${now.size} objects`);
      continue;
    }
    for (const line of now) if (!old.has(line)) lines.push(`+ ${name}: ${line}`);
    for (const line of old) if (!now.has(line)) lines.push(`- ${name}: ${line}`);
  }
  for (const name of before.applications.keys()) if (!after.applications.has(name)) lines.push(`- ${name}: no longer deployed`);
  return lines;
}

/** The CRDs vendored in `crds/`, per file; remembered by file size and time in `memoFile`, as parsing them takes a while. */
function vendoredCrds(dir: string, memoFile: string): { file: string; crds: InventoryCrd[] }[] {
  const memo: Record<string, { stamp: string; crds: InventoryCrd[] }> =
    readCacheEntry(memoFile, 'vendored-crds/1', (value): value is Record<string, { stamp: string; crds: InventoryCrd[] }> => {
      return (
        typeof value === 'object' &&
        value !== null &&
        Object.values(value).every((entry: { stamp?: unknown; crds?: unknown }) => typeof entry?.stamp === 'string' && Array.isArray(entry.crds))
      );
    }) ?? {};
  let changed = false;
  const result = listCrdFiles([dir]).map((file) => {
    const stat = statSync(file);
    const stamp = `${stat.size} ${stat.mtimeMs}`;
    if (memo[file]?.stamp !== stamp) {
      const crds = crdsInText(file, readFileSync(file, 'utf8')).map((crd) => ({
        group: crd.group,
        kind: crd.kind,
        scope: crd.scope,
        versions: crd.versions.filter((v) => v.served).map((v) => v.name),
      }));
      memo[file] = { stamp, crds };
      changed = true;
    }
    return { file, crds: memo[file].crds };
  });
  if (changed) writeCacheEntry(memoFile, 'vendored-crds/1', memo);
  return result;
}

/** The folder of `cdk8s-plus-<minor>`, whose types describe the built-in kinds of Kubernetes 1.<minor>. */
export function builtinPackage(root: string, kubernetesVersion: string): string {
  const minor = kubernetesVersion.split('.')[1];
  const name = `cdk8s-plus-${minor}`;
  try {
    return dirname(createRequire(join(root, 'package.json')).resolve(`${name}/package.json`));
  } catch {
    throw new UserError([
      {
        file: 'package.json',
        message: `no built-in Kubernetes schemas for ${kubernetesVersion} (cluster.kubernetesVersion): add them with \`npm install --save-dev --save-exact ${name}\`, or set the version of a package that is installed`,
      },
    ]);
  }
}

const BUILTINS = new Map<string, Set<string>>();

/** `apiVersion kind` of every built-in kind of a Kubernetes version, remembered per package version in `cacheDir`. */
function builtinSet(root: string, kubernetesVersion: string, cacheDir: string): Set<string> {
  const dir = builtinPackage(root, kubernetesVersion);
  let set = BUILTINS.get(dir);
  if (set === undefined) {
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    const memo = join(cacheDir, `builtins-${basename(dir)}-${version}.json`);
    let kinds = readCacheEntry(
      memo,
      'builtin-kinds/1',
      (value): value is string[] => Array.isArray(value) && value.length > 0 && value.every((kind) => typeof kind === 'string'),
    );
    if (kinds === undefined) {
      kinds = builtinKinds(readFileSync(join(dir, 'lib', 'imports', 'k8s.js'), 'utf8')).map((k) => `${k.apiVersion} ${k.kind}`);
      writeCacheEntry(memo, 'builtin-kinds/1', kinds);
    }
    set = new Set(kinds);
    BUILTINS.set(dir, set);
  }
  return set;
}
