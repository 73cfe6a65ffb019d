/**
 * Validates rendered output before Argo CD sees it: every object against the
 * OpenAPI schema of its kind and version (ObjectMeta included), then the
 * platform's policy rules. Works on a file map in memory (what synth is about
 * to write) and on a folder (what is committed).
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Environment } from '../config/environment';
import type { Inventory } from '../inventory/inventory';
import { type Problem, UserError } from '../core/user-error';
import { projectRoot } from '../core/project';
import type { FileMap } from '../synth/cluster-files';
import { readTree, withoutMarker } from '../synth/write';
import { planEnvironment } from '../platform/index';
import { components } from '../platform/index';
import type { ComponentSpec } from '../platform/types';
import { CacheFiles } from './files';
import { objectMetaProblems } from './object-meta';
import { ParseCache, parseFiles, type KubeObject, type RenderedFiles } from './_parse';
import { schemaProblems } from './schema-findings';
import { compareFindings, type Finding, findingsAsProblems } from './finding';
import { type ClusterFacts, type KindFacts, POLICY_RULES, type PolicyRule } from './rules/index';
import { saveCodeCaches, SchemaRegistry } from './schema-registry';

/** The CRD folder `npm run import` reads (the `imports` of cdk8s.yaml), relative to the project root. */
export const DEFAULT_CRDS = 'crds';

/** Where schemas come from and where compiled validators are cached. */
export interface SchemaSources {
  /** CRD files and folders. */
  readonly crds: readonly string[];
  /** The cdk8s-plus-29 package folder, for built-in kinds. */
  readonly builtinPackage: string;
  /** Cache folder for compiled validators and parsed files. */
  readonly cacheDir: string;
}

/** Options of {@link validateFiles}. */
export interface ValidateOptions extends SchemaSources {
  /** The output folder as findings show it (`dist`). */
  readonly shownDir: string;
  /** The environments the output was rendered from (dependencies, protected components). */
  readonly environments: readonly Environment[];
  /**
   * Policy rules to run.
   * @default POLICY_RULES
   */
  readonly rules?: readonly PolicyRule[];
  /**
   * Keep parsed files, and which validator accepted each object, in the cache
   * folder, so that an unchanged file is neither parsed nor validated again by
   * the next run; false keeps them in memory for this process only.
   * @default true
   */
  readonly cacheParsed?: boolean;
  /**
   * What the charts render, per cluster: checked for admission, CRD order and
   * objects claimed twice.
   * @default - none
   */
  readonly inventories?: ReadonlyMap<string, Inventory>;
  /**
   * The catalog the output was rendered from.
   * @default the platform's catalog
   */
  readonly catalog?: readonly ComponentSpec[];
}

/** The project's CRD folder, cdk8s-plus-29 and `.cache/validate`. */
export function defaultSources(root = projectRoot()): SchemaSources {
  return {
    crds: [resolve(root, DEFAULT_CRDS)],
    builtinPackage: dirname(createRequire(join(root, 'package.json')).resolve('cdk8s-plus-29/package.json')),
    cacheDir: join(root, '.cache', 'validate'),
  };
}

/**
 * What the catalog says about each environment's cluster: dependencies and
 * protected components.
 *
 * @throws UserError when an environment cannot be planned
 */
export function clusterFacts(environments: readonly Environment[], catalog: readonly ComponentSpec[] = components): Map<string, ClusterFacts> {
  return new Map(
    environments.map((env) => {
      const plan = planEnvironment(env, catalog);
      return [
        env.cluster,
        {
          environment: env.file,
          dependsOn: new Map(plan.components.map((c) => [c.spec.id as string, c.dependsOn as readonly string[]])),
          protected: new Map(plan.components.flatMap((c) => (c.spec.protected === undefined ? [] : [[c.spec.id as string, c.spec.protected]]))),
          waves: new Map(plan.components.map((c) => [c.spec.id as string, c.wave])),
          namespaces: new Map(plan.components.map((c) => [c.spec.id as string, { own: c.spec.namespace, declared: c.spec.namespaces ?? {} }])),
          runtimeCrds: new Map(plan.components.flatMap((c) => (c.spec.runtimeCrds ?? []).map((groupKind) => [groupKind, c.spec.id as string] as const))),
          apiVersions: env.clusterSettings.apiVersions,
        },
      ];
    }),
  );
}

/**
 * Every finding in a file map (paths relative to the output folder), sorted. A file given
 * as its document (an object, not text) is checked as its text would read back.
 */
export function validateFiles(files: RenderedFiles, options: ValidateOptions): Finding[] {
  const cacheFiles = new CacheFiles();
  const registry = new SchemaRegistry(options);
  const parseCache = new ParseCache(cacheFiles, options.cacheParsed === false ? undefined : join(options.cacheDir, 'parsed.json'));
  const parsed = parseFiles(files, options.shownDir, parseCache);
  const findings: Finding[] = [...parsed.findings];
  const kinds = new Map<KubeObject, KindFacts>();

  for (const rendered of parsed.objects) {
    const { object } = rendered;
    const lookup = registry.lookup(object.apiVersion, object.kind);
    const at = (path: string, message: string, fix: string): void => {
      findings.push({ rule: 'schema', cluster: rendered.cluster, file: rendered.file, object: rendered.label, path, message, fix });
    };
    if ('missing' in lookup) {
      at('', lookup.missing, lookup.fix);
    } else {
      const { schema } = lookup;
      kinds.set(object, { custom: schema.custom, scope: schema.scope });
      if (!parseCache.accepted(rendered.source, schema.id)) {
        const validate = schema.validator();
        if (validate(object)) parseCache.accept(rendered.source, schema.id);
        else for (const problem of schemaProblems(validate.errors ?? [], object, schema.label, schema.schema)) at(problem.path, problem.message, problem.fix);
      }
    }
    for (const problem of objectMetaProblems(object, 'schema' in lookup ? lookup.schema.scope : undefined)) at(problem.path, problem.message, problem.fix);
  }

  const context = {
    objects: parsed.objects,
    values: parsed.values,
    clusters: clusterFacts(options.environments, options.catalog),
    shownDir: options.shownDir,
    kind: (object: KubeObject) => kinds.get(object),
    inventories: options.inventories,
  };
  for (const rule of options.rules ?? POLICY_RULES) findings.push(...rule.check(context));

  parseCache.save();
  saveCodeCaches();
  return findings.sort(compareFindings);
}

/**
 * Every finding in a folder of rendered output (`dist/`).
 *
 * @throws UserError when the folder does not exist
 */
export function validateFolder(dir: string, options: Omit<ValidateOptions, 'shownDir'> & { readonly shownDir?: string }): Finding[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError([{ file: dir, message: 'no such folder; run `npm run synth` first' }]);
  }
  return validateFiles(withoutMarker(readTree(dir)), { ...options, shownDir: options.shownDir ?? dir });
}

/**
 * Validates what synth is about to write, with the project's CRDs and cache.
 *
 * @param problems found before (stale inventories), reported with the findings
 * @throws UserError with those problems and one per finding, so that nothing is written
 */
export function assertValid(
  files: FileMap,
  environments: readonly Environment[],
  outdir: string,
  inventories?: ReadonlyMap<string, Inventory>,
  problems: readonly Problem[] = [],
): void {
  const findings = validateFiles(files, { ...defaultSources(), shownDir: outdir, environments, inventories });
  if (findings.length + problems.length > 0) {
    throw new UserError([...problems, ...findingsAsProblems(findings)]);
  }
}
