import { UserError } from '../core/user-error';
import { INVENTORY_DIR } from '../inventory/inventory';
import { chartDirsFrom, runRender } from '../charts/run';
import { HELM_TIMEOUT_ENV } from '../charts/helm';
import { projectRoot } from '../core/project';
import { type CommandIo, exitCodeOfAsync, loadAllEnvironments, parseArgs, processIo } from './cli';

/**
 * `npm run render [-- --charts <folder>]… [--nearest] [--offline] [--check] [--jobs <n>] [--helm-timeout <seconds>]`:
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
      usage: '[--charts <folder of .tgz>]... [--nearest] [--offline] [--check] [--jobs <n>] [--helm-timeout <seconds>]',
      positionals: 0,
      flags: ['--nearest', '--offline', '--check'],
      options: ['--charts', '--jobs', '--helm-timeout'],
    });
    const helmTimeout = args.options.get('--helm-timeout')?.at(-1);
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
      // One Helm run's limit (default 120 s), as PKE_HELM_TIMEOUT sets it.
      env: helmTimeout === undefined ? io.env : { ...io.env, [HELM_TIMEOUT_ENV]: helmTimeout },
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
