/**
 * Reads rendered files into objects, and tells what each file is by where it
 * sits (the layout `synth/layout.ts` writes):
 *
 * ```
 * <cluster>/<name>.yaml                 child Application, applied by the root app
 * <cluster>/<component>/<file>.yaml     supporting manifest, applied by the component's Application
 * <cluster>/bootstrap/<file>.yaml       bootstrap object, applied once by hand
 * <cluster>/bootstrap/values/<f>.yaml   Helm values for a chart installed by hand (no object)
 * ```
 *
 * Files that are not YAML or JSON (a README) are documentation and skipped.
 *
 * Parsing YAML is the slowest step of validating (about half a millisecond per
 * file), so parsed documents are cached by the sha1 of the text: a synth that
 * renders what it rendered before parses nothing. The cache also remembers which
 * compiled validator accepted each document, so an unchanged object is not
 * validated (and its validator not even loaded) again; a validator's id names
 * its schema, CRD content and compiler, so any change to those validates anew.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { unseal } from '../core/sealed';
import { describeFile } from '../synth/layout';
import type { FileMap } from '../synth/cluster-files';
import type { CacheFiles } from './files';
import type { Finding } from './finding';

/** Where a rendered object is applied from. */
export type FileRole = 'child' | 'supporting' | 'bootstrap';

/** A Kubernetes object as rendered: a mapping with at least `apiVersion` and `kind`. */
export type KubeObject = { readonly apiVersion: string; readonly kind: string; readonly [key: string]: unknown };

/** One object of a rendered file. */
export interface RenderedObject {
  /** Path relative to the output folder (`kkg/cert-manager.yaml`). */
  readonly path: string;
  /** Path as shown in findings (`dist/kkg/cert-manager.yaml`). */
  readonly file: string;
  readonly cluster: string;
  readonly role: FileRole;
  /** The component whose Application applies it (supporting manifests only). */
  readonly component?: string;
  readonly object: KubeObject;
  /** `Kind/name`. */
  readonly label: string;
  /** Where {@link ParseCache} keeps what is known about this document. */
  readonly source: DocumentKey;
}

/** A document of a file's text: the text's sha1 and the document's index. */
export interface DocumentKey {
  readonly text: string;
  readonly index: number;
}

/** A Helm values file (not an object). */
export interface ValuesFile {
  readonly path: string;
  readonly file: string;
  readonly cluster: string;
  readonly values: unknown;
}

/** Everything read from a file map, and what could not be read. */
export interface ParsedFiles {
  readonly objects: readonly RenderedObject[];
  readonly values: readonly ValuesFile[];
  readonly findings: readonly Finding[];
}

/** A parsed text: its documents (and per document the id of the validator that accepted it), or its first syntax error. */
type Parsed = { readonly d: unknown[]; ok?: (string | null)[] } | { readonly e: string };

/** The format of `parsed.json` (sealed: an edited, cut or foreign file is ignored, so no object is taken as accepted on its word). */
const PARSED_FORMAT = 1;

function readSealedJson(text: string | undefined): Record<string, Parsed> | undefined {
  const body = unseal('parsed', PARSED_FORMAT, text);
  return body === undefined ? undefined : (JSON.parse(body) as Record<string, Parsed>);
}

/**
 * YAML documents by the sha1 of their text, kept in one JSON file of the cache
 * folder, or (without a file) in memory for the life of the process.
 */
export class ParseCache {
  private static readonly inMemory: Record<string, Parsed> = {};
  private readonly entries: Record<string, Parsed>;
  private readonly used = new Map<string, Parsed>();
  private changed = false;

  /** @param file the cache file; undefined keeps entries in memory, shared by every run in this process */
  constructor(
    private readonly files: CacheFiles,
    private readonly file: string | undefined,
  ) {
    this.entries = file === undefined ? ParseCache.inMemory : (readSealedJson(files.read(file)) ?? {});
  }

