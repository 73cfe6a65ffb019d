import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/user-error';
import { type Inventory, loadInventories } from '../../src/inventory/inventory';
import { fenceApp } from '../../src/platform/_network';
import { reachability } from '../../src/synth/overview';
import { loadAll } from '../helpers/render';

const [kkg] = loadAll().filter((env) => env.cluster === 'kkg');
const inventory = loadInventories(['kkg']).get('kkg') as Inventory;

type Labels = Record<string, string>;
interface Policy {
  metadata: { name: string; namespace: string };
  spec: {
    podSelector: { matchLabels?: Labels };
    ingress: {
      from: { namespaceSelector?: { matchLabels?: Labels }; podSelector?: { matchLabels?: Labels } }[];
      ports?: { port: number | string; protocol: string }[];
    }[];
  };
}

/** Every NetworkPolicy synth wrote for kkg, as objects. */
function committedPolicies(): Policy[] {
  return readdirSync('dist/kkg', { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'bootstrap')
    .flatMap((dir) =>
      readdirSync(join('dist/kkg', dir.name))
        .filter((file) => file.startsWith('networkpolicy-'))
        .map((file) => parse(readFileSync(join('dist/kkg', dir.name, file), 'utf8')) as Policy),
    );
}

const subset = (selector: Labels | undefined, labels: Labels): boolean => Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

/**
 * Kubernetes' NetworkPolicy semantics for one connection: pods no policy selects
 * accept everything; selected pods accept what one rule of a selecting policy admits.
 */
function admits(
  policies: readonly Policy[],
  to: { namespace: string; pods: Labels; port: number | string },
  from: { namespace: string; pods: Labels },
): boolean {
  const selecting = policies.filter((p) => p.metadata.namespace === to.namespace && subset(p.spec.podSelector.matchLabels, to.pods));
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    (policy.spec.ingress ?? []).some(
      (rule) =>
        rule.from.some(
          (peer) =>
            subset(peer.namespaceSelector?.matchLabels, { 'kubernetes.io/metadata.name': from.namespace }) &&
            (peer.podSelector === undefined || subset(peer.podSelector.matchLabels, from.pods)),
        ) &&
        (rule.ports === undefined || rule.ports.some((p) => p.port === to.port)),
    ),
  );
}

/** Every Ingress of a fenced namespace whose controller the policies cut off from its backend, as a sentence. */
function cutOffIngresses(policies: readonly Policy[]): string[] {
  const fenced = new Set(policies.map((p) => p.metadata.namespace));
  const controllers: Record<string, string> = { traefik: 'traefik', 'traefik-external': 'traefik-external' };
  const problems: string[] = [];
  for (const [name, app] of inventory.applications) {
    for (const ingress of app.ingresses ?? []) {
      if (!fenced.has(ingress.namespace)) continue;
      const controller = inventory.applications.get(controllers[ingress.className ?? ''] ?? '');
      const controllerService = controller?.services?.find((s) => s.name === controller.releaseName);
      for (const backend of ingress.backends) {
        const service = app.services?.find((s) => s.name === backend.service);
        const port = service?.ports.find((p) => p.port === backend.port || p.name === backend.port);
        if (controllerService === undefined || service === undefined || port === undefined) {
          problems.push(`${name}: Ingress ${ingress.name} cannot be checked`);
          continue;
        }
        const ok = admits(
          policies,
          { namespace: service.namespace, pods: service.selector, port: port.targetPort },
          { namespace: controllerService.namespace, pods: controllerService.selector },
        );
        if (!ok) problems.push(`${name}: ${ingress.className} cannot reach ${service.name}:${port.targetPort} (Ingress ${ingress.name})`);
      }
    }
  }
  return problems;
}

