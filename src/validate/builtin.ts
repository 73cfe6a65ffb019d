/**
 * Schemas of built-in Kubernetes kinds (ConfigMap, Namespace, …), derived from
 * the types cdk8s-plus-29 ships: its jsii assembly (`.jsii`) describes every
 * `k8s.Kube<Kind>Props` interface with its properties, their types, which are
 * required, and (in `docs.custom.schema`) the OpenAPI definition and JSON field
 * name each comes from; `lib/imports/k8s.js` holds each class's apiVersion and
 * kind. No Kubernetes OpenAPI document is needed, and the schema version moves
 * with the package (Kubernetes 1.29 for cdk8s-plus-29).
 *
 * What the types cannot say: integer versus number (every number is allowed to
 * be fractional), enums, patterns and formats other than date-time. Unknown
 * fields, required fields, nesting and JSON types are checked exactly.
 */
import type { JsonSchema } from './_structural';

/** One built-in kind: its apiVersion, kind and the cdk8s-plus class that renders it. */
export interface BuiltinKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** `KubeConfigMap`, whose props interface is `KubeConfigMapProps`. */
  readonly className: string;
}

/** The parts of a jsii type reference this conversion reads. */
interface TypeRef {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: TypeRef };
  readonly union?: { readonly types: readonly TypeRef[] };
}

interface JsiiProperty {
  readonly name: string;
  readonly optional?: boolean;
  readonly type: TypeRef;
  readonly docs?: { readonly custom?: { readonly schema?: string } };
}

interface JsiiType {
  readonly kind: 'interface' | 'class' | 'enum';
  readonly properties?: readonly JsiiProperty[];
}

/** A jsii assembly, as far as this conversion reads it. */
export interface JsiiAssembly {
  readonly name: string;
  readonly types: Readonly<Record<string, JsiiType>>;
}

/**
 * Every `Kube<Kind>.GVK = { apiVersion, kind }` in cdk8s-plus' `lib/imports/k8s.js`:
 * assigned after the class (`KubePod.GVK = {…}`, older packages) or declared in it
 * (`class KubePod … { static GVK = {…}`, newer ones).
 */
export function builtinKinds(k8sJs: string): BuiltinKind[] {
  const kinds: BuiltinKind[] = [];
  for (const match of k8sJs.matchAll(/^(\w+)\.GVK = \{\s*apiVersion: '([^']+)',\s*kind: '([^']+)'/gm)) {
    kinds.push({ className: match[1], apiVersion: match[2], kind: match[3] });
  }
  for (const match of k8sJs.matchAll(/^class (\w+) extends [\w.]+ \{(?:(?!^class )[\s\S])*?static GVK = \{\s*apiVersion: '([^']+)',\s*kind: '([^']+)'/gm)) {
    kinds.push({ className: match[1], apiVersion: match[2], kind: match[3] });
  }
  return kinds;
}

/**
 * The schema of a built-in kind: its props interface as an object with
 * `additionalProperties: false` at every level, referenced types as
 * `definitions`, and `apiVersion`/`kind` fixed. `metadata` is only required to
 * be an object (ObjectMeta is checked by `object-meta.ts`); `status` is refused
 * (written by the controller), as for custom kinds.
 */
export function builtinSchema(assembly: JsiiAssembly, kind: BuiltinKind): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const prefix = `${assembly.name}.k8s.`;
  const define = (fqn: string): JsonSchema => {
    const name = fqn.slice(prefix.length);
    const type = assembly.types[fqn];
    if (fqn === `${prefix}IntOrString`) return { type: ['integer', 'string'] };
    if (fqn === `${prefix}Quantity`) return { type: ['number', 'string'], format: 'quantity' };
    if (type === undefined || type.kind === 'enum') return { type: 'string' };
    if (type.kind !== 'interface') return {};
    if (!(name in definitions)) {
      definitions[name] = true; // placeholder: recursive types refer to themselves
      const schema = objectSchema(type, define) as { properties: Record<string, JsonSchema> };
      // A whole object nested in another (a StatefulSet's volumeClaimTemplates) may carry its TypeMeta.
      if (/^Kube\w+Props$/.test(name)) schema.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, ...schema.properties };
      definitions[name] = schema;
    }
    return { $ref: `#/definitions/${name}` };
  };
  const props = assembly.types[`${prefix}${kind.className}Props`];
  if (props === undefined) {
    throw new Error(`${assembly.name} has no ${kind.className}Props`);
  }
  const root = objectSchema(props, define) as Record<string, unknown>;
  const properties = root.properties as Record<string, JsonSchema>;
  return {
    ...root,
    properties: { ...properties, apiVersion: { const: kind.apiVersion }, kind: { const: kind.kind }, metadata: { type: 'object' }, status: false },
    required: [...((root.required as string[] | undefined) ?? []), 'apiVersion', 'kind'],
    definitions,
  };
}

function objectSchema(type: JsiiType, define: (fqn: string) => JsonSchema): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const property of type.properties ?? []) {
    // `io.k8s.api.core.v1.ConfigMap#binaryData`: the JSON name, which the TypeScript name may spell differently.
    const jsonName = property.docs?.custom?.schema?.split('#')[1] ?? property.name;
    properties[jsonName] = typeSchema(property.type, define);
    if (property.optional !== true) required.push(jsonName);
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

function typeSchema(ref: TypeRef, define: (fqn: string) => JsonSchema): JsonSchema {
  if (ref.primitive !== undefined) {
    switch (ref.primitive) {
      case 'string':
        return { type: 'string' };
      case 'number':
        return { type: 'number' };
      case 'boolean':
        return { type: 'boolean' };
      case 'date':
        return { type: 'string', format: 'date-time' };
      default: // any, json: free-form (x-kubernetes-preserve-unknown-fields)
        return {};
    }
  }
  if (ref.collection !== undefined) {
    const element = typeSchema(ref.collection.elementtype, define);
    return ref.collection.kind === 'array' ? { type: 'array', items: element } : { type: 'object', additionalProperties: element };
  }
  if (ref.union !== undefined) {
    return { anyOf: ref.union.types.map((type) => typeSchema(type, define)) };
  }
  return ref.fqn === undefined ? {} : define(ref.fqn);
}

/** The functions whose source decides what a cached validator contains (part of the cache key). */
export const BUILTIN_SOURCES: readonly ((...args: never[]) => unknown)[] = [builtinKinds, builtinSchema, objectSchema, typeSchema];
