import type { Environment } from '../config/environment';
import { loadEnvironments } from '../config/load';
import { didYouMean } from '../config/load';
import { UserError } from '../config/user-error';
import { assertCatalog } from '../platform/_check';
import { componentIds, components } from '../platform/index';

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

/** Parses `argv` against `spec`; anything unexpected is a UserError that shows the usage. */
export function parseArgs(argv: readonly string[], spec: CommandSpec): CommandArgs {
  const positionals: string[] = [];
  const flags = new Set<string>();
  const options = new Map<string, string[]>();
  const fail = (message: string): never => {
    throw new UserError([{ file: spec.name.replace(/ --$/, ''), message: `${message}; usage: ${spec.name} ${spec.usage}` }]);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--debug' || (spec.flags ?? []).includes(arg)) {
      flags.add(arg);
    } else if ((spec.options ?? []).includes(arg)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) fail(`${arg} needs a value`);
      options.set(arg, [...(options.get(arg) ?? []), value]);
    } else if (arg.startsWith('--')) {
      fail(`unknown option ${arg}`);
    } else {
      positionals.push(arg);
    }
  }
  if (positionals.length !== spec.positionals) {
    fail(`expected ${spec.positionals} argument(s), got ${positionals.length}`);
  }
  return { positionals, flags, options };
}

/** Checks the catalog, then loads every environment file, as synth does. */
export function loadAllEnvironments(dir = 'environments'): Environment[] {
  assertCatalog(components);
  return loadEnvironments(dir, componentIds);
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
 * body returns; 1 with one line per problem for bad input (no stack trace);
 * 2 with a stack trace for a bug, or for anything with `--debug`.
 */
export function runCommand(argv: readonly string[], body: () => number): void {
  try {
    process.exitCode = body();
  } catch (error) {
    process.exitCode = reportError(argv, error);
  }
}

/** {@link runCommand} for a body that waits for something (the network). */
export async function runAsyncCommand(argv: readonly string[], body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (error) {
    process.exitCode = reportError(argv, error);
  }
}

function reportError(argv: readonly string[], error: unknown): number {
  if (error instanceof UserError && !argv.includes('--debug')) {
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 2;
}
