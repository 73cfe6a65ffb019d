import { readFileSync, writeFileSync } from 'node:fs';
import { EDITOR_SCHEMA_PATH, renderEditorSchema } from './config/write-editor-schema';
import { RENOVATE_CONFIG_PATH, withEnvironmentOverrideRules } from './output/renovate';
import { components } from './platform/index';

/**
 * `npm run schema`: rewrites what describes environment files to tools, both
 * derived from `src/config/schema.ts` and the catalog: the JSON Schema copy
 * that editors read through each environment file's modeline, and the package
 * rules that tell Renovate which chart a `components.<id>.version` override is.
 */
writeFileSync(EDITOR_SCHEMA_PATH, renderEditorSchema(components));
process.stdout.write(`${EDITOR_SCHEMA_PATH} written\n`);
const renovate = readFileSync(RENOVATE_CONFIG_PATH, 'utf8');
const updated = withEnvironmentOverrideRules(renovate, components);
if (updated !== renovate) writeFileSync(RENOVATE_CONFIG_PATH, updated);
process.stdout.write(`${RENOVATE_CONFIG_PATH} ${updated === renovate ? 'is current' : 'rules updated'}\n`);
