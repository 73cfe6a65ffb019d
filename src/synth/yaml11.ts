/**
 * YAML 1.1 as Argo CD reads it. Argo CD's repo-server splits a chart's output
 * with `kube.SplitYAML` (gitops-engine `pkg/utils/kube/kube.go`), which reads
 * every document through `sigs.k8s.io/yaml` v1.6.0 and so through go-yaml v2
 * (`go.yaml.in/yaml/v2`): a plain scalar is resolved by go-yaml v2's `resolve`
 * (`resolve.go`), not by YAML 1.2's core schema. `defaultMode: 0400` is 256
 * there, `enabled: on` is `true`, `size: 1_000` is 1000.
 *
 * {@link resolvePlain} is that resolution (`charts/` reads Helm's output with
 * it); {@link ambiguousIn11} says which strings the writer of `dist/` must quote
 * so that a YAML 1.1 reader and a YAML 1.2 reader see the same value.
 */
import { Document, type ScalarTag } from 'yaml';

/** The value a plain (unquoted, untagged) scalar has. */
export type PlainValue = string | number | boolean | null;

/** go-yaml v2's `resolveMap`: words read as booleans, null and the special floats. */
const WORDS = new Map<string, PlainValue>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w) => [w, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w) => [w, false] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((w) => [w, null] as const),
  ...['.nan', '.NaN', '.NAN'].map((w) => [w, Number.NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((w) => [w, Number.POSITIVE_INFINITY] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((w) => [w, Number.NEGATIVE_INFINITY] as const),
]);

/** go-yaml v2's `yamlStyleFloat`. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's `strconv.ParseInt(s, 0, 64)`, then `ParseUint(s, 0, 64)`: the integer, or undefined. */
function goParseInt(s: string): number | undefined {
  const match = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|(0[0-7]*)|([1-9][0-9]*))$/.exec(s);
  if (match === null) return undefined;
  const [, sign, hex, bin, oct, zeroOct, dec] = match;
  const magnitude =
    hex !== undefined
      ? BigInt(`0x${hex}`)
      : bin !== undefined
        ? BigInt(`0b${bin}`)
        : oct !== undefined
          ? BigInt(`0o${oct}`)
          : zeroOct !== undefined
            ? BigInt(`0o${zeroOct.slice(1) || '0'}`)
            : BigInt(dec);
  const value = sign === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return Number(value);
  if (sign === '' && value <= UINT64_MAX) return Number(value); // ParseUint takes no sign
  return undefined;
}

/**
 * What go-yaml v2 (`resolve.go`, `resolve`) makes of a plain scalar when it
 * decodes into `interface{}`, as `sigs.k8s.io/yaml` does: a word of its map;
 * for text starting with a digit or sign, an integer of Go's syntax once `_`
 * are removed (`0400` octal, `0x`, `0o`, `0b`), else a float of
 * `yamlStyleFloat`; for text starting with `.`, a float; else the text itself.
 * Timestamps stay strings (go-yaml v2 keeps them so for `interface{}`), and
 * sexagesimal numbers (`1:20`) too (go-yaml v2 never read them).
 */
export function resolvePlain(text: string): PlainValue {
  const word = WORDS.get(text);
  if (word !== undefined) return word;
  const first = text.charAt(0);
  if (first === '.') {
    return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? Number(text) : text;
  }
  if (first === '+' || first === '-' || (first >= '0' && first <= '9')) {
    const plain = text.replace(/_/g, '');
    const int = goParseInt(plain);
    if (int !== undefined) return int;
    if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  }
  return text;
}

/** Tests of the implicit types of the YAML 1.1 schema (the `yaml` package's `yaml-1.1`: booleans, null, ints, floats, sexagesimals, timestamps). */
const YAML_11_TESTS: readonly RegExp[] = new Document(null, { version: '1.1' }).schema.tags.flatMap((tag) =>
  tag.default === true && tag.test !== undefined ? [tag.test] : [],
);

/**
 * Whether a YAML 1.1 reader would take this string, written plain, for
 * something else: go-yaml v2 (Argo CD), or any reader of the YAML 1.1 types
 * (booleans, null, octal, sexagesimal, timestamps, underscores). Such a string
 * must be quoted.
 */
export function ambiguousIn11(text: string): boolean {
  // `<<` is YAML 1.1's merge key, which go-yaml v2 applies.
  return text === '<<' || resolvePlain(text) !== text || YAML_11_TESTS.some((test) => test.test(text));
}

/** A RegExp whose `test` is {@link ambiguousIn11}: the one kind of test the `yaml` package's tags carry. */
class AmbiguousIn11 extends RegExp {
  override test(text: string): boolean {
    return ambiguousIn11(text);
  }
}

/**
 * The `compat` tags of a `yaml` Document that writes for Argo CD. Before it writes a
 * string plain, `yaml` asks its schema's tags and these whether a reader would take
 * it for something else (`stringifyString`, `plainString`), and quotes it if so
 * (double quotes: such a string holds no quote): so every string
 * {@link ambiguousIn11} names is quoted, key or value, without a walk of its own.
 */
export const YAML_11_COMPAT: ScalarTag[] = [
  {
    tag: 'tag:yaml.org,2002:go-yaml-v2-plain',
    default: true,
    test: new AmbiguousIn11('(?!)'),
    resolve: (text) => text,
  },
];
