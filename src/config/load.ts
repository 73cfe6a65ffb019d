/**
 * Reads environment files (`environments/<cluster>.yaml`), validates them, and
 * resolves their defaults into `Environment`s.
 *
 * Bad input never stops at the first problem: every problem of every file is
 * collected, with its file, line, column and document path, and thrown as one
 * `UserError`.
 */
import { createHash } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import { buildIdentity } from '../core/project';
import { keepNewest } from '../core/cache-folder';
import { readSealedFile, writeSealedFile } from '../core/sealed';
import type { Environment, EnvironmentFile, SourcePosition } from './environment';
import { fileSystemProblem, type FileSystem, isFileSystemError, nodeFileSystem } from '../core/file-system';
import { parseRange } from './_ipv4';
import { brokenPointers, quote, schemaProblems, show } from './_schema-problems';
import { isRecord, semanticProblems } from './_semantic-checks';
import { childPointer, parseYamlSource, type YamlSource } from './yaml-source';
import { DEFAULTS, environmentFileValidator, L2_DEFAULTS } from './schema';
import { type Problem, UserError } from '../core/user-error';
import type { Warning, Warnings } from '../core/warnings';

export { didYouMean } from '../core/did-you-mean';

/** The extension of environment files. */
export const ENVIRONMENT_EXTENSION = '.yaml';

/** Largest environment file read, in bytes (the real ones are a few KiB). */
export const ENVIRONMENT_SIZE_LIMIT = 1024 * 1024;

/**
 * Loads one environment file.
 *
 * @param file path of the file as it should appear in messages; its stem is the cluster name
 * @param text the file's contents
 * @param knownComponents every component id of the catalog
 * @param warnings where the file's warnings go (they are dropped without it)
 * @throws UserError with every problem of the file
 */
export function loadEnvironment(file: string, text: string, knownComponents: readonly string[], warnings?: Warnings): Environment {
  const { environment, problems, warnings: found } = check(file, text, knownComponents);
  warnings?.add(...found);
  if (environment === undefined) {
    throw new UserError(problems);
  }
  return environment;
}

/**
 * Loads every `*.yaml` file of a folder, sorted by name. Every name that looks
 * like YAML is looked at: `*.yml`, `*.YAML` and a bare `.yaml` are problems,
 * not skipped. Only regular files of at most {@link ENVIRONMENT_SIZE_LIMIT}
 * bytes are read (a FIFO or a device would never end).
 *
 * @param dir the folder, as messages show it (relative to `fs.root`)
 * @param options.fs the file system (default: this process's)
 * @param options.warnings where the files' warnings go, also when a file has problems (dropped without it)
 * @throws UserError with every problem of every file, or when the folder holds no environment file
 */
export function loadEnvironments(
  dir: string,
  knownComponents: readonly string[],
  { fs = nodeFileSystem(), warnings, cache }: { readonly fs?: FileSystem; readonly warnings?: Warnings; readonly cache?: EnvironmentCache } = {},
): Environment[] {
  let names: string[];
  try {
    names = fs.list(dir).map((entry) => entry.name);
  } catch (error) {
    if (!isFileSystemError(error)) throw error;
    throw new UserError([{ ...(fileSystemProblem(error, fs.root) as Problem), file: dir }]);
  }

  const problems: Problem[] = [];
  const loaded: { environment: Environment; source: () => YamlSource }[] = [];
  let candidates = 0;
  for (const name of names) {
    const file = join(dir, name);
    const extension = extname(name);
    const stem = basename(name, extension);
    if (!/^\.ya?ml$/i.test(extension) && !/^\.ya?ml$/i.test(name)) {
      continue;
    }
    candidates++;
    const misnamed = namingProblem(name, stem, extension);
    if (misnamed !== undefined) {
      problems.push({ file, message: misnamed });
      continue;
    }
    const text = readEnvironmentFile(fs, file, problems);
    if (text === undefined) {
      continue;
    }
    const entry = cache === undefined ? undefined : join(cache.dir, `${cacheKey(cache.build, file, text, knownComponents)}.json`);
    const known = entry === undefined ? undefined : readCachedCheck(entry);
    if (known !== undefined) {
      warnings?.add(...known.warnings);
      let source: YamlSource | undefined;
      loaded.push({ environment: known.environment, source: () => (source ??= parseYamlSource(file, text)) });
      continue;
    }
    const result = check(file, text, knownComponents);
    problems.push(...result.problems);
    warnings?.add(...result.warnings);
    if (result.environment !== undefined) {
      loaded.push({ environment: result.environment, source: () => result.source });
      if (entry !== undefined)
        writeSealedFile(entry, 'environment', CACHE_FORMAT, JSON.stringify({ environment: result.environment, warnings: result.warnings }));
    }
  }
  if (cache !== undefined) keepNewest(cache.dir, CACHE_ENTRIES);
  if (candidates === 0) {
    problems.push({ file: dir, message: `expected at least one environment file (<cluster>${ENVIRONMENT_EXTENSION}), found none` });
  }
  problems.push(...duplicateLabelProblems(loaded));
  if (problems.length > 0) {
    throw new UserError(problems);
  }
  return loaded.map(({ environment }) => environment);
}

