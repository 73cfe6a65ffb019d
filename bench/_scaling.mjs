// Scaling: synthetic catalogs of growing size, each size in its own child
// process (bench/scale.ts through scripts/run.mjs, as synth runs), which plans,
// renders, validates and writes one cluster into a temporary folder and reports
// its in-process phases and peak memory as one JSON line.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repeat } from './_process.mjs';
import { marginals, summarize } from './_stats.mjs';

const PHASES = ['startup', 'load', 'generate', 'plan', 'render', 'validate', 'write', 'total', 'gc', 'maxRssMiB'];
/** The phases whose slopes are shown one by one. */
export const SLOPE_PHASES = ['plan', 'render', 'validate', 'write', 'gc'];

/** The baseline size: one component per layer, the smallest synthetic catalog. */
export const BASELINE = 9;

/**
 * Measures every size (plus {@link BASELINE}) `runs` times after a warm-up.
 * Returns per size the summaries of the process wall time and of every phase,
 * the marginal cost per component between consecutive sizes (from the medians
 * of t(N)), and the same slope for each phase alone.
 */
export function measureScaling({ root, work, sizes, runs, cluster = 'kkg', log = () => {} }) {
  const rows = [];
  // Compiled validators are shared by the runs (the warm-up compiles them); each run
  // drops the parse cache, so every file is parsed and checked.
  const validateCache = join(work, 'validate-cache');
  mkdirSync(validateCache, { recursive: true });
  for (const size of [BASELINE, ...sizes]) {
    log(`  scaling: ${size} components ...`);
    const dir = join(work, `scale-${size}`);
    mkdirSync(dir, { recursive: true });
    const reports = [];
    const wall = repeat(
      `bench/scale.ts ${size}`,
      runs,
      (i) => [
        process.execPath,
        ['scripts/run.mjs', 'bench/scale.ts', String(size), join(dir, String(i)), cluster, '--validate-cache', validateCache],
        { cwd: root },
      ],
      (result) => {
        const report = JSON.parse(result.stdout.trim().split('\n').at(-1));
        reports.push({ ...report, ...report.phases, maxRssMiB: report.maxRssKiB / 1024 });
      },
    );
    rmSync(dir, { recursive: true, force: true });
    const phases = Object.fromEntries(PHASES.map((phase) => [phase, summarize(reports.map((report) => report[phase]))]));
    rows.push({ size, components: reports[0].components, files: reports[0].files, bytes: reports[0].bytes, wall, ...phases });
  }
  const slopes = marginals(rows.map((row) => ({ size: row.size, time: row.total.median })));
  // The same slope for each phase alone, to see which one grows faster than the catalog.
  const phaseSlopes = Object.fromEntries(SLOPE_PHASES.map((phase) => [phase, marginals(rows.map((row) => ({ size: row.size, time: row[phase].median })))]));
  return { rows, slopes, phaseSlopes };
}
