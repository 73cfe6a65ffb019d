/**
 * Chart packages, found the way a user's machine can: an offline folder of
 * `.tgz` files given on the command line or in `PKE_CHARTS`; the local cache
 * `.cache/charts/<repository>/<chart>-<version>.tgz`; or `helm pull` from the
 * chart repository, into that cache. Every package is checked to be the chart
 * and version it claims (its `Chart.yaml`), and identified by its sha256.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { UserError } from '../core/user-error';
import { firstLine, type HelmBinary, locateHelm, runHelm } from './helm';
import { writeAtomically } from '../core/atomic-write';
import { compareVersions, isExactVersion } from '../core/versions';

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
}

/** Why a chart could not be had, and what to do (one line). */
export class ChartUnavailable extends Error {}

/** Options of {@link ChartStore}. */
export interface ChartStoreOptions {
  /** The cache folder (`.cache/charts`). */
  readonly cacheDir: string;
  /** Offline folders of `<chart>-<version>.tgz`, searched first. */
  readonly offlineDirs: readonly string[];
  /**
   * When an offline folder lacks the exact version, use the nearest version of the
   * same chart there (the inventory then says so).
   * @default false
   */
  readonly nearest?: boolean;
  /** Helm, for `helm pull`; undefined: never pull (offline). */
  readonly helm?: HelmBinary;
}

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
    for (const dir of this.options.offlineDirs) {
      const path = join(dir, fileName);
      if (existsSync(path)) return this.checked(path, ref, ref.version, 'offline');
    }
    const cached = join(this.cacheFolder(ref.repoURL), fileName);
    if (existsSync(cached)) return this.checked(cached, ref, ref.version, 'cache');
    if (this.options.nearest === true) {
      const near = this.nearestOffline(ref);
      if (near !== undefined) return this.checked(near.path, ref, near.version, 'offline');
    }
    if (this.options.helm === undefined) {
      throw new ChartUnavailable(`${fileName} is not in ${this.where()} and pulling is off; pass --charts <folder of .tgz> (or set PKE_CHARTS)`);
    }
    const why = await this.pull(ref, cached);
    if (why !== undefined) {
      throw new ChartUnavailable(
        `${fileName} is not in ${this.where()} and \`helm pull\` from ${ref.repoURL} failed (${why}); connect to the repository, or pass --charts <folder of .tgz> (or set PKE_CHARTS)`,
      );
    }
    return this.checked(cached, ref, ref.version, 'pulled');
  }

  private where(): string {
    return [...this.options.offlineDirs, this.options.cacheDir].join(', ');
  }

  /** `.cache/charts/<host and path of the repository>`. */
  private cacheFolder(repoURL: string): string {
    const slug = repoURL
      .replace(/^[a-z]+:\/\//, '')
      .replace(/\/+$/, '')
      .replace(/[^A-Za-z0-9.-]+/g, '_');
    return join(this.options.cacheDir, slug);
  }

  private async pull(ref: ChartRef, target: string): Promise<string | undefined> {
    const helm = this.options.helm as HelmBinary;
    mkdirSync(this.options.cacheDir, { recursive: true });
    const tmp = mkdtempSync(join(this.options.cacheDir, '.pull-'));
    try {
      const oci = ref.repoURL.startsWith('oci://') || !/^[a-z]+:\/\//.test(ref.repoURL);
      const args = oci
        ? ['pull', `oci://${ref.repoURL.replace(/^oci:\/\//, '').replace(/\/+$/, '')}/${ref.chart}`, '--version', ref.version, '--destination', tmp]
        : ['pull', ref.chart, '--repo', ref.repoURL, '--version', ref.version, '--destination', tmp];
      const result = await runHelm(helm, args, { timeoutMs: 120_000 });
      const pulled = join(tmp, `${ref.chart}-${ref.version}.tgz`);
      if (result.code !== 0 || !existsSync(pulled)) return firstLine(result.stderr) ?? `exit ${result.code}`;
      mkdirSync(join(target, '..'), { recursive: true });
      renameSync(pulled, target);
      return undefined;
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
        .map((name) => ({ path: join(dir, name), version: name.slice(prefix.length, -'.tgz'.length) }))
        .filter((c) => isExactVersion(c.version)),
    );
    const below = candidates.filter((c) => compareVersions(c.version, ref.version) < 0).sort((a, b) => compareVersions(b.version, a.version));
    const above = candidates.filter((c) => compareVersions(c.version, ref.version) > 0).sort((a, b) => compareVersions(a.version, b.version));
    return below[0] ?? above[0];
  }

  private checked(path: string, ref: ChartRef, version: string, source: ChartPackage['source']): ChartPackage {
    const stat = statSync(path);
    const stamp = `${stat.size} ${stat.mtimeMs}`;
    let facts = this.memo[path];
    if (facts?.stamp !== stamp) {
      const bytes = readFileSync(path);
      const meta = chartMetadata(bytes);
      facts = { stamp, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, name: meta?.name ?? null, version: meta?.version ?? null };
      this.memo[path] = facts;
      this.memoChanged = true;
    }
    if (facts.name === null) throw new ChartUnavailable(`${path} is not a Helm chart package (no <chart>/Chart.yaml inside)`);
    if (facts.name !== ref.chart || facts.version !== version) {
      throw new ChartUnavailable(`${path} holds chart ${facts.name} ${facts.version}, expected ${ref.chart} ${version}`);
    }
    return { path, digest: facts.digest, version, source };
  }
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
    return {
      helm,
      store: new ChartStore({
        cacheDir: join(cache, 'charts'),
        offlineDirs: sources.chartDirs,
        nearest: sources.nearest,
        ...(sources.offline ? {} : { helm }),
      }),
    };
  } catch (error) {
    if (error instanceof ChartUnavailable) throw new UserError([{ file: command, message: error.message }]);
    throw error;
  }
}