/**
 * Where the checks of valid environment files are remembered, and the code they were made
 * by ({@link buildIdentity}): an entry is the environment and the warnings one file gave,
 * keyed by that code, the Node version, the file's path and text and the catalog's ids. Reading an entry
 * costs a fraction of a millisecond; reading the YAML with positions, validating it and
 * resolving its defaults costs about 5 ms per file, before anything else can start.
 * A file with problems is never remembered: it is checked again, and every problem said.
 */
export interface EnvironmentCache {
  readonly dir: string;
  readonly build: string;
}

/** The cache of environment checks in `root`'s `.cache/`, when the code runs from its bundle (else none). */
export function environmentCache(root: string): EnvironmentCache | undefined {
  const build = buildIdentity();
  return build === undefined ? undefined : { dir: join(root, '.cache', 'environments'), build };
}

/** The format of an entry (a change of the code is a new build, and so a new key, already). */
const CACHE_FORMAT = 1;
/** Entries kept: the newest, so that switching branches finds its files again. */
const CACHE_ENTRIES = 32;

/** The code, the Node version (time zones are its ICU's), the file's path and text, the catalog's ids. */
function cacheKey(build: string, file: string, text: string, knownComponents: readonly string[]): string {
  return createHash('sha1')
    .update([build, process.version, file, knownComponents.join(','), text].join('\0'))
    .digest('hex');
}

interface CachedCheck {
  readonly environment: Environment;
  readonly warnings: readonly Warning[];
}

function readCachedCheck(entry: string): CachedCheck | undefined {
  const body = readSealedFile(entry, 'environment', CACHE_FORMAT);
  let value: Partial<CachedCheck> | null = null;
  try {
    value = body === undefined ? null : (JSON.parse(body) as Partial<CachedCheck> | null);
  } catch {
    // sealed, yet no JSON: no entry
  }
  return typeof value?.environment === 'object' && value.environment !== null && Array.isArray(value.warnings) ? (value as CachedCheck) : undefined;
}

/** Why a YAML-looking name is not an environment file name, if it is not. */
function namingProblem(name: string, stem: string, extension: string): string | undefined {
  if (/^\.ya?ml$/i.test(name)) {
    return `expected <cluster>${ENVIRONMENT_EXTENSION}, got a file named ${name} (no cluster name before the extension)`;
  }
  if (extension.toLowerCase() === '.yml') {
    return `expected the extension ${ENVIRONMENT_EXTENSION}, got ${extension} (rename the file to ${stem}${ENVIRONMENT_EXTENSION})`;
  }
  if (extension !== ENVIRONMENT_EXTENSION) {
    return `expected the extension ${ENVIRONMENT_EXTENSION} in lower case, got ${extension} (rename the file to ${stem}${ENVIRONMENT_EXTENSION})`;
  }
  return undefined;
}

