/**
 * A line diff and its unified form (`@@ -12,7 +12,8 @@`), for showing reviewers
 * what changes in a rendered object.
 *
 * The edit script comes from the `diff` package (jsdiff's `diffArrays`, Myers'
 * O(ND) algorithm): the fewest lines deleted plus inserted. Lines common to
 * both ends are taken off first; when the rest needs more than
 * {@link MAX_EDITS} edits (a rewritten file), it is shown as all of the old
 * lines deleted and all of the new ones inserted, which is still a correct
 * diff, only not the shortest. The hunks are written here, as `diff -u` and
 * Git write them.
 */
import { diffArrays } from 'diff';

/** One line of a diff: kept (` `), deleted (`-`) or inserted (`+`). */
export interface DiffLine {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

/** Edits beyond which the middle of two texts is shown as replaced whole (the search keeps O(D²) memory). */
export const MAX_EDITS = 3000;

/**
 * A shortest edit script from `before` to `after`: every line of both, in
 * order, each kept, deleted or inserted. Within a changed block, deletions come
 * before insertions, as `diff -u` prints them.
 */
export function diffLines(before: readonly string[], after: readonly string[], maxEdits = MAX_EDITS): DiffLine[] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  const kept = (lines: readonly string[]): DiffLine[] => lines.map((text) => ({ op: ' ', text }));
  return [...kept(before.slice(0, start)), ...middle(before.slice(start, endBefore), after.slice(start, endAfter), maxEdits), ...kept(before.slice(endBefore))];
}

/** The edit script of the lines that differ, deletions before insertions in each changed block. */
function middle(a: readonly string[], b: readonly string[], maxEdits: number): DiffLine[] {
  const replaced = (): DiffLine[] => [...a.map((text): DiffLine => ({ op: '-', text })), ...b.map((text): DiffLine => ({ op: '+', text }))];
  if (a.length === 0 || b.length === 0) return replaced();
  const changes = diffArrays([...a], [...b], { maxEditLength: maxEdits });
  if (changes === undefined) return replaced();
  const script: DiffLine[] = [];
  for (const change of changes) {
    const op = change.added ? '+' : change.removed ? '-' : ' ';
    for (const text of change.value) script.push({ op, text });
  }
  return deletionsFirst(script);
}

/** Each run of changed lines with its deletions before its insertions. */
function deletionsFirst(lines: readonly DiffLine[]): DiffLine[] {
  const result: DiffLine[] = [];
  for (let i = 0; i < lines.length;) {
    if (lines[i].op === ' ') {
      result.push(lines[i++]);
      continue;
    }
    const run: DiffLine[] = [];
    while (i < lines.length && lines[i].op !== ' ') run.push(lines[i++]);
    result.push(...run.filter((line) => line.op === '-'), ...run.filter((line) => line.op === '+'));
  }
  return result;
}

/** A unified diff of two texts (split into lines), `context` lines around each change; empty when they are equal. */
export function unifiedDiff(before: string, after: string, context = 3): string[] {
  return unifiedHunks(diffLines(splitLines(before), splitLines(after)), context);
}

/** The lines of a text, without the empty string a final newline would leave. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Hunks of a diff in unified format: `@@ -<old start>,<old count> +<new start>,<new count> @@`
 * (a count of 1 left out, an empty range numbered by the line before it, as
 * `diff -u` and git write them), then each line prefixed with its op.
 * Changes closer than 2 × `context` kept lines share a hunk.
 */
export function unifiedHunks(lines: readonly DiffLine[], context = 3): string[] {
  const changed = lines.flatMap((line, i) => (line.op === ' ' ? [] : [i]));
  if (changed.length === 0) return [];
  const out: string[] = [];
  // Line numbers before each position: oldBefore[i] lines of the old text precede lines[i].
  const oldBefore: number[] = [];
  const newBefore: number[] = [];
  let oldCount = 0;
  let newCount = 0;
  for (const line of lines) {
    oldBefore.push(oldCount);
    newBefore.push(newCount);
    if (line.op !== '+') oldCount++;
    if (line.op !== '-') newCount++;
  }
  oldBefore.push(oldCount);
  newBefore.push(newCount);
  for (let c = 0; c < changed.length;) {
    const first = Math.max(0, changed[c] - context);
    let lastChange = changed[c];
    while (c + 1 < changed.length && changed[c + 1] - lastChange <= 2 * context) lastChange = changed[++c];
    c++;
    const end = Math.min(lines.length, lastChange + context + 1);
    const oldLength = oldBefore[end] - oldBefore[first];
    const newLength = newBefore[end] - newBefore[first];
    out.push(`@@ -${range(oldBefore[first], oldLength)} +${range(newBefore[first], newLength)} @@`);
    for (let i = first; i < end; i++) out.push(`${lines[i].op}${lines[i].text}`);
  }
  return out;
}

function range(before: number, length: number): string {
  if (length === 1) return String(before + 1);
  return `${length === 0 ? before : before + 1},${length}`;
}
