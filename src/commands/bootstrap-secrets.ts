import { bootstrapSecretsScript } from '../output/bootstrap-secrets';
import { loadAllEnvironments, parseArgs, runCommand, selectEnvironment } from './_cli';

/** `npm run bootstrap-secrets -- <cluster>`: prints the commands that create Connect's Secrets. */
const argv = process.argv.slice(2);
runCommand(argv, () => {
  const { positionals } = parseArgs(argv, { name: 'npm run bootstrap-secrets --', usage: '<cluster>', positionals: 1 });
  process.stdout.write(bootstrapSecretsScript(selectEnvironment(loadAllEnvironments(), positionals[0])));
  return 0;
});
