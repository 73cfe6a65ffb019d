/**
 * Turns ajv's errors into problems a person can act on: one line each, at the
 * line and column of the offending node, saying what was expected and what was
 * found.
 */
import type { ErrorObject } from 'ajv';
import { didYouMean, didYouMeanHint } from '../core/did-you-mean';
import { FORMATS, type FormatSpec } from './formats';
import { childPointer, type Target, type YamlSource } from './yaml-source';
import { type Problem, quoted } from '../core/user-error';

/** Keywords that only wrap other errors; shown only when nothing more precise is. */
const WRAPPERS = new Set(['if', 'anyOf', 'oneOf', 'allOf', 'not']);

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

/** Longest string shown in a message before it is cut. */
const MAX_SHOWN = 60;

/**
 * The problems behind ajv's errors, without the noise. Errors about property
 * names are dropped: only the keys of `/components` have a pattern, and the
 * loader reports unknown component ids with a better message.
 */
export function schemaProblems(errors: readonly ErrorObject[], source: YamlSource): Problem[] {
  return withoutNoise(errors).map((error) => {
    const { pointer, target, message } = describe(error, source);
    return { file: source.file, ...source.position(pointer, target), path: pointer, message };
  });
}

/**
 * The JSON Pointers whose values failed the schema: the value at such a pointer,
 * its ancestors and its descendants cannot be trusted by later checks.
 */
export function brokenPointers(errors: readonly ErrorObject[]): string[] {
  return errors.flatMap((error) => {
    if (error.keyword === 'required') {
      return [childPointer(error.instancePath, String(error.params.missingProperty))];
    }
    if (error.keyword === 'additionalProperties' || isPropertyNameError(error)) {
      return [];
    }
    return [error.instancePath];
  });
}

function isPropertyNameError(error: ErrorObject): boolean {
  return error.keyword === 'propertyNames' || 'propertyName' in error;
}

function withoutNoise(errors: readonly ErrorObject[]): ErrorObject[] {
  const relevant = errors.filter((error) => !isPropertyNameError(error));
  const typed = new Set(relevant.filter((error) => error.keyword === 'type').map((error) => error.instancePath));
  // `sever:` instead of `server:` is one problem, not two: the unknown key's hint names the missing one.
  const misspelt = new Set(
    relevant
      .filter((error) => error.keyword === 'additionalProperties')
      .map((error) => {
        const { key, suggestion } = unknownKey(error);
        return `${error.instancePath}\0${suggestion ?? key}`;
      }),
  );
  return relevant.filter((error) => {
    if (error.keyword === 'required' && misspelt.has(`${error.instancePath}\0${String(error.params.missingProperty)}`)) {
      return false;
    }
    if (WRAPPERS.has(error.keyword)) {
      return !relevant.some((other) => other !== error && !WRAPPERS.has(other.keyword) && isAtOrBelow(other.instancePath, error.instancePath));
    }
    // Once the type is wrong, "too small" or "bad format" at the same place is noise.
    return error.keyword === 'type' || !typed.has(error.instancePath);
  });
}

