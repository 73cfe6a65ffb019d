import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fullKubeVersion, INVENTORY_DIR, type Inventory, loadInventories, readInventory } from '../inventory/inventory';
import type { Problem } from '../core/user-error';
import { UserError } from '../core/user-error';
import { writeAtomically } from '../core/atomic-write';
import { components, planEnvironment } from '../platform/index';
import { onePasswordItems, parseOnePasswordItemsTable } from '../synth/one-password-items';
import { type BaseCommit, committedFolder, committedOutput, mergeBaseCommit } from '../plan/committed';
import { assertComparableBase, blockedCrdRemovals, type Plan, planChanges } from '../plan/plan';
import { type PlanDetails, renderProblems } from '../plan/details';
import { formatPlanMarkdown, formatPlanText, type PlanReportOptions } from '../plan/report';
import { renderEnvironments } from '../synth/cluster-files';
import { readOutput } from '../synth/write';
import { OVERVIEW_FILE } from '../synth/layout';
import { renderPlan } from '../plan/render-both-sides';
import { chartDirsFrom } from '../charts/run';
import { projectRoot } from '../core/project';
import { HELM_TIMEOUT_ENV } from '../charts/helm';
import { type CommandIo, exitCodeOfAsync, loadAllEnvironments, parseArgs, processIo } from './cli';

/**
 * `npm run plan [-- --markdown] [--allow-delete <name>]… [--base <dir>] [--full-report <file>] [--noise <key>]… [--charts <dir>]… [--nearest] [--offline]`:
 * renders in memory, compares with what Argo CD syncs now, lists what changes
 * by cluster and wave with the changed fields, renders the charts of every
 * Application that changes on both sides and shows what Argo CD applies
 * differently; exits 1 when an Application (or a CRD) would be removed without
 * `--allow-delete`, a protected one would be removed at all, a change needs a
 * blocking step before merging that the plan cannot check, or a rendered diff
 * is missing.
 *
 * What Argo CD syncs now is the output folder and the inventories as committed
 * at the merge base of `HEAD` and the default branch (read with Git, so neither
 * a synth since the last commit nor the branch's own commits hide a removal),
 * or `--base` and the inventories beside it (`../base/inventory` for
 * `--base ../base/dist`). It fails closed: a base that is missing, empty, not a
 * folder, not this project's output, the output being planned itself, or
 * without a readable Application is an error, never an empty comparison.
 */
