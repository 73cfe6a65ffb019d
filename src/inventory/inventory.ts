/**
 * The inventory of a cluster: what Argo CD applies for each of its
 * Applications, as `npm run render` found by rendering every chart with real
 * Helm. One reviewed file per cluster, `inventory/<cluster>.yaml`:
 *
 * ```yaml
 * cluster: kkg
 * kubeVersion: 1.33.0
 * helm: v4.1.4
 * apiVersions: [cert-manager.io/v1, cert-manager.io/v1/Certificate, …]
 * declaredApiVersions: [monitoring.coreos.com/v1]   # cluster.apiVersions of the render
 * applications:
 *   cilium:
 *     chart: cilium
 *     repoURL: https://helm.cilium.io
 *     version: 1.18.1
 *     digest: sha256:36aa…        # of the chart package, as its repository publishes it
 *     package: local              # only when rendered from a package that is not the published one
 *     values: sha256:9f1c…        # of the Application's helm.valuesObject
 *     releaseName: cilium
 *     namespace: kube-system      # the Application's destination
 *     objects:
 *       - v1 Namespace cilium-secrets
 *       - apps/v1 DaemonSet kube-system/cilium
 *       - batch/v1 Job cert-manager/startupapicheck (PostSync, wave 1)
 *     crds:
 *       - cilium.io/CiliumNode Cluster v2
 *     services:                   # ports and selector (see ./network)
 *       - kube-system/hubble-ui http:80>8081/TCP k8s-app=hubble-ui
 *     ingresses:                  # class and backends
 *       - kube-system/hubble-ui traefik hubble-ui:80
 * ```
 *
 * An object with a namespace (`<namespace>/<name>`) is namespaced, one without
 * is cluster-scoped. No object body is kept, and never a Secret's data.
 * Synth reads the inventory, offline and fast: the AppProject is derived from
 * it, and an Application whose chart or values changed since the render makes
 * synth fail until `npm run render` refreshes it.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { parseYamlSource } from '../config/yaml-source';
import { byCodeUnit, type Problem, UserError } from '../core/user-error';
import { readSealedFile, writeSealedFile } from '../core/sealed';
import { keepNewest } from '../core/cache-folder';
import { formatIngress, formatService, type InventoryIngress, type InventoryService, parseIngress, parseService } from './network';

/** The command that renders every chart from the repository's test fixtures, with no network. */
export const OFFLINE_RENDER_COMMAND = 'npm run render -- --charts test/fixtures/charts --nearest --offline';

/** The folder of the committed inventories, relative to the project root. */
export const INVENTORY_DIR = 'inventory';

/** The hook phases of Argo CD in which objects are applied (an object that is no hook is applied in `Sync`). */
export const HOOK_PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PreDelete', 'PostDelete'] as const;

/** A hook phase. */
export type HookPhase = (typeof HOOK_PHASES)[number];

/** One object an Application applies. */
export interface InventoryObject {
  readonly apiVersion: string;
  readonly kind: string;
  /** Namespace of a namespaced object (the Application's destination when the chart sets none); absent: cluster-scoped. */
  readonly namespace?: string;
  readonly name: string;
  /** In-app sync-wave (`argocd.argoproj.io/sync-wave`, or a Helm hook's weight); 0 when absent. */
  readonly wave: number;
  /** The hook phase, for an object Argo CD runs as a hook (Helm hooks mapped as Argo CD maps them); the first of several. */
  readonly hook?: HookPhase;
  /** Every phase of a hook Argo CD runs in several (`PreSync,PostSync`), in phase order; absent for one. */
  readonly phases?: readonly HookPhase[];
  /** The object carries `SkipDryRunOnMissingResource=true`. */
  readonly skipDryRun: boolean;
}

/** A CustomResourceDefinition an Application installs: the kind it defines. */
export interface InventoryCrd {
  readonly group: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  /** Served versions. */
  readonly versions: readonly string[];
}

