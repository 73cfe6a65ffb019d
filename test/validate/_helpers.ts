import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Environment } from '../../src/config/environment';
import { type Inventory, loadInventories } from '../../src/inventory/inventory';
import { type FileMap, toYaml } from '../../src/synth/cluster-files';
import { formatFinding, type Finding } from '../../src/validate/finding';
import type { PolicyRule } from '../../src/validate/rules/index';
import { defaultSources, validateFiles } from '../../src/validate/validate';
import { loadAll, renderEnvironment } from '../helpers/render';

/** The real environments (kkg, example), loaded once. */
export const environments = loadAll();

/** One real environment by cluster name. */
export function environment(cluster: string): Environment {
  const env = environments.find((e) => e.cluster === cluster);
  if (env === undefined) throw new Error(`no environment ${cluster}`);
  return env;
}

/** The committed inventories of the real clusters. */
export const inventories = loadInventories(environments.map((env) => env.cluster));

/** The project's CRDs and validator cache, as synth uses them. */
export const sources = defaultSources();

/** What synth renders for a real cluster, in memory. */
export function rendered(cluster = 'kkg'): FileMap {
  return renderEnvironment(environment(cluster));
}

/**
 * A copy of `files` in which the one object of `path` is changed by `edit`
 * (which mutates the parsed object), written back as synth writes YAML.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function editObject(files: FileMap, path: string, edit: (object: any) => void): FileMap {
  const text = files.get(path);
  if (text === undefined) throw new Error(`no file ${path}; have ${[...files.keys()].join(', ')}`);
  const object = parse(text);
  edit(object);
  return new Map([...files, [path, toYaml(object)]]);
}

/** A copy of `files` with one more object. */
export function withObject(files: FileMap, path: string, object: unknown): FileMap {
  return new Map([...files, [path, toYaml(object)]]);
}

/** Validates a file map as synth does (paths shown under `dist/`), with all or some rules. */
export function validate(
  files: FileMap,
  options: {
    rules?: readonly PolicyRule[];
    crds?: readonly string[];
    cacheDir?: string;
    environments?: readonly Environment[];
    inventories?: ReadonlyMap<string, Inventory>;
  } = {},
): Finding[] {
  return validateFiles(files, {
    inventories: options.inventories ?? inventories,
    ...sources,
    ...(options.crds === undefined ? {} : { crds: options.crds }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    shownDir: 'dist',
    environments: options.environments ?? environments,
    rules: options.rules,
    cacheParsed: false, // tests leave the cache folder's parse cache to synth
  });
}

/** Findings as the lines `npm run validate` prints. */
export function lines(findings: readonly Finding[]): string[] {
  return findings.map(formatFinding);
}

/** A temporary folder holding the given files (relative path → content). */
export function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pke-validate-'));
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  return dir;
}
