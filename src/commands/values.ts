import { planEnvironment } from '../platform/_resolve';
import { components } from '../platform/index';
import { renderCluster } from '../output/render';
import { renderValuesFile } from '../output/values-file';
import { loadAllEnvironments, parseArgs, runCommand, selectEnvironment } from './_cli';

/** `npm run values -- <cluster> <component> [--json]`: prints a component's Helm values as a values file (or JSON). */
const argv = process.argv.slice(2);
runCommand(argv, () => {
  const { positionals, flags } = parseArgs(argv, {
    name: 'npm run values --',
    usage: '<cluster> <component> [--json]',
    positionals: 2,
    flags: ['--json'],
  });
  const [cluster, componentId] = positionals;
  const env = selectEnvironment(loadAllEnvironments(), cluster);
  const files = renderCluster(planEnvironment(env, components));
  process.stdout.write(renderValuesFile(env, files, process.env.CDK8S_OUTDIR || 'dist', componentId, { json: flags.has('--json') }));
  return 0;
});
