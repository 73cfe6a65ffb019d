/**
 * Checks the schema cannot express: the file name, known component ids, and
 * how the addresses and domains of one file fit together.
 *
 * They run even when the schema failed elsewhere in the file, so one run shows
 * every problem, but each check reads only values that passed the schema.
 */
import { didYouMeanHint } from '../core/did-you-mean';
import { FORMATS, isDnsLabel } from './formats';
import { contains, overlaps, parseCidr, parseIpv4, parseRangeOrCidr } from './_ipv4';
import { quote } from './_schema-problems';
import { childPointer, pointerSegments, type Target, type YamlSource } from './yaml-source';
import { DEFAULTS } from './schema';
import type { Problem } from '../core/user-error';
import type { Warning } from '../core/warnings';

/** What the checks need to know about one file. */
export interface SemanticCheckInput {
  readonly source: YamlSource;
  /** The file name without `.yaml`: the cluster name. */
  readonly stem: string;
  /** JSON Pointers whose values failed the schema (see `brokenPointers`). */
  readonly broken: readonly string[];
  readonly knownComponents: readonly string[];
}

/** What the checks found in one file. */
export interface SemanticFindings {
  /** Errors: the file is refused. */
  readonly problems: Problem[];
  /** Warnings: worth knowing, nothing is refused. */
  readonly warnings: Warning[];
}

interface Context {
  readonly source: YamlSource;
  /** False when the value at a pointer, an ancestor or a descendant failed the schema. */
  readonly usable: (pointer: string) => boolean;
  /** The value at a pointer, or `undefined` when absent or not valid by the schema. */
  readonly get: (pointer: string) => unknown;
  readonly string: (pointer: string) => string | undefined;
  readonly report: (pointer: string, message: string, target?: Target) => void;
  readonly warn: (pointer: string, message: string) => void;
}

/** Every semantic problem and warning of one file. */
export function semanticProblems(input: SemanticCheckInput): SemanticFindings {
  const { source, broken } = input;
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  // A pointer is unusable when it, an ancestor or a descendant is broken: two sets make that
  // a walk up the pointer instead of a scan of every broken one (a file may have thousands).
  const brokenSet = new Set(broken);
  const aboveBroken = new Set(broken.flatMap(ancestors));
  const usable = (pointer: string): boolean =>
    !aboveBroken.has(pointer) && !brokenSet.has(pointer) && !ancestors(pointer).some((ancestor) => brokenSet.has(ancestor));
  const get = (pointer: string): unknown => (usable(pointer) ? valueAt(source.data, pointer) : undefined);
  const context: Context = {
    source,
    usable,
    get,
    string: (pointer) => {
      const value = get(pointer);
      return typeof value === 'string' ? value : undefined;
    },
    report: (pointer, message, target = 'value') => problems.push({ file: source.file, ...source.position(pointer, target), path: pointer, message }),
    warn: (pointer, message) => warnings.push({ file: source.file, ...source.position(pointer, 'value'), path: pointer, message }),
  };

  if (!isDnsLabel(input.stem)) {
    const note = FORMATS['dns-label'].explain(input.stem);
    problems.push({
      file: source.file,
      message: `expected the file name to be a DNS-1123 label (it is the cluster name), got ${quote(input.stem)}` + (note === undefined ? '' : ` (${note})`),
    });
  }
  checkControlCharacters(context);
  checkName(context, input.stem);
  checkComponentIds(context, input.knownComponents);
  checkAddresses(context);
  checkExternalIngress(context);
  checkDomains(context);
  checkNodeSelector(context, '/loadBalancer/l2/nodeSelector');
  checkAcmeEmail(context);
  return { problems, warnings };
}

/** Let's Encrypt's production ACME directory (the default of `acme.server`). */
const LETS_ENCRYPT_PRODUCTION = DEFAULTS.acmeServer;

/** Second-level domains reserved for documentation (RFC 2606). */
const RESERVED_DOMAINS = ['example.com', 'example.net', 'example.org'];
/** Top-level domains reserved for testing, examples and local use (RFC 2606, RFC 6761). */
const RESERVED_TLDS = ['test', 'example', 'invalid', 'localhost'];

