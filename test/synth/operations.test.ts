import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Inventory, loadInventories } from '../../src/inventory/inventory';
import { components, planEnvironment } from '../../src/platform/index';
import { operations } from '../../src/synth/overview';
import { loadAll } from '../helpers/render';

const [kkg] = loadAll().filter((env) => env.cluster === 'kkg');
const inventory = loadInventories(['kkg']).get('kkg') as Inventory;
const plan = planEnvironment(kkg, components);

/** Every `kubectl -n <ns> … <kind>/<name>` reference of a command. */
function references(command: string): { namespace: string; kind: string; name: string }[] {
  const namespace = /-n ([a-z0-9-]+)/.exec(command)?.[1] ?? '';
  return [...command.matchAll(/\b(svc|deployment|statefulset|daemonset|job)\/([a-z0-9-]+)/g)].map(([, kind, name]) => ({ namespace, kind, name }));
}

const KINDS: Record<string, string> = { svc: 'Service', deployment: 'Deployment', statefulset: 'StatefulSet', daemonset: 'DaemonSet' };

describe("the cluster README's operations", () => {
  const ops = operations(plan, inventory);

  it('name only objects the charts render, or the smoke-test Jobs synth writes', () => {
    const all = [...inventory.applications.values()].flatMap((app) => app.objects);
    const refs = ops.flatMap((op) => op.commands.flatMap(references));

    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      if (ref.kind === 'job') {
        expect(readFileSync(`dist/kkg/${ref.namespace}/job-${ref.name}.yaml`, 'utf8'), `${ref.namespace}/${ref.name}`).toContain('PostSync');
      } else {
        expect(
          all.some((o) => o.kind === KINDS[ref.kind] && o.namespace === ref.namespace && o.name === ref.name),
          `${ref.kind}/${ref.name} in ${ref.namespace}`,
        ).toBe(true);
      }
    }
  });

  it("replace the README's commands that fail here with ones derived from the inventory", () => {
    const byTask = new Map(ops.map((op) => [op.task, op]));

    expect(byTask.get('1Password Connect logs')?.commands).toEqual(['kubectl -n 1password logs deployment/onepassword-connect --all-containers']);
    expect(byTask.get('Loki ready')?.commands[0]).toBe('kubectl -n loki port-forward svc/loki-read 3100:3100');
    expect(byTask.get('Loki ready')?.instead).toBe('kubectl port-forward -n loki svc/loki-query-frontend 3100:3100');
    expect(byTask.get('Grafana admin password')?.commands[0]).toBe("op item get 'grafana-admin' --vault 'Kubernetes' --fields label=admin-password --reveal");
    expect(byTask.get('Query Mimir')?.commands[1]).toContain("-H 'X-Scope-OrgID: anonymous'");
  });

  it('are in the committed README', () => {
    const readme = readFileSync('dist/kkg/README.md', 'utf8');

    for (const op of ops) for (const command of op.commands) expect(readme).toContain(command.replace(/\|/g, '\\|'));
  });
});