/** What one Application applies, and what it was rendered from. */
export interface InventoryApplication {
  readonly chart: string;
  readonly repoURL: string;
  /** The chart version the Application pins. */
  readonly version: string;
  /**
   * The chart version actually rendered, when it is not the pinned one (the nearest
   * package an offline folder had); synth warns until the pinned one is rendered.
   */
  readonly renderedVersion?: string;
  /**
   * `sha256:<hex>` of the chart package: the digest its repository publishes (the
   * `digest` of the version in `index.yaml`, or the OCI manifest digest), which every
   * later pull must match; or, with `package: local`, a local package's own.
   */
  readonly digest: string;
  /**
   * `local`: rendered from a package that is not the published one (a test fixture, a
   * re-packaged chart, the nearest version); its digest pins nothing and `--check`
   * never fails on it alone. Absent: the published package.
   */
  readonly package?: 'local';
  /** `sha256:<hex>` of the values ({@link valuesDigest}). */
  readonly values: string;
  readonly releaseName: string;
  /** The Application's destination namespace. */
  readonly namespace: string;
  /** The chart's CRDs were left out (`helm.skipCrds`). */
  readonly skipCrds: boolean;
  /** Every object the chart renders and Argo CD applies, sorted. */
  readonly objects: readonly InventoryObject[];
  /** Every CRD among the objects, with the kind it defines. */
  readonly crds: readonly InventoryCrd[];
  /**
   * Every Service among the objects, with its ports and selector (see `./network`).
   * @default - none
   */
  readonly services?: readonly InventoryService[];
  /**
   * Every Ingress among the objects, with its class and backends.
   * @default - none
   */
  readonly ingresses?: readonly InventoryIngress[];
}

/** The inventory of one cluster. */
export interface Inventory {
  readonly cluster: string;
  /** Where it was read from (for messages), or will be written to. */
  readonly file: string;
  /** The `--kube-version` the charts were rendered with. */
  readonly kubeVersion: string;
  /** Version of the Helm that rendered them. */
  readonly helm: string;
  /** The `--api-versions` passed to every render (beyond Helm's built-in ones), sorted. */
  readonly apiVersions: readonly string[];
  /** The environment's `cluster.apiVersions` the charts were rendered with (part of `apiVersions`), sorted; absent: none. */
  readonly declaredApiVersions?: readonly string[];
  /** By Application name, sorted. */
  readonly applications: ReadonlyMap<string, InventoryApplication>;
}

/**
 * `sha256:<hex>` of a JSON value with its object keys sorted, so that the same
 * values always give the same digest whatever their key order.
 */
