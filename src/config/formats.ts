/**
 * The string formats of the environment schema: how each is checked and how a
 * mismatch is described to a person. One table, so the validator and the error
 * messages cannot disagree.
 */
import { isExactVersion } from '../core/versions';
import { formatCidr, hasHostBits, parseCidr, parseIpv4, parseRange } from './_ipv4';
import { DNS_SUBDOMAIN, isDnsLabel, isDnsSubdomain, isProjectName, MAX_PROJECT_NAME } from './names';

/** One custom format: its check and its wording. */
export interface FormatSpec {
  /** True when the string is acceptable. */
  readonly validate: (value: string) => boolean;
  /** What was expected, in words, to follow "expected", e.g. `an IPv4 address`. */
  readonly expected: string;
  /** A short note on why this value is wrong, or a suggestion, when there is one. */
  readonly explain?: (value: string) => string | undefined;
}

const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const QUANTITY = /^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const TIMEZONE = /^(?:UTC|[A-Z][A-Za-z_]*(?:\/[A-Z][A-Za-z0-9_+-]*)+)$/;
const SCP_GIT_URL = /^[A-Za-z0-9._-]+@[a-z0-9.-]+:(?!\/\/)\S+$/;

const LABEL_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** A label key: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters. */
function isLabelKey(value: string): boolean {
  const slash = value.indexOf('/');
  const prefix = slash === -1 ? undefined : value.slice(0, slash);
  const name = slash === -1 ? value : value.slice(slash + 1);
  return LABEL_NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
}

/** A non-empty pattern that compiles (JavaScript's syntax, close to Go's RE2 for interface patterns). */
function isRegex(value: string): boolean {
  try {
    new RegExp(value);
    return value !== '';
  } catch {
    return false;
  }
}

export { isDnsLabel } from './names';

/** A lower-case DNS-1123 subdomain with at least one dot and a top-level label that is not all digits. */
export function isDnsName(value: string): boolean {
  const labels = value.split('.');
  return value.length <= 253 && labels.length >= 2 && labels.every((label) => isDnsLabel(label)) && /[a-z]/.test(labels[labels.length - 1]);
}

function isIpv4(value: string): boolean {
  return parseIpv4(value) !== undefined;
}

function isCanonicalCidr(value: string): boolean {
  const cidr = parseCidr(value);
  return cidr !== undefined && !hasHostBits(cidr);
}

function isRangeOrCidr(value: string): boolean {
  const range = parseRange(value);
  return range === undefined ? isCanonicalCidr(value) : range.start <= range.stop;
}

function explainCidr(value: string): string | undefined {
  const cidr = parseCidr(value);
  return cidr !== undefined && hasHostBits(cidr) ? `host bits are set, did you mean ${JSON.stringify(formatCidr(cidr))}?` : undefined;
}

function parseUrl(value: string): URL | undefined {
  if (/\s/.test(value)) {
    return undefined;
  }
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isUrlWith(value: string, protocol: string): boolean {
  const url = parseUrl(value);
  return url !== undefined && url.protocol === protocol && url.hostname !== '' && url.password === '';
}

function isHttpsUrl(value: string): boolean {
  const url = parseUrl(value);
  return isUrlWith(value, 'https:') && url?.username === '';
}

function explainUrl(value: string): string | undefined {
  const url = parseUrl(value);
  if (url?.password !== undefined && url.password !== '') {
    return 'a password in a URL ends up in Git; give Argo CD a repository secret instead';
  }
  return url?.protocol === 'http:' ? 'plain http is not allowed' : undefined;
}

function isEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  return at > 0 && at <= 64 && EMAIL_LOCAL.test(value.slice(0, at)) && isDnsName(value.slice(at + 1).toLowerCase());
}

function isQuantity(value: string): boolean {
  const match = QUANTITY.exec(value);
  return match !== null && Number(match[1]) > 0;
}

function explainQuantity(value: string): string | undefined {
  const bytes = /^([0-9.]+)\s*([KMGTPE])i?B$/i.exec(value);
  if (bytes !== null) {
    return `did you mean ${JSON.stringify(`${bytes[1]}${bytes[2].toUpperCase()}i`)}?`;
  }
  const match = QUANTITY.exec(value);
  return match !== null && Number(match[1]) === 0 ? 'it must be larger than zero' : undefined;
}

