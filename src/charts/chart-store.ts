/**
 * Chart packages, found the way a user's machine can: an offline folder of
 * `.tgz` files given on the command line or in `PKE_CHARTS`; the local cache
 * `.cache/charts/<repository>/<chart>-<version>.tgz`; or pulled from the chart
 * repository into that cache. Every package is checked to be the chart and
 * version it claims (its `Chart.yaml`), and identified by its sha256.
 *
 * A pulled package is the published one: its sha256 must be the `digest` of its
 * version in the repository's `index.yaml` (an OCI chart: the manifest digest Helm
 * reports), that digest must be the one the committed inventory pins (a published
 * version never changes: anything else is a re-tag, refused), and a repository
 * with a keyring in `keys/charts/` must sign it (`.prov`, `helm verify`). A local
 * package is published only when its digest is the pinned published one.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { UserError } from '../core/user-error';
import { type HelmBinary, helmFailure, locateHelm, runHelm } from './helm';
import { fileSystemProblem, readRegularFile } from '../core/file-system';
import { writeAtomically } from '../core/atomic-write';
import { type Inventory, OFFLINE_RENDER_COMMAND } from '../inventory/inventory';
import { download, RepositoryIndex, RepositoryUnreachable } from './_repository';

/** Largest chart package read (the largest real one, traefik 37's, is about 250 KiB). */
const CHART_PACKAGE_LIMIT = 64 * 1024 * 1024;

/** A chart at a version in a repository, as an Application names it. */
export interface ChartRef {
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
}

/** A chart package on disk. */
export interface ChartPackage {
  readonly path: string;
  /** `sha256:<hex>` of the package. */
  readonly digest: string;
  /** The version inside the package: the wanted one, or the nearest one an offline folder had. */
  readonly version: string;
  /** Where it came from, for the summary. */
  readonly source: 'offline' | 'cache' | 'pulled';
  /**
   * The package is the one its repository publishes: pulled and checked against the
   * repository's `index.yaml` digest (or an OCI manifest digest), or a local file with
   * exactly the digest the inventory pins as published. False for any other local file
   * (a test fixture, a re-packaged chart, the nearest version).
   */
  readonly published: boolean;
}

/** Why a chart could not be had, and what to do (one line). */
export class ChartUnavailable extends Error {}

/** What the committed inventories pin for one chart version: `<repoURL> <chart> <version>` → digest. */
export interface ChartPin {
  readonly digest: string;
  /** The digest is the one the repository publishes (not a local package's). */
  readonly published: boolean;
  /** The inventory file that pins it, for messages. */
  readonly file: string;
}

/** Options of {@link ChartStore}. */
export interface ChartStoreOptions {
  /** The cache folder (`.cache/charts`). */
  readonly cacheDir: string;
  /** Offline folders of `<chart>-<version>.tgz`, searched first. */
  readonly offlineDirs: readonly string[];
  /**
   * When the exact version is missing (from the offline folders, or from the
   * repository's index), use the nearest version there (the inventory then says so).
   * @default false
   */
  readonly nearest?: boolean;
  /** Helm, for `helm pull` (OCI) and `helm verify`; undefined: never pull (offline). */
  readonly helm?: HelmBinary;
  /**
   * Repository URL → URL to read it from instead (`*` for every HTTP repository):
   * a mirror, or the test repository on 127.0.0.1 ({@link MIRRORS_ENV}).
   */
  readonly mirrors?: ReadonlyMap<string, string>;
  /**
   * Folder of keyrings, `<repository>.gpg` (named like the cache folder of the
   * repository): a repository with a keyring must sign every package it serves
   * (`.prov`, checked with `helm verify`).
   */
  readonly keyringDir?: string;
  /**
   * Time limit of one HTTP request to a repository.
   * @default 120 s
   */
  readonly timeoutMs?: number;
}

