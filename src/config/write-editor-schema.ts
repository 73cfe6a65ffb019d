/**
 * The text of `environments/environment.schema.json`, the schema copy that
 * editors read through each environment file's modeline. A test compares it
 * with the committed file, so a stale copy fails the build.
 */
import { editorSchema } from './schema';

/** Path of the committed editor schema, relative to the repository root. */
export const EDITOR_SCHEMA_PATH = 'environments/environment.schema.json';

/** The editor schema as stable JSON: 2-space indent, trailing newline. */
export function renderEditorSchema(): string {
  return `${JSON.stringify(editorSchema(), null, 2)}\n`;
}
