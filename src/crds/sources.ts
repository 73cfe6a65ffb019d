/**
 * `crds/sources.json`: where each vendored CRD file comes from (its pinned
 * upstream URL), the git blob id of the upstream file when it is known, and the
 * transform that turns it into the vendored file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Problem, UserError } from '../core/user-error';
import { TRANSFORM_NAMES, type Transform } from './transforms';

/** The file name of the sources list inside the CRD folder. */
export const SOURCES_FILE = 'sources.json';

/** One vendored file and its origin. */
export interface CrdSource {
  /** Path inside the CRD folder, e.g. `argo-cd/application-crd.yaml`. */
  readonly file: string;
  /** The upstream file at a tag or commit (raw.githubusercontent.com). */
  readonly url: string;
  /**
   * Git blob id (sha1) of the upstream file: the download must have it.
   * @default - not checked
   */
  readonly blob?: string;
  /**
   * What is changed on the way in.
   * @default - nothing: the vendored file is the upstream file, byte for byte
   */
  readonly transform?: Transform;
  /** Why the vendored file differs from what a refresh writes, when it does. */
  readonly note?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function pointer(...parts: string[]): string {
  return parts.map((part) => `/${part.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The sources of one file, or the problems of its entry. */
function parseEntry(file: string, entry: unknown, where: string): CrdSource | Problem[] {
  const at = (...parts: string[]): string => pointer('files', file, ...parts);
  if (!/^[a-z0-9][a-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*\.yaml$/.test(file)) {
    return [{ file: where, path: at(), message: 'expected a key <project>/<file>.yaml' }];
  }
  if (!isRecord(entry)) return [{ file: where, path: at(), message: 'expected an object with url' }];
  const problems: Problem[] = [];
  const unknown = Object.keys(entry).filter((key) => !['url', 'blob', 'transform', 'note'].includes(key));
  problems.push(...unknown.map((key) => ({ file: where, path: at(key), message: `unknown key "${key}"` })));
  const { url, blob, transform, note } = entry;
  if (typeof url !== 'string' || !/^https:\/\/[a-z0-9.-]+\/\S+$/.test(url)) {
    problems.push({ file: where, path: at('url'), message: `expected an https:// URL, got ${JSON.stringify(url)}` });
  }
  if (blob !== undefined && (typeof blob !== 'string' || !/^[0-9a-f]{40}$/.test(blob))) {
    problems.push({ file: where, path: at('blob'), message: `expected a git blob id (40 hex digits), got ${JSON.stringify(blob)}` });
  }
  if (note !== undefined && typeof note !== 'string') {
    problems.push({ file: where, path: at('note'), message: `expected a string, got ${JSON.stringify(note)}` });
  }
  if (transform !== undefined) {
    if (!isRecord(transform) || !TRANSFORM_NAMES.includes(transform.name as Transform['name'])) {
      problems.push({ file: where, path: at('transform', 'name'), message: `expected one of ${TRANSFORM_NAMES.join(', ')}` });
    } else if (typeof transform.release !== 'string' || typeof transform.version !== 'string' || Object.keys(transform).length !== 3) {
      problems.push({ file: where, path: at('transform'), message: 'expected { name, release, version } with string values' });
    }
  }
  if (problems.length > 0) return problems;
  return { file, url: url as string, blob: blob as string | undefined, transform: transform as Transform | undefined, note: note as string | undefined };
}

/**
 * Reads and checks `<dir>/sources.json`.
 * @throws UserError naming the file and the JSON path of every problem
 */
export function readSources(dir: string): CrdSource[] {
  const where = join(dir, SOURCES_FILE);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(where, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UserError([{ file: where, message: `cannot read the list of CRD sources (${reason})` }]);
  }
  if (!isRecord(data) || !isRecord(data.files)) {
    throw new UserError([{ file: where, path: '/files', message: 'expected an object of <project>/<file>.yaml → { url, blob?, transform?, note? }' }]);
  }
  const parsed = Object.entries(data.files).map(([file, entry]) => parseEntry(file, entry, where));
  const problems = parsed.flatMap((entry) => (Array.isArray(entry) ? entry : []));
  if (problems.length > 0) throw new UserError(problems);
  return (parsed as CrdSource[]).sort((a, b) => a.file.localeCompare(b.file));
}