/** The environment variable mapping repository URLs to the URLs they are read from: `<repoURL>=<url>` pairs separated by spaces, `*` for all. */
export const MIRRORS_ENV = 'PKE_CHART_MIRRORS';
/** The environment variable with the time limit of one request to a chart repository, in seconds. */
export const TIMEOUT_ENV = 'PKE_CHART_TIMEOUT';
/** The folder of repository keyrings, relative to the project root. */
export const KEYRING_DIR = 'keys/charts';
/** The command that renders from the test fixtures when no repository answers. */
export const OFFLINE_COMMAND = OFFLINE_RENDER_COMMAND;

/** What is known of a package file, remembered by its size and modification time. */
interface PackageFacts {
  readonly stamp: string;
  readonly digest: string;
  readonly name: string | null;
  readonly version: string | null;
}

/** Finds and fetches chart packages. */
export class ChartStore {
  private readonly memoFile: string;
  private readonly memo: Record<string, PackageFacts>;
  private memoChanged = false;
  private readonly pins = new Map<string, ChartPin>();
  private readonly indexes = new Map<string, RepositoryIndex>();
  private readonly failedRepositories = new Map<string, string>();
  private readonly unsigned = new Set<string>();

  constructor(private readonly options: ChartStoreOptions) {
    for (const dir of options.offlineDirs) {
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ChartUnavailable(`${dir}: no such chart folder (--charts / PKE_CHARTS)`);
    }
    this.memoFile = join(options.cacheDir, 'packages.json');
    let memo: Record<string, PackageFacts> = {};
    try {
      memo = JSON.parse(readFileSync(this.memoFile, 'utf8')) as Record<string, PackageFacts>;
    } catch {
      // first run
    }
    this.memo = memo;
  }

  /**
   * Pins every chart version to the digest the committed inventories record: a
   * published package at a pinned version must have that digest (else it was
   * re-tagged), and a local package with it is the published one.
   */
  public pin(inventories: Iterable<Inventory>): void {
    for (const inventory of inventories) {
      for (const app of inventory.applications.values()) {
        if (app.renderedVersion !== undefined) continue;
        const key = pinKey(app);
        const known = this.pins.get(key);
        if (known === undefined || (!known.published && app.package !== 'local')) {
          this.pins.set(key, { digest: app.digest, published: app.package !== 'local', file: inventory.file });
        }
      }
    }
  }

  /** The repositories that did not answer in this run, with why (for the summary line). */
  public unreachable(): ReadonlyMap<string, string> {
    return this.failedRepositories;
  }

  /** Charts whose repository publishes provenance that no keyring in the repository checks (`<chart> <version> of <repo>`). */
  public unverifiedProvenance(): readonly string[] {
    return [...this.unsigned].sort();
  }

  /** Stores what was learned of package files, so the next run neither hashes nor unpacks them again. */
  public save(): void {
    if (!this.memoChanged) return;
    writeAtomically(this.memoFile, JSON.stringify(this.memo));
    this.memoChanged = false;
  }

  /**
   * The package of `ref`.
   *
   * @throws ChartUnavailable saying what was tried and what to do
   */
  public async resolve(ref: ChartRef): Promise<ChartPackage> {
    const fileName = `${ref.chart}-${ref.version}.tgz`;
    const pin = this.pins.get(pinKey(ref));
    for (const dir of this.options.offlineDirs) {
      const path = join(dir, fileName);
      if (existsSync(path)) {
        const found = this.checked(path, ref, ref.version, 'offline', false);
        return { ...found, published: pin?.published === true && pin.digest === found.digest };
      }
    }
    const cached = join(this.cacheFolder(ref.repoURL), fileName);
    if (existsSync(cached)) {
      const found = this.checked(cached, ref, ref.version, 'cache', true);
      if (pin?.published === true && pin.digest !== found.digest) throw new ChartUnavailable(retagged(ref, found.digest, pin, `the package in ${cached}`));
      return found;
    }
    const near = this.options.nearest === true ? this.nearestOffline(ref) : undefined;
    if (near !== undefined) return this.checked(near.path, ref, near.version, 'offline', false);
    if (this.options.helm === undefined) {
      const hint = this.options.nearest !== true && this.nearestOffline(ref) !== undefined ? '; add --nearest to render the nearest version there' : '';
      throw new ChartUnavailable(
        `${fileName} is not in ${this.where()} and pulling is off (--offline)${hint}; or pass --charts <folder of .tgz> (or set PKE_CHARTS) with it`,
      );
    }
    return this.pull(ref, pin, cached);
  }

