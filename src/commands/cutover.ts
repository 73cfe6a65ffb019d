import { planEnvironment } from '../platform/_resolve';
import { components } from '../platform/index';
import { cutoverGuide } from '../output/cutover';
import { renderCluster } from '../output/render';
import { loadAllEnvironments, parseArgs, runCommand, selectEnvironment } from './_cli';

/** `npm run cutover -- <cluster>`: prints (never runs) the checked cut-over of a cluster from Helmfile to Argo CD. */
const argv = process.argv.slice(2);
runCommand(argv, () => {
  const { positionals } = parseArgs(argv, { name: 'npm run cutover --', usage: '<cluster>', positionals: 1 });
  const plan = planEnvironment(selectEnvironment(loadAllEnvironments(), positionals[0]), components);
  process.stdout.write(cutoverGuide(plan, renderCluster(plan)));
  return 0;
});