function resolveTimezone(value: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The canonical zones of the runtime's time zone database: a quick answer for the usual names. */
let canonicalZones: ReadonlySet<string> | undefined;

function isTimezone(value: string): boolean {
  if (!TIMEZONE.test(value)) return false;
  // A canonical name needs no DateTimeFormat (whose first use costs about 20 ms of start-up);
  // aliases and UTC spellings do.
  canonicalZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
  return canonicalZones.has(value) || resolveTimezone(value) !== undefined;
}

function explainTimezone(value: string): string | undefined {
  const resolved = resolveTimezone(value);
  return resolved !== undefined && resolved !== value ? `did you mean ${JSON.stringify(resolved)}?` : undefined;
}

function isRelativePath(value: string): boolean {
  return value === '.' || (!/[\s\\]/.test(value) && value.split('/').every((part) => part !== '' && part !== '.' && part !== '..'));
}

function isAbsolutePath(value: string): boolean {
  const parts = value.replace(/\/$/, '').split('/').slice(1);
  return value.startsWith('/') && !value.includes('\0') && (value === '/' || parts.every((part) => part !== '' && part !== '..'));
}

function isGitRevision(value: string): boolean {
  return /^[^\s~^:?*[\\/-][^\s~^:?*[\\]*$/.test(value) && !value.includes('..') && !value.endsWith('/') && !value.endsWith('.lock');
}

/** Suggests the name a person probably meant: lower-case, `-` for `_`, no trailing dot, no URL around it. */
function explainName(value: string, check: (candidate: string) => boolean): string | undefined {
  const hostname = value.includes('://') ? parseUrl(value)?.hostname : undefined;
  const candidate = (hostname ?? value)
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, '-')
    .replace(/\.$/, '');
  return candidate !== value && check(candidate) ? `did you mean ${JSON.stringify(candidate)}?` : undefined;
}

/** Every custom format the environment schema uses, by name. */
export const FORMATS = {
  ipv4: {
    validate: isIpv4,
    expected: 'an IPv4 address',
  },
  'ipv4-cidr': {
    validate: isCanonicalCidr,
    expected: 'an IPv4 CIDR like 10.42.0.0/16',
    explain: explainCidr,
  },
  'ipv4-range-or-cidr': {
    validate: isRangeOrCidr,
    expected: 'an IPv4 range like 10.0.0.10-10.0.0.20 or a CIDR',
    explain: (value) => {
      const range = parseRange(value);
      return range !== undefined && range.start > range.stop ? 'the first address is after the last' : explainCidr(value);
    },
  },
  'dns-name': {
    validate: isDnsName,
    expected: 'a lower-case DNS name like example.com',
    explain: (value) => explainName(value, isDnsName),
  },
  'dns-label': {
    validate: isDnsLabel,
    expected: 'a DNS-1123 label (a-z, 0-9 and "-", at most 63 characters)',
    explain: (value) => explainName(value, isDnsLabel),
  },
  'dns-subdomain': {
    validate: (value) => isDnsSubdomain(value),
    expected: 'a Kubernetes object name (a-z, 0-9, "-" and ".")',
    explain: (value) => explainName(value, (candidate) => DNS_SUBDOMAIN.test(candidate)),
  },
  'project-name': {
    validate: isProjectName,
    expected: `an AppProject name: a DNS-1123 label of at most ${MAX_PROJECT_NAME} characters (the root's project adds "-root")`,
    explain: (value) => explainName(value, isProjectName),
  },
  host: {
    validate: (value) => isDnsName(value) || isIpv4(value),
    expected: 'a DNS name or an IPv4 address',
    explain: (value) => explainName(value, isDnsName),
  },
  email: {
    validate: isEmail,
    expected: 'an e-mail address',
  },
  'https-url': {
    validate: isHttpsUrl,
    expected: 'an https:// URL',
    explain: explainUrl,
  },
  'git-url': {
    validate: (value) => isHttpsUrl(value) || isUrlWith(value, 'ssh:') || SCP_GIT_URL.test(value),
    expected: 'a Git URL (https://…, ssh://… or git@host:path)',
    explain: explainUrl,
  },
  'exact-version': {
    validate: isExactVersion,
    expected: 'an exact chart version like 1.2.3',
  },
  'k8s-quantity': {
    validate: isQuantity,
    expected: 'a Kubernetes quantity like 250Gi',
    explain: explainQuantity,
  },
  'iana-timezone': {
    validate: isTimezone,
    expected: 'an IANA time zone like Asia/Tokyo',
    explain: explainTimezone,
  },
  'relative-path': {
    validate: isRelativePath,
    expected: 'a relative path inside the repository like dist',
  },
  'absolute-path': {
    validate: isAbsolutePath,
    expected: 'an absolute path like /export/kubernetes',
  },
  'git-revision': {
    validate: isGitRevision,
    expected: 'a branch, tag or commit like main',
  },
  'kube-version': {
    validate: (value) => /^1\.(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))?$/.test(value),
    expected: 'a Kubernetes version like 1.33 or 1.33.4',
  },
  'api-version': {
    validate: (value) => /^(?:[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+(?:(?:alpha|beta)[0-9]+)?(?:\/[A-Z][A-Za-z0-9]*)?$/.test(value),
    expected: 'an API version like monitoring.coreos.com/v1 or monitoring.coreos.com/v1/ServiceMonitor',
  },
  regex: {
    validate: isRegex,
    expected: 'a regular expression like ^eth[0-9]+',
  },
  'label-key': {
    validate: isLabelKey,
    expected: 'a Kubernetes label key like node-role.kubernetes.io/control-plane',
  },
  'label-value': {
    validate: (value) => LABEL_VALUE.test(value),
    expected: 'a Kubernetes label value (at most 63 characters: a-z, A-Z, 0-9, "-", "_" and ".")',
  },
  'vault-name': {
    validate: (value) => /^[^/\s](?:[^/]*[^/\s])?$/.test(value),
    expected: 'a 1Password vault name or id (no "/")',
  },
} satisfies Record<string, FormatSpec>;

/** Name of a custom format. */
export type FormatName = keyof typeof FORMATS;
