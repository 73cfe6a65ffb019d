import { loadInventories } from '../config/inventory';
import { components } from '../platform/index';
import { planChanges } from '../output/plan';
import { formatPlanMarkdown, formatPlanText } from '../output/plan-report';
import { renderEnvironments } from '../output/render';
import { readTree } from '../output/write';
import { loadAllEnvironments, parseArgs, runCommand } from './_cli';

/**
 * `npm run plan [-- --markdown] [--allow-delete <name>]… [--base <dir>]`: renders in
 * memory, compares with what Argo CD syncs now (the committed `dist/`, or `--base`),
 * lists what changes by cluster and wave, and exits 1 when an Application would be
 * removed without `--allow-delete`, or a protected one would be removed at all.
 */
const argv = process.argv.slice(2);
runCommand(argv, () => {
  const args = parseArgs(argv, {
    name: 'npm run plan --',
    usage: '[--markdown] [--allow-delete <component>]... [--base <dir>]',
    positionals: 0,
    flags: ['--markdown'],
    options: ['--allow-delete', '--base'],
  });
  const outdir = process.env.CDK8S_OUTDIR || 'dist';
  const base = args.options.get('--base')?.at(-1) ?? outdir;
  const environments = loadAllEnvironments();
  const inventories = loadInventories(environments.map((env) => env.cluster));
  const rendered = renderEnvironments(environments, components, { inventories });

  const before = readTree(base);
  const plan = planChanges(before, rendered, args.options.get('--allow-delete') ?? []);
  const clusters = [...new Set([...before.keys(), ...rendered.keys()].map((path) => path.split('/')[0]))].sort();
  const format = args.flags.has('--markdown') ? formatPlanMarkdown : formatPlanText;
  process.stdout.write(format(plan, clusters, outdir));
  return plan.blocked.length > 0 || plan.refused.length > 0 ? 1 : 0;
});