const KIND_WORDS: Readonly<Record<string, string>> = {
  folder: 'a folder',
  fifo: 'a FIFO (named pipe)',
  device: 'a device',
  socket: 'a socket',
};

/**
 * The text of one environment file, or undefined after pushing why it cannot be
 * read. Only a regular file (or a link to one) is read: a folder, a FIFO, a
 * device or a socket is refused by its kind, and so is a virtual file (those of
 * /proc and /sys report no size), so that no message ever quotes what such a
 * file holds (`/proc/self/environ` holds this process's environment).
 */
function readEnvironmentFile(fs: FileSystem, file: string, problems: Problem[]): string | undefined {
  let link = false;
  try {
    link = fs.kindOf(file, false) === 'link';
    const kind = fs.kindOf(file);
    if (kind !== undefined && kind !== 'file') {
      problems.push({ file, message: `expected a regular file, got ${link ? 'a link to ' : ''}${KIND_WORDS[kind] ?? kind}` });
      return undefined;
    }
    return fs.read(file, ENVIRONMENT_SIZE_LIMIT, { virtual: false });
  } catch (error) {
    if (!isFileSystemError(error)) throw error;
    const message =
      error.code === 'EFBIG'
        ? `expected an environment file of at most ${ENVIRONMENT_SIZE_LIMIT / 1024 / 1024} MiB, got a larger one`
        : error.code === 'EVIRTUAL'
          ? `expected a regular file, got ${link ? 'a link to ' : ''}a virtual file (it reports no size yet has content, as those of /proc and /sys do); it was not read`
          : (fileSystemProblem(error, fs.root) as Problem).message;
    problems.push({ file, message });
    return undefined;
  }
}

interface CheckResult {
  /** Present only when there are no problems. */
  readonly environment: Environment | undefined;
  readonly problems: readonly Problem[];
  readonly warnings: readonly Warning[];
  readonly source: YamlSource;
}

function check(file: string, text: string, knownComponents: readonly string[]): CheckResult {
  const source = parseYamlSource(file, text);
  if (source.problems.length > 0) {
    return { environment: undefined, problems: source.problems, warnings: [], source };
  }
  if (source.empty || !isRecord(source.data)) {
    const got = source.empty ? 'an empty file' : kindOf(source.data, source.sourceText(''));
    const problem = { file, ...source.position(''), message: `expected a mapping of environment settings, got ${got}` };
    return { environment: undefined, problems: [problem], warnings: [], source };
  }

  const validate = environmentFileValidator();
  const valid = validate(source.data);
  const errors = validate.errors ?? [];
  const stem = basename(file, extname(file));
  const semantic = semanticProblems({ source, stem, broken: brokenPointers(errors), knownComponents });
  const problems = [...schemaProblems(errors, source), ...semantic.problems];
  if (!valid || problems.length > 0) {
    return { environment: undefined, problems, warnings: semantic.warnings, source };
  }
  return { environment: resolve(file, stem, source.data, positionsOf(source)), problems: [], warnings: semantic.warnings, source };
}

/** Where each entry of `components`, and its `host`, is written (see `Environment.positions`). */
function positionsOf(source: YamlSource): Record<string, SourcePosition> {
  const positions: Record<string, SourcePosition> = {};
  const components = isRecord(source.data) && isRecord(source.data.components) ? source.data.components : {};
  for (const [id, override] of Object.entries(components)) {
    const entry = childPointer('/components', id);
    positions[entry] = source.position(entry, 'key');
    if (isRecord(override) && override.host !== undefined) {
      positions[childPointer(entry, 'host')] = source.position(childPointer(entry, 'host'), 'key');
    }
  }
  return positions;
}

/** "a list", "a string", "a number"… for the whole document. */
function kindOf(data: unknown, written: string | undefined): string {
  if (Array.isArray(data)) {
    return 'a list';
  }
  if (typeof data === 'string') {
    return `a string (${quote(data)})`;
  }
  return `${typeof data === 'number' ? 'a number' : typeof data === 'boolean' ? 'a boolean' : 'a scalar'} (${show(data, written)})`;
}