  private where(): string {
    return [...this.options.offlineDirs, this.options.cacheDir].join(', ');
  }

  /** `.cache/charts/<host and path of the repository>`. */
  private cacheFolder(repoURL: string): string {
    return join(this.options.cacheDir, repositorySlug(repoURL));
  }

  /** The URL a repository is read from: its mirror, or itself. */
  private source(repoURL: string): string {
    const mirrors = this.options.mirrors;
    return mirrors?.get(repoURL.replace(/\/+$/, '')) ?? mirrors?.get('*') ?? repoURL;
  }

  private async pull(ref: ChartRef, pin: ChartPin | undefined, target: string): Promise<ChartPackage> {
    const oci = ref.repoURL.startsWith('oci://') || !/^[a-z]+:\/\//.test(ref.repoURL);
    if (oci) return this.pullOci(ref, pin, target);
    const fileName = `${ref.chart}-${ref.version}.tgz`;
    const source = this.source(ref.repoURL);
    const via = source === ref.repoURL ? '' : ` (read from ${source})`;
    const failed = this.failedRepositories.get(ref.repoURL);
    const unreachable = (why: string): ChartUnavailable =>
      new ChartUnavailable(
        `${fileName} is not in ${this.where()} and ${ref.repoURL}${via} did not answer (${why}); connect to it, or render offline: ${OFFLINE_COMMAND}`,
      );
    if (failed !== undefined) throw unreachable(failed);
    let index = this.indexes.get(ref.repoURL);
    if (index === undefined) {
      index = new RepositoryIndex(source, this.options.timeoutMs ?? 120_000);
      this.indexes.set(ref.repoURL, index);
    }
    try {
      let lookup = await index.lookup(ref.chart, ref.version);
      let version = ref.version;
      if (!('entry' in lookup)) {
        const near = this.options.nearest === true ? nearestVersion(lookup.versions, ref.version) : undefined;
        if (near === undefined) {
          const hint = lookup.versions.length === 0 ? 'no version of it at all' : `versions ${describeVersions(lookup.versions, ref.version)}`;
          throw new ChartUnavailable(
            `${ref.chart} ${ref.version} is not in the index of ${ref.repoURL}${via} (${hint}); fix the version, or add --nearest to render the nearest one`,
          );
        }
        version = near;
        lookup = await index.lookup(ref.chart, near);
        if (!('entry' in lookup)) throw new ChartUnavailable(`${ref.chart} ${near} vanished from the index of ${ref.repoURL}`);
      }
      const { entry } = lookup;
      if (version === ref.version && pin?.published === true && pin.digest !== entry.digest) {
        throw new ChartUnavailable(retagged(ref, entry.digest, pin, `${ref.repoURL}/index.yaml`));
      }
      const bytes = await download(entry.url, this.options.timeoutMs ?? 120_000);
      if (bytes === undefined) throw new ChartUnavailable(`${entry.url}: HTTP 404, though the index of ${ref.repoURL} lists ${ref.chart} ${version} there`);
      const digest = sha256(bytes);
      if (digest !== entry.digest) {
        throw new ChartUnavailable(
          `${entry.url} has digest ${digest}, but the index of ${ref.repoURL} publishes ${entry.digest} for ${ref.chart} ${version}; refusing it`,
        );
      }
      await this.verifyProvenance(ref, version, entry.url, bytes);
      const path = version === ref.version ? target : join(this.cacheFolder(ref.repoURL), `${ref.chart}-${version}.tgz`);
      writeAtomically(path, bytes);
      return this.checked(path, ref, version, 'pulled', true);
    } catch (error) {
      if (error instanceof RepositoryUnreachable) {
        this.failedRepositories.set(ref.repoURL, error.message);
        throw unreachable(error.message);
      }
      throw error;
    }
  }

