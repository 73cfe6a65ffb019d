import { loadInventories } from '../config/inventory';
import { components } from '../platform/index';
import { committedOutput } from '../output/committed';
import { planChanges } from '../output/plan';
import { formatPlanMarkdown, formatPlanText } from '../output/plan-report';
import { renderEnvironments } from '../output/render';
import { readOutput } from '../output/write';
import { type CommandIo, exitCodeOf, loadAllEnvironments, parseArgs, processIo } from './_cli';

/**
 * `npm run plan [-- --markdown] [--allow-delete <name>]… [--base <dir>]`: renders in
 * memory, compares with what Argo CD syncs now, lists what changes by cluster and
 * wave, and exits 1 when an Application would be removed without `--allow-delete`,
 * or a protected one would be removed at all.
 *
 * What Argo CD syncs now is the output folder as committed at `HEAD` (read with
 * Git, so a synth since the last commit does not hide a removal), or `--base`.
 * It fails closed: a base that is missing, empty, not a folder or not this
 * project's output is an error, never an empty comparison.
 */
export function main(argv: readonly string[], io: CommandIo = processIo()): number {
  return exitCodeOf(argv, io, () => {
    const args = parseArgs(argv, {
      name: 'npm run plan --',
      usage: '[--markdown] [--allow-delete <component>]... [--base <dir>]',
      positionals: 0,
      flags: ['--markdown'],
      options: ['--allow-delete', '--base'],
    });
    const outdir = io.env.CDK8S_OUTDIR || 'dist';
    const base = args.options.get('--base')?.at(-1);
    const before = base === undefined ? committedOutput(outdir, io.fs.root) : readOutput(base, '--base', io.fs);
    const environments = loadAllEnvironments('environments', io.fs);
    const inventories = loadInventories(environments.map((env) => env.cluster), { root: io.fs.root });
    const rendered = renderEnvironments(environments, components, { inventories });
    const plan = planChanges(before, rendered, args.options.get('--allow-delete') ?? []);
    const clusters = [...new Set([...before.keys(), ...rendered.keys()].map((path) => path.split('/')[0]))].sort();
    const format = args.flags.has('--markdown') ? formatPlanMarkdown : formatPlanText;
    io.stdout(format(plan, clusters, outdir));
    return plan.blocked.length > 0 || plan.refused.length > 0 ? 1 : 0;
  });
}