/** Two clusters sending telemetry with the same label cannot be told apart. */
function duplicateLabelProblems(loaded: readonly { environment: Environment; source: () => YamlSource }[]): Problem[] {
  const firstFile = new Map<string, string>();
  const problems: Problem[] = [];
  for (const { environment, source } of loaded) {
    const label = environment.clusterSettings.label;
    const first = firstFile.get(label);
    if (first === undefined) {
      firstFile.set(label, environment.file);
    } else {
      problems.push({
        file: environment.file,
        ...source().position('/cluster/label'),
        path: '/cluster/label',
        message: `expected a label no other environment uses, got ${quote(label)} (also in ${first})`,
      });
    }
  }
  return problems;
}

/** Applies every default of a valid environment file. */
function resolve(file: string, cluster: string, input: EnvironmentFile, positions: Record<string, SourcePosition>): Environment {
  const range = parseRange(input.loadBalancer.ipRange);
  const [start, stop] = input.loadBalancer.ipRange.split('-');
  const { internal } = input.domains;
  const target = input.externalIngress.target;
  return {
    cluster,
    file,
    git: {
      repoUrl: input.git.repoUrl,
      revision: input.git.revision ?? DEFAULTS.gitRevision,
      path: input.git.path ?? DEFAULTS.gitPath,
    },
    argocd: {
      namespace: input.argocd?.namespace ?? DEFAULTS.argocdNamespace,
      project: input.argocd?.project ?? DEFAULTS.argocdProject,
      destinationServer: input.argocd?.destinationServer ?? DEFAULTS.argocdDestinationServer,
    },
    clusterSettings: {
      label: input.cluster.label,
      apiServer: { host: input.cluster.apiServer.host, port: input.cluster.apiServer.port ?? DEFAULTS.apiServerPort },
      podCidr: input.cluster.podCidr,
      kubernetesVersion: input.cluster.kubernetesVersion ?? DEFAULTS.kubernetesVersion,
      apiVersions: [...(input.cluster.apiVersions ?? [])],
      ...(input.cluster.production === true ? { production: true } : {}),
    },
    domains: { internal, public: input.domains.public, extra: [...(input.domains.extra ?? [])] },
    loadBalancer: range === undefined ? { cidr: input.loadBalancer.ipRange } : { range: { start, stop } },
    l2Announcement: {
      interfaces: [...(input.loadBalancer.l2?.interfaces ?? L2_DEFAULTS.interfaces)],
      nodeSelector: structuredClone(input.loadBalancer.l2?.nodeSelector ?? L2_DEFAULTS.nodeSelector),
    },
    acme: { email: input.acme.email, server: input.acme.server ?? DEFAULTS.acmeServer },
    nfs: { server: input.nfs.server, path: input.nfs.path, storageClass: input.nfs.storageClass },
    minio: {
      tenant: input.minio.tenant,
      region: input.minio.region,
      pools: input.minio.pools ?? DEFAULTS.minioPools,
      servers: input.minio.servers,
      volumesPerServer: input.minio.volumesPerServer,
      volumeSize: input.minio.volumeSize,
      host: input.minio.host ?? `minio.${internal}`,
      consoleHost: input.minio.consoleHost ?? `minio-console.${internal}`,
    },
    externalIngress: { controller: input.externalIngress.controller, ...(target === undefined ? {} : { target }) },
    onePassword: {
      vault: input.onePassword.vault,
      connectItem: input.onePassword.connectItem ?? `${cluster} 1password-credentials`,
      connectVault: input.onePassword.connectVault ?? input.onePassword.vault,
    },
    misskey: input.misskey === undefined ? undefined : { host: input.misskey.host },
    timezone: input.timezone ?? DEFAULTS.timezone,
    components: Object.fromEntries(Object.entries(input.components ?? {}).map(([id, override]) => [id, { ...override }])),
    positions,
  };
}
