import { readFileSync, writeFileSync } from 'node:fs';
import { planEnvironment } from '../platform/_resolve';
import { components } from '../platform/index';
import { dependencyGraph } from '../output/overview';
import { withReadmeGraph } from '../output/readme-graph';
import { loadAllEnvironments, runCommand, selectEnvironment } from './_cli';

/** The cluster whose graph the project README shows. */
export const README_CLUSTER = 'kkg';

/** `npm run readme`: rewrites the dependency graph in README.md from the production cluster. */
runCommand(process.argv.slice(2), () => {
  const env = selectEnvironment(loadAllEnvironments(), README_CLUSTER);
  const readme = readFileSync('README.md', 'utf8');
  const updated = withReadmeGraph(readme, dependencyGraph(planEnvironment(env, components)));
  if (updated !== readme) writeFileSync('README.md', updated);
  process.stdout.write(updated === readme ? 'README.md graph is current\n' : 'README.md graph updated\n');
  return 0;
});
