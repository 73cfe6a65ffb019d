/**
 * Reads environment files (`environments/<cluster>.yaml`), validates them, and
 * resolves their defaults into `Environment`s.
 *
 * Bad input never stops at the first problem: every problem of every file is
 * collected, with its file, line, column and document path, and thrown as one
 * `UserError`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Environment, EnvironmentFile } from './environment';
import { parseRange } from './_ipv4';
import { brokenPointers, quote, schemaProblems, show } from './_schema-problems';
import { isRecord, semanticProblems } from './_semantic-checks';
import { parseYamlSource, type YamlSource } from './_yaml-source';
import { DEFAULTS, environmentFileValidator, L2_DEFAULTS } from './schema';
import { type Problem, UserError } from './user-error';
import type { Warning, Warnings } from './warnings';

export { didYouMean } from './_did-you-mean';

/** The extension of environment files. */
export const ENVIRONMENT_EXTENSION = '.yaml';

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
 * Loads every `*.yaml` file of a folder, sorted by name.
 *
 * @param warnings where the files' warnings go, also when a file has problems (dropped without it)
 * @throws UserError with every problem of every file, or when the folder holds no environment file
 */
export function loadEnvironments(dir: string, knownComponents: readonly string[], warnings?: Warnings): Environment[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() || entry.isSymbolicLink())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    throw new UserError([{ file: dir, message: `cannot read the environments folder (${errorCode(error)})` }]);
  }

  const problems: Problem[] = [];
  const loaded: { environment: Environment; source: YamlSource }[] = [];
  for (const name of names) {
    const file = join(dir, name);
    if (extname(name) === '.yml') {
      const renamed = `${basename(name, '.yml')}${ENVIRONMENT_EXTENSION}`;
      problems.push({ file, message: `expected the extension ${ENVIRONMENT_EXTENSION}, got .yml (rename the file to ${renamed})` });
    }
    if (extname(name) !== ENVIRONMENT_EXTENSION) {
      continue;
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push({ file, message: `cannot read the file (${errorCode(error)})` });
      continue;
    }
    const result = check(file, text, knownComponents);
    problems.push(...result.problems);
    warnings?.add(...result.warnings);
    if (result.environment !== undefined) {
      loaded.push({ environment: result.environment, source: result.source });
    }
  }
  if (names.every((name) => extname(name) !== ENVIRONMENT_EXTENSION)) {
    problems.push({ file: dir, message: `expected at least one environment file (<cluster>${ENVIRONMENT_EXTENSION}), found none` });
  }
  problems.push(...duplicateLabelProblems(loaded));
  if (problems.length > 0) {
    throw new UserError(problems);
  }
  return loaded.map(({ environment }) => environment);
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
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
  return { environment: resolve(file, stem, source.data), problems: [], warnings: semantic.warnings, source };
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
function duplicateLabelProblems(loaded: readonly { environment: Environment; source: YamlSource }[]): Problem[] {
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
        ...source.position('/cluster/label'),
        path: '/cluster/label',
        message: `expected a label no other environment uses, got ${quote(label)} (also in ${first})`,
      });
    }
  }
  return problems;
}

/** Applies every default of a valid environment file. */
function resolve(file: string, cluster: string, input: EnvironmentFile): Environment {
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
    components: Object.fromEntries(
      Object.entries(input.components ?? {}).map(([id, override]) => [id, { ...override }]),
    ),
  };
}
