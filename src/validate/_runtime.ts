/**
 * What compiled validators need at run time: the string and number formats the
 * Kubernetes API server checks, the list-map key check, and ajv's two runtime
 * helpers. Cached standalone validators reach all of it through
 * {@link runtimeRequire}, so they run from `.cache/` without resolving any
 * package on disk.
 */
import equal from 'ajv/dist/runtime/equal';
import ucs2length from 'ajv/dist/runtime/ucs2length';
import { isIPv6 } from 'node:net';

/** A format as ajv takes it: which JSON type it applies to and its check. */
export interface FormatDefinition {
  readonly type: 'string' | 'number';
  readonly validate: (value: never) => boolean;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339, plus the zone-less and space-separated forms the API server's parser also accepts.
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;
const HOSTNAME = /^(?=.{1,255}$)[A-Za-z0-9](?:[-A-Za-z0-9]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*\.?$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const MAC = /^(?:[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}|[0-9a-f]{2}(?:[:-][0-9a-f]{2}){7}|[0-9a-f]{2}(?:[:-][0-9a-f]{2}){19}|[0-9a-f]{4}(?:\.[0-9a-f]{4}){2,9})$/i;
const DURATION = /^\s*(?:[-+]?\d+(?:\.\d+)?\s*[A-Za-z\u00b5]+\s*)+$/;

function isDate(value: string): boolean {
  const match = DATE.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value);
  return match !== null && isDate(match[1]) && Number(match[2]) < 24 && Number(match[3]) < 60 && Number(match[4]) < 61;
}

function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0 || !/^\d{1,3}$/.test(value.slice(slash + 1))) return false;
  const [address, bits] = [value.slice(0, slash), Number(value.slice(slash + 1))];
  return IPV4.test(address) ? bits <= 32 : isIPv6(address) && bits <= 128;
}

/**
 * The formats the API server validates in custom resources (apiextensions'
 * list), as ajv formats. `datetime` is spelled `date-time` by the time it gets
 * here. Formats missing from this table (`password`, `float`, `double`, `isbn`,
 * `creditcard`, `ssn`, `hexcolor`, `rgbcolor`, `bsonobjectid`, and unknown ones)
 * are not checked.
 */
export const FORMATS: Readonly<Record<string, FormatDefinition>> = {
  int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  int64: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63 },
  byte: { type: 'string', validate: (s: string) => BASE64.test(s) },
  'date-time': { type: 'string', validate: isDateTime },
  datetime: { type: 'string', validate: isDateTime },
  date: { type: 'string', validate: isDate },
  duration: { type: 'string', validate: (s: string) => DURATION.test(s) },
  ipv4: { type: 'string', validate: (s: string) => IPV4.test(s) },
  ipv6: { type: 'string', validate: (s: string) => isIPv6(s) },
  cidr: { type: 'string', validate: isCidr },
  hostname: { type: 'string', validate: (s: string) => HOSTNAME.test(s) },
  uuid: { type: 'string', validate: (s: string) => UUID.test(s) },
  uuid3: { type: 'string', validate: (s: string) => UUID.test(s) },
  uuid4: { type: 'string', validate: (s: string) => UUID.test(s) },
  uuid5: { type: 'string', validate: (s: string) => UUID.test(s) },
  mac: { type: 'string', validate: (s: string) => MAC.test(s) },
  email: { type: 'string', validate: (s: string) => /^[^\s@]+@[^\s@]+$/.test(s) },
  uri: { type: 'string', validate: (s: string) => /^(?:[A-Za-z][A-Za-z0-9+.-]*:|\/)\S*$/.test(s) },
  // Kubernetes resource quantities (`500m`, `10Gi`, `1e3`), for built-in kinds' Quantity fields.
  quantity: { type: 'string', validate: (s: string) => /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[KMGTPE]i|[mkMGTPE]|[eE][+-]?\d+)?$/.test(s) },
};

/**
 * Index of the first item of a list-map (`x-kubernetes-list-type: map`) whose
 * key fields repeat an earlier item's, or -1.
 */
export function duplicateListMapKey(items: readonly unknown[], keys: readonly string[]): number {
  const seen = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const key = JSON.stringify(keys.map((k) => (typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[k] : undefined) ?? null));
    if (seen.has(key)) return i;
    seen.add(key);
  }
  return -1;
}

/** Module name under which cached validators find {@link FORMATS} and {@link duplicateListMapKey}. */
export const RUNTIME_MODULE = 'pke-validate-runtime';

/** ajv's runtime modules are CommonJS with a `default` export; Node's ESM interop hands over the whole module. */
function defaultExport(module: unknown): unknown {
  return typeof module === 'function' ? module : (module as { default: unknown }).default;
}

const MODULES: Readonly<Record<string, unknown>> = {
  [RUNTIME_MODULE]: { formats: FORMATS, duplicateListMapKey },
  'ajv/dist/runtime/equal': { default: defaultExport(equal) },
  'ajv/dist/runtime/ucs2length': { default: defaultExport(ucs2length) },
};

/** The `require` a cached validator runs with. */
export function runtimeRequire(name: string): unknown {
  const found = MODULES[name];
  if (found === undefined) {
    throw new Error(`a cached validator requires ${name}, which the validator runtime does not provide; delete .cache/validate`);
  }
  return found;
}