export function valuesDigest(values: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(values)).digest('hex')}`;
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => byCodeUnit(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `apps/v1 Deployment alloy/alloy (PostSync, wave 1, skip-dry-run)`: one object as the inventory lists it. */
export function formatObject(object: InventoryObject): string {
  const hooks = object.phases ?? (object.hook === undefined ? [] : [object.hook]);
  const flags = [...hooks, ...(object.wave === 0 ? [] : [`wave ${object.wave}`]), ...(object.skipDryRun ? ['skip-dry-run'] : [])];
  const name = object.namespace === undefined ? object.name : `${object.namespace}/${object.name}`;
  return `${object.apiVersion} ${object.kind} ${name}${flags.length === 0 ? '' : ` (${flags.join(', ')})`}`;
}

/** `cert-manager.io/Certificate Namespaced v1`: one CRD as the inventory lists it. */
export function formatCrd(crd: InventoryCrd): string {
  return `${crd.group}/${crd.kind} ${crd.scope} ${crd.versions.join(',')}`;
}

const OBJECT_LINE = /^(\S+) ([A-Za-z][A-Za-z0-9]*) (?:([a-z0-9][-a-z0-9]*)\/)?([^\s/]+)(?: \(([^)]*)\))?$/;
const CRD_LINE = /^([a-z0-9][-a-z0-9.]*)\/([A-Za-z][A-Za-z0-9]*) (Namespaced|Cluster) ([a-z0-9]+(?:,[a-z0-9]+)*)$/;

/** Reads one object line, or says why it is not one. */
export function parseObject(line: string): InventoryObject | string {
  const match = OBJECT_LINE.exec(line);
  if (match === null) return 'expected "<apiVersion> <Kind> [<namespace>/]<name> [(<flags>)]"';
  const [, apiVersion, kind, namespace, name, flagText] = match;
  let wave = 0;
  const hooks: HookPhase[] = [];
  let skipDryRun = false;
  for (const flag of flagText === undefined ? [] : flagText.split(', ')) {
    const waveMatch = /^wave (-?[0-9]+)$/.exec(flag);
    if (waveMatch !== null) wave = Number(waveMatch[1]);
    else if ((HOOK_PHASES as readonly string[]).includes(flag)) hooks.push(flag as HookPhase);
    else if (flag === 'skip-dry-run') skipDryRun = true;
    else return `unknown flag "${flag}" (expected a hook phase, "wave <n>" or "skip-dry-run")`;
  }
  const hook = hooks[0];
  const phases = hooks.length > 1 ? { phases: hooks } : {};
  return { apiVersion, kind, ...(namespace === undefined ? {} : { namespace }), name, wave, ...(hook === undefined ? {} : { hook, ...phases }), skipDryRun };
}

/** Reads one CRD line, or says why it is not one. */
export function parseCrd(line: string): InventoryCrd | string {
  const match = CRD_LINE.exec(line);
  if (match === null) return 'expected "<group>/<Kind> Namespaced|Cluster <version>[,<version>…]"';
  return { group: match[1], kind: match[2], scope: match[3] as InventoryCrd['scope'], versions: match[4].split(',') };
}

/** The inventory file of a cluster. */
export function inventoryFile(cluster: string, dir = INVENTORY_DIR): string {
  return join(dir, `${cluster}.yaml`);
}

/** The text of an inventory: deterministic, with a header saying where it comes from. */
export function serializeInventory(inventory: Inventory): string {
  const applications: Record<string, unknown> = {};
  for (const name of [...inventory.applications.keys()].sort()) {
    const app = inventory.applications.get(name) as InventoryApplication;
    applications[name] = {
      chart: app.chart,
      repoURL: app.repoURL,
      version: app.version,
      ...(app.renderedVersion === undefined ? {} : { renderedVersion: app.renderedVersion }),
      digest: app.digest,
      ...(app.package === undefined ? {} : { package: app.package }),
      values: app.values,
      releaseName: app.releaseName,
      namespace: app.namespace,
      ...(app.skipCrds ? { skipCrds: true } : {}),
      objects: app.objects.map(formatObject),
      ...(app.crds.length === 0 ? {} : { crds: app.crds.map(formatCrd) }),
      ...((app.services ?? []).length === 0 ? {} : { services: (app.services ?? []).map(formatService) }),
      ...((app.ingresses ?? []).length === 0 ? {} : { ingresses: (app.ingresses ?? []).map(formatIngress) }),
    };
  }
  const header =
    `# Generated by \`npm run render\` from the charts of environments/${inventory.cluster}.yaml. Do not edit.\n` +
    '# What Argo CD applies for each Application: synth derives the AppProject from it and fails when it is stale.\n';
  const notes = [...inventory.applications]
    .filter(([, app]) => app.renderedVersion !== undefined)
    .map(([name, app]) => `# NOTE: ${name} was rendered from ${app.chart} ${app.renderedVersion}, not the pinned ${app.version}; run \`npm run render\` with the real package.\n`)
    .join('');
  const body = {
    cluster: inventory.cluster,
    kubeVersion: inventory.kubeVersion,
    helm: inventory.helm,
    apiVersions: [...inventory.apiVersions],
    ...((inventory.declaredApiVersions ?? []).length === 0 ? {} : { declaredApiVersions: [...(inventory.declaredApiVersions ?? [])] }),
    applications,
  };
  return header + notes + stringify(body, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}

