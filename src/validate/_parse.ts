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

/** A document of a file's text: the text's sha1 and the document's index (for a document handed over as an object, its own key and 0). */
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
const PARSED_FORMAT = 2;

/** Entries the parse cache keeps at least, used or not. */
const KEPT_ENTRIES = 2000;

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

  /**
   * The key of a document handed over as an object (not text): what the cache remembers of it is which
   * validator accepted it (its content is not kept: the caller has it).
   */
  public document(document: object): DocumentKey {
    const key = `o:${createHash('sha1').update(JSON.stringify(document)).digest('base64')}`;
    let parsed = this.entries[key];
    if (parsed === undefined) {
      parsed = { d: [] };
      this.entries[key] = parsed;
    }
    this.used.set(key, parsed);
    return { text: key, index: 0 };
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
   * Writes the entries this run used, and the older ones until they outnumber them four times over (and 2,000):
   * render checks one cluster at a time, synth both, and neither drops what the other remembers. One entry at a
   * time: the JSON of a large catalog's cache is never one string in memory.
   */
  public save(): void {
    if (!this.changed || this.file === undefined) return;
    // Every used entry is also in `entries` (parse and document put it there), under the same key.
    const all = Object.keys(this.entries);
    const keys = all.length < Math.max(4 * this.used.size, KEPT_ENTRIES) ? all : [...this.used.keys()];
    const entries = this.entries;
    this.files.writeSealed(this.file, 'parsed', PARSED_FORMAT, function* () {
      yield '{';
      for (const [i, key] of keys.entries()) yield `${i === 0 ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(entries[key])}`;
      yield '}';
    });
  }
}

/**
 * Rendered files: path relative to the output folder → the file's text, or the one
 * document it holds (what synth is about to write, not yet written as YAML).
 */
export type RenderedFiles = FileMap | ReadonlyMap<string, string | object>;

/** Parses every file of a file map. `shownDir` prefixes paths in findings (`dist`). */
export function parseFiles(files: RenderedFiles, shownDir: string, cache: ParseCache): ParsedFiles {
  const objects: RenderedObject[] = [];
  const values: ValuesFile[] = [];
  const findings: Finding[] = [];
  for (const [path, content] of files) {
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
    let documents: readonly unknown[] = [content];
    let key: string | undefined;
    if (typeof content === 'string') {
      const { key: textKey, parsed } = cache.parse(content);
      if ('e' in parsed) {
        problem(`not valid YAML: ${parsed.e}`, 'fix the YAML syntax');
        continue;
      }
      [documents, key] = [parsed.d, textKey];
    }
    if (inValues) {
      values.push({ path, file, cluster, values: documents[0] ?? {} });
      continue;
    }
    if (documents.length === 0 || documents.every((doc) => doc === null)) {
      problem('holds no object', 'remove the empty file');
    }
    for (const [index, doc] of documents.entries()) {
      if (doc === null) continue;
      if (typeof doc !== 'object' || Array.isArray(doc) || typeof (doc as KubeObject).apiVersion !== 'string' || typeof (doc as KubeObject).kind !== 'string') {
        problem('not a Kubernetes object: expected a mapping with apiVersion and kind (strings)', 'render one Kubernetes object per document');
        continue;
      }
      const object = doc as KubeObject;
      const metadata = object.metadata as { name?: unknown } | undefined;
      const name = typeof metadata?.name === 'string' ? metadata.name : '?';
      const component = info.role === 'supporting' ? info.component : undefined;
      objects.push({
        path,
        file,
        cluster,
        role: info.role as FileRole,
        component,
        object,
        label: `${object.kind}/${name}`,
        source: key === undefined ? cache.document(object) : { text: key, index },
      });
    }
  }
  return { objects, values, findings };
}