function isAtOrBelow(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

function describe(error: ErrorObject, source: YamlSource): { pointer: string; target: Target; message: string } {
  const pointer = error.instancePath;
  const got = show(error.data, source.sourceText(pointer));
  const schema = (error.parentSchema ?? {}) as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { pointer, target: 'key', message: `missing required key ${JSON.stringify(error.params.missingProperty)}` };
    case 'additionalProperties': {
      const { key, suggestion } = unknownKey(error);
      const hint = suggestion === undefined ? '' : `, did you mean ${JSON.stringify(suggestion)}?`;
      return { pointer: childPointer(pointer, key), target: 'key', message: `unknown key ${quote(key)}${hint}` };
    }
    case 'type':
      return { pointer, target: 'value', message: `expected ${typeWord(String(error.params.type))}, got ${got}${typeHint(error, source)}` };
    case 'format': {
      const spec: FormatSpec | undefined = (FORMATS as Record<string, FormatSpec>)[String(error.params.format)];
      const note = spec?.explain?.(String(error.data));
      const expected = spec?.expected ?? `a string in the format ${String(error.params.format)}`;
      return { pointer, target: 'value', message: `expected ${expected}, got ${got}${note === undefined ? '' : ` (${note})`}` };
    }
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map((value) => JSON.stringify(value));
      const hint = typeof error.data === 'string' ? didYouMeanHint(error.data, (error.params.allowedValues as unknown[]).map(String)) : '';
      return { pointer, target: 'value', message: `expected one of ${allowed.join(', ')}, got ${got}${hint}` };
    }
    case 'minimum':
    case 'maximum':
      return { pointer, target: 'value', message: `expected ${typeWord(String(schema.type))} ${bounds(schema)}, got ${got}` };
    case 'uniqueItems': {
      const first = Number(error.params.i);
      const again = Number(error.params.j);
      const data = error.data as unknown[];
      return {
        pointer: childPointer(pointer, again),
        target: 'value',
        message: `expected each entry once, got ${show(data[again], undefined)} again (first at ${childPointer(pointer, first)})`,
      };
    }
    default:
      return { pointer, target: 'value', message: `${error.message ?? 'is invalid'}, got ${got}` };
  }
}

/**
 * The known keys a mapping leaves unused, by mapping and schema. A mapping with
 * thousands of unknown keys gets one error each; working this out once per
 * mapping keeps reporting them linear.
 */
const unusedKeys = new WeakMap<object, WeakMap<object, string[]>>();

/** The unknown key of an `additionalProperties` error, and the unused known key closest to it. */
function unknownKey(error: ErrorObject): { key: string; suggestion: string | undefined } {
  const key = String(error.params.additionalProperty);
  const data = (typeof error.data === 'object' && error.data !== null ? error.data : {}) as object;
  const properties = (error.parentSchema as { properties?: object } | undefined)?.properties ?? {};
  let bySchema = unusedKeys.get(data);
  if (bySchema === undefined) {
    bySchema = new WeakMap();
    unusedKeys.set(data, bySchema);
  }
  let unused = bySchema.get(properties);
  if (unused === undefined) {
    unused = Object.keys(properties).filter((name) => !Object.hasOwn(data, name));
    bySchema.set(properties, unused);
  }
  return { key, suggestion: didYouMean(key, unused) };
}

function typeWord(type: string): string {
  return type
    .split(',')
    .map((name) => TYPE_WORDS[name] ?? name)
    .join(' or ');
}

function bounds(schema: Record<string, unknown>): string {
  const { minimum, maximum } = schema;
  if (minimum !== undefined && maximum !== undefined) {
    return `from ${String(minimum)} to ${String(maximum)}`;
  }
  return minimum !== undefined ? `of at least ${String(minimum)}` : `of at most ${String(maximum)}`;
}

/** A hint for the two classic YAML type slips: `yes` for a boolean, a bare number for a string. */
function typeHint(error: ErrorObject, source: YamlSource): string {
  const expected = String(error.params.type);
  const written = source.sourceText(error.instancePath);
  const fallback = (error.parentSchema as { default?: unknown } | undefined)?.default;
  if (error.data === null && fallback !== undefined) {
    return ` (leave the key out for the default ${JSON.stringify(fallback)})`;
  }
  if (expected === 'boolean' && typeof error.data === 'string' && /^(?:yes|no|on|off|y|n)$/i.test(error.data)) {
    return ' (YAML 1.2 reads it as text; write true or false)';
  }
  if (expected === 'string' && (typeof error.data === 'number' || typeof error.data === 'boolean') && written !== undefined) {
    return ` (quote it: ${quoted(written)})`;
  }
  return '';
}

/** A value as shown after "got": strings quoted and cut, numbers as written, collections by kind. */
export function show(value: unknown, written: string | undefined): string {
  if (typeof value === 'string') {
    return quote(value);
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (value instanceof Uint8Array) {
    return 'binary data';
  }
  if (typeof value === 'object' && value !== null) {
    return 'a mapping';
  }
  return written !== undefined && written !== '' && !/^["']/.test(written) ? written : String(value);
}

/** A string in double quotes, cut to a readable length. */
export function quote(value: string): string {
  return quoted(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN - 1)}…` : value);
}
