/**
 * The network facts of an Application's chart, as the inventory keeps them:
 * every Service (its ports and the pods it selects) and every Ingress (its
 * class and the Services it sends to). Data sources, NetworkPolicies, smoke
 * tests and the cluster README's commands are derived from these, so a name
 * or port the chart really renders is never typed by hand.
 *
 * One line each in `inventory/<cluster>.yaml`:
 *
 * ```yaml
 * services:
 *   - loki/loki-gateway http-metrics:80>http-metrics/TCP app.kubernetes.io/component=gateway,app.kubernetes.io/instance=loki
 * ingresses:
 *   - loki/loki-gateway traefik-external loki-gateway:80
 * ```
 *
 * A port is `[<name>:]<port>><targetPort>/<protocol>`; `-` stands for no ports,
 * no selector or no class.
 */

/** One port of a Service. */
export interface ServicePort {
  /** The port's name, when it has one. */
  readonly name?: string;
  /** The Service's port. */
  readonly port: number;
  /** The pods' port: a number or a container port's name (the Service's `port` when the chart sets none). */
  readonly targetPort: number | string;
  readonly protocol: string;
}

/** One Service a chart renders. */
export interface InventoryService {
  readonly namespace: string;
  readonly name: string;
  readonly ports: readonly ServicePort[];
  /** The pods it selects; empty for a Service without a selector. */
  readonly selector: Readonly<Record<string, string>>;
}

/** One Service an Ingress sends requests to. */
export interface IngressBackend {
  readonly service: string;
  /** The Service's port, by number or by name. */
  readonly port: number | string;
}

/** One Ingress a chart renders. */
export interface InventoryIngress {
  readonly namespace: string;
  readonly name: string;
  /** `spec.ingressClassName`, when set. */
  readonly className?: string;
  /** Every backend of its rules and default backend, sorted, without repeats. */
  readonly backends: readonly IngressBackend[];
}

const NAME = '[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?';
const SERVICE_LINE = new RegExp(`^(${NAME})/(${NAME}) (\\S+) (\\S+)$`);
const PORT = /^(?:([a-z0-9][-a-z0-9]*):)?([0-9]+)>([0-9]+|[a-z0-9][-a-z0-9]*)\/(TCP|UDP|SCTP)$/;
const INGRESS_LINE = new RegExp(`^(${NAME})/(${NAME}) (\\S+) (\\S+)$`);
const BACKEND = new RegExp(`^(${NAME}):([0-9]+|[a-z0-9][-a-z0-9]*)$`);

/** `loki/loki-gateway http:80>http/TCP app=loki`: one Service as the inventory lists it. */
export function formatService(service: InventoryService): string {
  const ports = service.ports.map((p) => `${p.name === undefined ? '' : `${p.name}:`}${p.port}>${p.targetPort}/${p.protocol}`).join(',');
  const selector = Object.keys(service.selector)
    .sort()
    .map((key) => `${key}=${service.selector[key]}`)
    .join(',');
  return `${service.namespace}/${service.name} ${ports || '-'} ${selector || '-'}`;
}

