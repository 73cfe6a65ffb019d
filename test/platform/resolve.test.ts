import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../src/config/load';
import { UserError } from '../../src/core/user-error';
import { planEnvironment } from '../../src/platform/_resolve';
import { componentIds, components } from '../../src/platform/index';
import { withAppended } from '../helpers/environment-yaml';
import { makeEnvironment } from '../helpers/make-environment';

/** The problems planEnvironment finds in the test environment file with `block` appended (from line 31). */
function problemsOf(block: string): string[] {
  const env = loadEnvironment('environments/lab.yaml', withAppended(block), componentIds);
  try {
    planEnvironment(env, components);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).message.split('\n');
  }
  throw new Error('expected planEnvironment to throw a UserError');
}

describe('planEnvironment problems point at the component entry', () => {
  it('puts a dependency on a disabled component at the entry that disables it', () => {
    const problems = problemsOf('components:\n  traefik: { enabled: true }\n  cert-manager: { enabled: false }\n');

    expect(problems).toContain(
      'environments/lab.yaml:34:3: /components/cert-manager: component "traefik" depends on "cert-manager", which is disabled in this environment',
    );
    expect(problems.every((line) => line.startsWith('environments/lab.yaml:34:3: /components/cert-manager: '))).toBe(true);
  });

  it('puts a missing requirement at the entry of the component that needs it', () => {
    expect(problemsOf('components:\n  mk-stream: { enabled: true }\n')).toEqual([
      'environments/lab.yaml:33:3: /components/mk-stream: misskey.host is required when mk-stream is enabled',
    ]);
  });

  it('names only the file for an environment built in code, which has no lines', () => {
    const env = makeEnvironment({ misskey: undefined, components: { 'mk-stream': { enabled: true } } });

    expect(() => planEnvironment(env, components)).toThrow(/^environments\/test\.yaml: misskey\.host is required when mk-stream is enabled$/);
  });
});

describe('hosts', () => {
  it('refuses a host that two components would serve, at the override that causes it', () => {
    expect(problemsOf('components:\n  grafana:\n    host: status.example.test\n')).toEqual([
      'environments/lab.yaml:34:5: /components/grafana/host: host "status.example.test" is served by both "uptime-kuma" and "grafana"; ' +
        'give one of them another host (components.<id>.host)',
    ]);
  });

  it('refuses a host override on a component that serves no host', () => {
    expect(problemsOf('components:\n  cilium:\n    host: cilium.example.test\n')).toEqual([
      'environments/lab.yaml:34:5: /components/cilium/host: expected no host: component "cilium" does not use components.cilium.host (it serves no host)',
    ]);
  });

  it('refuses a host override on a component whose hosts come from other settings', () => {
    expect(problemsOf('components:\n  minio-tenant:\n    host: s3.lan.example.test\n')).toEqual([
      'environments/lab.yaml:34:5: /components/minio-tenant/host: expected no host: component "minio-tenant" does not use ' +
        'components.minio-tenant.host (its hosts come from other settings: minio-console.lan.example.test, minio.lan.example.test)',
    ]);
  });

  it('accepts a host override the component serves', () => {
    const env = loadEnvironment('environments/lab.yaml', withAppended('components:\n  grafana:\n    host: dashboards.lan.example.test\n'), componentIds);

    expect(planEnvironment(env, components).components.map((c) => c.spec.id)).toContain('grafana');
  });
});
