/**
 * NetworkPolicies of the team's own apps: ingress is denied in the app's
 * namespace, and each Service the chart renders gets exactly the allows it
 * needs, all derived from the inventory:
 *
 * - from the ingress controller of each Ingress that sends to it (its pods, by
 *   the selector of the controller's own Service; a Cloudflare Tunnel's
 *   cloudflared pods by their namespace), to the pod port behind the Ingress's
 *   backend port;
 * - from Alloy (its pods, by its Service's selector), to every pod port of the
 *   Service, which it scrapes for metrics;
 * - from the app's own pods (its parts talk to each other, and its smoke test
 *   runs there), to every pod port of the Service.
 *
 * Egress stays open. Traffic from the node itself (kubelet probes) is allowed by
 * Cilium whatever the policies say.
 */
import type { Environment } from '../config/environment';
import type { Inventory } from '../inventory/inventory';
import type { InventoryService, ServicePort } from '../inventory/network';
import { UserError } from '../core/user-error';
import { inventoryFile } from '../inventory/inventory';
import { ingressesOf, requireService, servicesOf } from './_rendered';
import { INTERNAL_INGRESS_CLASS, publicIngressClass, publicIngressComponent } from './_shared';
import type { ComponentId, NetworkAllow, NetworkPeer, NetworkPolicyManifest } from './types';

/** Name of the deny-all policy of a fenced namespace. */
export const DEFAULT_DENY_POLICY = 'default-deny-ingress';

/** The component that serves an ingress class in this environment. */
function controllerOf(env: Environment, className: string): ComponentId | undefined {
  if (className === INTERNAL_INGRESS_CLASS) return 'traefik';
  if (className === publicIngressClass(env)) return publicIngressComponent(env);
  return undefined;
}

/** The pods of a component's main Service (named as its release), as a peer; a whole namespace for a Cloudflare Tunnel. */
function peerOf(inventory: Inventory, component: ComponentId, purpose: string): NetworkPeer {
  const app = inventory.applications.get(component);
  if (app === undefined) {
    throw new UserError([
      { file: inventoryFile(inventory.cluster), path: `/applications/${component}`, message: `${purpose} needs ${component}, which is not in the inventory` },
    ]);
  }
  if (component === 'cloudflare-tunnel-ingress-controller') return { namespace: app.namespace };
  const service = requireService(inventory, component, [app.releaseName], purpose);
  return { namespace: service.namespace, pods: service.selector };
}

/** The pod port behind a Service port given by number or name. */
function podPort(service: InventoryService, port: number | string): ServicePort | undefined {
  return service.ports.find((p) => p.port === port || p.name === port);
}

/**
 * The NetworkPolicies of one team app's namespace: none without an inventory
 * (while the charts are rendered).
 *
 * @throws UserError when an Ingress of the app has a class no enabled controller serves, or names a port its Service lacks
 */
export function fenceApp(env: Environment, inventory: Inventory | undefined, component: ComponentId): NetworkPolicyManifest[] {
  if (inventory === undefined) return [];
  const app = inventory.applications.get(component);
  if (app === undefined) return [];
  const problems: { file: string; path: string; message: string }[] = [];
  const alloy = inventory.applications.has('alloy') ? peerOf(inventory, 'alloy', `the NetworkPolicies of ${component}`) : undefined;
  const policies: NetworkPolicyManifest[] = [{ kind: 'NetworkPolicy', name: DEFAULT_DENY_POLICY, podSelector: {}, allows: [] }];
  for (const service of servicesOf(inventory, component)) {
    if (Object.keys(service.selector).length === 0 || service.ports.length === 0) continue;
    const allPorts = uniquePorts(service.ports.map((p) => ({ port: p.targetPort, protocol: p.protocol })));
    const allows: NetworkAllow[] = [];
    for (const ingress of ingressesOf(inventory, component)) {
      for (const backend of ingress.backends.filter((b) => b.service === service.name)) {
        const where = { file: inventoryFile(inventory.cluster), path: `/applications/${component}/ingresses` };
        const controller = ingress.className === undefined ? undefined : controllerOf(env, ingress.className);
        const port = podPort(service, backend.port);
        if (controller === undefined || !inventory.applications.has(controller)) {
          problems.push({
            ...where,
            message: `Ingress ${ingress.namespace}/${ingress.name} has class ${ingress.className ?? '(none)'}, which no enabled ingress controller serves; its NetworkPolicy could admit nobody`,
          });
        } else if (port === undefined) {
          problems.push({
            ...where,
            message: `Ingress ${ingress.namespace}/${ingress.name} sends to port ${backend.port} of Service ${service.name}, which has no such port`,
          });
        } else {
          allows.push({
            from: [peerOf(inventory, controller, `the NetworkPolicies of ${component}`)],
            ports: [{ port: port.targetPort, protocol: port.protocol }],
            reason: `ingress controller ${controller} (Ingress ${ingress.name})`,
          });
        }
      }
    }
    if (alloy !== undefined) allows.push({ from: [alloy], ports: allPorts, reason: 'Alloy (metrics)' });
    allows.push({ from: [{ namespace: service.namespace }], ports: allPorts, reason: `${component}'s own pods` });
    policies.push({ kind: 'NetworkPolicy', name: `allow-${service.name}`, podSelector: service.selector, allows });
  }
  if (problems.length > 0) throw new UserError(problems);
  return policies;
}

function uniquePorts(ports: readonly { port: number | string; protocol: string }[]): { port: number | string; protocol: string }[] {
  const seen = new Set<string>();
  return ports.filter((p) => {
    const key = `${p.port}/${p.protocol}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
