/**
 * What the catalog reads of the rendered charts (`inventory/<cluster>.yaml`):
 * the Services, Ingresses and workloads a component's chart really creates.
 * Data sources, NetworkPolicies, smoke tests and the cluster README's commands
 * name Services and ports through these lookups, never by hand, so a chart that
 * renames a Service fails synth with the file and the Application to look at.
 */
import { type Inventory, inventoryFile } from '../inventory/inventory';
import type { InventoryIngress, InventoryService, ServicePort } from '../inventory/network';
import { UserError } from '../core/user-error';
import type { ComponentId } from './types';

/** The Services a component's chart renders (none when it is not in the inventory). */
export function servicesOf(inventory: Inventory, component: ComponentId): readonly InventoryService[] {
  return inventory.applications.get(component)?.services ?? [];
}

/** The Ingresses a component's chart renders. */
export function ingressesOf(inventory: Inventory, component: ComponentId): readonly InventoryIngress[] {
  return inventory.applications.get(component)?.ingresses ?? [];
}

/** The Deployments, StatefulSets and DaemonSets a component's chart renders, as `<kind>/<name>` in their namespace. */
export function workloadsOf(
  inventory: Inventory,
  component: ComponentId,
): readonly { readonly kind: string; readonly namespace: string; readonly name: string }[] {
  return (inventory.applications.get(component)?.objects ?? []).flatMap((o) =>
    o.apiVersion === 'apps/v1' && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind) && o.namespace !== undefined && o.hook === undefined
      ? [{ kind: o.kind, namespace: o.namespace, name: o.name }]
      : [],
  );
}

/**
 * The first of `names` that the component's chart renders as a Service, or a
 * UserError naming the inventory, the Application and what it does render.
 *
 * @param purpose what needs the Service, for the message (e.g. `Grafana's Loki data source`)
 */
export function requireService(inventory: Inventory, component: ComponentId, names: readonly string[], purpose: string): InventoryService {
  const services = servicesOf(inventory, component);
  for (const name of names) {
    const found = services.find((service) => service.name === name);
    if (found !== undefined) return found;
  }
  const rendered = services.map((s) => s.name).join(', ') || 'none';
  throw new UserError([
    {
      file: inventoryFile(inventory.cluster),
      path: `/applications/${component}/services`,
      message: `${purpose} needs Service ${names.join(' or ')}, which the ${component} chart does not render (it renders: ${rendered}); run \`npm run render\` or change the catalog`,
    },
  ]);
}

/** The Service port serving HTTP: the one named `http…`, else the first; a UserError when it has none. */
export function httpPort(inventory: Inventory, service: InventoryService, purpose: string): ServicePort {
  const port = service.ports.find((p) => p.name?.startsWith('http') === true && p.protocol === 'TCP') ?? service.ports.find((p) => p.protocol === 'TCP');
  if (port !== undefined) return port;
  throw new UserError([
    {
      file: inventoryFile(inventory.cluster),
      path: `/services/${service.namespace}/${service.name}`,
      message: `${purpose}: Service ${service.namespace}/${service.name} has no TCP port`,
    },
  ]);
}

/** `http://<service>.<namespace>.svc:<port>`: a Service's in-cluster URL. */
export function serviceUrl(service: InventoryService, port: ServicePort): string {
  return `http://${service.name}.${service.namespace}.svc:${port.port}`;
}
