import { type CommandIo, exitCodeOf, parseArgs, processIo } from './commands/_cli';
import { EDITOR_SCHEMA_PATH, renderEditorSchema } from './config/write-editor-schema';

/** `npm run schema`: rewrites the JSON Schema copy that editors read through each environment file's modeline. */
export function main(argv: readonly string[], io: CommandIo = processIo()): number {
  return exitCodeOf(argv, io, () => {
    parseArgs(argv, { name: 'npm run schema', usage: '', positionals: 0 });
    io.fs.write(EDITOR_SCHEMA_PATH, renderEditorSchema());
    io.stdout(`${EDITOR_SCHEMA_PATH} written\n`);
    return 0;
  });
}
