/**
 * Turns the OpenAPI v3 schema of a CustomResourceDefinition version into a
 * JSON Schema that ajv compiles and that judges an object as the Kubernetes API
 * server and kubectl's strict field validation do.
 *
 * - Unknown fields: every object node gets `additionalProperties: false`, as the
 *   API server prunes (and strict field validation rejects) every field its
 *   structural schema does not name, except below
 *   `x-kubernetes-preserve-unknown-fields: true` and where the schema gives
 *   `additionalProperties` (a map). Branches of `anyOf`/`allOf`/`oneOf`/`not`
 *   are value validations only (a structural schema must declare every field
 *   outside them), so they get none.
 * - `x-kubernetes-int-or-string`: an integer or a string (its `anyOf` of the two
 *   types collapses into `type: [integer, string]`).
 * - `nullable: true`: `null` is allowed (added to `type` and `enum`); without it
 *   `null` is a type error.
 * - `x-kubernetes-embedded-resource`: `apiVersion` and `kind` are required and,
 *   with `metadata`, allowed even when the schema does not list them.
 * - `x-kubernetes-list-type: set`: `uniqueItems`; `map`: the
 *   `x-kubernetes-list-map-keys` keyword (one item per key tuple).
 * - Formats: those the API server checks (see `FORMATS`); others are dropped,
 *   as the API server ignores them.
 * - OpenAPI's boolean `exclusiveMinimum`/`exclusiveMaximum` become JSON Schema's numbers.
 * - Not evaluated: CEL rules (`x-kubernetes-validations`), defaults.
 *
 * At the root, `metadata` is only required to be an object (its fields are
 * checked as ObjectMeta by `object-meta.ts`), and `status` is refused: it is
 * written by the kind's controller, and with a status subresource the API
 * server even ignores it in a manifest. (Leaving the status schema out also
 * makes validators smaller: a third of the code for Argo CD's Application.)
 */
import { FORMATS } from './_runtime';

/** A JSON Schema as plain data. */
export type JsonSchema = { [key: string]: unknown } | boolean;

/** Schema keywords copied unchanged. */
const COPIED = [
  'required',
  'pattern',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minimum',
  'maximum',
  'multipleOf',
  'uniqueItems',
] as const;

/** The ajv schema of one CRD version's `openAPIV3Schema`. */
export function toAjvSchema(openApi: unknown): JsonSchema {
  const root = asObject(openApi);
  const schema = node({ ...root, properties: { ...asObject(root.properties), status: undefined } }, true) as Record<string, unknown>;
  const properties = { ...((schema.properties as Record<string, JsonSchema> | undefined) ?? {}) };
  properties.apiVersion = { type: 'string' };
  properties.kind = { type: 'string' };
  properties.metadata = { type: 'object' };
  properties.status = false;
  return { ...schema, type: 'object', properties, additionalProperties: schema.additionalProperties ?? false };
}

function node(source: Record<string, unknown>, structural: boolean): JsonSchema {
  const out: Record<string, unknown> = {};
  const nullable = source.nullable === true;
  const intOrString = source['x-kubernetes-int-or-string'] === true;
  const preserve = source['x-kubernetes-preserve-unknown-fields'] === true;

  let type = intOrString ? ['integer', 'string'] : source.type;
  if (type !== undefined && nullable) {
    type = [...(Array.isArray(type) ? type : [type]), 'null'];
  }
  if (type !== undefined) {
    out.type = type;
  }
  for (const keyword of COPIED) {
    if (source[keyword] !== undefined) {
      out[keyword] = source[keyword];
    }
  }
  if (Array.isArray(source.enum)) {
    out.enum = nullable && !source.enum.includes(null) ? [...source.enum, null] : source.enum;
  }
  if (typeof source.format === 'string' && source.format in FORMATS && source.format !== 'quantity') {
    out.format = source.format === 'datetime' ? 'date-time' : source.format;
  }
  exclusive(source, out, 'exclusiveMinimum', 'minimum');
  exclusive(source, out, 'exclusiveMaximum', 'maximum');

  if (isObject(source.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(source.properties)
        .filter(([, child]) => child !== undefined)
        .map(([name, child]) => [name, node(asObject(child), structural)]),
    );
  }
  if (isObject(source.items)) {
    out.items = node(source.items, structural);
  }
  if (isObject(source.additionalProperties)) {
    out.additionalProperties = node(source.additionalProperties, structural);
  } else if (typeof source.additionalProperties === 'boolean') {
    out.additionalProperties = source.additionalProperties;
  }
  for (const junctor of ['anyOf', 'allOf', 'oneOf'] as const) {
    const branches = source[junctor];
    if (Array.isArray(branches) && !(intOrString && junctor === 'anyOf' && branches.every(isTypeOnly))) {
      out[junctor] = branches.map((branch) => node(asObject(branch), false));
    }
  }
  if (isObject(source.not)) {
    out.not = node(source.not, false);
  }

  if (source['x-kubernetes-embedded-resource'] === true) {
    const properties = (out.properties ?? {}) as Record<string, JsonSchema>;
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...properties };
    out.required = [...new Set([...((out.required as string[] | undefined) ?? []), 'apiVersion', 'kind'])];
  }
  const listType = source['x-kubernetes-list-type'];
  if (listType === 'set') {
    out.uniqueItems = true;
  } else if (listType === 'map' && Array.isArray(source['x-kubernetes-list-map-keys'])) {
    out['x-kubernetes-list-map-keys'] = source['x-kubernetes-list-map-keys'];
  }
  const isObjectNode = source.type === 'object' || (source.type === undefined && out.properties !== undefined);
  if (structural && isObjectNode && !preserve && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/** OpenAPI 3.0's `exclusiveMinimum: true` next to `minimum: n` is JSON Schema's `exclusiveMinimum: n`. */
function exclusive(source: Record<string, unknown>, out: Record<string, unknown>, keyword: string, bound: string): void {
  if (source[keyword] === true && typeof source[bound] === 'number') {
    out[keyword] = source[bound];
    delete out[bound];
  } else if (typeof source[keyword] === 'number') {
    out[keyword] = source[keyword];
  }
}

function isTypeOnly(branch: unknown): boolean {
  return isObject(branch) && Object.keys(branch).every((key) => key === 'type');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

/** The functions whose source decides what a cached validator contains (part of the cache key). */
export const STRUCTURAL_SOURCES: readonly ((...args: never[]) => unknown)[] = [toAjvSchema, node, exclusive, isTypeOnly];
