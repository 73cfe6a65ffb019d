import { UserError } from '../core/user-error';
import { readInventoriesLocked, readLocked, readTree, withoutMarker } from '../synth/write';
import { formatFinding } from '../validate/finding';
import { POLICY_RULES } from '../validate/rules/index';
import { defaultSources, validateFiles } from '../validate/validate';
import { type CommandIo, exitCodeOf, loadAllEnvironments, parseArgs, processIo } from './cli';

/**
 * `npm run validate [-- --dir <folder>] [--crds <file or folder>]… [--environments <folder>] [--json]`:
 * checks the rendered output (`dist/`) against the CRD schemas and the policy rules; exit 1 on any finding.
 */
export function main(argv: readonly string[], io: CommandIo = processIo()): number {
  return exitCodeOf(argv, io, () => {
    const args = parseArgs(argv, {
      name: 'npm run validate --',
      usage: '[--dir <output folder>] [--crds <CRD file or folder>]... [--environments <folder>] [--json]',
      positionals: 0,
      flags: ['--json'],
      options: ['--dir', '--crds', '--environments'],
    });
    const dir = args.options.get('--dir')?.at(-1) ?? (io.env.CDK8S_OUTDIR || 'dist');
    const environments = loadAllEnvironments(args.options.get('--environments')?.at(-1), io.fs);
    // Under synth's lock: the folder as one synth wrote it, never half of a swap.
    const files = withoutMarker(readLocked(dir, () => readTree(dir, io.fs), { fs: io.fs }));
    if (files.size === 0) throw new UserError([{ file: dir, message: 'no rendered files; run `npm run synth` first' }]);
    const sources = defaultSources();
    const inventories = readInventoriesLocked(
      environments.map((env) => env.cluster),
      io.fs,
    );
    const findings = validateFiles(files, { ...sources, crds: args.options.get('--crds') ?? sources.crds, shownDir: dir, environments, inventories });
    if (args.flags.has('--json')) {
      io.stdout(`${JSON.stringify({ findings }, null, 2)}\n`);
    } else if (findings.length > 0) {
      io.stdout(`${findings.map(formatFinding).join('\n')}\n`);
      io.stderr(`${findings.length} finding(s) in ${dir}/\n`);
    } else {
      io.stdout(`${dir}/ is valid: ${files.size} files against their schemas and ${POLICY_RULES.length} policy rules\n`);
    }
    return findings.length > 0 ? 1 : 0;
  });
}