/** Reads one Service line, or says why it is not one. */
export function parseService(line: string): InventoryService | string {
  const expected = 'expected "<namespace>/<name> <ports>|- <key>=<value>[,…]|-"';
  const match = SERVICE_LINE.exec(line);
  if (match === null) return expected;
  const [, namespace, name, portText, selectorText] = match;
  const ports: ServicePort[] = [];
  for (const text of portText === '-' ? [] : portText.split(',')) {
    const port = PORT.exec(text);
    if (port === null) return `expected ports "[<name>:]<port>><targetPort>/<protocol>", got "${text}"`;
    const target = /^[0-9]+$/.test(port[3]) ? Number(port[3]) : port[3];
    ports.push({ ...(port[1] === undefined ? {} : { name: port[1] }), port: Number(port[2]), targetPort: target, protocol: port[4] });
  }
  const selector: Record<string, string> = {};
  for (const pair of selectorText === '-' ? [] : selectorText.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) return `expected a selector "<key>=<value>", got "${pair}"`;
    selector[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { namespace, name, ports, selector };
}

/** `loki/loki-gateway traefik-external loki-gateway:80`: one Ingress as the inventory lists it. */
export function formatIngress(ingress: InventoryIngress): string {
  const backends = ingress.backends.map((b) => `${b.service}:${b.port}`).join(',');
  return `${ingress.namespace}/${ingress.name} ${ingress.className ?? '-'} ${backends || '-'}`;
}

/** Reads one Ingress line, or says why it is not one. */
export function parseIngress(line: string): InventoryIngress | string {
  const match = INGRESS_LINE.exec(line);
  if (match === null) return 'expected "<namespace>/<name> <class>|- <service>:<port>[,…]|-"';
  const [, namespace, name, className, backendText] = match;
  const backends: IngressBackend[] = [];
  for (const text of backendText === '-' ? [] : backendText.split(',')) {
    const backend = BACKEND.exec(text);
    if (backend === null) return `expected a backend "<service>:<port>", got "${text}"`;
    backends.push({ service: backend[1], port: /^[0-9]+$/.test(backend[2]) ? Number(backend[2]) : backend[2] });
  }
  return { namespace, name, ...(className === '-' ? {} : { className }), backends };
}

type Body = { readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown }; readonly spec?: unknown };

/**
 * The Service facts of a rendered `v1 Service`, in `namespace` (the object's own,
 * or the Application's destination); undefined for a body that is not one.
 */
export function serviceOf(body: Body, namespace: string): InventoryService | undefined {
  const name = body.metadata?.name;
  if (typeof name !== 'string') return undefined;
  const spec = isRecord(body.spec) ? body.spec : {};
  const ports = (Array.isArray(spec.ports) ? spec.ports : []).filter(isRecord).flatMap((p): ServicePort[] => {
    if (typeof p.port !== 'number') return [];
    const target = typeof p.targetPort === 'number' || (typeof p.targetPort === 'string' && p.targetPort !== '') ? p.targetPort : p.port;
    const protocol = typeof p.protocol === 'string' ? p.protocol : 'TCP';
    return [{ ...(typeof p.name === 'string' && p.name !== '' ? { name: p.name } : {}), port: p.port, targetPort: target, protocol }];
  });
  const selector: Record<string, string> = {};
  if (isRecord(spec.selector)) {
    for (const key of Object.keys(spec.selector).sort()) {
      const value = spec.selector[key];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') selector[key] = String(value);
    }
  }
  return { namespace, name, ports, selector };
}

/** The Ingress facts of a rendered `networking.k8s.io/v1 Ingress`; undefined for a body that is not one. */
export function ingressOf(body: Body, namespace: string): InventoryIngress | undefined {
  const name = body.metadata?.name;
  if (typeof name !== 'string') return undefined;
  const spec = isRecord(body.spec) ? body.spec : {};
  const backends = new Map<string, IngressBackend>();
  const add = (backend: unknown): void => {
    if (!isRecord(backend) || !isRecord(backend.service) || typeof backend.service.name !== 'string') return;
    const port = isRecord(backend.service.port) ? (backend.service.port.number ?? backend.service.port.name) : undefined;
    if (typeof port !== 'number' && typeof port !== 'string') return;
    backends.set(`${backend.service.name}:${port}`, { service: backend.service.name, port });
  };
  add(spec.defaultBackend);
  for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
    const paths = isRecord(rule) && isRecord(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
    for (const path of paths) if (isRecord(path)) add(path.backend);
  }
  const sorted = [...backends.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, backend]) => backend);
  const className = typeof spec.ingressClassName === 'string' && spec.ingressClassName !== '' ? spec.ingressClassName : undefined;
  return { namespace, name, ...(className === undefined ? {} : { className }), backends: sorted };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
