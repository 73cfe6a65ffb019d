/**
 * Compiles a schema into ajv standalone code: a CommonJS module whose only
 * `require`s are answered by `runtimeRequire` (formats, the list-map key check,
 * ajv's two helpers). Compiling is the slow step (a CRD the size of Argo CD's
 * Application takes a few hundred milliseconds), so it runs once per kind and
 * version and its output is cached by `schema-registry.ts` (sealed with its format and sha256).
 */
import Ajv, { _, type ErrorObject, type KeywordCxt, type KeywordDefinition } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { duplicateListMapKey, FORMATS, RUNTIME_MODULE } from './_runtime';
import type { JsonSchema } from './_structural';

/** A compiled validator: true when valid, otherwise `errors` holds every error (`allErrors`). */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** `x-kubernetes-list-type: map`: no two items may have the same values in the key fields. */
const LIST_MAP_KEYS: KeywordDefinition = {
  keyword: 'x-kubernetes-list-map-keys',
  type: 'array',
  schemaType: 'array',
  error: {
    message: 'duplicate list-map key',
    params: ({ params }) => _`{index: ${params.index}}`,
  },
  code(cxt: KeywordCxt) {
    const helper = cxt.gen.scopeValue('func', { ref: duplicateListMapKey, code: _`require(${RUNTIME_MODULE}).duplicateListMapKey` });
    const index = cxt.gen.const('duplicate', _`${helper}(${cxt.data}, ${cxt.schemaCode})`);
    cxt.setParams({ index });
    cxt.fail(_`${index} >= 0`);
  },
};

/** Repeated subschemas at least this long (as JSON) become one shared definition. */
const SHARED_MIN_LENGTH = 200;

/**
 * The same schema with every repeated subschema (as JSON, at least
 * {@link SHARED_MIN_LENGTH} characters) moved into `definitions` once and
 * referenced with `$ref`. ajv inlines nothing (`inlineRefs: false`), so shared
 * parts are compiled into one function instead of one copy per use: Argo CD's
 * Application repeats its source schema four times, cert-manager's issuers their
 * pod templates; their validators shrink from 355 and 576 KB to 63 and 160 KB,
 * which is what loading them costs on every synth.
 */
export function compactSchema(schema: JsonSchema): JsonSchema {
  const counts = new Map<string, number>();
  const measure = (node: JsonSchema): JsonSchema => {
    const text = JSON.stringify(node);
    if (text.length >= SHARED_MIN_LENGTH) counts.set(text, (counts.get(text) ?? 0) + 1);
    return mapSubschemas(node, measure);
  };
  mapSubschemas(schema, measure);
  const definitions: Record<string, JsonSchema> = {};
  const names = new Map<string, string>();
  const share = (node: JsonSchema): JsonSchema => {
    const text = JSON.stringify(node);
    if ((counts.get(text) ?? 0) < 2) return mapSubschemas(node, share);
    let name = names.get(text);
    if (name === undefined) {
      name = `shared${names.size}`;
      names.set(text, name);
      definitions[name] = mapSubschemas(node, share);
    }
    return { $ref: `#/definitions/${name}` };
  };
  const root = mapSubschemas(schema, share);
  if (names.size === 0 || typeof root !== 'object') return schema;
  return { ...root, definitions: { ...((root.definitions as Record<string, JsonSchema> | undefined) ?? {}), ...definitions } };
}

/** The schema with `f` applied to each direct subschema (properties, items, definitions, junctors …), not to keyword values. */
function mapSubschemas(schema: JsonSchema, f: (node: JsonSchema) => JsonSchema): JsonSchema {
  if (typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = { ...schema };
  const each = (map: unknown): unknown =>
    typeof map === 'object' && map !== null ? Object.fromEntries(Object.entries(map).map(([key, value]) => [key, f(value as JsonSchema)])) : map;
  for (const key of ['properties', 'definitions']) if (key in out) out[key] = each(out[key]);
  for (const key of ['items', 'additionalProperties', 'not']) {
    if (typeof out[key] === 'object' && out[key] !== null && !Array.isArray(out[key])) out[key] = f(out[key] as JsonSchema);
  }
  for (const key of ['anyOf', 'allOf', 'oneOf']) if (Array.isArray(out[key])) out[key] = (out[key] as JsonSchema[]).map(f);
  return out;
}

function newAjv(): Ajv {
  return new Ajv({
    allErrors: true,
    inlineRefs: false, // shared definitions stay shared (see compactSchema)
    messages: false, // findings are worded by schema-findings.ts; smaller code
    strict: false, // schemas are already reduced to the keywords below by _structural.ts
    logger: false,
    validateSchema: false,
    unicodeRegExp: false, // Kubernetes patterns are Go RE2 syntax, closer to non-unicode JavaScript regexps
    code: { source: true, lines: false, optimize: true, formats: _`require(${RUNTIME_MODULE}).formats` },
    formats: FORMATS as Record<string, { type: 'string'; validate: (value: string) => boolean }>,
    keywords: [LIST_MAP_KEYS],
  });
}

/** Standalone CommonJS source of the validator of `schema` (give it a {@link compactSchema}). */
export function compileStandalone(schema: JsonSchema): string {
  const ajv = newAjv();
  return standaloneCode(ajv, ajv.compile(schema));
}

/** The functions whose source decides what a cached validator contains (part of the cache key). */
export const COMPILE_SOURCES: readonly ((...args: never[]) => unknown)[] = [
  compactSchema,
  mapSubschemas,
  newAjv,
  compileStandalone,
  LIST_MAP_KEYS.code as () => void,
];
