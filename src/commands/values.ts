import { planEnvironment } from '../platform/index';
import { components } from '../platform/index';
import { renderCluster } from '../synth/cluster-files';
import { renderValuesFile } from '../docs-gen/values-file';
import { type CommandIo, exitCodeOf, loadAllEnvironments, parseArgs, processIo, selectEnvironment } from './cli';

/** `npm run values -- <cluster> <component> [--json]`: prints a component's Helm values as a values file (or JSON). */
export function main(argv: readonly string[], io: CommandIo = processIo()): number {
  return exitCodeOf(argv, io, () => {
    const { positionals, flags } = parseArgs(argv, { name: 'npm run values --', usage: '<cluster> <component> [--json]', positionals: 2, flags: ['--json'] });
    const [cluster, componentId] = positionals;
    const env = selectEnvironment(loadAllEnvironments('environments', io.fs), cluster);
    const files = renderCluster(planEnvironment(env, components));
    io.stdout(renderValuesFile(env, files, io.env.CDK8S_OUTDIR || 'dist', componentId, { json: flags.has('--json') }));
    return 0;
  });
}
