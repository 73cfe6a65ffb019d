/**
 * What an Application tells Argo CD to leave alone (`spec.ignoreDifferences`
 * with `RespectIgnoreDifferences=true`), applied to both sides of a rendered
 * object before they are compared, as Argo CD normalises them
 * (`util/argo/normalizers/diff_normalizer.go`, `NewIgnoreNormalizer` and
 * `Normalize` in argo-cd v3.5.1):
 *
 * - an entry matches an object by group and kind (globs: `*` matches any run
 *   of characters) and, when set, by name and namespace;
 * - each JSON pointer is a JSON-patch `remove` (a pointer that is not there
 *   leaves the object as it is);
 * - each jq path expression runs as `del(<expression>)`. The plan evaluates
 *   the path subset Argo CD's documentation and this catalog use (see
 *   {@link jqPaths}); an expression beyond it is reported, never skipped
 *   silently;
 * - `managedFieldsManagers` name field managers of the live object, which a
 *   render does not have: the plan says so in a note and compares those fields.
 */
/** One `spec.ignoreDifferences` entry of an Application. */
export interface IgnoreRule {
  readonly group?: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly jsonPointers?: readonly string[];
  readonly jqPathExpressions?: readonly string[];
  readonly managedFieldsManagers?: readonly string[];
}

/** The ignore rules of an Application and whether syncs respect them. */
export interface IgnoreSettings {
  readonly rules: readonly IgnoreRule[];
  /** `RespectIgnoreDifferences=true`: a sync leaves the ignored fields of an existing object as they are. */
  readonly respected: boolean;
}

/** An Application's ignore settings. */
export function ignoreSettingsOf(application: Readonly<Record<string, unknown>> | undefined): IgnoreSettings {
  const spec = (application?.spec ?? {}) as { ignoreDifferences?: unknown; syncPolicy?: { syncOptions?: unknown } };
  const rules = Array.isArray(spec.ignoreDifferences) ? (spec.ignoreDifferences as IgnoreRule[]).filter((rule) => typeof rule?.kind === 'string') : [];
  const options = Array.isArray(spec.syncPolicy?.syncOptions) ? (spec.syncPolicy.syncOptions as unknown[]) : [];
  return { rules, respected: options.includes('RespectIgnoreDifferences=true') };
}

