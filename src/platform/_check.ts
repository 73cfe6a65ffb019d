/**
 * Checks the catalog entries themselves, before anything is planned or rendered.
 *
 * `satisfies ComponentSpec` makes `tsc` (in `npm test`) reject an incomplete
 * entry, but synth runs through esbuild, which checks no types: without this, a
 * missing `id` reaches cdk8s as "Only root constructs may have an empty ID" with
 * a stack trace. Here every entry is checked field by field and each problem is
 * named by its file and field: `src/platform/whoami.ts: /version: expected an
 * exact chart version like 1.2.3, got "^1.2"`.
 *
 * The table of checks is keyed by the fields of `ComponentSpec`, so a field added
 * to or removed from the interface fails to compile until its check follows.
 * Internal module: `index.ts` registers the catalog, `_resolve.ts` asserts it.
 */
import { didYouMeanHint } from '../core/did-you-mean';
import { FORMATS, isDnsLabel } from '../config/formats';
import { type Problem, UserError } from '../core/user-error';
import type { ComponentSpec } from './types';

/** Helm's limit on release names, stricter than the 63 characters of a label. */
export const MAX_ID_LENGTH = 53;

/** The file of a catalog entry, relative to the repository root. */
export function componentFile(fileId: string): string {
  return `src/platform/${fileId}.ts`;
}

/** Where each registered entry was written: its file id (the key in `index.ts`). */
const registeredFiles = new WeakMap<object, string>();

/** Catalog lists already checked, so planning many environments checks them once. */
const checkedLists = new WeakSet<readonly ComponentSpec[]>();

/**
 * The entries of the catalog record (file id → entry), in the record's order,
 * each remembered with its file so that problems name it even when its `id` is
 * missing or wrong.
 */
export function registerCatalog(catalog: { readonly [fileId: string]: ComponentSpec }): readonly ComponentSpec[] {
  return Object.entries(catalog).map(([fileId, spec]) => {
    // An import that is not an object (a wrong export name gives undefined) is kept as a
    // stand-in that remembers it, so the check can still name the file.
    const entry: object = typeof spec === 'object' && spec !== null ? spec : { [NOT_AN_OBJECT]: spec };
    registeredFiles.set(entry, fileId);
    return entry as ComponentSpec;
  });
}

/** Marks the stand-in of a registered entry that is not an object. */
const NOT_AN_OBJECT = Symbol('not an object');

/** What a field must be: `undefined` when the value is fine, else what was expected. */
type FieldCheck = (value: unknown, context: CheckContext) => string | readonly FieldProblem[] | undefined;

interface CheckContext {
  /** The file id of the entry (its file name without `.ts`). */
  readonly fileId: string | undefined;
  /** Every id of the catalog. */
  readonly ids: ReadonlySet<string>;
}

interface FieldProblem {
  /** JSON Pointer below the field, e.g. `/0`. */
  readonly path: string;
  readonly message: string;
}

interface Field {
  readonly required: boolean;
  /** What the field is for, in the message of a missing one. */
  readonly about: string;
  readonly check: FieldCheck;
}

