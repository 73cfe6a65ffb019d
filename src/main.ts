import { inventoryFile, loadInventories } from './config/inventory';
import { type Problem, UserError } from './config/user-error';
import { Warnings } from './config/warnings';
import { loadEnvironments } from './config/load';
import { componentIds, components } from './platform/index';
import { assertCatalog } from './platform/_check';
import { renderEnvironments } from './output/render';
import { diffTree, readTree, writeOutput } from './output/write';
import { assertValid } from './validate/validate';

/** Renders every `environments/*.yaml` into the output folder (`dist/`, or `CDK8S_OUTDIR` under `cdk8s synth`). */
function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const debug = argv.includes('--debug');
  const outdir = process.env.CDK8S_OUTDIR || 'dist';
  const warnings = new Warnings(); // printed on stderr once the input is valid; they never change the exit status
  try {
    assertCatalog(components); // an incomplete catalog entry is named by its file and field, before anything reads it
    const environments = loadEnvironments('environments', componentIds, warnings);
    const inventories = loadInventories(environments.map((env) => env.cluster));
    const stale: Problem[] = [];
    const files = renderEnvironments(environments, components, { inventories, warnings, inventoryProblems: stale });
    const current = new Map([...inventories].filter(([cluster]) => !stale.some((problem) => problem.file === inventoryFile(cluster))));
    assertValid(files, environments, outdir, current, stale); // nothing is written or compared while a problem remains

    const result = check ? diffTree(readTree(outdir), files) : writeOutput(outdir, files);
    const changes = [
      ...result.added.map((f) => `  added    ${outdir}/${f}`),
      ...result.changed.map((f) => `  changed  ${outdir}/${f}`),
      ...result.removed.map((f) => `  removed  ${outdir}/${f}`),
    ];
    const clusters = environments.map((env) => env.cluster).join(', ');
    if (check && changes.length > 0) {
      process.stderr.write(`${outdir}/ is out of date; run \`npm run synth\` and commit:\n${changes.join('\n')}\n${warnings.report()}`);
      return 1;
    }
    process.stderr.write(warnings.report());
    const verb = check ? 'is up to date' : changes.length === 0 ? 'unchanged' : `written, ${changes.length} file(s) changed`;
    process.stdout.write(`${outdir}/ ${verb} (${files.size} files for ${clusters})\n${changes.join('\n')}${changes.length ? '\n' : ''}`);
    return 0;
  } catch (error) {
    if (error instanceof UserError && !debug) {
      process.stderr.write(`${error.message}\n${error.problems.length} problem(s); ${outdir}/ was not changed.\n`);
      return 1;
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
