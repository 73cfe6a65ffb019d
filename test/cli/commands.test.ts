import { execFile } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main as bootstrapSecrets } from '../../src/commands/bootstrap-secrets';
import { main as cutover } from '../../src/commands/cutover';
import { main as values } from '../../src/commands/values';
import { REPO, type Run } from '../helpers/run-entry';
import { type Main, runMain } from '../helpers/run-main';

const ENTRIES: Readonly<Record<string, Main>> = { 'src/commands/values.ts': values, 'src/commands/cutover.ts': cutover };

/** Runs a command's entry in this process, in `cwd`, as its npm script would. */
function run(cwd: string, entry: string, args: string[]): Promise<Run> {
  return Promise.resolve(runMain(ENTRIES[entry], args, { root: cwd }));
}

/** Copies the stand-ins for op and kubectl into `dir/bin` and returns that folder. */
function fakeTools(dir: string): string {
  const bin = join(dir, 'bin');
  cpSync(join(REPO, 'test/fixtures/fake-bin'), bin, { recursive: true });
  for (const tool of ['op', 'kubectl']) chmodSync(join(bin, tool), 0o755);
  return bin;
}

/** A copy of the real environments and the committed dist/. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pke-commands-'));
  cpSync('environments', join(dir, 'environments'), { recursive: true });
  cpSync('dist', join(dir, 'dist'), { recursive: true });
  cpSync('inventory', join(dir, 'inventory'), { recursive: true });
  return dir;
}

describe('npm run values', () => {
  it('prints the values the Application carries, as a values file with the install line', async () => {
    const result = await run(workspace(), 'src/commands/values.ts', ['kkg', 'cilium']);
    const app = parse(readFileSync('dist/kkg/cilium.yaml', 'utf8'));

    expect(result.code).toBe(0);
    expect(parse(result.stdout)).toEqual(app.spec.sources[0].helm.valuesObject);
    expect(result.stdout).toContain(
      '#   helm upgrade --install cilium cilium --repo https://helm.cilium.io ' +
        `--version ${app.spec.sources[0].targetRevision} --namespace kube-system --create-namespace -f <this file>\n`,
    );
  });

  it('names the clusters there are when the cluster is unknown', async () => {
    const result = await run(workspace(), 'src/commands/values.ts', ['kgg', 'cilium']);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe('environments/: no cluster "kgg", did you mean "kkg"? (clusters: example, kkg)\n');
  });

  it('refuses a component the cluster does not deploy', async () => {
    const result = await run(workspace(), 'src/commands/values.ts', ['example', 'navidrome']);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^environments\/example\.yaml: component "navidrome" is not deployed in this environment \(deployed: cilium, /);
  });
});

describe('npm run cutover', () => {
  it('prints the cut-over guide of a cluster and exits 0', async () => {
    const result = await run(workspace(), 'src/commands/cutover.ts', ['kkg']);

    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('# Cut-over of cluster kkg from Helmfile to Argo CD (generated from environments/kkg.yaml).');
    expect(result.stderr).toBe('');
  });

  it('needs the cluster name', async () => {
    const result = await run(workspace(), 'src/commands/cutover.ts', []);

    expect(result).toEqual({ code: 1, stdout: '', stderr: 'npm run cutover: expected 1 argument(s), got 0; usage: npm run cutover -- <cluster>\n' });
  });
});

describe('npm run bootstrap-secrets', () => {
  it('prints commands that, run with op and kubectl, create both Secrets Connect reads', async () => {
    const dir = workspace();
    const printed = runMain(bootstrapSecrets, ['kkg']);
    expect(printed.code).toBe(0);

    // GIVEN stand-ins for op and kubectl that record what they are asked
    const bin = fakeTools(dir);
    const script = join(dir, 'bootstrap.sh');
    writeFileSync(script, printed.stdout);

    // WHEN the printed script runs
    const { stdout } = await promisify(execFile)('bash', [script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_LOG: join(dir, 'log') } });
    const log = readFileSync(join(dir, 'log'), 'utf8');

    // THEN op was asked for the item of the environment, and kubectl applied both Secrets
    expect(stdout).toBe('');
    expect(log).toContain('op read op://Kubernetes/PKE-kkg 1password-credentials/credentials');
    expect(log).toContain('op read op://Kubernetes/PKE-kkg 1password-credentials/token');
    const credentials = Buffer.from('{"fake":"credentials"}').toString('base64');
    expect(log).toContain(
      'kubectl --namespace 1password create secret generic op-credentials --from-file=1password-credentials.json=/dev/stdin --dry-run=client -o yaml' +
        ` <stdin: ${credentials}>\n`,
    );
    expect(log).toContain(
      'kubectl --namespace 1password create secret generic onepassword-token --from-file=token=/dev/stdin --dry-run=client -o yaml <stdin: fake-token>\n',
    );
    // AND no command line (what ps shows) carried a secret value: they came on standard input only
    const commandLines = log.split('\n').map((line) => line.replace(/ <stdin: [^>]*>$/, ''));
    expect(commandLines.filter((line) => line.includes('fake-token') || line.includes(credentials))).toEqual([]);
  });

  it('stops before creating anything when op cannot read the item', async () => {
    const dir = workspace();
    const printed = runMain(bootstrapSecrets, ['kkg']);
    const bin = fakeTools(dir);
    writeFileSync(join(dir, 'bootstrap.sh'), printed.stdout);

    const failed = await promisify(execFile)('bash', [join(dir, 'bootstrap.sh')], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_LOG: join(dir, 'log'), FAKE_OP_FAIL: '1' },
    }).then(
      () => false,
      () => true,
    );

    expect(failed).toBe(true);
    expect(readFileSync(join(dir, 'log'), 'utf8')).not.toContain('kubectl');
  });

  it.each(['credentials', 'token'])('stops before creating anything when op reads the field %s as nothing', async (field) => {
    const dir = workspace();
    const printed = runMain(bootstrapSecrets, ['kkg']);
    const bin = fakeTools(dir);
    writeFileSync(join(dir, 'bootstrap.sh'), printed.stdout);

    const result = await promisify(execFile)('bash', [join(dir, 'bootstrap.sh')], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_LOG: join(dir, 'log'), FAKE_OP_EMPTY: field },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `op read op://Kubernetes/PKE-kkg 1password-credentials/${field} printed nothing: no Secret was created; fill the field ${field} of the item, then run this again\n`,
    );
    const log = readFileSync(join(dir, 'log'), 'utf8');
    expect(log).toContain(`op read op://Kubernetes/PKE-kkg 1password-credentials/${field}`);
    expect(log).not.toContain('kubectl');
  });
});
