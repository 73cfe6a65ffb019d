import { planEnvironment } from '../platform/index';
import { components } from '../platform/index';
import { dependencyGraph } from '../synth/overview';
import { withReadmeGraph } from '../docs-gen/readme-graph';
import { type CommandIo, exitCodeOf, loadAllEnvironments, parseArgs, processIo, selectEnvironment } from './cli';

/** The cluster whose graph the project README shows. */
export const README_CLUSTER = 'kkg';

/** Largest README.md read, in bytes. */
const README_LIMIT = 1024 * 1024;

/** `npm run readme`: rewrites the dependency graph in README.md from the production cluster. */
export function main(argv: readonly string[], io: CommandIo = processIo()): number {
  return exitCodeOf(argv, io, () => {
    parseArgs(argv, { name: 'npm run readme', usage: '', positionals: 0 });
    const env = selectEnvironment(loadAllEnvironments('environments', io.fs), README_CLUSTER);
    const readme = io.fs.read('README.md', README_LIMIT);
    const updated = withReadmeGraph(readme, dependencyGraph(planEnvironment(env, components)));
    if (updated !== readme) io.fs.write('README.md', updated);
    io.stdout(updated === readme ? 'README.md graph is current\n' : 'README.md graph updated\n');
    return 0;
  });
}
