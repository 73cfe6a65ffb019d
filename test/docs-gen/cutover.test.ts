import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/environment';
import { cutoverGuide } from '../../src/docs-gen/cutover';
import { onePasswordItems } from '../../src/synth/one-password-items';
import { renderCluster } from '../../src/synth/cluster-files';
import { planEnvironment } from '../../src/platform/index';
import { components } from '../../src/platform/index';
import { loadAll } from '../helpers/render';

const kkg = loadAll().find((env) => env.cluster === 'kkg') as Environment;

function guideOf(env: Environment): { text: string; lines: string[]; plan: ReturnType<typeof planEnvironment> } {
  const plan = planEnvironment(env, components);
  const text = cutoverGuide(plan, renderCluster(plan));
  return { text, lines: text.split('\n'), plan };
}

const { text, lines, plan } = guideOf(kkg);
const section = (n: number) => {
  const start = lines.findIndex((line) => line.startsWith(`## ${n}.`));
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  return lines.slice(start, end === -1 ? undefined : end);
};

describe('the cut-over guide', () => {
  it('is a shell script a person reads and runs: comments and commands bash can parse', () => {
    expect(lines[0]).toBe('# Cut-over of cluster kkg from Helmfile to Argo CD (generated from environments/kkg.yaml).');
    expect(() => execFileSync('bash', ['-n'], { input: text })).not.toThrow();
  });

  it('has its steps in order: 1Password, Grafana, release checks, bootstrap, release records, rollback', () => {
    expect(lines.filter((line) => line.startsWith('## ')).map((line) => line.slice(0, 5))).toEqual(['## 1.', '## 2.', '## 3.', '## 4.', '## 5.', '## 6.']);
  });

  it('checks every field of every 1Password item the cluster needs, without printing a value', () => {
    const reads = section(1).filter((line) => line.startsWith('op read '));
    const expected = onePasswordItems(plan).flatMap((item) => item.keys.map((key) => `op://${item.vault}/${item.item}/${key}`));

    expect(reads.map((line) => line.replace(/^op read '?([^']+?)'? >\/dev\/null \|\| echo .*$/, '$1'))).toEqual(expected);
    expect(reads.every((line) => line.includes(' >/dev/null || echo '))).toBe(true);
    expect(expected).toContain('op://Kubernetes/PKE-kkg 1password-credentials/token');
    expect(expected).toContain('op://Kubernetes/grafana-admin/admin-password');
  });

  it('checks the release name and namespace of every component against the running Helm release, in wave order', () => {
    const checks = section(3).filter((line) => line.startsWith('helm list '));

    expect(checks).toHaveLength(plan.components.length);
    plan.components.forEach(({ spec, version }, index) => {
      expect(checks[index], spec.id).toBe(
        `helm list -n ${spec.namespace} -f '^${spec.releaseName}$' -o json | jq -r '.[] | .chart + " " + .status'   # ${spec.chart}-${version} deployed`,
      );
    });
    expect(checks[0]).toContain("-n kube-system -f '^cilium$'");
  });

  it('compares the running values with the ones the Application carries', () => {
    expect(section(3)).toContain('diff <(helm get values connect -n 1password -o json | jq -S .) <(npm run -s values -- kkg 1password-connect --json)');
  });

  it('deletes the sh.helm.release.v1 records of each release only once its Application is Synced and Healthy', () => {
    const deletions = section(5).filter((line) => line.startsWith('test '));

    expect(deletions).toHaveLength(plan.components.length);
    expect(deletions).toContain(
      "test \"$(kubectl -n argocd get application traefik-external -o jsonpath='{.status.sync.status} {.status.health.status}')\" = 'Synced Healthy'" +
        ' && kubectl -n traefik-external delete secrets -l owner=helm,name=traefik-external',
    );
    expect(section(5).join('\n')).toContain('sh.helm.release.v1.connect.v<N> in 1password');
  });

  it("carries Grafana's admin login from the chart's Secret into the 1Password item grafana-admin, never on a command line", () => {
    // GIVEN the Grafana step run by bash, with a kubectl that prints the chart's Secret and an op
    // that records its arguments and the template it was given (content and file mode)
    const dir = mkdtempSync(join(tmpdir(), 'cutover-grafana-'));
    try {
      const secret = { data: { 'admin-user': Buffer.from('admin').toString('base64'), 'admin-password': Buffer.from('s3cr=t "pw"').toString('base64') } };
      writeFileSync(join(dir, 'kubectl'), `#!/usr/bin/env bash\necho "kubectl $*" >> "$LOG"\ncat <<'EOF'\n${JSON.stringify(secret)}\nEOF\n`, { mode: 0o755 });
      writeFileSync(
        join(dir, 'op'),
        '#!/usr/bin/env bash\necho "op $*" >> "$LOG"\nfor a in "$@"; do [ -f "$a" ] && { stat -c %a "$a" > "$LOG.mode"; cp "$a" "$LOG.template"; }; done\n',
        { mode: 0o755 },
      );
      const step = section(2).join('\n');

      // WHEN it runs
      execFileSync('bash', ['-euo', 'pipefail', '-c', step], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, LOG: join(dir, 'log') } });

      // THEN op read the values from a template only its owner could read, and no command line held them
      const log = readFileSync(join(dir, 'log'), 'utf8');
      expect(log).toContain('kubectl -n grafana get secret grafana -o json');
      expect(log).toMatch(/^op item create --vault Kubernetes --template \S+$/m);
      expect(log).not.toContain('s3cr=t');
      expect(step).not.toMatch(/base64 -d|\[password\]=/);
      expect(readFileSync(join(dir, 'log.mode'), 'utf8').trim()).toBe('600');
      expect(JSON.parse(readFileSync(join(dir, 'log.template'), 'utf8'))).toEqual({
        title: 'grafana-admin',
        category: 'LOGIN',
        fields: [
          { label: 'admin-user', type: 'STRING', value: 'admin' },
          { label: 'admin-password', type: 'CONCEALED', value: 's3cr=t "pw"' },
        ],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves the Grafana step out for a cluster without Grafana', () => {
    const noGrafana = guideOf({ ...kkg, components: { ...kkg.components, grafana: { enabled: false } } });

    expect(noGrafana.text).not.toContain('grafana-admin');
    expect(noGrafana.lines.filter((line) => line.startsWith('## ')).map((line) => line.slice(0, 5))).toEqual(['## 1.', '## 3.', '## 4.', '## 5.', '## 6.']);
  });

  it('says a rollback is a git revert, never helm rollback', () => {
    const rules = section(6).join('\n');

    expect(rules).toContain('Never helm rollback');
    expect(rules).toContain('git revert');
    expect(lines.filter((line) => !line.startsWith('#')).join('\n')).not.toMatch(/helm (rollback|upgrade|uninstall)/);
  });
});
