import { refreshCrds, refreshReport } from '../crds/refresh';
import { type CommandIo, exitCodeOfAsync, parseArgs, processIo } from './cli';

/** The folder of the vendored CRDs. */
export const CRD_DIR = 'crds';

/**
 * `npm run crds`: refreshes every vendored CRD in crds/ from its pinned upstream
 * URL (crds/sources.json). Offline, it names each unreachable host in one line,
 * changes nothing and exits 1.
 */
export function main(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  return exitCodeOfAsync(
    argv,
    io,
    async () => {
      parseArgs(argv, { name: 'npm run crds --', usage: '', positionals: 0 });
      io.stdout(refreshReport(await refreshCrds(CRD_DIR, fetch), CRD_DIR));
      return 0;
    },
    (error) => `${error.problems.length} problem(s); ${CRD_DIR}/ was not changed.`,
  );
}