export function main(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  return exitCodeOfAsync(argv, io, async () => {
    const args = parseArgs(argv, {
      name: 'npm run plan --',
      usage:
        '[--markdown] [--allow-delete <component or CRD>]... [--base <dir>] [--full-report <file>] [--noise <label or annotation key>]... [--charts <folder of .tgz>]... [--nearest] [--offline] [--helm-timeout <seconds>]',
      positionals: 0,
      flags: ['--markdown', '--nearest', '--offline'],
      options: ['--allow-delete', '--base', '--charts', '--full-report', '--helm-timeout', '--noise'],
    });
    const helmTimeout = args.options.get('--helm-timeout')?.at(-1);
    const outdir = io.env.CDK8S_OUTDIR || 'dist';
    const base = args.options.get('--base')?.at(-1);
    const root = io.fs.root;
    let baseCommit: BaseCommit | undefined;
    let before;
    if (base === undefined) {
      baseCommit = mergeBaseCommit(root, outdir);
      before = committedOutput(outdir, root, 'git', baseCommit.commit);
    } else {
      assertNotTheOutput(base, outdir, root);
      before = readOutput(base, '--base', io.fs);
    }
    const baseDir = base ?? `${outdir} (${baseCommit?.commit.slice(0, 12)})`;
    assertComparableBase(before, baseDir);
    const environments = loadAllEnvironments('environments', io.fs);
    const inventories = loadInventories(
      environments.map((env) => env.cluster),
      { root },
    );
    const rendered = renderEnvironments(environments, components, { inventories });

    const plan = planChanges(before, rendered, args.options.get('--allow-delete') ?? []);
    const clusters = [...new Set([...before.keys(), ...rendered.keys()].map((path) => path.split('/')[0]))].sort();
    const details = await renderPlan(
      plan,
      { files: before, inventories: baseInventories(base, clusters, root, baseCommit?.commit), dir: baseDir },
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
    const production = environments.filter((env) => env.clusterSettings.production).map((env) => env.cluster);
    const fullReport = args.options.get('--full-report')?.at(-1);
    const reportOptions: PlanReportOptions = {
      details,
      catalog: components,
      production,
      sides: {
        base: base === undefined ? `\`${outdir}/\` at ${baseCommit?.commit.slice(0, 12)} (${baseCommit?.how})` : `\`${base}\`${commitOf(resolve(root, base))}`,
        head: `the working tree${commitOf(root, ' on ')}`,
      },
      noise: args.options.get('--noise') ?? [],
      context: {
        onePasswordItems: new Map(environments.map((env) => [env.cluster, onePasswordItems(planEnvironment(env, components))])),
        baseOnePasswordItems: new Map(clusters.map((cluster) => [cluster, parseOnePasswordItemsTable(before.get(`${cluster}/${OVERVIEW_FILE}`) ?? '')])),
      },
      ...(fullReport === undefined ? {} : { fullReport: { path: fullReport, ...runLink(io.env) } }),
    };
    if (fullReport !== undefined) {
      const full = formatPlanMarkdown(plan, clusters, outdir, { ...reportOptions, maxChars: Number.POSITIVE_INFINITY, fullReport: undefined });
      writeAtomically(resolve(root, fullReport), full);
    }
    const format = args.flags.has('--markdown') ? formatPlanMarkdown : formatPlanText;
    io.stdout(format(plan, clusters, outdir, reportOptions));
    return planExitCode(plan, details);
  });
}

/**
 * 1 when the change must not merge as it is: an Application or CRD removal
 * not allowed, a protected removal (on its own too), or a rendered diff
 * missing; else 0.
 */
export function planExitCode(plan: Plan, details: PlanDetails): number {
  if (plan.refused.length > 0) return 1;
  if (plan.blocked.length > 0) return 1;
  if (renderProblems(details).length > 0) return 1;
  return blockedCrdRemovals(plan, details).length > 0 ? 1 : 0;
}

/** ` at 1a2b3c4d5e6f` (the commit checked out in `dir`), or nothing outside Git. */
function commitOf(dir: string, prefix = ' at '): string {
  const run = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: existsSync(dir) ? dir : dirname(dir) });
  return run.status === 0 ? `${prefix}${run.stdout.toString('utf8').trim()}` : '';
}

/** The link to the workflow run that keeps the full report, from GitHub Actions' environment. */
function runLink(env: Readonly<Record<string, string | undefined>>): { url?: string } {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = env;
  return server && repository && run ? { url: `${server}/${repository}/actions/runs/${run}` } : {};
}

/**
 * `--base` must be another output than the one being planned: the folder synth
 * just wrote holds the change itself, and comparing it with the change lets
 * every removal through.
 */
function assertNotTheOutput(base: string, outdir: string, root: string): void {
  const real = (path: string): string | undefined => {
    try {
      return realpathSync(resolve(root, path));
    } catch {
      return undefined;
    }
  };
  const [a, b] = [real(base), real(outdir)];
  if (resolve(root, base) === resolve(root, outdir) || (a !== undefined && a === b)) {
    throw new UserError([
      {
        file: base,
        message: `--base is ${outdir}/, the output being planned (synth writes the change there), so every removal would pass unseen; give the base branch's output (e.g. a checkout of it: --base ../base/${outdir})`,
      },
    ]);
  }
}

/** The inventories of the base side: beside `--base`, or as committed at the base commit; none is fine (the head's settings serve). */
function baseInventories(base: string | undefined, clusters: readonly string[], root: string, commit = 'HEAD'): Map<string, Inventory> {
  if (base !== undefined) {
    const dir = join(dirname(resolve(root, base)), INVENTORY_DIR);
    return existsSync(dir) ? loadInventories(clusters, { dir, root }) : new Map();
  }
  const problems: Problem[] = [];
  const inventories = new Map<string, Inventory>();
  for (const [name, text] of committedFolder(INVENTORY_DIR, root, 'git', commit)) {
    const cluster = name.replace(/\.yaml$/, '');
    if (!clusters.includes(cluster) || name === cluster) continue;
    const read = readInventory(`${INVENTORY_DIR}/${name} (${commit.slice(0, 12)})`, text);
    if (Array.isArray(read)) problems.push(...read);
    else inventories.set(cluster, read);
  }
  if (problems.length > 0) throw new UserError(problems);
  return inventories;
}
