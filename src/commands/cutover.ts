import { planEnvironment } from '../platform/index';
import { components } from '../platform/index';
import { cutoverGuide } from '../docs-gen/cutover';
import { renderCluster } from '../synth/cluster-files';
import { type CommandIo, exitCodeOf, loadAllEnvironments, parseArgs, processIo, selectEnvironment } from './cli';

/** `npm run cutover -- <cluster>`: prints (never runs) the checked cut-over of a cluster from Helmfile to Argo CD. */
export function main(argv: readonly string[], io: CommandIo = processIo()): number {
  return exitCodeOf(argv, io, () => {
    const { positionals } = parseArgs(argv, { name: 'npm run cutover --', usage: '<cluster>', positionals: 1 });
    const plan = planEnvironment(selectEnvironment(loadAllEnvironments('environments', io.fs), positionals[0]), components);
    io.stdout(cutoverGuide(plan, renderCluster(plan)));
    return 0;
  });
}