/** `"text"`, `a function`, `a list`, `42` … for messages. */
function show(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isFunction = (value: unknown): boolean => typeof value === 'function';
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function expect(ok: boolean, expected: string, value: unknown): string | undefined {
  return ok ? undefined : `expected ${expected}, got ${show(value)}`;
}

function reason(value: unknown): string | undefined {
  return expect(isString(value) && value.trim() !== '', 'the reason, as a non-empty string', value);
}

function label(maxLength: number, what: string): FieldCheck {
  return (value) =>
    expect(isString(value) && isDnsLabel(value) && value.length <= maxLength, `a DNS-1123 label of at most ${maxLength} characters (${what})`, value);
}

/** Checks a list item by item with `item`, which returns what was expected or `undefined`. */
function listOf(what: string, item: (value: unknown, context: CheckContext) => string | undefined): FieldCheck {
  return (value, context) => {
    if (!Array.isArray(value)) return `expected a list of ${what}, got ${show(value)}`;
    return value.flatMap((entry, index) => {
      const message = item(entry, context);
      return message === undefined ? [] : [{ path: `/${index}`, message }];
    });
  };
}

/** An object with the given string fields (`?` marks an optional one). */
function objectWith(fields: readonly string[], extra: (value: Record<string, unknown>) => string | undefined = () => undefined) {
  return (value: unknown): string | undefined => {
    if (!isRecord(value)) return `expected an object with ${fields.join(', ')}, got ${show(value)}`;
    for (const field of fields) {
      const optional = field.endsWith('?');
      const name = field.replace(/\?$/, '');
      if (value[name] === undefined ? !optional : !isString(value[name])) {
        return `expected ${name} as a string, got ${show(value[name])}`;
      }
    }
    return extra(value);
  };
}

const stringList = (value: unknown): boolean => value === undefined || (Array.isArray(value) && value.every(isString));

/** Every field of a catalog entry, with its check. */
const FIELDS: { readonly [K in keyof ComponentSpec]-?: Field } = {
  id: {
    required: true,
    about: 'the file name, the Application name and the dist file name',
    check: (value, { fileId }) => {
      const shape = label(MAX_ID_LENGTH, 'the Application and Helm release name')(value, { fileId, ids: new Set() });
      if (shape !== undefined || fileId === undefined) return shape;
      return expect(value === fileId, `${JSON.stringify(fileId)} (the file name)`, value);
    },
  },
  description: {
    required: true,
    about: 'one sentence on what the component is for, shown in the overviews',
    check: (value) => expect(isString(value) && value.trim() !== '', 'one sentence on what the component is for', value),
  },
  repoUrl: {
    required: true,
    about: 'the Helm repository of the chart',
    check: (value) =>
      expect(
        isString(value) && (FORMATS['https-url'].validate(value) || /^[a-z0-9.-]+(?::[0-9]+)?\/\S+$/.test(value)),
        'an https:// URL of a Helm repository (or an OCI registry without oci://)',
        value,
      ),
  },
  chart: {
    required: true,
    about: 'the chart name inside the repository',
    check: (value) => expect(isString(value) && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value), 'a chart name like cert-manager', value),
  },
  version: {
    required: true,
    about: 'the exact chart version',
    check: (value) => expect(isString(value) && FORMATS['exact-version'].validate(value), FORMATS['exact-version'].expected, value),
  },
  namespace: {
    required: true,
    about: 'the namespace the release is installed into',
    check: label(63, 'a namespace'),
  },
  releaseName: {
    required: true,
    about: 'the Helm release name',
    check: label(MAX_ID_LENGTH, 'a Helm release name'),
  },
  layer: {
    required: false,
    about: 'the deploy layer',
    check: (value) => expect(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 9, 'a whole layer from 1 to 9', value),
  },
  dependsOn: {
    required: true,
    about: 'the components that must run first ([] for none)',
    check: (value, context) =>
      isFunction(value)
        ? undefined
        : listOf('component ids (or a function of the environment)', (dependency, { ids, fileId }) => {
            if (!isString(dependency) || !ids.has(dependency)) {
              return `expected a component id of the catalog, got ${show(dependency)}${isString(dependency) ? didYouMeanHint(dependency, [...ids]) : ''}`;
            }
            return dependency === fileId ? 'expected another component, got the component itself' : undefined;
          })(value, context),
  },
  enabledByDefault: {
    required: false,
    about: 'whether the component is deployed by default',
    check: (value) => expect(typeof value === 'boolean' || isFunction(value), 'a boolean or a function of the environment', value),
  },
  values: {
    required: true,
    about: 'the Helm values, (env) => ({ … })',
    check: (value) => expect(isFunction(value), 'a function (env) => ({ … }) giving the Helm values', value),
  },
  manifests: {
    required: false,
    about: 'the supporting manifests',
    check: (value) => expect(isFunction(value), 'a function (env) => [ … ] giving the supporting manifests', value),
  },
  chartOnePasswordItems: {
    required: false,
    about: 'the 1Password items the chart itself creates OnePasswordItems for',
    check: (value) => expect(isFunction(value), 'a function (env) => [ … ] giving the items', value),
  },
  serverSideApply: { required: false, about: 'why the chart is applied server-side', check: reason },
  protected: { required: false, about: 'why the component is protected', check: reason },
  skipCrds: {
    required: false,
    about: "whether the chart's CRDs are skipped",
    check: (value) => expect(typeof value === 'boolean', 'true or false', value),
  },
  ignoreDifferences: {
    required: false,
    about: 'fields other controllers rewrite',
    check: listOf(
      'ignored differences',
      objectWith(['group', 'kind', 'reason', 'name?'], (value) =>
        stringList(value.jsonPointers) && stringList(value.jqPathExpressions) ? undefined : 'expected jsonPointers and jqPathExpressions as lists of strings',
      ),
    ),
  },
  namespaces: {
    required: false,
    about: 'the namespaces other than its own that the chart uses, each with why',
    check: (value) =>
      expect(
        isRecord(value) &&
          Object.entries(value).every(([name, why]) => /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/.test(name) && isString(why) && why.trim() !== ''),
        'a mapping of namespace names to the reason',
        value,
      ),
  },
  runtimeCrds: {
    required: false,
    about: 'the custom resource kinds whose CRDs the operator creates at run time',
    check: listOf('kinds', (value) =>
      isString(value) && /^[a-z0-9][-a-z0-9.]*\/[A-Z][A-Za-z0-9]*$/.test(value) ? undefined : `expected "<group>/<Kind>", got ${show(value)}`,
    ),
  },
  requires: {
    required: false,
    about: 'what the component needs from the environment',
    check: listOf('requirements', (value) =>
      isRecord(value) && isFunction(value.satisfied) && isString(value.message)
        ? undefined
        : `expected { satisfied: (env) => boolean, message: string }, got ${show(value)}`,
    ),
  },
};

