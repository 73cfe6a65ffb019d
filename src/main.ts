import { type CommandIo, exitCodeOf, parseArgs, processIo } from './commands/cli';
import { inventoryFile } from './inventory/inventory';
import { environmentCache, loadEnvironments } from './config/load';
import type { Problem } from './core/user-error';
import { Warnings } from './core/warnings';
import { assertCatalog, componentIds, components } from './platform/index';
import { renderEnvironments } from './synth/cluster-files';
import { diffTree, lockOutput, MidSwapError, outputFiles, readInventoriesLocked, readLocked, readTree } from './synth/write';
import { assertValid } from './validate/validate';
import { projectRoot } from './core/project';

/**
 * `npm run synth [-- --check]`: renders every `environments/*.yaml` into the output
 * folder (`dist/`, or `CDK8S_OUTDIR`). `scripts/run.mjs` calls it with the arguments.
 */
export function main(argv: readonly string[], io: CommandIo = processIo()): number {
  const outdir = io.env.CDK8S_OUTDIR || 'dist';
  const state = (error: unknown) => (error instanceof MidSwapError ? 'is mid-swap; the next `npm run synth` completes it' : 'was not changed');
  const warnings = new Warnings(); // printed on stderr once the input is valid; they never change the exit status
  return exitCodeOf(
    argv,
    io,
    () => {
      const check = parseArgs(argv, { name: 'npm run synth --', usage: '[--check] [--debug]', positionals: 0, flags: ['--check'] }).flags.has('--check');
      // The lock comes first, so that a swap an earlier run left half done is completed or rolled back before anything else.
      const lock = check ? undefined : lockOutput(outdir, { fs: io.fs });
      try {
        if (lock?.recovered !== undefined) io.stderr(`${lock.recovered}\n`);
        assertCatalog(components); // an incomplete catalog entry is named by its file and field, before anything reads it
        const environments = loadEnvironments('environments', componentIds, { fs: io.fs, warnings, cache: environmentCache(projectRoot()) });
        const inventories = readInventoriesLocked(
          environments.map((env) => env.cluster),
          io.fs,
        );
        const stale: Problem[] = [];
        const files = renderEnvironments(environments, components, { inventories, warnings, inventoryProblems: stale });
        const current = new Map([...inventories].filter(([cluster]) => !stale.some((problem) => problem.file === inventoryFile(cluster))));
        assertValid(files, environments, outdir, current, stale); // nothing is written or compared while a problem remains

        const result =
          lock === undefined
            ? diffTree(
                readLocked(outdir, () => readTree(outdir, io.fs), { fs: io.fs }),
                outputFiles(files),
              )
            : lock.write(files);
        const changes = [
          ...result.added.map((f) => `  added    ${outdir}/${f}`),
          ...result.changed.map((f) => `  changed  ${outdir}/${f}`),
          ...result.removed.map((f) => `  removed  ${outdir}/${f}`),
        ];
        const clusters = environments.map((env) => env.cluster).join(', ');
        if (check && changes.length > 0) {
          io.stderr(`${outdir}/ is out of date; run \`npm run synth\` and commit:\n${changes.join('\n')}\n${warnings.report()}`);
          return 1;
        }
        io.stderr(warnings.report());
        const verb = check ? 'is up to date' : changes.length === 0 ? 'unchanged' : `written, ${changes.length} file(s) changed`;
        io.stdout(`${outdir}/ ${verb} (${files.size} files for ${clusters})\n${changes.join('\n')}${changes.length ? '\n' : ''}`);
        if (result.leftover !== undefined) {
          io.stderr(`${result.leftover}\n`);
          return 1;
        }
        return 0;
      } finally {
        lock?.release();
      }
    },
    (error) => `${error.problems.length} problem(s); ${outdir}/ ${state(error)}.`,
  );
}
