import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fullKubeVersion, INVENTORY_DIR, loadInventories } from '../config/inventory';
import { components } from '../platform/index';
import { planChanges } from '../output/plan';
import { renderProblems } from '../output/plan-details';
import { formatPlanMarkdown, formatPlanText } from '../output/plan-report';
import { renderEnvironments } from '../output/render';
import { readTree } from '../output/write';
import { renderPlan } from '../render/plan-render';
import { chartDirsFrom } from '../render/run';
import { projectRoot } from '../validate/validate';
import { loadAllEnvironments, parseArgs, runAsyncCommand } from './_cli';

/**
 * `npm run plan [-- --markdown] [--allow-delete <name>]… [--base <dir>] [--charts <dir>]… [--nearest] [--offline]`:
 * renders in memory, compares with what Argo CD syncs now (the committed
 * `dist/`, or `--base`), lists what changes by cluster and wave with the
 * changed fields, renders the charts of every Application that changes on both
 * sides and shows what Argo CD applies differently; exits 1 when an Application
 * would be removed without `--allow-delete`, a protected one would be removed
 * at all, or a rendered diff is missing.
 */
const argv = process.argv.slice(2);
void runAsyncCommand(argv, async () => {
  const args = parseArgs(argv, {
    name: 'npm run plan --',
    usage: '[--markdown] [--allow-delete <component>]... [--base <dir>] [--charts <folder of .tgz>]... [--nearest] [--offline]',
    positionals: 0,
    flags: ['--markdown', '--nearest', '--offline'],
    options: ['--allow-delete', '--base', '--charts'],
  });
  const outdir = process.env.CDK8S_OUTDIR || 'dist';
  const base = args.options.get('--base')?.at(-1) ?? outdir;
  const environments = loadAllEnvironments();
  const clusterNames = environments.map((env) => env.cluster);
  const inventories = loadInventories(clusterNames);
  const rendered = renderEnvironments(environments, components, { inventories });

  const before = readTree(base);
  const plan = planChanges(before, rendered, args.options.get('--allow-delete') ?? []);
  const clusters = [...new Set([...before.keys(), ...rendered.keys()].map((path) => path.split('/')[0]))].sort();
  // The base's inventories sit beside its output folder (`../base/inventory` for `--base ../base/dist`).
  const baseInventoryDir = args.options.has('--base') ? join(dirname(resolve(base)), INVENTORY_DIR) : INVENTORY_DIR;
  const details = await renderPlan(
    plan,
    { files: before, inventories: existsSync(baseInventoryDir) ? loadInventories(clusters, baseInventoryDir) : new Map(), dir: base },
    { files: rendered, inventories, dir: outdir },
    {
      root: projectRoot(),
      chartDirs: chartDirsFrom(args.options.get('--charts') ?? [], process.env),
      nearest: args.flags.has('--nearest'),
      offline: args.flags.has('--offline'),
      env: process.env,
      fallbackSettings: new Map(environments.map((env) => [env.cluster, { kubeVersion: fullKubeVersion(env.clusterSettings.kubernetesVersion), apiVersions: [...env.clusterSettings.apiVersions] }])),
    },
  );
  for (const problem of renderProblems(details)) process.stderr.write(`${problem}\n`);
  const format = args.flags.has('--markdown') ? formatPlanMarkdown : formatPlanText;
  process.stdout.write(format(plan, clusters, outdir, { details, catalog: components }));
  return plan.blocked.length > 0 || plan.refused.length > 0 || renderProblems(details).length > 0 ? 1 : 0;
});
