import { UserError } from '../config/user-error';
import { INVENTORY_DIR } from '../config/inventory';
import { chartDirsFrom, runRender } from '../render/run';
import { projectRoot } from '../validate/validate';
import { loadAllEnvironments, parseArgs, runAsyncCommand } from './_cli';

/**
 * `npm run render [-- --charts <folder>]… [--nearest] [--offline] [--check] [--jobs <n>]`:
 * renders every chart with real Helm, checks what Argo CD would do with it, and
 * writes `inventory/<cluster>.yaml`; exit 1 on any problem (nothing written).
 */
const argv = process.argv.slice(2);
void runAsyncCommand(argv, async () => {
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
    environments: loadAllEnvironments(),
    chartDirs: chartDirsFrom(args.options.get('--charts') ?? [], process.env),
    nearest: args.flags.has('--nearest'),
    offline: args.flags.has('--offline'),
    check,
    ...(jobs === undefined ? {} : { jobs }),
    inventoryDir: INVENTORY_DIR,
    outdir: process.env.CDK8S_OUTDIR || 'dist',
    ...(process.env.PKE_RENDER_CACHE ? { renderCache: process.env.PKE_RENDER_CACHE } : {}),
    env: process.env,
  });
  process.stderr.write(report.warnings.report());
  process.stdout.write(`${report.lines.join('\n')}\n`);
  if (check && report.changed.length > 0) {
    process.stderr.write(`${report.changed.join(', ')} out of date; run \`npm run render\` and commit\n`);
    return 1;
  }
  process.stdout.write(report.changed.length === 0 ? `${INVENTORY_DIR}/ ${check ? 'is up to date' : 'unchanged'}\n` : `${check ? 'would write' : 'written'}: ${report.changed.join(', ')}\n`);
  return 0;
});
