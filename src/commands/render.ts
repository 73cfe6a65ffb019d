import { UserError } from '../core/user-error';
import { INVENTORY_DIR } from '../inventory/inventory';
import { chartDirsFrom, runRender } from '../charts/run';
import { projectRoot } from '../validate/validate';
import { type CommandIo, exitCodeOfAsync, loadAllEnvironments, parseArgs, processIo } from './cli';

/**
 * `npm run render [-- --charts <folder>]… [--nearest] [--offline] [--check] [--jobs <n>]`:
 * renders every chart with real Helm, checks what Argo CD would do with it, and
 * writes `inventory/<cluster>.yaml`; exit 1 on any problem (nothing written).
 * Packages are pulled from their repositories and checked against the digests they
 * publish (`PKE_CHART_MIRRORS` reads a repository from another URL); `--nearest`
 * takes the nearest version when an offline folder or a repository's index lacks
 * the exact one. See docs/ci-and-renovate.md.
 */
export function main(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  return exitCodeOfAsync(argv, io, async () => {
    const args = parseArgs(argv, {
      name: 'npm run render --',
      usage: '[--charts <folder of .tgz>]... [--nearest] [--offline] [--check] [--jobs <n>]',
      positionals: 0,
      flags: ['--nearest', '--offline', '--check'],
      options: ['--charts', '--jobs'],
    });
    const jobsText = args.options.get('--jobs')?.at(-1);
    const jobs = jobsText === undefined ? undefined : Number(jobsText);
    if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) {
      throw new UserError([{ file: 'npm run render', message: `--jobs: expected a whole number of 1 or more, got ${JSON.stringify(jobsText)}` }]);
    }
    const check = args.flags.has('--check');
    const report = await runRender({
      root: projectRoot(),
      environments: loadAllEnvironments('environments', io.fs),
      chartDirs: chartDirsFrom(args.options.get('--charts') ?? [], io.env),
      nearest: args.flags.has('--nearest'),
      offline: args.flags.has('--offline'),
      check,
      ...(jobs === undefined ? {} : { jobs }),
      inventoryDir: INVENTORY_DIR,
      workDir: io.fs.root,
      outdir: io.env.CDK8S_OUTDIR || 'dist',
      ...(io.env.PKE_RENDER_CACHE ? { renderCache: io.env.PKE_RENDER_CACHE } : {}),
      env: io.env,
    });
    io.stderr(report.warnings.report());
    io.stdout(`${report.lines.join('\n')}\n`);
    if (check && report.changed.length > 0) {
      io.stderr(`${report.changed.join(', ')} out of date; run \`npm run render\` and commit\n`);
      return 1;
    }
    io.stdout(
      report.changed.length === 0
        ? `${INVENTORY_DIR}/ ${check ? 'is up to date' : 'unchanged'}\n`
        : `${check ? 'would write' : 'written'}: ${report.changed.join(', ')}\n`,
    );
    return 0;
  });
}
