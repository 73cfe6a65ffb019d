/**
 * ObjectMeta as the API server validates it. A CRD's schema says only
 * `metadata: {type: object}`, so the fields rendered here (name, namespace,
 * labels, annotations, finalizers) are checked by hand, with the API server's
 * rules: label and annotation keys are qualified names, label values at most 63
 * characters, annotations at most 256 KiB in total, finalizers a set of
 * qualified names, and no namespace on a cluster-scoped kind. Fields the API
 * server sets are refused; any other unknown field is a typo.
 */
import { didYouMean } from '../config/load';

/** A problem inside `metadata`. */
export interface MetaProblem {
  /** JSON Pointer from the object root. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const RENDERED = ['name', 'namespace', 'labels', 'annotations', 'finalizers'];
const SET_BY_SERVER = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];
const OTHER = ['generateName', 'ownerReferences'];
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Escapes one JSON Pointer segment. */
export function pointer(segment: string): string {
  return segment.includes('~') || segment.includes('/') ? segment.replace(/~/g, '~0').replace(/\//g, '~1') : segment;
}

/** Why `key` is not a qualified name (`[prefix/]name`), or undefined when it is one. */
export function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `prefix "${prefix}" is not a DNS-1123 subdomain`;
  }
  if (name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return `name part "${name}" must be at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric`;
  }
  return undefined;
}

/**
 * Every problem of an object's `metadata`.
 *
 * @param scope of the kind, when known: a cluster-scoped object must have no namespace
 */
export function objectMetaProblems(object: Readonly<Record<string, unknown>>, scope: 'Namespaced' | 'Cluster' | undefined): MetaProblem[] {
  const problems: MetaProblem[] = [];
  const add = (path: string, message: string, fix: string): void => {
    problems.push({ path: `/metadata${path}`, message, fix });
  };
  const metadata = object.metadata;
  if (!isRecord(metadata)) {
    add('', metadata === undefined ? 'required field is missing' : `expected object, got ${typeName(metadata)}`, 'give the object metadata with a name');
    return problems;
  }
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    add('/name', metadata.name === undefined ? 'required field is missing' : `expected a non-empty string, got ${typeName(metadata.name)}`, 'name the object');
  }
  if (metadata.namespace !== undefined) {
    if (scope === 'Cluster') {
      add('/namespace', `${String(object.kind)} is cluster-scoped and has no namespace`, 'remove metadata.namespace');
    } else if (typeof metadata.namespace !== 'string' || metadata.namespace.length > 63 || !DNS_LABEL.test(metadata.namespace)) {
      add('/namespace', `expected a DNS-1123 label of at most 63 characters, got ${JSON.stringify(metadata.namespace)}`, 'use a lower-case namespace name');
    }
  }
  stringMap(metadata.labels, '/labels', add, (value) =>
    value.length > 63 || !LABEL_VALUE.test(value)
      ? `label value must be at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric, got ${JSON.stringify(value)}`
      : undefined,
  );
  stringMap(metadata.annotations, '/annotations', add, () => undefined);
  if (isRecord(metadata.annotations)) {
    const bytes = Object.entries(metadata.annotations).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
    if (bytes > MAX_ANNOTATIONS_BYTES) {
      add('/annotations', `annotations total ${bytes} bytes, more than the 262144 the API server accepts`, 'move large data out of annotations');
    }
  }
  if (metadata.finalizers !== undefined) {
    if (!Array.isArray(metadata.finalizers)) {
      add('/finalizers', `expected array, got ${typeName(metadata.finalizers)}`, 'give finalizers as a list of strings');
    } else {
      metadata.finalizers.forEach((finalizer, i) => {
        const problem = typeof finalizer === 'string' ? qualifiedNameProblem(finalizer) : `expected string, got ${typeName(finalizer)}`;
        if (problem !== undefined) add(`/finalizers/${i}`, problem, 'use a qualified name like example.com/cleanup');
        else if (metadata.finalizers instanceof Array && metadata.finalizers.indexOf(finalizer) !== i)
          add(`/finalizers/${i}`, `duplicate finalizer ${JSON.stringify(finalizer)}`, 'list each finalizer once');
      });
    }
  }
  for (const key of Object.keys(metadata)) {
    if (SET_BY_SERVER.includes(key)) {
      add(`/${pointer(key)}`, 'field is set by the API server, not in a manifest', `remove metadata.${key} (it was probably copied from a live object)`);
    } else if (!RENDERED.includes(key) && !OTHER.includes(key)) {
      add(`/${pointer(key)}`, 'unknown field (ObjectMeta)', fixForUnknown(key, [...RENDERED, ...OTHER]));
    }
  }
  return problems;
}

function stringMap(
  value: unknown,
  path: string,
  add: (path: string, message: string, fix: string) => void,
  valueProblem: (value: string) => string | undefined,
): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    add(path, `expected object, got ${typeName(value)}`, 'give a mapping of strings to strings');
    return;
  }
  for (const [key, entry] of Object.entries(value)) {
    const at = `${path}/${pointer(key)}`;
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem !== undefined) add(at, `invalid key: ${keyProblem}`, 'use a key like example.com/name');
    if (typeof entry !== 'string') add(at, `expected string, got ${typeName(entry)}`, 'quote the value');
    else {
      const problem = valueProblem(entry);
      if (problem !== undefined) add(at, problem, 'shorten the value, or use an annotation');
    }
  }
}

/** How to fix an unknown field: its likely intended name, or remove it. */
export function fixForUnknown(field: string, known: readonly string[]): string {
  const suggestion = didYouMean(field, known);
  return suggestion === undefined ? `remove ${field} (the schema does not know it)` : `did you mean ${suggestion}?`;
}

/** `object`, `array`, `null`, `string "x"`, `integer 3`, … for "expected X, got Y". */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `${Number.isInteger(value) ? 'integer' : 'number'} ${value}`;
  if (typeof value === 'boolean') return `boolean ${value}`;
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
