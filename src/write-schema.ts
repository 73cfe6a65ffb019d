import { writeFileSync } from 'node:fs';
import { EDITOR_SCHEMA_PATH, renderEditorSchema } from './config/write-editor-schema';

/** `npm run schema`: rewrites the JSON Schema copy that editors read through each environment file's modeline. */
writeFileSync(EDITOR_SCHEMA_PATH, renderEditorSchema());
process.stdout.write(`${EDITOR_SCHEMA_PATH} written\n`);
