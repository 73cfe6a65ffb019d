import { UserError } from '../config/user-error';
import { refreshCrds, refreshReport } from '../crds/refresh';
import { parseArgs, runAsyncCommand } from './_cli';

/** The folder of the vendored CRDs. */
export const CRD_DIR = 'crds';

/**
 * `npm run crds`: refreshes every vendored CRD in crds/ from its pinned upstream
 * URL (crds/sources.json). Offline, it names each unreachable host in one line,
 * changes nothing and exits 1.
 */
void runAsyncCommand(process.argv.slice(2), async () => {
  const argv = process.argv.slice(2);
  parseArgs(argv, { name: 'npm run crds --', usage: '', positionals: 0 });
  try {
    process.stdout.write(refreshReport(await refreshCrds(CRD_DIR, fetch), CRD_DIR));
    return 0;
  } catch (error) {
    if (!(error instanceof UserError) || argv.includes('--debug')) throw error;
    process.stderr.write(`${error.message}\n${error.problems.length} problem(s); ${CRD_DIR}/ was not changed.\n`);
    return 1;
  }
});
