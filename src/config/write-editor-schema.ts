/**
 * The text of `environments/environment.schema.json`, the schema copy that
 * editors read through each environment file's modeline. A test compares it
 * with the committed file, so a stale copy fails the build.
 *
 * The copy says more than the validator's schema, in the forms editors check:
 * every custom `format` also as a `pattern` (yaml-language-server ignores
 * formats it does not know), and the component ids as an `enum` with one
 * described property each, so an editor completes and checks them. Synth checks
 * the same things itself (with did-you-mean hints), from the same sources.
 */
import { FORMAT_PATTERNS } from './_format-patterns';
import type { FormatName } from './formats';
import { editorSchema } from './schema';

/** Path of the committed editor schema, relative to the repository root. */
export const EDITOR_SCHEMA_PATH = 'environments/environment.schema.json';

/** What the editor schema needs to know of a catalog entry. */
export interface SchemaComponent {
  readonly id: string;
  readonly description: string;
}

type Node = { [key: string]: unknown };

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of a schema node with a `pattern` beside every custom `format`. */
function withPatterns(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(withPatterns);
  }
  if (!isNode(node)) {
    return node;
  }
  const copy: Node = {};
  for (const [key, value] of Object.entries(node)) {
    copy[key] = withPatterns(value);
    if (key === 'format' && typeof value === 'string' && value in FORMAT_PATTERNS) {
      copy.pattern = FORMAT_PATTERNS[value as FormatName];
    }
  }
  return copy;
}

/**
 * The editor schema for a catalog: the environment schema as draft-07 JSON,
 * with patterns, and `components` keyed by the catalog's ids (sorted).
 */
export function editorSchemaFor(components: readonly SchemaComponent[]): Node {
  const schema = withPatterns(editorSchema()) as Node;
  const properties = schema.properties as Node;
  const { components: overrides, ...others } = properties;
  if (!isNode(overrides) || !isNode(overrides.additionalProperties)) {
    throw new Error('the environment schema has no components map');
  }
  const sorted = [...components].sort((a, b) => a.id.localeCompare(b.id));
  const { additionalProperties: override, propertyNames: _names, required: _required, ...rest } = overrides;
  return {
    ...schema,
    properties: {
      ...others,
      components: {
        ...rest,
        propertyNames: { enum: sorted.map((c) => c.id) },
        properties: Object.fromEntries(sorted.map((c) => [c.id, { $ref: '#/definitions/componentOverride', description: c.description }])),
        additionalProperties: false,
      },
    },
    definitions: { componentOverride: override },
  };
}

/** The editor schema as stable JSON: 2-space indent, trailing newline. */
export function renderEditorSchema(components: readonly SchemaComponent[]): string {
  return `${JSON.stringify(editorSchemaFor(components), null, 2)}\n`;
}
