/**
 * Reads CustomResourceDefinitions from files as users have them: upstream CRD
 * files (one or several YAML documents), JSON, or the output of
 * `kubectl get crd -o yaml`, which is a `List` of CRDs. Documents that are not
 * CRDs are skipped, so an upstream install bundle works too.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../core/user-error';

/** One version of a CRD, with its schema as served by the API server. */
export interface CrdVersion {
  /** Version name, e.g. `v1alpha1`. */
  readonly name: string;
  /** Whether the API server serves it (an unserved version cannot be applied). */
  readonly served: boolean;
  /** Whether the version is marked deprecated. */
  readonly deprecated: boolean;
  /** `schema.openAPIV3Schema`. */
  readonly openApi: unknown;
}

/** One CRD: the kind it defines and its versions. */
export interface Crd {
  readonly group: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly versions: readonly CrdVersion[];
}

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Every CRD file below the given files and folders (recursively, `*.yaml`,
 * `*.yml`, `*.json`), sorted.
 *
 * @throws UserError for a path that does not exist
 */
export function listCrdFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        const child = join(path, name);
        if (statSync(child).isDirectory() || EXTENSIONS.some((ext) => name.endsWith(ext))) visit(child);
      }
    } else {
      files.push(path);
    }
  };
  for (const path of paths) {
    try {
      statSync(path);
    } catch {
      const message =
        'no such CRD file or folder (synth validates with the CRDs `npm run import` reads, crds/; ' +
        '`npm run validate -- --crds <file or folder>` takes others)';
      throw new UserError([{ file: path, message }]);
    }
    visit(path);
  }
  return [...new Set(files)].sort();
}

/**
 * The CRDs in one file's text.
 *
 * @param file shown in problems
 * @throws UserError when the file is not YAML/JSON or holds a CRD this validator cannot read
 */
export function crdsInText(file: string, text: string): Crd[] {
  const crds: Crd[] = [];
  const problems: string[] = [];
  const collect = (doc: unknown): void => {
    if (!isObject(doc)) return;
    if (Array.isArray(doc.items) && typeof doc.kind === 'string' && doc.kind.endsWith('List')) {
      doc.items.forEach(collect);
    } else if (doc.kind === 'CustomResourceDefinition') {
      if (doc.apiVersion !== 'apiextensions.k8s.io/v1') {
        problems.push(`${String(doc.apiVersion)} CustomResourceDefinitions are not supported; use apiextensions.k8s.io/v1 (Kubernetes 1.16+)`);
        return;
      }
      const crd = readCrd(doc);
      if (typeof crd === 'string') problems.push(crd);
      else crds.push(crd);
    }
  };
  if (file.endsWith('.json')) {
    try {
      collect(JSON.parse(text));
    } catch (error) {
      problems.push(`not valid JSON: ${(error as Error).message}`);
    }
  } else {
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) {
        problems.push(`not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
      } else {
        collect(doc.toJS({ maxAliasCount: -1 }));
      }
    }
  }
  if (problems.length > 0) {
    throw new UserError(problems.map((message) => ({ file, message })));
  }
  return crds;
}

function readCrd(doc: Record<string, unknown>): Crd | string {
  const spec = isObject(doc.spec) ? doc.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const name = isObject(doc.metadata) ? String(doc.metadata.name) : '?';
  if (typeof spec.group !== 'string' || typeof names.kind !== 'string' || !Array.isArray(spec.versions)) {
    return `CustomResourceDefinition ${name}: expected spec.group, spec.names.kind and spec.versions`;
  }
  const versions: CrdVersion[] = [];
  for (const version of spec.versions) {
    if (!isObject(version) || typeof version.name !== 'string') continue;
    const schema = isObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
    if (!isObject(schema)) {
      return `CustomResourceDefinition ${name}: version ${version.name} has no schema.openAPIV3Schema`;
    }
    versions.push({
      name: version.name,
      served: version.served === true,
      deprecated: version.deprecated === true,
      openApi: schema,
    });
  }
  return { group: spec.group, kind: names.kind, scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced', versions };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