  /** The documents of a YAML text, or its first syntax error, with the text's key. */
  public parse(text: string): { readonly key: string; readonly parsed: Parsed } {
    const key = createHash('sha1').update(text).digest('base64');
    let parsed = this.entries[key];
    if (parsed === undefined) {
      const docs = parseAllDocuments(text);
      const errors = docs.flatMap((doc) => doc.errors);
      parsed = errors.length > 0 ? { e: errors[0].message.split('\n')[0] } : { d: docs.map((doc) => doc.toJS()) };
      this.entries[key] = parsed;
      this.changed = true;
    }
    this.used.set(key, parsed);
    return { key, parsed };
  }

  /** True when the validator `id` accepted this document before. */
  public accepted(document: DocumentKey, id: string): boolean {
    const parsed = this.entries[document.text];
    return parsed !== undefined && 'd' in parsed && parsed.ok?.[document.index] === id;
  }

  /** Remembers that the validator `id` accepts this document. */
  public accept(document: DocumentKey, id: string): void {
    const parsed = this.entries[document.text];
    if (parsed === undefined || !('d' in parsed)) return;
    parsed.ok ??= parsed.d.map(() => null);
    parsed.ok[document.index] = id;
    this.changed = true;
  }

  /**
   * Writes the entries this run used (older ones are dropped once they outnumber
   * them), one entry at a time: the JSON of a large catalog's cache is never one
   * string in memory.
   */
  public save(): void {
    if (!this.changed || this.file === undefined) return;
    // Every used entry is also in `entries` (parse puts it there), under the same key.
    const keys = Object.keys(this.entries).length < 4 * this.used.size ? Object.keys(this.entries) : [...this.used.keys()];
    const entries = this.entries;
    this.files.writeSealed(this.file, 'parsed', PARSED_FORMAT, function* () {
      yield '{';
      for (const [i, key] of keys.entries()) yield `${i === 0 ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(entries[key])}`;
      yield '}';
    });
  }
}

/** Parses every file of a file map. `shownDir` prefixes paths in findings (`dist`). */
export function parseFiles(files: FileMap, shownDir: string, cache: ParseCache): ParsedFiles {
  const objects: RenderedObject[] = [];
  const values: ValuesFile[] = [];
  const findings: Finding[] = [];
  for (const [path, text] of files) {
    const file = shownDir === '' ? path : join(shownDir, path);
    const info = describeFile(path);
    const cluster = info?.cluster ?? (path.includes('/') ? path.split('/')[0] : '');
    const problem = (message: string, fix: string): void => {
      findings.push({ rule: 'schema', cluster, file, path: '', message, fix });
    };
    if (info?.role === 'document') {
      continue; // documentation (README.md): no manifest reads it
    }
    const inValues = info?.role === 'values';
    if (info === undefined) {
      problem(
        'not where Argo CD or the bootstrap reads manifests',
        'render manifests only as <cluster>/<name>.yaml, <cluster>/<component>/<name>.yaml or <cluster>/bootstrap/<name>.yaml',
      );
      continue;
    }
    if (!path.endsWith('.yaml')) {
      problem('expected the extension .yaml (the root app reads *.yaml only)', 'rename the file to .yaml');
      continue;
    }
    const { key, parsed } = cache.parse(text);
    if ('e' in parsed) {
      problem(`not valid YAML: ${parsed.e}`, 'fix the YAML syntax');
      continue;
    }
    if (inValues) {
      values.push({ path, file, cluster, values: parsed.d[0] ?? {} });
      continue;
    }
    if (parsed.d.length === 0 || parsed.d.every((doc) => doc === null)) {
      problem('holds no object', 'remove the empty file');
    }
    for (const [index, doc] of parsed.d.entries()) {
      if (doc === null) continue;
      if (typeof doc !== 'object' || Array.isArray(doc) || typeof (doc as KubeObject).apiVersion !== 'string' || typeof (doc as KubeObject).kind !== 'string') {
        problem('not a Kubernetes object: expected a mapping with apiVersion and kind (strings)', 'render one Kubernetes object per document');
        continue;
      }
      const object = doc as KubeObject;
      const metadata = object.metadata as { name?: unknown } | undefined;
      const name = typeof metadata?.name === 'string' ? metadata.name : '?';
      const component = info.role === 'supporting' ? info.component : undefined;
      objects.push({ path, file, cluster, role: info.role as FileRole, component, object, label: `${object.kind}/${name}`, source: { text: key, index } });
    }
  }
  return { objects, values, findings };
}
