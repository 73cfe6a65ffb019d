import { bootstrapSecretsScript } from '../docs-gen/bootstrap-secrets';
import { type CommandIo, exitCodeOf, loadAllEnvironments, parseArgs, processIo, selectEnvironment } from './cli';

/** `npm run bootstrap-secrets -- <cluster>`: prints the commands that create Connect's Secrets. */
export function main(argv: readonly string[], io: CommandIo = processIo()): number {
  return exitCodeOf(argv, io, () => {
    const { positionals } = parseArgs(argv, { name: 'npm run bootstrap-secrets --', usage: '<cluster>', positionals: 1 });
    io.stdout(bootstrapSecretsScript(selectEnvironment(loadAllEnvironments('environments', io.fs), positionals[0])));
    return 0;
  });
}