/** Largest inventory file read (a generated file of a few hundred KiB at most). */
const MAX_BYTES = 16 * 1024 * 1024;

/** Where parsed inventories are kept by the hash of their text (YAML with positions is slow to parse; synth reads them every run). */
const PARSED_CACHE = join('.cache', 'inventory');

/**
 * Reads every `inventory/<cluster>.yaml` of the given clusters. A cluster with no
 * file gets none (synth then says to run `npm run render`). A text read before
 * is taken from `cacheDir` (by its sha1) instead of being parsed again. Files
 * are named in messages by `dir`, and read below `root`.
 *
 * @throws UserError naming the file, line and path of every problem
 */
export function loadInventories(
  clusters: readonly string[],
  { dir = INVENTORY_DIR, root = '.', cacheDir = join(root, PARSED_CACHE) }: { readonly dir?: string; readonly root?: string; readonly cacheDir?: string } = {},
): Map<string, Inventory> {
  const inventories = new Map<string, Inventory>();
  const problems: Problem[] = [];
  for (const cluster of clusters) {
    const file = inventoryFile(cluster, dir);
    const path = resolve(root, file);
    if (!existsSync(path)) continue;
    const text = readSmallFile(path, file);
    const cached = join(cacheDir, `${createHash('sha1').update(file).update('\0').update(text).digest('hex')}.json`);
    const known = readCached(cached);
    if (known !== undefined) {
      inventories.set(cluster, known);
      continue;
    }
    const result = readInventory(file, text);
    if (Array.isArray(result)) {
      problems.push(...result);
    } else {
      inventories.set(cluster, result);
      writeCached(cached, result);
    }
  }
  if (problems.length > 0) throw new UserError(problems);
  keepNewest(cacheDir, 32);
  return inventories;
}

/** The format of a parsed-inventory cache entry; bumped when `Inventory` changes shape. */
const PARSED_FORMAT = 2;

/** A cached parse, or undefined when the entry is missing or not whole in this format (then the file is parsed again). */
function readCached(path: string): Inventory | undefined {
  const body = readSealedFile(path, 'inventory', PARSED_FORMAT);
  if (body === undefined) return undefined;
  const data = JSON.parse(body) as Omit<Inventory, 'applications'> & { applications: [string, InventoryApplication][] };
  return { ...data, applications: new Map(data.applications) };
}

function writeCached(path: string, inventory: Inventory): void {
  writeSealedFile(path, 'inventory', PARSED_FORMAT, JSON.stringify({ ...inventory, applications: [...inventory.applications] }));
}

