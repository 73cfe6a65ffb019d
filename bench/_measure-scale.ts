/**
 * One measurement of the scaling benchmark, in this process: plans, renders,
 * validates and writes a catalog for one environment as `npm run synth` does
 * for each of its environments (planEnvironment → renderCluster → the
 * validation of src/validate → writeOutput), timing every phase with
 * `performance.now()`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Environment } from '../src/config/environment';
import { renderCluster } from '../src/synth/cluster-files';
import { writeOutput } from '../src/synth/write';
import { planEnvironment } from '../src/platform/index';
import type { ComponentSpec } from '../src/platform/types';
import { defaultSources, validateFiles } from '../src/validate/validate';

/** Milliseconds spent in each in-process phase. */
export interface ScalePhases {
  /** planEnvironment: enabled components, requirements, waves. */
  readonly plan: number;
  /** renderCluster: cdk8s constructs and YAML text of every file. */
  readonly render: number;
  /** validateFiles: schemas and policy rules over the rendered files (0 when skipped). */
  readonly validate: number;
  /** writeOutput: every file into a fresh folder, swapped into place. */
  readonly write: number;
}

/** What one run measured. */
export interface ScaleResult {
  /** Components in the catalog. */
  readonly components: number;
  /** Files written (Applications, supporting manifests, bootstrap objects, README). */
  readonly files: number;
  /** Bytes written. */
  readonly bytes: number;
  /** Phases in milliseconds. */
  readonly phases: ScalePhases;
  /** plan + render + validate + write: the time the benchmark calls t(N). */
  readonly total: number;
  /**
   * Findings of the `waves` rule on synthetic components, ignored: the rule
   * looks dependencies up in the real catalog, which does not know them.
   */
  readonly ignoredFindings: number;
}

/** Options of {@link measureScale}. */
export interface ScaleOptions {
  /**
   * Cache folder of the validation (compiled validators). Its parse cache is
   * removed first, so every file is parsed and checked as on a synth where every
   * file changed. Validation is skipped when this is undefined.
   */
  readonly validateCacheDir?: string;
}

/** Plans, renders, validates and writes `catalog` for `env` into `outdir` (replaced atomically, as synth does). */
export function measureScale(env: Environment, catalog: readonly ComponentSpec[], outdir: string, options: ScaleOptions = {}): ScaleResult {
  const start = performance.now();
  const plan = planEnvironment(env, catalog);
  const planned = performance.now();
  const files = renderCluster(plan);
  const rendered = performance.now();
  let ignoredFindings = 0;
  if (options.validateCacheDir !== undefined) {
    rmSync(join(options.validateCacheDir, 'parsed.json'), { force: true });
    const findings = validateFiles(files, { ...defaultSources(), cacheDir: options.validateCacheDir, shownDir: outdir, environments: [env] });
    const synthetic = new Set(catalog.map((spec) => spec.id as string));
    const unexpected = findings.filter((finding) => !(finding.rule === 'waves' && synthetic.has(applicationOf(finding.file))));
    if (unexpected.length > 0) {
      throw new Error(
        `the synthetic output has ${unexpected.length} finding(s), e.g.\n${unexpected
          .slice(0, 5)
          .map((f) => `${f.file}: ${f.message} [${f.rule}]`)
          .join('\n')}`,
      );
    }
    ignoredFindings = findings.length;
  }
  const validated = options.validateCacheDir === undefined ? rendered : performance.now();
  const result = writeOutput(outdir, files);
  const written = performance.now();
  if (result.added.length !== files.size + 1) {
    // and the output marker
    throw new Error(`expected ${files.size} new files in ${outdir}, got ${result.added.length}: the folder was not fresh`);
  }
  let bytes = 0;
  for (const content of files.values()) bytes += Buffer.byteLength(content);
  return {
    components: plan.components.length,
    files: files.size,
    bytes,
    phases: { plan: planned - start, render: rendered - planned, validate: validated - rendered, write: written - validated },
    total: written - start,
    ignoredFindings,
  };
}

/** `…/<cluster>/<id>.yaml` → `<id>`. */
function applicationOf(file: string): string {
  return (file.split('/').at(-1) ?? '').replace(/\.yaml$/, '');
}
