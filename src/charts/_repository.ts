/**
 * A Helm chart repository over HTTP(S), as `helm pull --repo` reads it: its
 * `index.yaml` (the published digest of every version) and the package and
 * provenance files the index points at. Every request has a time limit, and a
 * repository that fails once is not asked again in the same run.
 */
import { load } from 'js-yaml';

/** A version of a chart as a repository's `index.yaml` publishes it. */
export interface IndexEntry {
  /** `sha256:<hex>` of the package, as published. */
  readonly digest: string;
  /** Absolute URL of the package. */
  readonly url: string;
}

/** What a repository's index says about one chart. */
export type IndexLookup = { readonly entry: IndexEntry } | { readonly versions: readonly string[] };

/** The repository did not answer as a repository does (unreachable, timed out, an HTTP error, not an index). */
export class RepositoryUnreachable extends Error {}

/** Largest `index.yaml` read (Grafana's is tens of MiB). */
const MAX_INDEX_BYTES = 256 * 1024 * 1024;
/** Largest chart package or provenance file read. */
const MAX_PACKAGE_BYTES = 64 * 1024 * 1024;

/** Reads one URL whole, within `timeoutMs`; undefined for a 404. */
export async function download(url: string, timeoutMs: number, maxBytes = MAX_PACKAGE_BYTES): Promise<Buffer | undefined> {
  let response: Response;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (error) {
    throw new RepositoryUnreachable(`${url}: ${networkReason(error, timeoutMs)}`);
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new RepositoryUnreachable(`${url}: HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`);
  }
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > maxBytes) {
    await response.body?.cancel();
    throw new RepositoryUnreachable(`${url}: ${length} bytes, more than the ${maxBytes} read`);
  }
  try {
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > maxBytes) throw new RepositoryUnreachable(`${url}: more than the ${maxBytes} bytes read`);
    return bytes;
  } catch (error) {
    if (error instanceof RepositoryUnreachable) throw error;
    throw new RepositoryUnreachable(`${url}: ${networkReason(error, timeoutMs)}`);
  }
}

function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown }).code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}

/** One repository's index, read once per run. */
export class RepositoryIndex {
  private entries: Promise<Record<string, unknown>> | undefined;

  /**
   * @param base the URL to read from (the repository's, or the mirror's that stands in for it)
   */
  constructor(
    private readonly base: string,
    private readonly timeoutMs: number,
  ) {}

  /** `<base>/<path>`. */
  public url(path: string): string {
    return new URL(path, `${this.base.replace(/\/+$/, '')}/`).toString();
  }

  /**
   * The published entry of `chart` at `version`, or the versions the index has.
   *
   * @throws RepositoryUnreachable when the index cannot be had
   */
  public async lookup(chart: string, version: string): Promise<IndexLookup> {
    this.entries ??= this.read();
    const entries = await this.entries;
    const list = entries[chart];
    const versions = Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
    const found = versions.find((item) => String(item.version) === version);
    if (found === undefined) return { versions: versions.map((item) => String(item.version)) };
    const urls = Array.isArray(found.urls) ? found.urls.filter((u): u is string => typeof u === 'string') : [];
    if (typeof found.digest !== 'string' || !/^(sha256:)?[0-9a-f]{64}$/.test(found.digest) || urls.length === 0) {
      throw new RepositoryUnreachable(`${this.url('index.yaml')}: the entry of ${chart} ${version} has no sha256 digest or no URL`);
    }
    return { entry: { digest: found.digest.startsWith('sha256:') ? found.digest : `sha256:${found.digest}`, url: this.url(urls[0]) } };
  }

  private async read(): Promise<Record<string, unknown>> {
    const url = this.url('index.yaml');
    const bytes = await download(url, this.timeoutMs, MAX_INDEX_BYTES);
    if (bytes === undefined) throw new RepositoryUnreachable(`${url}: HTTP 404 (not a Helm chart repository)`);
    let data: unknown;
    try {
      data = load(bytes.toString('utf8'));
    } catch (error) {
      throw new RepositoryUnreachable(`${url}: not YAML (${(error as Error).message.split('\n')[0]})`);
    }
    const entries = (data as { entries?: unknown } | null)?.entries;
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries))
      throw new RepositoryUnreachable(`${url}: no "entries" mapping (not a Helm repository index)`);
    return entries as Record<string, unknown>;
  }
}