const FIELD_NAMES = Object.keys(FIELDS);

/** The problems of one entry; `fileId` is its file name when known. */
function entryProblems(spec: unknown, fileId: string | undefined, ids: ReadonlySet<string>): Problem[] {
  const idText = isRecord(spec) && isString(spec.id) && spec.id !== '' ? spec.id : undefined;
  const file = componentFile(fileId ?? idText ?? '<id>');
  if (!isRecord(spec) || NOT_AN_OBJECT in spec) {
    const value = isRecord(spec) ? spec[NOT_AN_OBJECT as unknown as string] : spec;
    return [{ file, message: `expected the component as an object that satisfies ComponentSpec, got ${show(value)}` }];
  }
  const problems: Problem[] = [];
  for (const [name, field] of Object.entries(FIELDS) as [string, Field][]) {
    const value = spec[name];
    if (value === undefined) {
      if (field.required) problems.push({ file, message: `missing required field "${name}" (${field.about})` });
      continue;
    }
    const result = field.check(value, { fileId: fileId ?? idText, ids });
    const found = typeof result === 'string' ? [{ path: '', message: result }] : (result ?? []);
    problems.push(...found.map((problem) => ({ file, path: `/${name}${problem.path}`, message: problem.message })));
  }
  for (const name of Object.keys(spec).filter((key) => !FIELD_NAMES.includes(key))) {
    problems.push({ file, path: `/${name}`, message: `unknown field "${name}"${didYouMeanHint(name, FIELD_NAMES)}` });
  }
  return problems;
}

/**
 * Every problem of every catalog entry, and ids used by two entries.
 * Entries registered through {@link registerCatalog} are named by their file;
 * others (synthetic catalogs) by their id.
 */
export function catalogProblems(catalog: readonly unknown[]): Problem[] {
  const ids = new Set(catalog.flatMap((spec) => (isRecord(spec) && isString(spec.id) ? [spec.id] : [])));
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  for (const spec of catalog) {
    const fileId = typeof spec === 'object' && spec !== null ? registeredFiles.get(spec) : undefined;
    problems.push(...entryProblems(spec, fileId, ids));
    if (isRecord(spec) && isString(spec.id)) {
      const file = componentFile(fileId ?? spec.id);
      const first = seen.get(spec.id);
      if (first === undefined) {
        seen.set(spec.id, file);
      } else {
        problems.push({ file, path: '/id', message: `expected an id no other component uses, got ${JSON.stringify(spec.id)} (also ${first})` });
      }
    }
  }
  return problems;
}

/**
 * Throws when a catalog entry is incomplete or wrong. Checks each list once.
 * @throws UserError naming the file and field of every problem
 */
export function assertCatalog(catalog: readonly ComponentSpec[]): void {
  if (checkedLists.has(catalog)) return;
  const problems = catalogProblems(catalog);
  if (problems.length > 0) throw new UserError(problems);
  checkedLists.add(catalog);
}
