import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { type Inventory, loadInventories } from '../../src/inventory/inventory';

const inventory = loadInventories(['kkg']).get('kkg') as Inventory;

interface Job {
  metadata: { name: string; namespace: string; annotations: Record<string, string> };
  spec: {
    activeDeadlineSeconds: number;
    backoffLimit: number;
    template: { spec: { restartPolicy: string; containers: { image: string; command: string[] }[] } };
  };
}

/** Every smoke-test Job synth wrote for kkg, with its component (the folder). */
function committedJobs(): { component: string; job: Job }[] {
  return readdirSync('dist/kkg', { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'bootstrap')
    .flatMap((dir) =>
      readdirSync(join('dist/kkg', dir.name))
        .filter((file) => file.startsWith('job-'))
        .map((file) => ({ component: dir.name, job: parse(readFileSync(join('dist/kkg', dir.name, file), 'utf8')) as Job })),
    );
}

const yamlOf = (file: string) => parse(readFileSync(file, 'utf8'));

describe('the smoke tests of kkg', () => {
  const jobs = committedJobs();

  it('exist for every component with an endpoint to ask', () => {
    expect(jobs.map((j) => j.component).sort()).toEqual(
      ['grafana', 'loki', 'mimir', 'navidrome', 'note-tweet-connector', 'spotify-nowplaying', 'subscription-manager', 'uptime-kuma'].sort(),
    );
  });

  it.each(committedJobs().map(({ component, job }) => [component, job] as const))(
    '%s: a PostSync hook with a short deadline, an image pinned by digest, no restarts',
    (_component, job) => {
      expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
      expect(job.metadata.annotations['argocd.argoproj.io/hook-delete-policy']).toBe('BeforeHookCreation');
      expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
      expect(job.spec.activeDeadlineSeconds).toBeLessThanOrEqual(300);
      expect(job.spec.backoffLimit).toBeLessThanOrEqual(2);
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
      expect(job.spec.template.spec.containers[0].image).toMatch(/^[a-z0-9./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/);
    },
  );

  it.each(committedJobs().map(({ component, job }) => [component, job] as const))(
    '%s: is admitted: in the Application destination namespace, which the project allows',
    (component, job) => {
      const application = yamlOf(`dist/kkg/${component}.yaml`);
      const project = readdirSync('dist/kkg/bootstrap')
        .filter((file) => file.startsWith('appproject-'))
        .map((file) => yamlOf(join('dist/kkg/bootstrap', file)))
        .find((candidate) => candidate.metadata.name === application.spec.project);
      const kinds = project.spec.namespaceResourceWhitelist as { group: string; kind: string }[] | undefined;
      const sources = application.spec.sources as { path?: string }[];

      expect(job.metadata.namespace).toBe(application.spec.destination.namespace);
      expect(sources.some((source) => source.path === `dist/kkg/${component}`)).toBe(true);
      expect((project.spec.destinations as { namespace: string }[]).map((d) => d.namespace)).toContain(job.metadata.namespace);
      if (kinds !== undefined) expect(kinds.some((k) => (k.group === 'batch' || k.group === '*') && (k.kind === 'Job' || k.kind === '*'))).toBe(true);
    },
  );

  it.each(committedJobs().map(({ component, job }) => [component, job] as const))(
    '%s: asks only Services its chart renders, on their ports',
    (component, job) => {
      const script = job.spec.template.spec.containers[0].command.join(' ');
      const urls = [...script.matchAll(/'http:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc:([0-9]+)(\/[^']*)'/g)];
      const services = inventory.applications.get(component)?.services ?? [];

      expect(urls.length).toBeGreaterThan(0);
      for (const [, name, namespace, port] of urls) {
        const service = services.find((s) => s.name === name && s.namespace === namespace);
        expect(service, `${namespace}/${name}`).toBeDefined();
        expect(service?.ports.map((p) => p.port)).toContain(Number(port));
      }
    },
  );

  it("asks Grafana's health API and Loki's and Mimir's ready endpoints", () => {
    const script = (component: string) => jobs.find((j) => j.component === component)?.job.spec.template.spec.containers[0].command.join(' ') ?? '';

    expect(script('grafana')).toContain('--fail --silent --show-error --output /dev/null --max-time 5 --retry 12 --retry-delay 5 --retry-all-errors');
    expect(script('grafana')).toContain("'http://grafana.grafana.svc:80/api/health'");
    expect(script('loki')).toContain("'http://loki-read.loki.svc:3100/ready'");
    expect(script('mimir')).toContain("'http://mimir-distributor.mimir.svc:8080/ready'");
  });
});
