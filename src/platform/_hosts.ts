import { componentPointer, environmentProblem } from '../config/env-problem';
import type { Environment } from '../config/environment';
import type { Problem } from '../core/user-error';
import { manifestsFor, valuesFor } from './_outputs';
import type { ComponentSpec, JsonValue } from './types';

/** Keys whose string values (or lists of strings, or lists of `{ host }`) are hosts a chart serves. */
const HOST_KEYS = new Set(['host', 'hosts', 'hostname']);
/** Annotation external-dns publishes a Service under. */
const EXTERNAL_DNS_HOSTNAME = 'external-dns.alpha.kubernetes.io/hostname';
/** A fully qualified host name (at least one dot). */
const FQDN = /^(?=.{4,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/**
 * The hosts a component serves, read from what it renders: Ingress `host`/`hosts`/
 * `hostname` values, Traefik `Host(...)` rules, external-dns hostname annotations and
 * Certificate DNS names. Sorted, without duplicates.
 */
export function hostsOf(spec: ComponentSpec, env: Environment): string[] {
  const hosts = new Set<string>();
  const visit = (value: JsonValue, key: string | undefined): void => {
    if (typeof value === 'string') {
      if ((key !== undefined && HOST_KEYS.has(key)) || key === EXTERNAL_DNS_HOSTNAME) {
        if (FQDN.test(value)) hosts.add(value);
      }
      for (const match of value.matchAll(/Host\(`([^`]+)`\)/g)) hosts.add(match[1]);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, key);
    } else if (value !== null && typeof value === 'object') {
      for (const [child, inner] of Object.entries(value)) visit(inner, child);
    }
  };
  visit(valuesFor(spec, env), undefined);
  for (const manifest of manifestsFor(spec, env)) {
    if (manifest.kind === 'Certificate') manifest.dnsNames.forEach((name) => hosts.add(name));
  }
  return [...hosts].sort();
}

/**
 * The host problems of what an environment deploys: a host served by two
 * components (the second would take the first one's traffic and certificate),
 * and a `components.<id>.host` that the component does not use (it serves no
 * host, or takes its hosts from other settings), which would otherwise be
 * ignored without a word. Each points at the `host` key when the file has one.
 *
 * @param deployed the enabled components, in plan order
 */
export function hostProblems(env: Environment, deployed: readonly ComponentSpec[]): Problem[] {
  const problems: Problem[] = [];
  const servedBy = new Map<string, string>();
  for (const spec of deployed) {
    const hosts = hostsOf(spec, env);
    const override = env.components[spec.id]?.host;
    const hostKey = componentPointer(spec.id, 'host');
    if (override !== undefined && !hosts.includes(override)) {
      const served = hosts.length === 0 ? 'it serves no host' : `its hosts come from other settings: ${hosts.join(', ')}`;
      problems.push(
        environmentProblem(
          env,
          `expected no host: component "${spec.id}" does not use components.${spec.id}.host (${served})`,
          hostKey,
          componentPointer(spec.id),
        ),
      );
    }
    for (const host of hosts) {
      const first = servedBy.get(host);
      if (first === undefined) {
        servedBy.set(host, spec.id);
      } else if (first !== spec.id) {
        problems.push(
          environmentProblem(
            env,
            `host "${host}" is served by both "${first}" and "${spec.id}"; give one of them another host (components.<id>.host)`,
            hostKey,
            componentPointer(first, 'host'),
          ),
        );
      }
    }
  }
  return problems;
}
