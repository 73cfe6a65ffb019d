/**
 * What changed inside one object, field by field: the JSON paths whose values
 * differ, with the old and the new value
 * (`spec.sources[0].targetRevision: 37.0.0 → 37.1.0`). Lists are compared by
 * index, long values are shortened, and a changed text of several lines is
 * shown as a line diff below its path.
 */
import { canonicalJson } from '../inventory/inventory';
import { diffLines, splitLines, unifiedDiff } from './line-diff';

/** One field whose value differs; `before`/`after` undefined: absent on that side. */
export interface FieldChange {
  /** `spec.sources[0].helm.valuesObject.ingress.host`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** How field changes are printed. */
export interface FieldDiffOptions {
  /**
   * Longest value printed; a longer one ends in `…` (a string changed into another string is never cut).
   * @default 80
   */
  readonly maxValue?: number;
}

/** Written for a side where the field is absent. */
export const ABSENT = '(none)';

/** Every field whose value differs between two objects, in document order (keys sorted). */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => fieldChanges(before[key], after[key], joinKey(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) return listChanges(before, after, path);
  if (sameValue(before, after)) return [];
  return [{ path: path === '' ? '(whole object)' : path, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }];
}

/**
 * The changes of a list. Items are matched as a line diff matches lines (an
 * item inserted or removed in the middle does not shift the others): an item
 * only on one side is added or removed whole, at its index on that side, and
 * where as many items were removed as were added in one place, each is
 * compared with its counterpart field by field, at its new index.
 */
function listChanges(before: readonly unknown[], after: readonly unknown[], path: string): FieldChange[] {
  const lines = diffLines(before.map(canonicalJson), after.map(canonicalJson));
  const changes: FieldChange[] = [];
  let i = 0;
  let j = 0;
  for (let k = 0; k < lines.length;) {
    if (lines[k].op === ' ') {
      i++;
      j++;
      k++;
      continue;
    }
    let removed = 0;
    let added = 0;
    while (k < lines.length && lines[k].op !== ' ') {
      if (lines[k].op === '-') removed++;
      else added++;
      k++;
    }
    if (removed === added) {
      for (let n = 0; n < added; n++) changes.push(...fieldChanges(before[i + n], after[j + n], `${path}[${j + n}]`));
    } else {
      for (let n = 0; n < removed; n++) changes.push({ path: `${path}[${i + n}]`, before: before[i + n] });
      for (let n = 0; n < added; n++) changes.push({ path: `${path}[${j + n}]`, after: after[j + n] });
    }
    i += removed;
    j += added;
  }
  return changes;
}

/**
 * A changed text of several lines as the hunks of its line diff (whole lines,
 * never cut), or undefined for any other change.
 */
export function textHunks(change: FieldChange): { readonly header: string; readonly hunks: readonly string[] } | undefined {
  const { before, after } = change;
  if (typeof before === 'string' && typeof after === 'string' && (before.includes('\n') || after.includes('\n'))) {
    return { header: `${change.path}: text of ${lineCount(before)} → ${lineCount(after)} lines:`, hunks: unifiedDiff(before, after, 3) };
  }
  return undefined;
}

/** `path: old → new`, and for a changed multi-line text the whole hunks of its line diff, indented. */
export function formatFieldChange(change: FieldChange, options: FieldDiffOptions = {}): string[] {
  const maxValue = options.maxValue ?? 80;
  const text = textHunks(change);
  if (text !== undefined) return [text.header, ...text.hunks.map((line) => `    ${line}`)];
  // A string changed into another is shown whole: a cut could hide the very difference.
  const whole = typeof change.before === 'string' && typeof change.after === 'string' ? Number.POSITIVE_INFINITY : maxValue;
  return [`${change.path}: ${formatValue(change.before, whole)} → ${formatValue(change.after, whole)}`];
}

/** Every changed field of two objects, formatted. */
export function fieldDiff(before: unknown, after: unknown, options: FieldDiffOptions = {}): string[] {
  return fieldChanges(before, after).flatMap((change) => formatFieldChange(change, options));
}

/**
 * A value as a reviewer reads it: a plain string as it is, unless it would read
 * as something else (empty, spaces at an end, a number, `true` …), then quoted;
 * other values as compact JSON; shortened to `max` characters.
 */
export function formatValue(value: unknown, max = 80): string {
  if (value === undefined) return ABSENT;
  if (typeof value === 'string') {
    const plain = value !== '' && value.trim() === value && !/[\n"]/.test(value) && !/^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null|\(none\))$/.test(value);
    if (value.includes('\n')) return shorten(`${JSON.stringify(value.split('\n')[0])} (${lineCount(value)} lines)`, max);
    return shorten(plain ? value : JSON.stringify(value), max);
  }
  return shorten(JSON.stringify(value), max);
}

/** `text` cut to `max` characters, ending in `…` when cut. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function lineCount(text: string): number {
  return splitLines(text).length;
}

/** `a.b`, or `a["x.y/z"]` for a key that is no plain name. */
function joinKey(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameValue(a[key], b[key]));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  return false;
}