  /** With a keyring for the repository, the package's provenance must verify against it; without one, a published `.prov` is only noted. */
  private async verifyProvenance(ref: ChartRef, version: string, url: string, bytes: Buffer): Promise<void> {
    const keyring = this.options.keyringDir === undefined ? undefined : join(this.options.keyringDir, `${repositorySlug(ref.repoURL)}.gpg`);
    const required = keyring !== undefined && existsSync(keyring);
    const prov = await download(`${url}.prov`, this.options.timeoutMs ?? 120_000);
    const what = `${ref.chart} ${version} of ${ref.repoURL}`;
    if (prov === undefined) {
      if (required)
        throw new ChartUnavailable(`${what} has no provenance (${url}.prov: HTTP 404), but ${keyring} requires every package of it to be signed; refusing it`);
      return;
    }
    if (!required) {
      this.unsigned.add(what);
      return;
    }
    mkdirSync(this.options.cacheDir, { recursive: true });
    const tmp = mkdtempSync(join(this.options.cacheDir, '.verify-'));
    try {
      const file = join(tmp, `${ref.chart}-${version}.tgz`);
      writeFileSync(file, bytes);
      writeFileSync(`${file}.prov`, prov);
      const result = await runHelm(this.options.helm as HelmBinary, ['verify', '--keyring', keyring, file], { timeoutMs: 120_000 });
      if (result.code !== 0) {
        throw new ChartUnavailable(`${what} fails provenance verification against ${keyring} (helm verify: ${helmFailure(result)}); refusing it`);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  private async pullOci(ref: ChartRef, pin: ChartPin | undefined, target: string): Promise<ChartPackage> {
    const helm = this.options.helm as HelmBinary;
    const fileName = `${ref.chart}-${ref.version}.tgz`;
    mkdirSync(this.options.cacheDir, { recursive: true });
    const tmp = mkdtempSync(join(this.options.cacheDir, '.pull-'));
    try {
      const reference = `oci://${ref.repoURL.replace(/^oci:\/\//, '').replace(/\/+$/, '')}/${ref.chart}`;
      const result = await runHelm(helm, ['pull', reference, '--version', ref.version, '--destination', tmp], { timeoutMs: 120_000 });
      const pulled = join(tmp, fileName);
      if (result.code !== 0 || !existsSync(pulled)) {
        const why = helmFailure(result);
        this.failedRepositories.set(ref.repoURL, why);
        throw new ChartUnavailable(
          `${fileName} is not in ${this.where()} and \`helm pull\` from ${ref.repoURL} failed (${why}); connect to it, or render offline: ${OFFLINE_COMMAND}`,
        );
      }
      // Helm prints the manifest digest it pulled ("Digest: sha256:…"): that is what the registry publishes.
      const manifest = /Digest: (sha256:[0-9a-f]{64})/.exec(`${result.stdout}\n${result.stderr}`)?.[1];
      if (manifest !== undefined && pin?.published === true && pin.digest !== manifest) throw new ChartUnavailable(retagged(ref, manifest, pin, reference));
      mkdirSync(dirname(target), { recursive: true });
      renameSync(pulled, target);
      const found = this.checked(target, ref, ref.version, 'pulled', true);
      return manifest === undefined ? found : { ...found, digest: manifest };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  /** The highest version below the wanted one in the offline folders, else the lowest above it. */
  private nearestOffline(ref: ChartRef): { path: string; version: string } | undefined {
    const prefix = `${ref.chart}-`;
    const candidates = this.options.offlineDirs.flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => name.startsWith(prefix) && name.endsWith('.tgz'))
        .map((name) => ({ path: join(dir, name), version: name.slice(prefix.length, -'.tgz'.length) })),
    );
    const version = nearestVersion(
      candidates.map((c) => c.version),
      ref.version,
    );
    return candidates.find((c) => c.version === version);
  }

  private checked(path: string, ref: ChartRef, version: string, source: ChartPackage['source'], published: boolean): ChartPackage {
    const stat = statSync(path);
    const stamp = `${stat.size} ${stat.mtimeMs}`;
    let facts = this.memo[path];
    if (facts?.stamp !== stamp) {
      let bytes: Buffer;
      try {
        bytes = readRegularFile(path, CHART_PACKAGE_LIMIT);
      } catch (error) {
        const problem = fileSystemProblem(error);
        if (problem === undefined) throw error;
        throw new ChartUnavailable(`${problem.file}: ${problem.message}`);
      }
      const meta = chartMetadata(bytes);
      facts = { stamp, digest: sha256(bytes), name: meta?.name ?? null, version: meta?.version ?? null };
      this.memo[path] = facts;
      this.memoChanged = true;
    }
    if (facts.name === null) throw new ChartUnavailable(`${path} is not a Helm chart package (no <chart>/Chart.yaml inside)`);
    if (facts.name !== ref.chart || facts.version !== version) {
      throw new ChartUnavailable(`${path} holds chart ${facts.name} ${facts.version}, expected ${ref.chart} ${version}`);
    }
    return { path, digest: facts.digest, version, source, published };
  }
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function pinKey(ref: { readonly repoURL: string; readonly chart: string; readonly version: string }): string {
  return `${ref.repoURL.replace(/\/+$/, '')} ${ref.chart} ${ref.version}`;
}

/** The one line that refuses a re-tagged chart: chart, version and both digests. */
function retagged(ref: ChartRef, published: string, pin: ChartPin, where: string): string {
  return (
    `${ref.chart} ${ref.version} of ${ref.repoURL} was re-tagged: ${where} has ${published}, ${pin.file} pins ${pin.digest}; ` +
    'a published version must never change: check the new package before trusting it, then remove its entry from the inventory and run `npm run render`'
  );
}

/** `.cache/charts/<slug>` and `keys/charts/<slug>.gpg`: the host and path of a repository URL as a file name. */
export function repositorySlug(repoURL: string): string {
  return repoURL
    .replace(/^[a-z]+:\/\//, '')
    .replace(/\/+$/, '')
    .replace(/[^A-Za-z0-9.-]+/g, '_');
}

/** The highest version below the wanted one, else the lowest above it; only semantic versions count. */
function nearestVersion(versions: readonly string[], wanted: string): string | undefined {
  const valid = versions.filter((v) => /^v?\d+\.\d+\.\d+/.test(v));
  const below = valid.filter((v) => compareVersions(v, wanted) < 0).sort((a, b) => compareVersions(b, a));
  const above = valid.filter((v) => compareVersions(v, wanted) > 0).sort(compareVersions);
  return below[0] ?? above[0];
}

/** The versions next to `wanted`, for a message: `5.7.0, 5.8.1 (of 42)`. */
function describeVersions(versions: readonly string[], wanted: string): string {
  const sorted = versions.filter((v) => /^v?\d+\.\d+\.\d+/.test(v)).sort(compareVersions);
  const below = sorted.filter((v) => compareVersions(v, wanted) < 0).slice(-2);
  const above = sorted.filter((v) => compareVersions(v, wanted) > 0).slice(0, 2);
  return `${[...below, ...above].join(', ')} (of ${versions.length})`;
}

/** The `PKE_CHART_MIRRORS` pairs: `<repoURL>=<url>` separated by spaces, `*` for every repository. */
export function parseMirrors(text: string | undefined): Map<string, string> {
  const mirrors = new Map<string, string>();
  for (const pair of (text ?? '').split(/\s+/).filter((p) => p !== '')) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1)
      throw new ChartUnavailable(`${MIRRORS_ENV}: expected <repoURL>=<url> pairs separated by spaces, got ${JSON.stringify(pair)}`);
    mirrors.set(pair.slice(0, at).replace(/\/+$/, ''), pair.slice(at + 1));
  }
  return mirrors;
}

/** Semantic-version order (a leading `v` ignored; pre-releases before their release). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string): [number[], string] => {
    const [core, pre = ''] = v.replace(/^v/, '').split(/[-+]/, 2);
    return [core.split('.').map(Number), pre];
  };
  const [ac, ap] = parts(a);
  const [bc, bp] = parts(b);
  for (let i = 0; i < 3; i++) if ((ac[i] ?? 0) !== (bc[i] ?? 0)) return (ac[i] ?? 0) - (bc[i] ?? 0);
  if (ap === bp) return 0;
  if (ap === '') return 1;
  if (bp === '') return -1;
  return ap < bp ? -1 : 1;
}

/** `name` and `version` of the top-level `Chart.yaml` in a chart package (a gzipped tar). */
export function chartMetadata(tgz: Buffer): { name: string; version: string } | undefined {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz);
  } catch {
    return undefined;
  }
  let longName: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number): string => header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = longName ?? (prefix === '' ? field(0, 100) : `${prefix}/${field(0, 100)}`);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    longName = type === 'L' ? body.toString('utf8').replace(/\0.*$/s, '') : undefined;
    if ((type === '0' || type === '') && /^[^/]+\/Chart\.yaml$/.test(name)) {
      const chart = parse(body.toString('utf8')) as { name?: unknown; version?: unknown } | null;
      if (typeof chart?.name === 'string' && chart.version !== undefined) return { name: chart.name, version: String(chart.version) };
      return undefined;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

/** Where a command gets Helm and chart packages from. */
export interface ChartSources {
  /** The project root (`.cache/` is under it). */
  readonly root: string;
  /** The process environment (`HELM`, `PATH`). */
  readonly env: NodeJS.ProcessEnv;
  /** Offline folders of `<chart>-<version>.tgz`. */
  readonly chartDirs: readonly string[];
  /** Use the nearest version an offline folder has when the exact one is missing. */
  readonly nearest: boolean;
  /** Never `helm pull`. */
  readonly offline: boolean;
}

/**
 * The Helm a command renders with and its chart store (`.cache/helm/`,
 * `.cache/charts/`).
 *
 * @throws UserError naming `command` when Helm is missing or an offline folder does not exist
 */
export function openCharts(command: string, sources: ChartSources): { readonly helm: HelmBinary; readonly store: ChartStore } {
  const cache = join(sources.root, '.cache');
  const helm = locateHelm({ root: sources.root, cacheDir: join(cache, 'helm'), env: sources.env });
  try {
    const timeout = sources.env[TIMEOUT_ENV];
    const seconds = timeout === undefined || timeout === '' ? undefined : Number(timeout);
    if (seconds !== undefined && !(seconds > 0))
      throw new ChartUnavailable(`${TIMEOUT_ENV}: expected a number of seconds above 0, got ${JSON.stringify(timeout)}`);
    return {
      helm,
      store: new ChartStore({
        cacheDir: join(cache, 'charts'),
        offlineDirs: sources.chartDirs,
        nearest: sources.nearest,
        mirrors: parseMirrors(sources.env[MIRRORS_ENV]),
        keyringDir: join(sources.root, KEYRING_DIR),
        ...(seconds === undefined ? {} : { timeoutMs: seconds * 1000 }),
        ...(sources.offline ? {} : { helm }),
      }),
    };
  } catch (error) {
    if (error instanceof ChartUnavailable) throw new UserError([{ file: command, message: error.message }]);
    throw error;
  }
}

/**
 * Runs `body`; when it fails with chart repositories that did not answer, the
 * problems are led by one summary line: which repositories, and the exact
 * command that renders offline.
 */
export async function withOfflineSummary<T>(store: ChartStore, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    const failed = store.unreachable();
    if (!(error instanceof UserError) || failed.size === 0) throw error;
    const summary = `no answer from ${failed.size === 1 ? 'the chart repository' : `${failed.size} chart repositories`} ${[...failed.keys()].join(', ')}: connect to ${failed.size === 1 ? 'it' : 'them'}, or render from the test fixtures: ${OFFLINE_COMMAND}`;
    const wrapped = new UserError(error.problems);
    wrapped.message = `${summary}\n${error.message}`;
    throw wrapped;
  }
}
