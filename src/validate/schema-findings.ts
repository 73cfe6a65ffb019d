/**
 * Words ajv's errors for people: one finding per problem, at the JSON Pointer
 * of the offending field, saying what was expected and what was found. The
 * errors of the branches of an `anyOf`/`oneOf` collapse into one.
 */
import type { ErrorObject } from 'ajv';
import { fixForUnknown, pointer, typeName } from './object-meta';
import type { JsonSchema } from './_structural';

/** A schema problem of one object, before it gets its file and rule. */
export interface SchemaProblem {
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * The problems behind ajv's errors for `object`.
 *
 * @param label `argoproj.io/v1alpha1 Application`, named in unknown-field messages
 * @param schema the schema the validator was compiled from (read only when a hint needs it)
 */
export function schemaProblems(errors: readonly ErrorObject[], object: unknown, label: string, schema: () => JsonSchema): SchemaProblem[] {
  const junctions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  // A value of the wrong type breaks its format, enum, pattern … too: say only the type.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const problems = new Map<string, SchemaProblem>();
  for (const error of errors) {
    if (junctions.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    if (error.keyword !== 'type' && wrongType.has(error.instancePath) && error.keyword !== 'required' && error.keyword !== 'additionalProperties') continue;
    const problem = describe(error, object, label, schema);
    problems.set(`${problem.path}\n${problem.message}`, problem);
  }
  return [...problems.values()];
}

function describe(error: ErrorObject, object: unknown, label: string, schema: () => JsonSchema): SchemaProblem {
  const path = error.instancePath;
  const got = typeName(valueAt(object, path));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Object.keys((subschemaAt(schema(), path) as { properties?: object } | undefined)?.properties ?? {});
      return { path: `${path}/${pointer(field)}`, message: `unknown field (schema ${label})`, fix: fixForUnknown(field, known) };
    }
    case 'required':
      return {
        path: `${path}/${pointer(String(params.missingProperty))}`,
        message: `required field is missing (schema ${label})`,
        fix: `set ${String(params.missingProperty)}`,
      };
    case 'type':
      return { path, message: `expected ${String(params.type).split(',').join(' or ')}, got ${got}`, fix: 'give a value of the expected type' };
    case 'enum':
      return {
        path,
        message: `expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${got}`,
        fix: 'use one of the allowed values',
      };
    case 'const':
      return { path, message: `expected ${JSON.stringify(params.allowedValue)}, got ${got}`, fix: `use ${JSON.stringify(params.allowedValue)}` };
    case 'pattern':
      return { path, message: `expected a string matching ${String(params.pattern)}, got ${got}`, fix: 'change the value to match the pattern' };
    case 'format':
      return { path, message: `expected the ${String(params.format)} format, got ${got}`, fix: `give a valid ${String(params.format)} value` };
    case 'false schema':
      return path === '/status'
        ? { path, message: 'status is written by the controller of the kind, not by a manifest', fix: 'remove status' }
        : { path, message: `field is not allowed (schema ${label})`, fix: 'remove the field' };
    case 'uniqueItems':
      return {
        path,
        message: `items ${Math.min(Number(params.i), Number(params.j))} and ${Math.max(Number(params.i), Number(params.j))} are equal, but the list is a set`,
        fix: 'remove the duplicate',
      };
    case 'x-kubernetes-list-map-keys':
      return {
        path: `${path}/${String(params.index)}`,
        message: 'repeats the key fields of an earlier item of this list-map',
        fix: 'merge the two items or change a key field',
      };
    case 'anyOf':
    case 'oneOf':
      return { path, message: `matches none of the allowed forms, got ${got}`, fix: 'see the schema of the field' };
    default:
      return { path, message: `${limitText(error.keyword, params)}, got ${got}`, fix: 'change the value to fit the limit' };
  }
}

function limitText(keyword: string, params: Record<string, unknown>): string {
  const limit = String(params.limit);
  switch (keyword) {
    case 'maxLength':
      return `expected at most ${limit} characters`;
    case 'minLength':
      return `expected at least ${limit} characters`;
    case 'maxItems':
      return `expected at most ${limit} items`;
    case 'minItems':
      return `expected at least ${limit} items`;
    case 'maxProperties':
      return `expected at most ${limit} entries`;
    case 'minProperties':
      return `expected at least ${limit} entries`;
    case 'multipleOf':
      return `expected a multiple of ${limit}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `expected a number ${String(params.comparison)} ${limit}`;
    default:
      return `violates ${keyword}`;
  }
}

/** The value at a JSON Pointer. */
export function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const segment of path.split('/').slice(1)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

/**
 * The subschema that applies at a JSON Pointer of the instance, following
 * `properties`, `items`, map `additionalProperties` and `$ref`s into
 * `definitions`. (ajv's `schemaPath` cannot be used: inside a shared definition
 * it is relative to that definition.)
 */
export function subschemaAt(root: JsonSchema, instancePath: string): JsonSchema | undefined {
  const deref = (node: unknown): Record<string, unknown> | undefined => {
    let current = node;
    for (let hops = 0; typeof current === 'object' && current !== null && typeof (current as { $ref?: unknown }).$ref === 'string' && hops < 32; hops++) {
      current = valueAt(root, (current as { $ref: string }).$ref.replace(/^#/, ''));
    }
    return typeof current === 'object' && current !== null ? (current as Record<string, unknown>) : undefined;
  };
  let node = deref(root);
  for (const raw of instancePath.split('/').slice(1)) {
    if (node === undefined) return undefined;
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const properties = node.properties as Record<string, unknown> | undefined;
    if (properties !== undefined && segment in properties) node = deref(properties[segment]);
    else if (/^\d+$/.test(segment) && node.items !== undefined) node = deref(node.items);
    else if (typeof node.additionalProperties === 'object') node = deref(node.additionalProperties);
    else return undefined;
  }
  return node;
}