/** Argo CD's glob (`util/glob`): `*` any run of characters, `?` one; an empty pattern matches anything. */
function globMatch(pattern: string | undefined, value: string): boolean {
  if (pattern === undefined || pattern === '') return true;
  if (!/[*?[]/.test(pattern)) return pattern === value;
  const source = pattern
    .replace(/[.+^${}()|\\\]]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

/** The result of normalising one object. */
export interface Normalised {
  readonly object: Record<string, unknown>;
  /** Rule expressions that removed something (`/data/tls.crt`). */
  readonly applied: readonly string[];
  /** Why a rule could not be applied, one line each. */
  readonly problems: readonly string[];
}

/**
 * The object with every field the rules ignore removed.
 *
 * @param namespace the namespace Argo CD applies the object in (absent: cluster-scoped)
 */
export function normalise(object: Readonly<Record<string, unknown>>, namespace: string | undefined, rules: readonly IgnoreRule[]): Normalised {
  const apiVersion = String(object.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const kind = String(object.kind ?? '');
  const name = String((object.metadata as { name?: unknown } | undefined)?.name ?? '');
  let result = structuredClone(object) as Record<string, unknown>;
  const applied: string[] = [];
  const problems: string[] = [];
  for (const rule of rules) {
    if (!globMatch(rule.group, group) || !globMatch(rule.kind, kind)) continue;
    if (rule.name !== undefined && rule.name !== '' && rule.name !== name) continue;
    if (rule.namespace !== undefined && rule.namespace !== '' && rule.namespace !== (namespace ?? '')) continue;
    for (const pointer of rule.jsonPointers ?? []) {
      if (removePointer(result, pointer)) applied.push(pointer);
    }
    for (const expression of rule.jqPathExpressions ?? []) {
      try {
        const paths = jqPaths(expression, result);
        if (paths.length > 0) {
          result = deletePaths(result, paths) as Record<string, unknown>;
          applied.push(expression);
        }
      } catch (error) {
        problems.push(`ignoreDifferences jq path \`${expression}\` on ${kind} ${name}: ${(error as Error).message}; the field is compared`);
      }
    }
    if ((rule.managedFieldsManagers ?? []).length > 0) {
      problems.push(
        `ignoreDifferences managedFieldsManagers (${(rule.managedFieldsManagers ?? []).join(', ')}) on ${kind} ${name} name managers of the live object, which a render does not have; those fields are compared`,
      );
    }
  }
  return { object: result, applied, problems };
}

/** Removes what a JSON pointer (RFC 6901) points at; false when nothing is there. */
function removePointer(object: Record<string, unknown>, pointer: string): boolean {
  if (pointer === '' || !pointer.startsWith('/')) return false;
  const tokens = pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = object;
  for (const token of tokens.slice(0, -1)) {
    node = child(node, token);
    if (node === undefined) return false;
  }
  const last = tokens[tokens.length - 1];
  if (Array.isArray(node)) {
    const index = /^(0|[1-9]\d*)$/.test(last) ? Number(last) : -1;
    if (index < 0 || index >= node.length) return false;
    node.splice(index, 1);
    return true;
  }
  if (node !== null && typeof node === 'object' && Object.hasOwn(node, last)) {
    delete (node as Record<string, unknown>)[last];
    return true;
  }
  return false;
}

function child(node: unknown, token: string): unknown {
  if (Array.isArray(node)) return /^(0|[1-9]\d*)$/.test(token) ? node[Number(token)] : undefined;
  if (node !== null && typeof node === 'object') return (node as Record<string, unknown>)[token];
  return undefined;
}

/** A path into a JSON document, as jq's `path()` gives it. */
export type JqPath = readonly (string | number)[];

type Step =
  | { readonly type: 'key'; readonly key: string; readonly optional: boolean }
  | { readonly type: 'index'; readonly index: number; readonly optional: boolean }
  | { readonly type: 'iterate'; readonly optional: boolean }
  | { readonly type: 'select'; readonly condition: Condition };

type Condition =
  | { readonly type: 'compare'; readonly path: readonly Step[]; readonly op: '==' | '!='; readonly value: unknown }
  | { readonly type: 'truthy'; readonly path: readonly Step[] }
  | { readonly type: 'and' | 'or'; readonly left: Condition; readonly right: Condition };

/**
 * The paths a jq path expression selects in `document`, for `del()`.
 *
 * Supported (what Argo CD's documentation and real Applications use): a path
 * of `.name`, `."name"`, `.["name"]`, `[n]`, `[]`, each optionally followed by
 * `?`; `| select(<condition>)` after any step, where a condition is a path
 * compared with `==` or `!=` to a JSON literal, a path alone (truthiness),
 * or conditions joined with `and` / `or`; and `| <path>` to go on from the
 * selected values. Errors are jq's: `.name` on a number or string,
 * `[]` on null or a scalar (without `?`).
 *
 * @throws Error for an expression outside the subset, or one jq would fail on
 */
export function jqPaths(expression: string, document: unknown): JqPath[] {
  const steps = new JqParser(expression).parse();
  return walk(document, steps, []).map((found) => found.path);
}

class JqParser {
  private at = 0;
  constructor(private readonly text: string) {}

  parse(): Step[] {
    const steps = this.path(true);
    this.space();
    if (this.at < this.text.length) this.fail(`unexpected \`${this.text.slice(this.at, this.at + 12)}\``);
    return steps;
  }

  private fail(message: string): never {
    throw new Error(`${message} at character ${this.at + 1} (the plan evaluates paths, [], ?, select(path ==|!= literal), and, or)`);
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  private eat(token: string): boolean {
    this.space();
    if (this.text.startsWith(token, this.at)) {
      this.at += token.length;
      return true;
    }
    return false;
  }

  /** A path with pipes and selects; `top`: the whole expression (pipes allowed). */
  private path(top: boolean): Step[] {
    const steps: Step[] = [];
    this.space();
    if (this.text[this.at] !== '.') this.fail('expected a path starting with `.`');
    for (;;) {
      this.space();
      const c = this.text[this.at];
      if (c === '.') {
        this.at++;
        const next = this.text[this.at];
        if (next === '"') steps.push({ type: 'key', key: this.string(), optional: this.optional() });
        else if (next === '[') continue;
        else if (/[A-Za-z_]/.test(next ?? '')) {
          const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.at)) as RegExpExecArray;
          this.at += match[0].length;
          steps.push({ type: 'key', key: match[0], optional: this.optional() });
        } else if (steps.length > 0) this.fail('expected a name after `.`');
      } else if (c === '[') {
        this.at++;
        this.space();
        if (this.eat(']')) steps.push({ type: 'iterate', optional: this.optional() });
        else if (this.text[this.at] === '"') {
          const key = this.string();
          if (!this.eat(']')) this.fail('expected `]`');
          steps.push({ type: 'key', key, optional: this.optional() });
        } else {
          const match = /^-?\d+/.exec(this.text.slice(this.at));
          if (match === null) this.fail('expected a number, a string or `]`');
          this.at += match[0].length;
          if (!this.eat(']')) this.fail('expected `]`');
          steps.push({ type: 'index', index: Number(match[0]), optional: this.optional() });
        }
      } else if (top && c === '|') {
        this.at++;
        this.space();
        if (this.text.startsWith('select', this.at)) {
          this.at += 'select'.length;
          if (!this.eat('(')) this.fail('expected `(` after select');
          steps.push({ type: 'select', condition: this.condition() });
          if (!this.eat(')')) this.fail('expected `)`');
        } else if (this.text[this.at] !== '.') this.fail('expected `select(...)` or a path after `|`');
      } else {
        return steps;
      }
    }
  }

  private optional(): boolean {
    if (this.text[this.at] === '?') {
      this.at++;
      return true;
    }
    return false;
  }

  private string(): string {
    const match = /^"(?:[^"\\]|\\.)*"/.exec(this.text.slice(this.at));
    if (match === null) this.fail('expected a string');
    this.at += match[0].length;
    return JSON.parse(match[0]) as string;
  }

  private condition(): Condition {
    let left = this.comparison();
    for (;;) {
      if (this.eat('and ')) left = { type: 'and', left, right: this.comparison() };
      else if (this.eat('or ')) left = { type: 'or', left, right: this.comparison() };
      else return left;
    }
  }

  private comparison(): Condition {
    const path = this.path(false);
    this.space();
    for (const op of ['==', '!='] as const) {
      if (this.eat(op)) return { type: 'compare', path, op, value: this.literal() };
    }
    return { type: 'truthy', path };
  }

  private literal(): unknown {
    this.space();
    const match = /^("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(this.text.slice(this.at));
    if (match === null) this.fail('expected a JSON literal');
    this.at += match[0].length;
    return JSON.parse(match[0]);
  }
}

interface Found {
  readonly path: JqPath;
  readonly value: unknown;
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;
}

function walk(value: unknown, steps: readonly Step[], path: JqPath): Found[] {
  let current: Found[] = [{ path, value }];
  for (const step of steps) {
    const next: Found[] = [];
    for (const found of current) {
      const v = found.value;
      switch (step.type) {
        case 'key':
          if (v === null || v === undefined) next.push({ path: [...found.path, step.key], value: null });
          else if (typeof v === 'object' && !Array.isArray(v))
            next.push({ path: [...found.path, step.key], value: (v as Record<string, unknown>)[step.key] ?? null });
          else if (!step.optional) throw new Error(`cannot index ${typeName(v)} with "${step.key}"`);
          break;
        case 'index':
          if (v === null || v === undefined) next.push({ path: [...found.path, step.index], value: null });
          else if (Array.isArray(v)) {
            const index = step.index < 0 ? v.length + step.index : step.index;
            next.push({ path: [...found.path, index], value: v[index] ?? null });
          } else if (!step.optional) throw new Error(`cannot index ${typeName(v)} with number`);
          break;
        case 'iterate':
          if (Array.isArray(v)) v.forEach((item, i) => next.push({ path: [...found.path, i], value: item }));
          else if (v !== null && typeof v === 'object') for (const [k, item] of Object.entries(v)) next.push({ path: [...found.path, k], value: item });
          else if (!step.optional) throw new Error(`cannot iterate over ${typeName(v)}`);
          break;
        case 'select':
          if (holds(step.condition, v)) next.push(found);
          break;
      }
    }
    current = next;
  }
  return current;
}

function holds(condition: Condition, value: unknown): boolean {
  switch (condition.type) {
    case 'and':
      return holds(condition.left, value) && holds(condition.right, value);
    case 'or':
      return holds(condition.left, value) || holds(condition.right, value);
    case 'truthy':
      return walk(value, condition.path, []).some((found) => found.value !== null && found.value !== false && found.value !== undefined);
    case 'compare':
      return walk(value, condition.path, []).some(
        (found) => (JSON.stringify(found.value ?? null) === JSON.stringify(condition.value)) === (condition.op === '=='),
      );
  }
}

/** jq's `delpaths`: every path removed, the last in sorted order first, so earlier array indices stay valid. */
function deletePaths(document: unknown, paths: readonly JqPath[]): unknown {
  const sorted = [...paths].sort(comparePaths).reverse();
  for (const path of sorted) {
    if (path.length === 0) return null;
    let node: unknown = document;
    for (const key of path.slice(0, -1)) {
      node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
      if (node === undefined || node === null) break;
    }
    if (node === undefined || node === null) continue;
    const last = path[path.length - 1];
    if (Array.isArray(node) && typeof last === 'number') {
      if (last < node.length) node.splice(last, 1);
    } else if (typeof node === 'object' && typeof last === 'string') {
      delete (node as Record<string, unknown>)[last];
    }
  }
  return document;
}

function comparePaths(a: JqPath, b: JqPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] === 'number' && typeof b[i] === 'number') return (a[i] as number) - (b[i] as number);
    return String(a[i]) < String(b[i]) ? -1 : 1;
  }
  return a.length - b.length;
}