/** The reserved domain an e-mail address is at, or `undefined`. */
export function reservedMailDomain(email: string): string | undefined {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const tld = domain.split('.').pop() ?? '';
  const reserved = RESERVED_DOMAINS.find((name) => domain === name || domain.endsWith(`.${name}`));
  return reserved ?? (RESERVED_TLDS.includes(tld) ? `.${tld}` : undefined);
}

/**
 * Let's Encrypt refuses an account whose contact address is at a reserved domain,
 * so cert-manager can register no ACME account and no certificate is issued:
 * an error for Let's Encrypt's production directory, a warning for any other
 * (staging refuses it too; another ACME server may not).
 */
function checkAcmeEmail(context: Context): void {
  const email = context.string('/acme/email');
  if (email === undefined || !context.usable('/acme/server')) {
    return;
  }
  const reserved = reservedMailDomain(email);
  if (reserved === undefined) {
    return;
  }
  const server = context.string('/acme/server') ?? LETS_ENCRYPT_PRODUCTION;
  if (server === LETS_ENCRYPT_PRODUCTION) {
    context.report(
      '/acme/email',
      `expected a contact address Let's Encrypt accepts, got ${quote(email)} (${reserved} is reserved; ` +
        'the ACME account of the ClusterIssuer would be refused and no certificate issued)',
    );
  } else {
    context.warn(
      '/acme/email',
      `${quote(email)} is at the reserved domain ${reserved}: Let's Encrypt (staging too) refuses it as an account ` +
        'contact, so use a real address unless this ACME server accepts it',
    );
  }
}

/** What the schema of a label selector cannot say: label keys, and values only where the operator takes them. */
function checkNodeSelector(context: Context, pointer: string): void {
  const labels = context.get(`${pointer}/matchLabels`);
  if (isRecord(labels)) {
    for (const key of Object.keys(labels)) {
      if (!FORMATS['label-key'].validate(key)) {
        context.report(childPointer(`${pointer}/matchLabels`, key), `expected ${FORMATS['label-key'].expected}, got ${quote(key)}`, 'key');
      }
    }
  }
  const expressions = context.get(`${pointer}/matchExpressions`);
  if (!Array.isArray(expressions)) {
    return;
  }
  expressions.forEach((expression: unknown, index) => {
    if (!isRecord(expression) || typeof expression.operator !== 'string') {
      return;
    }
    const at = childPointer(`${pointer}/matchExpressions`, index);
    const values = Array.isArray(expression.values) ? expression.values : [];
    const takesValues = expression.operator === 'In' || expression.operator === 'NotIn';
    if (takesValues && values.length === 0) {
      context.report(at, `expected at least one entry in values with operator ${quote(expression.operator)}, got none`);
    } else if (!takesValues && expression.values !== undefined) {
      context.report(childPointer(at, 'values'), `expected no values with operator ${quote(expression.operator)}, got ${values.length}`);
    }
  });
}

/**
 * C0 and C1 control characters, DEL, and the invisible characters that reorder or break
 * lines (bidirectional overrides, line and paragraph separators): no setting needs
 * them, and in a rendered manifest they hide what a reviewer reads.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Every string value with a control character (keys are all checked against known names). */
