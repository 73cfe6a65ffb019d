/**
 * An environment file parsed with the `yaml` package, keeping every node's
 * position so that problems found later (by the schema or the semantic checks)
 * can name a line and column.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import { type Problem, quoted } from '../core/user-error';

/** A 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** What a position should point at: the value at a path, or the key that holds it. */
export type Target = 'value' | 'key';

/** A parsed environment file. */
export interface YamlSource {
  /** Path of the file, as given. */
  readonly file: string;
  /** Syntax problems; when there are any, `data` is not to be trusted. */
  readonly problems: readonly Problem[];
  /** The document as plain data (`undefined` after syntax problems). */
  readonly data: unknown;
  /** True when the document holds nothing but comments or whitespace. */
  readonly empty: boolean;
  /** Position of the node at a JSON Pointer, or of its deepest existing ancestor. */
  position(pointer: string, target?: Target): Position;
  /** The scalar at a JSON Pointer as written in the file (e.g. `1.10`, not `1.1`). */
  sourceText(pointer: string): string | undefined;
}

/** Splits a JSON Pointer into unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Appends one segment to a JSON Pointer, escaping it. */
export function childPointer(pointer: string, segment: string | number): string {
  return `${pointer}/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Parses `text` as one YAML document. Never throws for bad input. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  // Duplicate keys are found below in one pass: the parser's own check compares each key with
  // every earlier one of its mapping, which takes minutes for a mapping of 32,000 keys.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const syntax = (offset: number, message: string): Problem => ({ file, ...at(offset), message: `invalid YAML: ${message}` });

  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((error) => syntax(error.pos[0], firstLine(error.message)));
  problems.push(...duplicateKeys(doc, at).map(({ offset, message }) => syntax(offset, message)));
  problems.push(...aliasProblems(doc).map(({ offset, message }) => syntax(offset, message)));

  let data: unknown;
  if (problems.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      problems.push(syntax(0, firstLine(error instanceof Error ? error.message : String(error))));
    }
  }

  // Each mapping is indexed by key once, so that looking up one position per problem stays
  // linear in the size of the file however many problems there are (32,000 unknown keys).
  const indexes = new WeakMap<object, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = indexes.get(map);
    if (index === undefined) {
      index = new Map();
      for (const item of map.items) {
        const text = keyText(item.key);
        if (!index.has(text)) index.set(text, item);
      }
      indexes.set(map, index);
    }
    return index.get(key);
  };

  const walk = (pointer: string): { node: Node | null | undefined; pair: Pair | undefined } => {
    let node: Node | null | undefined = doc.contents;
    let pair: Pair | undefined;
    for (const segment of pointerSegments(pointer)) {
      const resolved: unknown = isAlias(node) ? node.resolve(doc) : node;
      let next: unknown;
      if (isMap(resolved)) {
        next = pairOf(resolved, segment);
      } else if (isSeq(resolved)) {
        next = resolved.items[Number(segment)];
      }
      if (isPair(next)) {
        pair = next;
        node = next.value as Node | null;
      } else if (next !== undefined && next !== null) {
        pair = undefined;
        node = next as Node;
      } else {
        break;
      }
    }
    return { node, pair };
  };

  return {
    file,
    problems,
    data,
    empty: doc.contents === null,
    position(pointer, target = 'value') {
      const { node, pair } = walk(pointer);
      const keyNode = isPair(pair) ? (pair.key as Node | null) : null;
      const valueStart = node?.range?.[0];
      if (target === 'key' && keyNode?.range) {
        return at(keyNode.range[0]);
      }
      // An empty value (`key:` and nothing after it) has no place of its own.
      if (valueStart === undefined || (node?.range && node.range[0] === node.range[1] && keyNode?.range)) {
        return keyNode?.range ? at(keyNode.range[0]) : { line: 1, column: 1 };
      }
      return at(valueStart);
    },
    sourceText(pointer) {
      const { node } = walk(pointer);
      return isScalar(node) && node.range ? text.slice(node.range[0], node.range[1]).trim() : undefined;
    },
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** Every key written twice in one mapping: `duplicate key "x" (first on line 3)`, at the second one. */
function duplicateKeys(doc: Document, at: (offset: number) => Position): { offset: number; message: string }[] {
  const problems: { offset: number; message: string }[] = [];
  visit(doc, {
    Map(_, map) {
      const first = new Map<string, Pair>();
      for (const item of map.items) {
        if (!isScalar(item.key)) continue; // a mapping or a list as a key is never equal to another
        const id = `${typeof item.key.value}:${String(item.key.value)}`;
        const earlier = first.get(id);
        if (earlier === undefined) {
          first.set(id, item);
          continue;
        }
        const firstStart = isScalar(earlier.key) ? earlier.key.range?.[0] : undefined;
        problems.push({
          offset: item.key.range?.[0] ?? 0,
          message: `duplicate key ${quoted(keyText(item.key))}` + (firstStart === undefined ? '' : ` (first on line ${at(firstStart).line})`),
        });
      }
    },
  });
  return problems;
}

/** Aliases to a missing anchor, or to a collection that contains the alias itself. */
function aliasProblems(doc: Document): { offset: number; message: string }[] {
  const problems: { offset: number; message: string }[] = [];
  visit(doc, {
    Alias(_, alias, path) {
      const offset = alias.range?.[0] ?? 0;
      const target = alias.resolve(doc);
      if (target === undefined) {
        problems.push({ offset, message: `alias *${alias.source} refers to no anchor before it` });
      } else if (isCollection(target) && path.includes(target)) {
        problems.push({ offset, message: `alias *${alias.source} refers to a node that contains it` });
      }
    },
  });
  return problems;
}