function readSmallFile(path: string, file: string): string {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UserError([{ file, message: 'expected a regular file' }]);
    if (stat.size > MAX_BYTES) throw new UserError([{ file, message: `expected at most ${MAX_BYTES} bytes, got ${stat.size}` }]);
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Parses the text of an inventory file.
 *
 * @returns the inventory, or every problem found (with line and path)
 */
export function readInventory(file: string, text: string): Inventory | Problem[] {
  const source = parseYamlSource(file, text);
  if (source.problems.length > 0) return [...source.problems];
  const problems: Problem[] = [];
  const at = (path: string, message: string): void => {
    problems.push({ file, ...source.position(path), path, message });
  };
  const data = source.data;
  if (!isRecord(data)) {
    at('', 'expected a mapping with cluster, kubeVersion, helm, apiVersions and applications');
    return problems;
  }
  const str = (value: unknown, path: string): string => {
    if (typeof value === 'string' && value !== '') return value;
    at(path, `expected a string, got ${describe(value)}`);
    return '';
  };
  const strings = (value: unknown, path: string): string[] => {
    if (!Array.isArray(value)) {
      if (value !== undefined) at(path, `expected a list, got ${describe(value)}`);
      return [];
    }
    return value.map((item, i) => str(item, `${path}/${i}`));
  };
  const packageKind = (value: unknown, path: string): 'local' => {
    if (value !== 'local') at(path, `expected "local" (or no package key: the published package), got ${describe(value)}`);
    return 'local';
  };
  const cluster = str(data.cluster, '/cluster');
  const applications = new Map<string, InventoryApplication>();
  if (!isRecord(data.applications)) at('/applications', `expected a mapping of Application names, got ${describe(data.applications)}`);
  for (const [name, app] of Object.entries(isRecord(data.applications) ? data.applications : {})) {
    const path = `/applications/${name}`;
    if (!isRecord(app)) {
      at(path, `expected a mapping, got ${describe(app)}`);
      continue;
    }
    // Each list is read line by line; a line that is not one of its kind is a problem at its index.
    const lines = <T extends object>(value: unknown, field: string, parse: (line: string) => T | string): T[] =>
      strings(value, `${path}/${field}`).flatMap((line, i) => {
        const parsed = parse(line);
        if (typeof parsed !== 'string') return [parsed];
        at(`${path}/${field}/${i}`, `${parsed}, got ${JSON.stringify(line)}`);
        return [];
      });
    const objects = lines(app.objects, 'objects', parseObject);
    const crds = lines(app.crds, 'crds', parseCrd);
    const services = lines(app.services, 'services', parseService);
    const ingresses = lines(app.ingresses, 'ingresses', parseIngress);
    for (const digestKey of ['digest', 'values'] as const) {
      if (typeof app[digestKey] === 'string' && !/^sha256:[0-9a-f]{64}$/.test(app[digestKey])) at(`${path}/${digestKey}`, `expected sha256:<64 hex digits>, got ${JSON.stringify(app[digestKey])}`);
    }
    applications.set(name, {
      chart: str(app.chart, `${path}/chart`),
      repoURL: str(app.repoURL, `${path}/repoURL`),
      version: str(app.version, `${path}/version`),
      ...(app.renderedVersion === undefined ? {} : { renderedVersion: str(app.renderedVersion, `${path}/renderedVersion`) }),
      digest: str(app.digest, `${path}/digest`),
      ...(app.package === undefined ? {} : { package: packageKind(app.package, `${path}/package`) }),
      values: str(app.values, `${path}/values`),
      releaseName: str(app.releaseName, `${path}/releaseName`),
      namespace: str(app.namespace, `${path}/namespace`),
      skipCrds: app.skipCrds === true,
      objects,
      crds,
      ...(services.length === 0 ? {} : { services }),
      ...(ingresses.length === 0 ? {} : { ingresses }),
    });
  }
  const inventory: Inventory = {
    cluster,
    file,
    kubeVersion: str(data.kubeVersion, '/kubeVersion'),
    helm: str(data.helm, '/helm'),
    apiVersions: strings(data.apiVersions, '/apiVersions'),
    ...(data.declaredApiVersions === undefined ? {} : { declaredApiVersions: strings(data.declaredApiVersions, '/declaredApiVersions') }),
    applications,
  };
  return problems.length > 0 ? problems : inventory;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** What an Application asks Argo CD to render: the inputs the inventory must have been rendered from. */
export interface RenderInputs {
  /** Application (= component) name. */
  readonly name: string;
  readonly chart: string;
  readonly repoURL: string;
  readonly version: string;
  readonly releaseName: string;
  readonly namespace: string;
  /** {@link valuesDigest} of the Application's `helm.valuesObject`. */
  readonly values: string;
  readonly skipCrds: boolean;
}

/** `1.33` → `1.33.0`, as `helm template --kube-version` and the inventory spell it. */
export function fullKubeVersion(version: string): string {
  return version.split('.').length === 2 ? `${version}.0` : version;
}

/**
 * Why an inventory no longer describes what a cluster deploys: one reason per
 * Application that is missing or changed (chart, version, values, release
 * name, namespace, `skipCrds`), and the cluster-wide inputs that changed
 * (Kubernetes version, an API version declared in `cluster.apiVersions` since
 * the render or no longer declared). Empty when it is
 * current. (An entry of an Application the cluster no longer deploys is not a
 * reason: nothing reads it; see {@link undeployed}.)
 */
export function staleness(inventory: Inventory, inputs: readonly RenderInputs[], kubernetesVersion: string, apiVersions: readonly string[]): string[] {
  const reasons: string[] = [];
  if (inventory.kubeVersion !== fullKubeVersion(kubernetesVersion)) reasons.push(`Kubernetes ${inventory.kubeVersion} → ${fullKubeVersion(kubernetesVersion)}`);
  const missingApis = apiVersions.filter((api) => !inventory.apiVersions.includes(api));
  if (missingApis.length > 0) reasons.push(`cluster.apiVersions gained ${missingApis.join(', ')}`);
  const removedApis = (inventory.declaredApiVersions ?? []).filter((api) => !apiVersions.includes(api));
  if (removedApis.length > 0) reasons.push(`cluster.apiVersions lost ${removedApis.join(', ')}`);
  for (const input of [...inputs].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const app = inventory.applications.get(input.name);
    if (app === undefined) {
      reasons.push(`${input.name} (not rendered yet)`);
      continue;
    }
    const changed: string[] = [];
    if (app.repoURL !== input.repoURL || app.chart !== input.chart) changed.push(`chart ${app.repoURL} ${app.chart} → ${input.repoURL} ${input.chart}`);
    if (app.version !== input.version) changed.push(`version ${app.version} → ${input.version}`);
    if (app.values !== input.values) changed.push('values');
    if (app.releaseName !== input.releaseName) changed.push(`release name ${app.releaseName} → ${input.releaseName}`);
    if (app.namespace !== input.namespace) changed.push(`namespace ${app.namespace} → ${input.namespace}`);
    if (app.skipCrds !== input.skipCrds) changed.push(input.skipCrds ? 'skipCrds on' : 'skipCrds off');
    if (changed.length > 0) reasons.push(`${input.name} (${changed.join(', ')})`);
  }
  return reasons;
}

/** Applications the inventory lists that the cluster no longer deploys, sorted. */
export function undeployed(inventory: Inventory, inputs: readonly RenderInputs[]): string[] {
  const names = new Set(inputs.map((input) => input.name));
  return [...inventory.applications.keys()].filter((name) => !names.has(name)).sort();
}

/** Two entries that differ at most in which package of the same chart version they were rendered from. */
function samePackageVersion(a: InventoryApplication, b: InventoryApplication): boolean {
  return a.repoURL === b.repoURL && a.chart === b.chart && a.version === b.version && a.renderedVersion === b.renderedVersion;
}

/**
 * The inventory to write, or to compare with the committed one, where only the
 * published package identifies a chart: an entry rendered from a local package
 * (`package: local`) keeps the committed entry's digest when everything else about
 * it is unchanged, so rendering from fixtures changes nothing; with `check`, a
 * committed local entry is also not held against a published package of the same
 * version (its digest pins nothing). A published entry always replaces a local one
 * when written.
 */
export function alignLocalDigests(next: Inventory, committed: Inventory | undefined, check: boolean): Inventory {
  if (committed === undefined) return next;
  const applications = new Map<string, InventoryApplication>();
  for (const [name, app] of next.applications) {
    const old = committed.applications.get(name);
    const local = app.package === 'local' || (check && old?.package === 'local');
    if (old === undefined || !local || !samePackageVersion(app, old)) {
      applications.set(name, app);
      continue;
    }
    const aligned: InventoryApplication = { ...app, digest: old.digest, ...(old.package === undefined ? {} : { package: old.package }) };
    if (old.package === undefined) delete (aligned as { package?: string }).package;
    // Rendered from another package, the entry keeps the committed pin only if it renders the same objects.
    applications.set(name, serializeEntry(aligned) === serializeEntry(old) ? aligned : app);
  }
  return { ...next, applications };
}

function serializeEntry(app: InventoryApplication): string {
  return JSON.stringify([app.values, app.releaseName, app.namespace, app.skipCrds, app.objects.map(formatObject), app.crds.map(formatCrd)]);
}
