import type { CommandIo } from '../../src/commands/cli';
import { type FileSystem, nodeFileSystem } from '../../src/core/file-system';
import type { Run } from './run-entry';

/** An entry's `main` (synth's, plan's, …). */
export type Main = (argv: readonly string[], io: CommandIo) => number;

/**
 * Runs a command in this process as its npm script would, in the folder `root`
 * (or on `fs`), with `env` as its environment variables (`CDK8S_OUTDIR` unset
 * unless given), and returns its exit code and output.
 */
export function runMain(
  main: Main,
  argv: readonly string[],
  options: { readonly root?: string; readonly fs?: FileSystem; readonly env?: Record<string, string> } = {},
): Run {
  const { io, output } = capturedIo(options);
  const code = main(argv, io);
  return { code, ...output() };
}

/** A command's input and output: `fs` (or the folder `root`), `env`, and what it prints, kept. */
function capturedIo(options: { readonly root?: string; readonly fs?: FileSystem; readonly env?: Record<string, string> }): {
  io: CommandIo;
  output: () => { stdout: string; stderr: string };
} {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    fs: options.fs ?? nodeFileSystem(options.root ?? process.cwd()),
    env: options.env ?? {},
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  };
  return { io, output: () => ({ stdout, stderr }) };
}

/** An entry's `main` that waits for something (render, crds). */
export type AsyncMain = (argv: readonly string[], io: CommandIo) => Promise<number>;

/** {@link runMain} for an entry whose `main` returns a promise. */
export function runAsyncMain(
  main: AsyncMain,
  argv: readonly string[],
  options: { readonly root?: string; readonly env?: Record<string, string> } = {},
): Promise<Run> {
  return runAnyMain(main, argv, options);
}

/** Runs an entry's `main`, whether it returns the exit code or a promise of it. */
export async function runAnyMain(
  main: Main | AsyncMain,
  argv: readonly string[],
  options: { readonly root?: string; readonly env?: Record<string, string> } = {},
): Promise<Run> {
  const { io, output } = capturedIo(options);
  const code = await main(argv, io);
  return { code, ...output() };
}
