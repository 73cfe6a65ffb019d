/**
 * `npm run crds`: downloads every vendored CRD again from its pinned upstream URL
 * (`crds/sources.json`), checks it, transforms it, and rewrites the files that
 * changed. All or nothing: when any host is unreachable, any download fails, a
 * blob differs from its pin or a transform fails, nothing is written.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type Problem, UserError } from '../core/user-error';
import { type CrdSource, readSources, SOURCES_FILE } from './sources';
import { applyTransform, TransformError } from './transforms';
import { partialPath } from '../core/atomic-write';

/** What the command needs of `fetch`, so tests can stand in for the network. */
export type Fetch = (url: string, init: { readonly signal: AbortSignal }) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/** How long one download may take. */
export const DOWNLOAD_TIMEOUT_MS = 20_000;

/** What happened to one file. */
export interface Outcome {
  /** Path of the file, e.g. `crds/argo-cd/application-crd.yaml`. */
  readonly path: string;
  readonly status: 'unchanged' | 'updated' | 'added';
  /** Git blob id of the upstream file. */
  readonly blob: string;
}

/** The git blob id of some bytes, as `git hash-object` computes it. */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

type Download = { readonly source: CrdSource; readonly bytes: Uint8Array } | { readonly source: CrdSource; readonly unreachable: string } | { readonly source: CrdSource; readonly status: string };

/** Why a request never got an answer, in a few words (`getaddrinfo ENOTFOUND raw.githubusercontent.com`). */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
  if (typeof cause?.code === 'string') return cause.code;
  if ((error as Error).name === 'TimeoutError') return `no answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s`;
  return (error as Error).message ?? String(error);
}

async function download(source: CrdSource, fetchUrl: Fetch): Promise<Download> {
  try {
    const response = await fetchUrl(source.url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (!response.ok) return { source, status: `HTTP ${response.status} ${response.statusText}`.trim() };
    return { source, bytes: new Uint8Array(await response.arrayBuffer()) };
  } catch (error) {
    return { source, unreachable: networkReason(error) };
  }
}

/** Every `*.yaml` below `dir`, relative to it. */
function vendoredFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => name.split('\\').join('/'))
    .sort();
}

/** One line per unreachable host, naming how many files it holds. */
function hostProblems(unreachable: readonly { readonly source: CrdSource; readonly unreachable: string }[], dir: string): Problem[] {
  const byHost = new Map<string, { reason: string; files: number }>();
  for (const { source, unreachable: reason } of unreachable) {
    const host = new URL(source.url).host;
    const entry = byHost.get(host) ?? { reason, files: 0 };
    entry.files += 1;
    byHost.set(host, entry);
  }
  return [...byHost].map(([host, { reason, files }]) => ({
    file: host,
    message: `not reachable (${reason}); ${files} file(s) of ${dir}/ not refreshed`,
  }));
}

/** The vendored content of one download, or the problem with it. */
function vendoredContent(source: CrdSource, bytes: Uint8Array, dir: string): { content: Uint8Array; blob: string } | Problem {
  const path = `${dir}/${source.file}`;
  const blob = gitBlobId(bytes);
  if (source.blob !== undefined && blob !== source.blob) {
    return {
      file: path,
      message:
        `expected upstream blob ${source.blob} (${dir}/${SOURCES_FILE}), got ${blob} from ${source.url}: ` +
        'the tag moved or the pin changed; check the file, then set its blob',
    };
  }
  if (source.transform === undefined) return { content: bytes, blob };
  try {
    return { content: Buffer.from(applyTransform(Buffer.from(bytes).toString('utf8'), source.transform)), blob };
  } catch (error) {
    if (!(error instanceof TransformError)) throw error;
    return { file: path, message: `transform ${source.transform.name} cannot handle ${source.url}: ${error.message}` };
  }
}

/**
 * Refreshes every file of `sources.json` in `dir` (relative to the working
 * directory, as messages show it).
 *
 * @returns what happened to each file, sorted by path
 * @throws UserError with one line per unreachable host, failed download, blob
 *   mismatch, failed transform or unlisted file; nothing is written then
 */
export async function refreshCrds(dir: string, fetchUrl: Fetch): Promise<Outcome[]> {
  const sources = readSources(dir);
  const listed = new Set(sources.map((source) => source.file));
  const unlisted: Problem[] = vendoredFiles(dir)
    .filter((file) => !listed.has(file))
    .map((file) => ({ file: `${dir}/${file}`, message: `not listed in ${dir}/${SOURCES_FILE}; add its url there, or delete the file` }));

  const downloads = await Promise.all(sources.map((source) => download(source, fetchUrl)));
  const problems: Problem[] = [...unlisted];
  problems.push(...hostProblems(downloads.flatMap((d) => ('unreachable' in d ? [d] : [])), dir));
  const writes: { path: string; content: Uint8Array; outcome: Outcome }[] = [];
  for (const result of downloads) {
    const path = `${dir}/${result.source.file}`;
    if ('status' in result) problems.push({ file: path, message: `${result.source.url}: ${result.status}` });
    if (!('bytes' in result)) continue;
    const vendored = vendoredContent(result.source, result.bytes, dir);
    if ('message' in vendored) {
      problems.push(vendored);
      continue;
    }
    const current = existsSync(path) ? readFileSync(path) : undefined;
    const status = current === undefined ? 'added' : Buffer.compare(current, vendored.content) === 0 ? 'unchanged' : 'updated';
    writes.push({ path, content: vendored.content, outcome: { path, status, blob: vendored.blob } });
  }
  if (problems.length > 0) throw new UserError(problems);

  // Every file is complete on disk (temporary name) before the first one is replaced.
  const changed = writes.filter(({ outcome }) => outcome.status !== 'unchanged');
  for (const { path, content } of changed) writeFileSync(partialPath(path), content);
  for (const { path } of changed) renameSync(partialPath(path), path);
  return writes.map(({ outcome }) => outcome).sort((a, b) => a.path.localeCompare(b.path));
}

/** The report of a refresh, one line per file and a closing hint. */
export function refreshReport(outcomes: readonly Outcome[], dir: string): string {
  const lines = outcomes.map(({ path, status, blob }) => `  ${status.padEnd(9)} ${path} (upstream blob ${blob.slice(0, 12)})`);
  const changed = outcomes.filter((o) => o.status !== 'unchanged').length;
  const summary =
    changed === 0
      ? `${dir}/ is current: every file is what its pinned source gives`
      : `${changed} file(s) of ${dir}/ changed: run \`npm run import\`, then commit ${dir}/ and imports/ together`;
  return `${lines.join('\n')}\n${summary}\n`;
}
