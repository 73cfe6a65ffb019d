import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/user-error';
import { type GraphNode, planWaves } from '../../src/graph/plan';

const FILE = 'environments/test.yaml';

function node(id: string, dependsOn: string[] = [], extra: Partial<GraphNode> = {}): GraphNode {
  return { id, dependsOn, enabled: true, ...extra };
}

function problemsOf(nodes: GraphNode[]): string[] {
  try {
    planWaves(nodes, FILE);
  } catch (error) {
    if (error instanceof UserError) {
      return error.message.split('\n');
    }
    throw error;
  }
  throw new Error('expected planWaves to throw a UserError');
}

describe('planWaves', () => {
  it('puts a component without dependencies in wave 1', () => {
    expect(planWaves([node('cni')], FILE)).toEqual([{ id: 'cni', wave: 1, dependsOn: [] }]);
  });

  it('gives a component the wave after its highest dependency', () => {
    const plan = planWaves([node('app', ['db', 'cni']), node('db', ['storage']), node('storage', ['cni']), node('cni')], FILE);

    expect(Object.fromEntries(plan.map((p) => [p.id, p.wave]))).toEqual({ cni: 1, storage: 2, db: 3, app: 4 });
  });

  it('keeps a declared layer that is above every dependency', () => {
    const plan = planWaves([node('cni'), node('app', ['cni'], { layer: 9 })], FILE);

    expect(plan.find((p) => p.id === 'app')?.wave).toBe(9);
  });

  it('sorts the plan by wave, then by id', () => {
    const plan = planWaves([node('b', ['cni']), node('a', ['cni']), node('cni'), node('z')], FILE);

    expect(plan.map((p) => p.id)).toEqual(['cni', 'z', 'a', 'b']);
  });

  it('gives every component a wave above all of its dependencies', () => {
    const nodes = [
      node('cni'),
      node('secrets', ['cni']),
      node('certs', ['cni']),
      node('dns', ['secrets']),
      node('ingress', ['certs', 'dns']),
      node('dashboards', ['ingress'], { layer: 6 }),
      node('agent', ['dashboards', 'dns']),
    ];
    const plan = planWaves(nodes, FILE);
    const wave = new Map(plan.map((p) => [p.id, p.wave]));

    for (const planned of plan) {
      for (const dep of planned.dependsOn) {
        expect(planned.wave, `${planned.id} after ${dep}`).toBeGreaterThan(wave.get(dep) as number);
      }
    }
  });

  it('leaves disabled components out of the plan', () => {
    const plan = planWaves([node('cni'), node('extra', ['cni'], { enabled: false })], FILE);

    expect(plan.map((p) => p.id)).toEqual(['cni']);
  });

  it('lets a disabled component depend on an unknown one', () => {
    expect(() => planWaves([node('cni'), node('extra', ['nowhere'], { enabled: false })], FILE)).not.toThrow();
  });
});

describe('planWaves errors', () => {
  it('prints a dependency cycle as its whole path', () => {
    const nodes = [node('cilium', ['external-dns']), node('cert-manager', ['cilium']), node('external-dns', ['cert-manager'])];

    expect(problemsOf(nodes)).toEqual(['environments/test.yaml: dependency cycle: cert-manager -> cilium -> external-dns -> cert-manager']);
  });

  it('reports each of two separate cycles once', () => {
    const nodes = [node('a', ['b']), node('b', ['a']), node('c', ['d']), node('d', ['c']), node('e', ['a'])];

    expect(problemsOf(nodes)).toEqual(['environments/test.yaml: dependency cycle: a -> b -> a', 'environments/test.yaml: dependency cycle: c -> d -> c']);
  });

  it('rejects a component that depends on itself', () => {
    expect(problemsOf([node('loop', ['loop'])])).toEqual(['environments/test.yaml: component "loop" depends on itself']);
  });

  it('rejects a dependency on an unknown component', () => {
    expect(problemsOf([node('cni'), node('traefik', ['cert-manager2'])])).toEqual([
      'environments/test.yaml: component "traefik" depends on "cert-manager2", which is not a known component',
    ]);
  });

  it('rejects a component that depends on a disabled one', () => {
    const nodes = [node('cert-manager', [], { enabled: false }), node('traefik', ['cert-manager'])];

    expect(problemsOf(nodes)).toEqual(['environments/test.yaml: component "traefik" depends on "cert-manager", which is disabled in this environment']);
  });

  it('rejects a declared layer that is not above a dependency', () => {
    const nodes = [node('cni'), node('ingress', ['cni'], { layer: 4 }), node('grafana', ['ingress', 'cni'], { layer: 3 })];

    expect(problemsOf(nodes)).toEqual(['environments/test.yaml: component "grafana" declares layer 3, which is not above layer 4 of its dependency "ingress"']);
  });

  it('rejects a declared layer equal to a dependency layer', () => {
    const nodes = [node('cni'), node('app', ['cni'], { layer: 1 })];

    expect(problemsOf(nodes)).toEqual(['environments/test.yaml: component "app" declares layer 1, which is not above layer 1 of its dependency "cni"']);
  });

  it('rejects a layer that is not a positive whole number', () => {
    expect(problemsOf([node('app', [], { layer: 0 })])).toEqual([
      'environments/test.yaml: component "app" declares layer 0, expected a whole number of at least 1',
    ]);
  });

  it('reports every unknown and disabled dependency at once', () => {
    const nodes = [node('off', [], { enabled: false }), node('b', ['off', 'ghost']), node('a', ['ghost'])];

    expect(problemsOf(nodes)).toEqual([
      'environments/test.yaml: component "a" depends on "ghost", which is not a known component',
      'environments/test.yaml: component "b" depends on "ghost", which is not a known component',
      'environments/test.yaml: component "b" depends on "off", which is disabled in this environment',
    ]);
  });
});

describe('planWaves locations', () => {
  const locate = (id: string) => (id === 'db' ? { line: 7, column: 3, path: '/components/db' } : undefined);

  function locatedProblems(nodes: GraphNode[]): string[] {
    try {
      planWaves(nodes, FILE, locate);
    } catch (error) {
      return (error as UserError).message.split('\n');
    }
    throw new Error('expected planWaves to throw a UserError');
  }

  it('points a dependency on a disabled component at the entry of that component', () => {
    expect(locatedProblems([node('app', ['db']), node('db', [], { enabled: false })])).toEqual([
      'environments/test.yaml:7:3: /components/db: component "app" depends on "db", which is disabled in this environment',
    ]);
  });

  it('points a cycle at the entry of the first component of it that the file names', () => {
    expect(locatedProblems([node('app', ['db']), node('db', ['app'])])).toEqual([
      'environments/test.yaml:7:3: /components/db: dependency cycle: app -> db -> app',
    ]);
  });

  it('names only the file when no component of the problem has an entry', () => {
    expect(locatedProblems([node('app', ['nope']), node('db')])).toEqual([
      'environments/test.yaml: component "app" depends on "nope", which is not a known component',
    ]);
  });
});