describe("the team apps' NetworkPolicies", () => {
  const policies = committedPolicies();

  it("deny ingress in every team app's namespace", () => {
    const denied = policies.filter(
      (p) => p.metadata.name === 'default-deny-ingress' && Object.keys(p.spec.podSelector).length === 0 && (p.spec.ingress ?? []).length === 0,
    );

    expect(denied.map((p) => p.metadata.namespace).sort()).toEqual(
      ['daypassed-bot', 'mc-mirror-cronjob', 'mk-stream', 'navidrome', 'note-tweet-connector', 'spotify-nowplaying', 'subscription-manager'].sort(),
    );
  });

  it('leave every app reachable from the ingress controller of each of its Ingresses', () => {
    expect(policies.length).toBeGreaterThan(7);
    expect(cutOffIngresses(policies)).toEqual([]);
  });

  it('fail the check when a policy would cut an app off from its ingress', () => {
    const cut = policies.map((p) =>
      p.metadata.name === 'allow-navidrome'
        ? {
            ...p,
            spec: {
              ...p.spec,
              ingress: p.spec.ingress.filter((rule) => rule.from[0].namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] !== 'traefik-external'),
            },
          }
        : p,
    );

    expect(cutOffIngresses(cut)).toEqual(['navidrome: traefik-external cannot reach navidrome:http (Ingress navidrome)']);
  });

  it('admit nothing else: no other namespace, not even the other ingress controller, reaches an app', () => {
    const navidrome = inventory.applications.get('navidrome')?.services?.[0];
    if (navidrome === undefined) throw new Error('navidrome renders no Service');
    const to = { namespace: 'navidrome', pods: navidrome.selector, port: 'http' };

    expect(admits(policies, to, { namespace: 'traefik', pods: { 'app.kubernetes.io/instance': 'traefik-traefik', 'app.kubernetes.io/name': 'traefik' } })).toBe(
      false,
    );
    expect(admits(policies, to, { namespace: 'default', pods: {} })).toBe(false);
    expect(admits(policies, to, { namespace: 'alloy', pods: { 'app.kubernetes.io/instance': 'alloy', 'app.kubernetes.io/name': 'alloy' } })).toBe(true);
    expect(admits(policies, to, { namespace: 'navidrome', pods: { 'app.kubernetes.io/name': 'platform-smoke-test' } })).toBe(true);
  });

  it('refuse an Ingress whose class no enabled controller serves, rather than fence the app off', () => {
    const tunnel = { ...kkg, externalIngress: { controller: 'cloudflare-tunnel' as const } };
    const run = () => fenceApp(tunnel, inventory, 'navidrome');

    expect(run).toThrow(UserError);
    expect(run).toThrow(
      'inventory/kkg.yaml: /applications/navidrome/ingresses: Ingress navidrome/navidrome has class traefik-external, which no enabled ingress controller serves; its NetworkPolicy could admit nobody',
    );
  });
});

describe("the cluster README's reachability table", () => {
  it('lists exactly the connections the committed policies admit', () => {
    const readme = readFileSync('dist/kkg/README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Reachability'), readme.indexOf('## Operations'));
    const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Namespace'));
    const expected = committedPolicies().flatMap((policy) => {
      const peers = (policy.spec.ingress ?? []).flatMap((rule) =>
        rule.from.flatMap((peer) =>
          (rule.ports ?? []).map(
            (port) =>
              `${policy.metadata.namespace} ${policy.metadata.name} ${port.port}/${port.protocol} ${peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']}`,
          ),
        ),
      );
      return peers.length === 0 ? [`${policy.metadata.namespace} ${policy.metadata.name} — nobody`] : peers;
    });
    const table = rows.map((line) => {
      const [namespace, policy, , port, from] = line.split(' | ').map((cell) => cell.replace(/^\| /, '').replace(/ \|$/, ''));
      const peer = /namespace `([^`]+)`/.exec(from)?.[1] ?? (from.startsWith('nobody') ? 'nobody' : from);
      return `${namespace} ${policy.replace(/`/g, '')} ${port} ${peer}`;
    });

    expect(table.sort()).toEqual(expected.sort());
    expect(reachability(committedPolicies() as unknown as Record<string, unknown>[])).toHaveLength(rows.length);
  });
});
