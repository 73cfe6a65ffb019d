/**
 * Each custom format of the environment schema written once more as a JSON Schema
 * `pattern` (an ECMAScript regular expression that also compiles with the `u` flag),
 * for the editor copy of the schema: yaml-language-server and other validators do
 * not know the custom formats, but they check patterns.
 *
 * A pattern checks the shape only. Where a format also checks something a regular
 * expression cannot say well, the pattern accepts more than the format, never less,
 * so an editor never flags a value synth accepts:
 *
 * - `ipv4-cidr`: host bits (`10.26.0.1/16` matches; synth says "did you mean 10.26.0.0/16").
 * - `ipv4-range-or-cidr`: the order of the two ends, and host bits.
 * - `https-url`, `git-url`: the host is any run of characters URL parsing allows.
 * - `iana-timezone`: that the zone exists (the pattern checks `Area/City`).
 * - `regex`: that the expression compiles (the pattern accepts any text that is not empty).
 *
 * Keyed by format name, so a new format in `formats.ts` fails to compile until it
 * has its pattern here; a test checks every pattern against samples of its format.
 */
import type { FormatName } from './formats';

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const CIDR = `${IPV4}/(?:3[0-2]|[12]?[0-9])`;
/** A DNS-1123 label. */
const LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
/** A DNS name: at least two labels, at most 253 characters, a top-level label that is not all digits. */
const DNS_NAME = `(?=.{1,253}$)(?:${LABEL}\\.)+(?=[-a-z0-9]*[a-z])${LABEL}`;
/** The same, in any letter case (the domain of an e-mail address). */
const DNS_NAME_ANY_CASE = `(?:[A-Za-z0-9](?:[-A-Za-z0-9]{0,61}[A-Za-z0-9])?\\.)+(?=[-A-Za-z0-9]*[A-Za-z])[A-Za-z0-9](?:[-A-Za-z0-9]{0,61}[A-Za-z0-9])?`;
const EMAIL_ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const SEMVER_CORE = '(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)';
const SEMVER_PARTS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
const QUANTITY_SUFFIX = '(?:Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?';
/** After the scheme: a host (no user or password), an optional port, then anything without spaces. */
const URL_REST = '[^\\s/?#@:]+(?::[0-9]*)?(?:[/?#]\\S*)?';
/** A path segment that is not `..` (and holds no NUL). */
const ABSOLUTE_SEGMENT = '(?!\\.\\.(?:/|$))[^/\\u0000]+';
/** A path segment that is neither `.` nor `..`, with no spaces or backslashes. */
const RELATIVE_SEGMENT = '(?!\\.\\.?(?:/|$))[^\\s\\\\/]+';

/** The pattern of every custom format, anchored at both ends. */
export const FORMAT_PATTERNS: Readonly<Record<FormatName, string>> = {
  ipv4: `^${IPV4}$`,
  'ipv4-cidr': `^${CIDR}$`,
  'ipv4-range-or-cidr': `^(?:${IPV4}-${IPV4}|${CIDR})$`,
  'dns-name': `^${DNS_NAME}$`,
  'dns-label': `^${LABEL}$`,
  'project-name': '^(?=.{1,58}$)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$',
  'dns-subdomain': '^(?=.{1,253}$)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$',
  host: `^(?:${DNS_NAME}|${IPV4})$`,
  email: `^(?=[^@]{1,64}@)${EMAIL_ATOM}(?:\\.${EMAIL_ATOM})*@(?=.{1,253}$)${DNS_NAME_ANY_CASE}$`,
  'https-url': `^https://${URL_REST}$`,
  'git-url': `^(?:https://${URL_REST}|ssh://(?:[^\\s/?#@:]+@)?${URL_REST}|[A-Za-z0-9._-]+@[a-z0-9.-]+:(?!//)\\S+)$`,
  'exact-version': `^v?${SEMVER_CORE}(?:-${SEMVER_PARTS})?(?:\\+${SEMVER_PARTS})?$`,
  'k8s-quantity': `^(?![0.]*${QUANTITY_SUFFIX}$)(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)${QUANTITY_SUFFIX}$`,
  'iana-timezone': '^(?:UTC|[A-Z][A-Za-z_]*(?:/[A-Z][A-Za-z0-9_+-]*)+)$',
  'relative-path': `^(?:\\.|${RELATIVE_SEGMENT}(?:/${RELATIVE_SEGMENT})*)$`,
  'absolute-path': `^/(?:${ABSOLUTE_SEGMENT}(?:/${ABSOLUTE_SEGMENT})*/?)?$`,
  'git-revision': '^(?!.*\\.\\.)(?!.*/$)(?!.*\\.lock$)[^\\s~^:?*[\\\\/-][^\\s~^:?*[\\\\]*$',
  'kube-version': '^1\\.(?:0|[1-9][0-9]*)(?:\\.(?:0|[1-9][0-9]*))?$',
  'api-version': '^(?:[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?/)?v[0-9]+(?:(?:alpha|beta)[0-9]+)?(?:/[A-Z][A-Za-z0-9]*)?$',
  regex: '^[\\s\\S]+$',
  'label-key': `^(?:(?=[^/]{1,253}/)${LABEL}(?:\\.${LABEL})*/)?(?=[^/]{1,63}$)(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`,
  'label-value': '^(?=.{0,63}$)(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$',
  'vault-name': '^[^/\\s](?:[^/]*[^/\\s])?$',
};
