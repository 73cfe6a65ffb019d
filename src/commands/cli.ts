import { parseArgs as nodeParseArgs } from 'node:util';
import type { Environment } from '../config/environment';
import { asUserError, type FileSystem, nodeFileSystem } from '../core/file-system';
import { didYouMean, environmentCache, loadEnvironments } from '../config/load';
import { UserError } from '../core/user-error';
import type { Warnings } from '../core/warnings';
import { assertCatalog, componentIds, components } from '../platform/index';
import { projectRoot } from '../core/project';

/**
 * What a command works with: the file system (relative paths start at the
 * working folder), the environment variables and the two output streams. The
 * entries take it as a parameter, so tests run a command in-process in a
 * folder of their own.
 */
export interface CommandIo {
  readonly fs: FileSystem;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** This process: the working folder, its environment, its stdout and stderr. */
export function processIo(): CommandIo {
  return {
    fs: nodeFileSystem(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}

/** Arguments of a command: positionals, `--flag`s and `--option value`s (repeatable). */
export interface CommandArgs {
  readonly positionals: readonly string[];
  readonly flags: ReadonlySet<string>;
  readonly options: ReadonlyMap<string, readonly string[]>;
}

/** What a command accepts, for parsing and for its usage line. */
export interface CommandSpec {
  /** How the command is run, e.g. `npm run values --`. */
  readonly name: string;
  /** Usage after the name, e.g. `<cluster> <component>`. */
  readonly usage: string;
  readonly positionals: number;
  readonly flags?: readonly string[];
  readonly options?: readonly string[];
}

/**
 * Parses `argv` against `spec` with Node's `util.parseArgs` (so `--option=value` and
 * `--` work as in other command-line tools); anything unexpected is a UserError
 * that shows the usage.
 */
export function parseArgs(argv: readonly string[], spec: CommandSpec): CommandArgs {
  const fail = (message: string): never => {
    throw new UserError([{ file: spec.name.replace(/ --$/, ''), message: `${message}; usage: ${`${spec.name} ${spec.usage}`.trim()}` }]);
  };
  const declared: Record<string, { type: 'boolean' | 'string'; multiple?: boolean }> = { debug: { type: 'boolean' } };
  for (const flag of spec.flags ?? []) declared[flag.slice(2)] = { type: 'boolean' };
  for (const option of spec.options ?? []) declared[option.slice(2)] = { type: 'string', multiple: true };
  // Not strict: the tokens are checked here, so every problem keeps its one-line wording.
  const { tokens } = nodeParseArgs({ args: [...argv], options: declared, strict: false, allowPositionals: true, tokens: true });
  const positionals: string[] = [];
  const flags = new Set<string>();
  const options = new Map<string, string[]>();
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const type = Object.hasOwn(declared, token.name) ? declared[token.name].type : undefined;
    if (type === undefined) fail(`unknown option ${token.rawName}`);
    if (type === 'boolean') {
      if (token.value !== undefined) fail(`${token.rawName} takes no value`);
      flags.add(token.rawName);
    } else {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) fail(`${token.rawName} needs a value`);
      options.set(token.rawName, [...(options.get(token.rawName) ?? []), token.value as string]);
    }
  }
  if (positionals.length !== spec.positionals) {
    fail(`expected ${spec.positionals} argument(s), got ${positionals.length}`);
  }
  return { positionals, flags, options };
}

/** Checks the catalog, then loads every environment file, as synth does. */
export function loadAllEnvironments(dir = 'environments', fs: FileSystem = nodeFileSystem(), warnings?: Warnings): Environment[] {
  assertCatalog(components);
  return loadEnvironments(dir, componentIds, { fs, warnings, cache: environmentCache(projectRoot()) });
}

/** The environment of one cluster, or a UserError that names the clusters there are. */
export function selectEnvironment(environments: readonly Environment[], cluster: string, dir = 'environments'): Environment {
  const env = environments.find((candidate) => candidate.cluster === cluster);
  if (env === undefined) {
    const names = environments.map((candidate) => candidate.cluster);
    const hint = didYouMean(cluster, names);
    throw new UserError([
      {
        file: `${dir}/`,
        message: `no cluster "${cluster}"${hint === undefined ? '' : `, did you mean "${hint}"?`} (clusters: ${names.join(', ')})`,
      },
    ]);
  }
  return env;
}

/**
 * Runs a command body and turns its outcome into an exit code: 0 or what the
 * body returns; 1 with one line per problem for bad input or a file-system
 * error (no stack trace); 2 with a stack trace for a bug, or for anything with
 * `--debug`.
 *
 * @param after a line to print after the problems (e.g. that nothing was written)
 */
export function exitCodeOf(argv: readonly string[], io: CommandIo, body: () => number, after?: (error: UserError) => string | undefined): number {
  try {
    return body();
  } catch (error) {
    const userError = asUserError(error, io.fs.root);
    if (userError !== undefined && !argv.includes('--debug')) {
      const trailer = after?.(userError);
      io.stderr(`${userError.message}\n${trailer === undefined ? '' : `${trailer}\n`}`);
      return 1;
    }
    io.stderr(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}

/** {@link exitCodeOf} for a body that waits for something (Helm, the network): resolves to the exit code. */
export async function exitCodeOfAsync(
  argv: readonly string[],
  io: CommandIo,
  body: () => Promise<number>,
  after?: (error: UserError) => string | undefined,
): Promise<number> {
  let code: number | undefined;
  let failure: unknown;
  try {
    code = await body();
  } catch (error) {
    failure = error;
  }
  return (
    code ??
    exitCodeOf(
      argv,
      io,
      () => {
        throw failure;
      },
      after,
    )
  );
}
