import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fullKubeVersion, INVENTORY_DIR, type Inventory, loadInventories, readInventory } from '../inventory/inventory';
import type { Problem } from '../core/user-error';
import { UserError } from '../core/user-error';
import { components } from '../platform/index';
import { committedFolder, committedOutput } from '../plan/committed';
import { planChanges } from '../plan/plan';
import { renderProblems } from '../plan/details';
import { formatPlanMarkdown, formatPlanText } from '../plan/report';
import { renderEnvironments } from '../synth/cluster-files';
import { readOutput } from '../synth/write';
import { renderPlan } from '../plan/render-both-sides';
import { chartDirsFrom } from '../charts/run';
import { projectRoot } from '../validate/validate';
import { HELM_TIMEOUT_ENV } from '../charts/helm';
import { type CommandIo, exitCodeOfAsync, loadAllEnvironments, parseArgs, processIo } from './cli';

/**
 * `npm run plan [-- --markdown] [--allow-delete <name>]… [--base <dir>] [--charts <dir>]… [--nearest] [--offline]`:
 * renders in memory, compares with what Argo CD syncs now, lists what changes
 * by cluster and wave with the changed fields, renders the charts of every
 * Application that changes on both sides and shows what Argo CD applies
 * differently; exits 1 when an Application would be removed without
 * `--allow-delete`, a protected one would be removed at all, or a rendered
 * diff is missing.
 *
 * What Argo CD syncs now is the output folder and the inventories as committed
 * at `HEAD` (read with Git, so a synth since the last commit does not hide a
 * removal), or `--base` and the inventories beside it (`../base/inventory` for
 * `--base ../base/dist`). It fails closed: a base that is missing, empty, not a
 * folder or not this project's output is an error, never an empty comparison.
 */
export function main(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  return exitCodeOfAsync(argv, io, async () => {
    const args = parseArgs(argv, {
      name: 'npm run plan --',
      usage: '[--markdown] [--allow-delete <component>]... [--base <dir>] [--charts <folder of .tgz>]... [--nearest] [--offline] [--helm-timeout <seconds>]',
      positionals: 0,
      flags: ['--markdown', '--nearest', '--offline'],
      options: ['--allow-delete', '--base', '--charts', '--helm-timeout'],
    });
    const helmTimeout = args.options.get('--helm-timeout')?.at(-1);
    const outdir = io.env.CDK8S_OUTDIR || 'dist';
    const base = args.options.get('--base')?.at(-1);
    const before = base === undefined ? committedOutput(outdir, io.fs.root) : readOutput(base, '--base', io.fs);
    const environments = loadAllEnvironments('environments', io.fs);
    const inventories = loadInventories(
      environments.map((env) => env.cluster),
      { root: io.fs.root },
    );
    const rendered = renderEnvironments(environments, components, { inventories });

    const plan = planChanges(before, rendered, args.options.get('--allow-delete') ?? []);
    const clusters = [...new Set([...before.keys(), ...rendered.keys()].map((path) => path.split('/')[0]))].sort();
    const details = await renderPlan(
      plan,
      { files: before, inventories: baseInventories(base, clusters, io.fs.root), dir: base ?? `${outdir} (HEAD)` },
      { files: rendered, inventories, dir: outdir },
      {
        root: projectRoot(),
        chartDirs: chartDirsFrom(args.options.get('--charts') ?? [], io.env),
        nearest: args.flags.has('--nearest'),
        offline: args.flags.has('--offline'),
        env: helmTimeout === undefined ? io.env : { ...io.env, [HELM_TIMEOUT_ENV]: helmTimeout },
        fallbackSettings: new Map(
          environments.map((env) => [
            env.cluster,
            { kubeVersion: fullKubeVersion(env.clusterSettings.kubernetesVersion), apiVersions: [...env.clusterSettings.apiVersions] },
          ]),
        ),
      },
    );
    for (const problem of renderProblems(details)) io.stderr(`${problem}\n`);
    const format = args.flags.has('--markdown') ? formatPlanMarkdown : formatPlanText;
    io.stdout(format(plan, clusters, outdir, { details, catalog: components }));
    return plan.blocked.length > 0 || plan.refused.length > 0 || renderProblems(details).length > 0 ? 1 : 0;
  });
}

/** The inventories of the base side: beside `--base`, or as committed at HEAD; none is fine (the head's settings serve). */
function baseInventories(base: string | undefined, clusters: readonly string[], root: string): Map<string, Inventory> {
  if (base !== undefined) {
    const dir = join(dirname(resolve(root, base)), INVENTORY_DIR);
    return existsSync(dir) ? loadInventories(clusters, { dir, root }) : new Map();
  }
  const problems: Problem[] = [];
  const inventories = new Map<string, Inventory>();
  for (const [name, text] of committedFolder(INVENTORY_DIR, root)) {
    const cluster = name.replace(/\.yaml$/, '');
    if (!clusters.includes(cluster) || name === cluster) continue;
    const read = readInventory(`${INVENTORY_DIR}/${name} (HEAD)`, text);
    if (Array.isArray(read)) problems.push(...read);
    else inventories.set(cluster, read);
  }
  if (problems.length > 0) throw new UserError(problems);
  return inventories;
}
