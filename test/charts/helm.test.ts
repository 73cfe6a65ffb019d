import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChartStore, ChartUnavailable } from '../../src/charts/chart-store';
import { type HelmBinary, helmFailure, helmTimeoutMs, runHelm } from '../../src/charts/helm';
import { type RenderJob, renderJobs } from '../../src/charts/jobs';

const REPO = process.cwd();

/** A fake Helm: a shell script that writes its pid (and those of what it starts) to `pids` in its folder. */
function fakeHelm(script: string, timeoutMs?: number): HelmBinary & { readonly dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pke-fake-helm-'));
  const path = join(dir, 'helm');
  writeFileSync(path, `#!/bin/sh\ncd "${dir}"\necho $$ >> pids\n${script}\n`);
  chmodSync(path, 0o755);
  return { path, version: 'v0', source: 'test', dir, ...(timeoutMs === undefined ? {} : { timeoutMs }) };
}

/** The pids a fake Helm wrote that still run, once those that were killed are gone (waits while any is still going, up to a minute on a busy machine). */
async function survivors(helm: { readonly dir: string }): Promise<number[]> {
  let running = stillRunning(helm);
  for (let i = 0; i < 3000 && running.length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    running = stillRunning(helm);
  }
  return running;
}

/** The pids a fake Helm wrote that still run. */
function stillRunning(helm: { readonly dir: string }): number[] {
  const file = join(helm.dir, 'pids');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map(Number)
    .filter((pid) => {
      try {
        process.kill(pid, 0);
        // a zombie has exited: only its parent has not read its status yet
        return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
      } catch {
        return false;
      }
    });
}

describe('a Helm process', () => {
  it('that hangs is killed with its process group at the timeout, and the message names the timeout and the option', async () => {
    const helm = fakeHelm('sleep 1000 & echo $! >> pids\nwait');

    const result = await runHelm(helm, ['template'], { timeoutMs: 300 });

    expect(result.code).toBeNull();
    expect(helmFailure(result)).toBe('it did not finish within the timeout of 0.3 s (--helm-timeout); killed');
    expect(await survivors(helm)).toEqual([]);
  });

  it('that exits while a process it started keeps standard output open does not hold the run: what it started is killed with it', async () => {
    // The timeout is far away: the run ends because Helm exited.
    const helm = fakeHelm('sleep 1000 & echo $! >> pids\necho rendered\nexit 0', 600_000);

    const result = await runHelm(helm, ['template']);

    expect(result).toEqual({ code: 0, stdout: 'rendered\n', stderr: '' });
    expect(await survivors(helm)).toEqual([]);
  });

  it('whose child leaves its process group and keeps standard output open ends at the timeout, and the message says so', async () => {
    // (it waits until the child has left its group: a FIFO the child writes to once it has)
    const helm = fakeHelm(`mkfifo ready\nsetsid sh -c 'echo $$ >> pids; echo > ready; exec sleep 1000' &\nread _ < ready\necho rendered\nexit 0`);

    // The timeout must outlast the fake Helm's own few steps even on a busy machine: only then is it the held output that meets it.
    const result = await runHelm(helm, ['template'], { timeoutMs: 3000 });

    expect(helmFailure(result)).toBe('it exited, but a process it started kept its output open past the timeout of 3 s (--helm-timeout); killed');
    // (a process that left the group is not Helm's to kill: the test cleans up after itself)
    for (const pid of stillRunning(helm)) process.kill(pid, 'SIGKILL');
  });

  it('that prints more than the limit is killed, with a clear message instead of a crash', async () => {
    const helm = fakeHelm('head -c 5000000 /dev/zero\nsleep 1000');

    const result = await runHelm(helm, ['template'], { outputLimit: 1024 * 1024 });

    expect(result.code).toBeNull();
    expect(result.stdout).toBe('');
    expect(helmFailure(result)).toBe('it printed more than 1 MiB, more than any chart renders; killed');
    expect(await survivors(helm)).toEqual([]);
  });

  it("that floods its error output keeps only the end, and the message quotes Helm's error from it", async () => {
    const helm = fakeHelm(
      `head -c 20000000 /dev/zero | tr '\\0' x >&2\necho >&2\necho 'Error: template: probe/templates/a.yaml:3: the real cause' >&2\nexit 1`,
    );

    const result = await runHelm(helm, ['template']);

    expect(result.code).toBe(1);
    expect(result.stderr.length).toBeLessThanOrEqual(64 * 1024);
    expect(helmFailure(result)).toBe('template: probe/templates/a.yaml:3: the real cause');
  });

  it('that ends on a signal says which signal (never "exit null")', async () => {
    const helm = fakeHelm('kill -SEGV $$');

    const result = await runHelm(helm, ['template']);

    expect(helmFailure(result)).toBe('it was killed by SIGSEGV');
  });

  it('takes its timeout from PKE_HELM_TIMEOUT (seconds, as --helm-timeout sets it), with a default, and refuses a bad one', () => {
    expect(helmTimeoutMs({})).toBe(120_000);
    expect(helmTimeoutMs({ PKE_HELM_TIMEOUT: '2.5' })).toBe(2500);
    expect(() => helmTimeoutMs({ PKE_HELM_TIMEOUT: 'soon' })).toThrow('--helm-timeout: expected a number of seconds above 0, got "soon"');
  });
});