function checkControlCharacters(context: Context): void {
  const visit = (value: unknown, pointer: string): void => {
    if (typeof value === 'string') {
      const match = CONTROL.exec(value);
      if (match !== null && context.usable(pointer)) {
        const code = `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
        context.report(pointer, `expected text without control characters, got ${quote(value)} (${code} at character ${match.index + 1})`);
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, childPointer(pointer, index)));
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) visit(item, childPointer(pointer, key));
    }
  };
  visit(context.source.data, '');
}

function checkName(context: Context, stem: string): void {
  const name = context.string('/name');
  if (name !== undefined && name !== stem) {
    context.report('/name', `expected ${quote(stem)} (the file name), got ${quote(name)}`);
  }
}

function checkComponentIds(context: Context, known: readonly string[]): void {
  // Read the keys directly: a bad value under one component must not hide an unknown id.
  const data = context.source.data;
  const components = isRecord(data) ? data.components : undefined;
  if (!isRecord(components)) {
    return;
  }
  for (const id of Object.keys(components)) {
    if (!known.includes(id)) {
      context.report(childPointer('/components', id), `unknown component ${quote(id)}${didYouMeanHint(id, known)}`, 'key');
    }
  }
}

function checkAddresses(context: Context): void {
  const lbText = context.string('/loadBalancer/ipRange');
  const podText = context.string('/cluster/podCidr');
  const lb = lbText === undefined ? undefined : parseRangeOrCidr(lbText);
  const pods = podText === undefined ? undefined : parseCidr(podText);
  const outside = [
    { name: 'loadBalancer.ipRange', text: lbText, interval: lb },
    { name: 'cluster.podCidr', text: podText, interval: pods },
  ];
  for (const pointer of ['/cluster/apiServer/host', '/nfs/server']) {
    const text = context.string(pointer);
    const address = text === undefined ? undefined : parseIpv4(text);
    const inside = outside.find(({ interval }) => address !== undefined && interval !== undefined && contains(interval, address));
    if (inside !== undefined && text !== undefined) {
      context.report(pointer, `expected an address outside ${inside.name} ${inside.text}, got ${quote(text)}`);
    }
  }
  if (lb !== undefined && pods !== undefined && podText !== undefined && overlaps(lb, pods)) {
    context.report('/cluster/podCidr', `expected a CIDR that does not overlap loadBalancer.ipRange ${lbText}, got ${quote(podText)}`);
  }
}

function checkExternalIngress(context: Context): void {
  const controller = context.string('/externalIngress/controller');
  const target = context.string('/externalIngress/target');
  if (controller === 'cloudflare-tunnel' && target !== undefined) {
    context.report(
      '/externalIngress/target',
      `expected no target with controller "cloudflare-tunnel" (the tunnel creates its own DNS records), got ${quote(target)}`,
    );
  }
}

function checkDomains(context: Context): void {
  const internal = context.string('/domains/internal');
  const publicDomain = context.string('/domains/public');
  const extraValue = context.get('/domains/extra');
  const extra = Array.isArray(extraValue) ? extraValue.filter((item): item is string => typeof item === 'string') : [];
  extra.forEach((domain, index) => {
    const same = domain === publicDomain ? 'domains.public' : domain === internal ? 'domains.internal' : undefined;
    if (same !== undefined) {
      context.report(childPointer('/domains/extra', index), `expected a domain not already in ${same}, got ${quote(domain)}`);
    }
  });
  if (internal === undefined || publicDomain === undefined || (extraValue !== undefined && !Array.isArray(extraValue))) {
    return;
  }

  // Hosts the cluster serves need DNS records and certificates, which it only gets in its own domains.
  const served = [...new Set([internal, publicDomain, ...extra])];
  const hosts = ['/minio/host', '/minio/consoleHost'];
  const components = isRecord(context.source.data) ? context.source.data.components : undefined;
  if (isRecord(components)) {
    hosts.push(...Object.keys(components).map((id) => childPointer(childPointer('/components', id), 'host')));
  }
  for (const pointer of hosts) {
    const host = context.string(pointer);
    if (host !== undefined && !served.some((domain) => host === domain || host.endsWith(`.${domain}`))) {
      context.report(pointer, `expected a host under ${listWithOr(served)}, got ${quote(host)}`);
    }
  }

  if (context.usable('/minio/host') && context.usable('/minio/consoleHost')) {
    const minioHost = context.string('/minio/host') ?? `minio.${internal}`;
    const consoleHost = context.string('/minio/consoleHost') ?? `minio-console.${internal}`;
    if (minioHost === consoleHost) {
      const [pointer, other] =
        context.get('/minio/consoleHost') === undefined
          ? ['/minio/host', `minio.consoleHost (${consoleHost} by default)`]
          : ['/minio/consoleHost', 'minio.host'];
      context.report(pointer, `expected a host other than ${other}, got ${quote(consoleHost)}`);
    }
  }
}

function listWithOr(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The proper ancestors of a JSON Pointer, e.g. `/a` and `` for `/a/b`. */
function ancestors(pointer: string): string[] {
  const result: string[] = [];
  for (let end = pointer.lastIndexOf('/'); end >= 0; end = pointer.lastIndexOf('/', end - 1)) {
    result.push(pointer.slice(0, end));
    if (end === 0) break;
  }
  return result;
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const segment of pointerSegments(pointer)) {
    if (Array.isArray(value)) {
      value = value[Number(segment)];
    } else if (isRecord(value) && Object.hasOwn(value, segment)) {
      value = value[segment];
    } else {
      return undefined;
    }
  }
  return value;
}

/** A plain mapping (not a list, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
