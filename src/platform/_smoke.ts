/**
 * Smoke tests after every sync, in place of the charts' `helm test` hooks
 * (Argo CD never runs those): a PostSync Job per component that has an
 * endpoint to ask. Every target is a Service the component's chart renders
 * (inventory), on its HTTP port; a failing Job turns the Application Degraded,
 * and the Application health check holds the next wave.
 */
import type { Inventory } from '../inventory/inventory';
import { httpPort, requireService, servicesOf } from './_rendered';
import type { ComponentId, SmokeTarget, SmokeTestManifest } from './types';

/** Name of the smoke-test Job in a component's namespace. */
export const SMOKE_TEST_NAME = 'platform-smoke-test';

/** What to ask of one Service: the first of `names` the chart renders. */
interface Ask {
  readonly names: readonly string[];
  readonly path: string;
  readonly expect: SmokeTarget['expect'];
}

/** A smoke test asking each of `asks` of `component`'s Services; none without an inventory. */
export function smokeTest(inventory: Inventory | undefined, component: ComponentId, asks: readonly Ask[]): SmokeTestManifest[] {
  if (inventory === undefined) return [];
  const purpose = `the ${component} smoke test`;
  const targets = asks.map((ask): SmokeTarget => {
    const service = requireService(inventory, component, ask.names, purpose);
    return { service: service.name, namespace: service.namespace, port: httpPort(inventory, service, purpose).port, path: ask.path, expect: ask.expect };
  });
  return [{ kind: 'SmokeTest', name: SMOKE_TEST_NAME, targets }];
}

/** Grafana's health API. */
export function grafanaSmokeTest(inventory: Inventory | undefined): SmokeTestManifest[] {
  const release = inventory?.applications.get('grafana')?.releaseName ?? 'grafana';
  return smokeTest(inventory, 'grafana', [{ names: [release], path: '/api/health', expect: 'success' }]);
}

/** Loki: `/ready` of its write, read and backend targets, and the gateway's `/`. */
export function lokiSmokeTest(inventory: Inventory | undefined): SmokeTestManifest[] {
  const release = inventory?.applications.get('loki')?.releaseName ?? 'loki';
  return smokeTest(inventory, 'loki', [
    ...['write', 'read', 'backend'].map((target) => ({ names: [`${release}-${target}`], path: '/ready', expect: 'success' as const })),
    { names: [`${release}-gateway`], path: '/', expect: 'success' },
  ]);
}

/** Mimir: `/ready` of its distributor and query-frontend, and the gateway's `/`. */
export function mimirSmokeTest(inventory: Inventory | undefined): SmokeTestManifest[] {
  const release = inventory?.applications.get('mimir')?.releaseName ?? 'mimir';
  return smokeTest(inventory, 'mimir', [
    ...['distributor', 'query-frontend'].map((target) => ({ names: [`${release}-${target}`], path: '/ready', expect: 'success' as const })),
    { names: [`${release}-nginx`, `${release}-gateway`], path: '/', expect: 'success' },
  ]);
}

/**
 * A team app: every Service it renders with a port named `http…` must answer
 * HTTP at `/` (the charts declare no health path, so any answer will do: the
 * server runs and the Service reaches it). None for an app without one.
 */
export function appSmokeTest(inventory: Inventory | undefined, component: ComponentId): SmokeTestManifest[] {
  if (inventory === undefined) return [];
  const names = servicesOf(inventory, component)
    .filter((service) => Object.keys(service.selector).length > 0 && service.ports.some((p) => p.name?.startsWith('http') === true))
    .map((service) => service.name);
  return names.length === 0
    ? []
    : smokeTest(
        inventory,
        component,
        names.map((name) => ({ names: [name], path: '/', expect: 'any-response' })),
      );
}
