import { type CommandIo, exitCodeOf, parseArgs, processIo } from './commands/cli';
import { GENERATED_VALIDATOR_PATH, renderEnvironmentValidator } from './config/schema';
import { EDITOR_SCHEMA_PATH, renderEditorSchema } from './config/write-editor-schema';
import { RENOVATE_CONFIG_PATH, withEnvironmentOverrideRules } from './docs-gen/renovate';
import { components } from './platform/index';

/**
 * `npm run schema`: rewrites what is derived from `src/config/schema.ts` and the
 * catalog: the JSON Schema copy that editors read through each environment
 * file's modeline, the validator synth loads (ajv standalone code), and the
 * package rules that tell Renovate which chart a `components.<id>.version`
 * override is.
 */
export function main(argv: readonly string[], io: CommandIo = processIo()): number {
  return exitCodeOf(argv, io, () => {
    parseArgs(argv, { name: 'npm run schema', usage: '', positionals: 0 });
    io.fs.write(EDITOR_SCHEMA_PATH, renderEditorSchema(components));
    io.stdout(`${EDITOR_SCHEMA_PATH} written\n`);
    io.fs.write(GENERATED_VALIDATOR_PATH, renderEnvironmentValidator());
    io.stdout(`${GENERATED_VALIDATOR_PATH} written\n`);
    const renovate = io.fs.read(RENOVATE_CONFIG_PATH, 1024 * 1024);
    const updated = withEnvironmentOverrideRules(renovate, components);
    if (updated !== renovate) io.fs.write(RENOVATE_CONFIG_PATH, updated);
    io.stdout(`${RENOVATE_CONFIG_PATH} ${updated === renovate ? 'is current' : 'rules updated'}\n`);
    return 0;
  });
}