describe('a render whose Helm hangs', () => {
  it('fails that job with the cluster, the component and the chart that held its place, and the timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-hang-'));
    const helm = fakeHelm('sleep 1000 & echo $! >> pids\nwait', 300);
    const job: RenderJob = {
      cluster: 'lab',
      name: 'probe',
      chartRef: { repoURL: 'https://charts.example.test', chart: 'probe', version: '0.1.0' },
      releaseName: 'probe',
      namespace: 'probe',
      values: {},
      skipCrds: false,
      kubeVersion: '1.33.0',
      apiVersions: [],
      origin: { file: 'environments/lab.yaml', fix: 'fix the values' },
    };
    const packages = new Map([
      [
        'https://charts.example.test probe 0.1.0',
        { path: join(dir, 'probe-0.1.0.tgz'), digest: 'sha256:00', version: '0.1.0', source: 'offline' as const, published: false },
      ],
    ]);

    const { problems } = await renderJobs([job], packages, { helm, cacheDir: join(dir, 'render'), jobs: 1 });

    expect(problems).toEqual([
      {
        file: 'environments/lab.yaml',
        message:
          'cluster lab, probe: chart probe 0.1.0: `helm template` failed: it did not finish within the timeout of 0.3 s (--helm-timeout); killed; fix the values',
      },
    ]);
    expect(await survivors(helm)).toEqual([]);
  });
});

describe('a chart package', () => {
  it('that is a FIFO is refused at once, with the path and the reason, instead of hanging the render', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-fifo-'));
    mkdirSync(join(dir, 'offline'));
    execFileSync('mkfifo', [join(dir, 'offline', 'probe-0.1.0.tgz')]);
    const store = new ChartStore({ cacheDir: join(dir, 'charts'), offlineDirs: [join(dir, 'offline')] });

    const error = await store.resolve({ repoURL: 'https://charts.example.test', chart: 'probe', version: '0.1.0' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChartUnavailable);
    expect((error as Error).message).toBe(
      `${join(dir, 'offline', 'probe-0.1.0.tgz')}: cannot read: not a regular file (a FIFO, a device or a socket) (EFTYPE); replace it with a regular file`,
    );
  });
});

describe('an interrupted render', () => {
  it('kills the process groups of the Helm processes it started (they get no Ctrl-C of their own), then ends as interrupted', async () => {
    // GIVEN a render whose Helm hangs, in a working folder of its own
    const dir = mkdtempSync(join(tmpdir(), 'pke-interrupt-'));
    cpSync(join(REPO, 'environments'), join(dir, 'environments'), { recursive: true });
    const helm = fakeHelm('if [ "$1" = version ]; then echo v4.1.4; exit 0; fi\nsleep 1000 & echo $! >> pids\nwait');
    const render = spawn(
      process.execPath,
      [join(REPO, 'scripts/run.mjs'), 'src/commands/render.ts', '--charts', join(REPO, 'test/fixtures/charts'), '--nearest', '--offline'],
      {
        cwd: dir,
        env: { ...process.env, HELM: helm.path, PKE_RENDER_CACHE: join(dir, 'render-cache'), CDK8S_OUTDIR: '' },
        stdio: 'ignore',
      },
    );
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      render.on('exit', (code, signal) => resolve({ code, signal })),
    );
    for (let i = 0; i < 3000 && stillRunning(helm).length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stillRunning(helm).length).toBeGreaterThanOrEqual(3);

    // WHEN it is interrupted
    render.kill('SIGINT');

    // THEN it ends as interrupted, and no Helm (nor what Helm started) is left running
    expect(await ended).toEqual({ code: null, signal: 'SIGINT' });
    expect(await survivors(helm)).toEqual([]);
  }, 60_000);
});
