import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** How a command ended. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** This repository. */
export const REPO = resolve('.');

/**
 * Runs an entry point as its npm script does (`node scripts/run.mjs <entry> ...`), in
 * `cwd`, with `CDK8S_OUTDIR` cleared so the output folder is `dist/` of `cwd`.
 */
export async function runEntry(
  entry: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly repo?: string; readonly env?: NodeJS.ProcessEnv },
): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(options.repo ?? REPO, 'scripts/run.mjs'), entry, ...args], {
      cwd: options.cwd,
      env: { ...process.env, CDK8S_OUTDIR: '', ...options.env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
