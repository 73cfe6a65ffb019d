import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { UserError } from '../../src/core/user-error';
import { crdsInText, listCrdFiles } from '../../src/validate/crds';
import { CacheFiles } from '../../src/validate/files';
import { ParseCache } from '../../src/validate/_parse';
import { saveCodeCaches, SchemaRegistry, validatorLoads } from '../../src/validate/schema-registry';
import { seal } from '../../src/core/sealed';
import { DEFAULT_CRDS, validateFiles } from '../../src/validate/validate';
import { folderWith, sources } from './_helpers';

const crd = (kind: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${kind.toLowerCase()}s.example.test` },
  spec: {
    group: 'example.test',
    names: { kind, plural: `${kind.toLowerCase()}s` },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } }],
    ...extra,
  },
});

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('the CRD folder', () => {
  it('is the folder of every CRD `npm run import` reads (cdk8s.yaml)', () => {
    const imports: string[] = parse(readFileSync('cdk8s.yaml', 'utf8')).imports;

    for (const entry of imports) {
      const file = entry.split(':=').pop() as string;
      expect(relative(resolve(DEFAULT_CRDS), resolve(file)).startsWith('..'), file).toBe(false);
    }
    expect(sources.crds).toEqual([resolve(DEFAULT_CRDS)]);
  });

  it('is read recursively: YAML and JSON files, sorted', () => {
    const files = listCrdFiles([resolve(DEFAULT_CRDS)]).map((file) => relative(resolve(DEFAULT_CRDS), file));

    expect(files).toContain('argo-cd/application-crd.yaml');
    expect(files).not.toContain('README.md');
    expect(files).toEqual([...files].sort());
  });

  it('reports a folder that does not exist', () => {
    expect(problemsOf(() => listCrdFiles(['/nonexistent/crds']))).toEqual([
      '/nonexistent/crds: no such CRD file or folder (synth validates with the CRDs `npm run import` reads, crds/; ' +
        '`npm run validate -- --crds <file or folder>` takes others)',
    ]);
  });
});

describe('reading CRDs', () => {
  it('reads several documents, kubectl Lists and JSON, and skips objects that are not CRDs', () => {
    const yaml = [
      stringify(crd('Alpha')),
      stringify({ apiVersion: 'v1', kind: 'List', items: [crd('Beta'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }] }),
    ].join('---\n');

    expect(crdsInText('crds.yaml', yaml).map((c) => c.kind)).toEqual(['Alpha', 'Beta']);
    expect(crdsInText('crd.json', JSON.stringify(crd('Gamma'))).map((c) => `${c.group}/${c.versions[0].name} ${c.kind} ${c.scope}`)).toEqual([
      'example.test/v1 Gamma Namespaced',
    ]);
  });

  it('refuses apiextensions.k8s.io/v1beta1 CRDs, a version without schema, and broken YAML, naming the file', () => {
    expect(problemsOf(() => crdsInText('old.yaml', stringify({ ...crd('Old'), apiVersion: 'apiextensions.k8s.io/v1beta1' })))).toEqual([
      'old.yaml: apiextensions.k8s.io/v1beta1 CustomResourceDefinitions are not supported; use apiextensions.k8s.io/v1 (Kubernetes 1.16+)',
    ]);
    expect(problemsOf(() => crdsInText('bare.yaml', stringify(crd('Bare', { versions: [{ name: 'v1', served: true }] }))))).toEqual([
      'bare.yaml: CustomResourceDefinition bares.example.test: version v1 has no schema.openAPIV3Schema',
    ]);
    expect(problemsOf(() => crdsInText('bad.yaml', 'a: [\n'))[0]).toMatch(/^bad\.yaml: not valid YAML: /);
  });

  it('refuses the same kind defined by two different files', () => {
    const dir = folderWith({ 'a.yaml': stringify(crd('Twin')), 'b.yaml': stringify(crd('Twin', { scope: 'Cluster' })) });
    const registry = new SchemaRegistry({ ...sources, crds: [dir], cacheDir: mkdtempSync(join(tmpdir(), 'pke-cache-')) });

    expect(problemsOf(() => registry.lookup('example.test/v1', 'Twin'))).toEqual([
      `${join(dir, 'b.yaml')}: example.test/Twin is also defined by ${join(dir, 'a.yaml')}; give each CRD once`,
    ]);
  });
});

describe('the validator cache', () => {
  const setUp = (): { crds: string; cacheDir: string; registry: () => SchemaRegistry } => {
    const crds = folderWith({ 'widget.yaml': stringify(crd('Widget')) });
    const cacheDir = mkdtempSync(join(tmpdir(), 'pke-cache-'));
    return { crds, cacheDir, registry: () => new SchemaRegistry({ ...sources, crds: [crds], cacheDir }) };
  };
  const filesBelow = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => statSync(join(dir, f)).isFile())
      .map((f) => f.replace(/compiler-[0-9a-f]+/, 'compiler-*').replace(/crd-[0-9a-f]+/, 'crd-*'))
      .sort();

  it('compiles a validator once per kind and version, as standalone code sealed with its format and sha256', () => {
    const { cacheDir, registry } = setUp();
    const first = registry();
    const lookup = first.lookup('example.test/v1', 'Widget');
    if (!('schema' in lookup)) throw new Error(lookup.missing);

    for (let i = 0; i < 50; i++) expect(lookup.schema.validator()({ apiVersion: 'example.test/v1', kind: 'Widget', metadata: {}, spec: {} })).toBe(true);

    expect(filesBelow(cacheDir)).toEqual([
      'compiler-*/crd-*/example.test_v1_Widget.js',
      'compiler-*/crd-*/example.test_v1_Widget.schema.json',
      'compiler-*/crd-*/index.json',
      'files.json',
    ]);
    const code = readdirSync(cacheDir, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('Widget.js')) as string;
    expect(readFileSync(join(cacheDir, code), 'utf8')).toMatch(
      /^\/\/ pke-cache validator format \d+ sha256 [0-9a-f]{64}\n"use strict";module\.exports = validate/,
    );
  });

  it.each([
    ['garbage', (_code: string) => 'this is not a validator'],
    ['code without its header', (code: string) => code.slice(code.indexOf('\n') + 1)],
    ['code edited under its header', (code: string) => code.replace('module.exports = validate', 'globalThis.pwned = true; module.exports = validate')],
    ['code cut short', (code: string) => code.slice(0, code.length / 2)],
  ])('never runs a cached validator file that is %s: it compiles the validator again and replaces the file', (_what, damage) => {
    // GIVEN a cache whose Widget validator file was damaged
    const { crds, cacheDir, registry } = setUp();
    const widget = { apiVersion: 'example.test/v1', kind: 'Widget', metadata: {}, spec: {} };
    const first = registry().lookup('example.test/v1', 'Widget');
    if (!('schema' in first)) throw new Error(first.missing);
    expect(first.schema.validator()(widget)).toBe(true);
    const file = join(cacheDir, readdirSync(cacheDir, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('Widget.js')) as string);
    const sealed = readFileSync(file, 'utf8');
    writeFileSync(file, damage(sealed));

    // WHEN another run validates with it (a copy of the cache: a path this process has not loaded)
    const copy = mkdtempSync(join(tmpdir(), 'pke-cache-'));
    cpSync(cacheDir, copy, { recursive: true });
    const lookup = new SchemaRegistry({ ...sources, crds: [crds], cacheDir: copy }).lookup('example.test/v1', 'Widget');
    if (!('schema' in lookup)) throw new Error(lookup.missing);

    // THEN the validator works, the damaged code never ran, and the file is whole again
    expect(lookup.schema.validator()(widget)).toBe(true);
    expect(lookup.schema.validator()({ ...widget, spec: 'no' })).toBe(false);
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
    expect(readFileSync(join(copy, relative(cacheDir, file)), 'utf8')).toBe(sealed);
  });

  describe("V8's code cache of a validator", () => {
    const widget = { apiVersion: 'example.test/v1', kind: 'Widget', metadata: {}, spec: {} };
    /** A cache whose Widget validator ran and whose code caches were saved; its validator file and code cache file. */
    const ranOnce = (): { crds: string; cacheDir: string; file: string; codeCache: string } => {
      const { crds, cacheDir, registry } = setUp();
      const lookup = registry().lookup('example.test/v1', 'Widget');
      if (!('schema' in lookup)) throw new Error(lookup.missing);
      expect(lookup.schema.validator()(widget)).toBe(true);
      saveCodeCaches();
      const file = join(cacheDir, readdirSync(cacheDir, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('Widget.js')) as string);
      return { crds, cacheDir, file, codeCache: `${file}.v8-${process.versions.v8}` };
    };
    /** Validates with a copy of the cache (paths this process has not loaded): how the validator was loaded, and the copy. */
    const fromCopy = (crds: string, cacheDir: string): { loads: ReturnType<typeof validatorLoads>; copy: string } => {
      const copy = mkdtempSync(join(tmpdir(), 'pke-cache-'));
      cpSync(cacheDir, copy, { recursive: true });
      const before = validatorLoads();
      const lookup = new SchemaRegistry({ ...sources, crds: [crds], cacheDir: copy }).lookup('example.test/v1', 'Widget');
      if (!('schema' in lookup)) throw new Error(lookup.missing);
      expect(lookup.schema.validator()(widget)).toBe(true);
      expect(lookup.schema.validator()({ ...widget, spec: 'no' })).toBe(false);
      const after = validatorLoads();
      return {
        loads: {
          compiled: after.compiled - before.compiled,
          fromCodeCache: after.fromCodeCache - before.fromCodeCache,
          withoutCodeCache: after.withoutCodeCache - before.withoutCodeCache,
        },
        copy,
      };
    };
    const sha256Of = (sealed: string): string => sealed.slice(0, sealed.indexOf('\n')).split(' ').pop() as string;

    it('is written once the validator ran, bound to the sha256 of its code, and the next run loads the validator through it', () => {
      const { crds, cacheDir, file, codeCache } = ranOnce();

      expect(readFileSync(codeCache).subarray(0, 65).toString()).toBe(`${sha256Of(readFileSync(file, 'utf8'))}\n`);
      expect(fromCopy(crds, cacheDir).loads).toEqual({ compiled: 0, fromCodeCache: 1, withoutCodeCache: 0 });
    });

    it.each([
      ['V8 refuses (garbage after the right checksum)', (cache: Buffer) => Buffer.concat([cache.subarray(0, 65), Buffer.from('garbage')])],
      ['names other code', (cache: Buffer) => Buffer.concat([Buffer.from(`${'0'.repeat(64)}\n`), cache.subarray(65)])],
      ['has no checksum', (cache: Buffer) => cache.subarray(65)],
    ])('is not used when it %s: the validator is compiled from its code, and the code cache written again', (_what, damage) => {
      // GIVEN a damaged code cache
      const { crds, cacheDir, codeCache } = ranOnce();
      writeFileSync(codeCache, damage(readFileSync(codeCache)));

      // WHEN another run validates with it
      const { loads, copy } = fromCopy(crds, cacheDir);
      saveCodeCaches();

      // THEN the validator is right, loaded without the code cache, and the cache is whole again for the run after
      expect(loads).toEqual({ compiled: 0, fromCodeCache: 0, withoutCodeCache: 1 });
      expect(fromCopy(crds, copy).loads).toEqual({ compiled: 0, fromCodeCache: 1, withoutCodeCache: 0 });
    });

    it('is not used for other code of the same length, which V8 alone would accept and replace by the old code', () => {
      // GIVEN validator code changed (same length, sealed anew) beside the code cache of the old code
      const { crds, cacheDir, file } = ranOnce();
      const sealed = readFileSync(file, 'utf8');
      const header = sealed.slice(0, sealed.indexOf('\n'));
      const code = sealed.slice(header.length + 1);
      const changed = code.replace('"use strict";', 'this.pk=1;   ');
      expect(changed).toHaveLength(code.length);
      const format = Number(/ format (\d+) /.exec(header)?.[1]);
      writeFileSync(file, seal('validator', format, changed));

      // WHEN another run validates with it
      const { loads } = fromCopy(crds, cacheDir);

      // THEN the new code ran, not the old code from the cache
      expect(loads).toEqual({ compiled: 0, fromCodeCache: 0, withoutCodeCache: 1 });
      expect((globalThis as { pk?: number }).pk).toBe(1);
    });
  });

  it("takes CRDs held in memory (a chart's, as rendered): validates their kinds, names them in messages, remembers no file", () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'pke-cache-'));
    const registry = new SchemaRegistry({
      ...sources,
      crds: [],
      crdTexts: [{ name: 'CustomResourceDefinition widgets.example.test (from probe)', text: () => JSON.stringify(crd('Widget')) }],
      cacheDir,
    });

    const lookup = registry.lookup('example.test/v1', 'Widget');
    if (!('schema' in lookup)) throw new Error(lookup.missing);
    expect(lookup.schema.validator()({ apiVersion: 'example.test/v1', kind: 'Widget', metadata: {}, spec: {} })).toBe(true);
    expect(lookup.schema.validator()({ apiVersion: 'example.test/v1', kind: 'Widget', metadata: {}, spec: 'no' })).toBe(false);
    expect(registry.lookup('example.test/v2', 'Widget')).toEqual({
      missing: 'example.test Widget has no served version v2 (CRD in CustomResourceDefinition widgets.example.test (from probe))',
      fix: 'use apiVersion example.test/v1',
    });
    expect(registry.lookup('example.test/v1', 'Gadget')).toMatchObject({ missing: expect.stringContaining("no CRD in the charts' own CRDs defines it") });
    expect(existsSync(join(cacheDir, 'files.json'))).toBe(false); // no key: nothing to remember it by
  });

  it('remembers a CRD held in memory by its key, so the next run makes no text of it', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'pke-cache-'));
    const made: string[] = [];
    const registry = (): SchemaRegistry =>
      new SchemaRegistry({
        ...sources,
        crds: [],
        crdTexts: [
          {
            name: 'CustomResourceDefinition widgets.example.test (from probe)',
            key: 'sha1-of-widget',
            text: () => (made.push('text'), JSON.stringify(crd('Widget'))),
          },
        ],
        cacheDir,
      });
    const widget = { apiVersion: 'example.test/v1', kind: 'Widget', metadata: {}, spec: {} };
    const validatorOf = (r: SchemaRegistry) => {
      const lookup = r.lookup('example.test/v1', 'Widget');
      if (!('schema' in lookup)) throw new Error(lookup.missing);
      return lookup.schema;
    };

    const first = validatorOf(registry());
    expect(first.validator()(widget)).toBe(true);
    const madeByFirst = made.length;
    const second = validatorOf(registry());

    expect(madeByFirst).toBeGreaterThan(0);
    expect(second.id).toBe(first.id);
    expect(second.validator()({ ...widget, spec: 'no' })).toBe(false);
    expect(made).toHaveLength(madeByFirst);
    expect(Object.keys(JSON.parse(readFileSync(join(cacheDir, 'files.json'), 'utf8')))).toEqual(['object:sha1-of-widget']);
  });

  it('forgets the files that are gone once it remembers more than a thousand', () => {
    // GIVEN a files.json that remembers 1,001 CRD files of folders since removed
    const { crds, cacheDir, registry } = setUp();
    const today = Math.floor(Date.now() / (24 * 3600 * 1000));
    const gone = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [join(tmpdir(), `pke-gone-${i}`, 'crd.yaml'), [1, 1, '0'.repeat(64), today]]));
    writeFileSync(join(cacheDir, 'files.json'), JSON.stringify(gone));

    // WHEN a registry reads its CRDs
    expect('schema' in registry().lookup('example.test/v1', 'Widget')).toBe(true);

    // THEN only the file that exists is remembered
    expect(Object.keys(JSON.parse(readFileSync(join(cacheDir, 'files.json'), 'utf8')))).toEqual([join(crds, 'widget.yaml')]);
  });

  it('keys validators by the content of the CRD file: a changed CRD gets a new validator', () => {
    const { crds, registry } = setUp();
    const id = (): string => {
      const lookup = registry().lookup('example.test/v1', 'Widget');
      return 'schema' in lookup ? lookup.schema.id : lookup.missing;
    };
    const before = id();

    expect(id()).toBe(before);
    writeFileSync(join(crds, 'widget.yaml'), stringify(crd('Widget', { scope: 'Cluster' })));
    expect(id()).not.toBe(before);
    expect(id()).toMatch(/^compiler-[0-9a-f]{16}\/crd-[0-9a-f]{32}\/example\.test_v1_Widget$/);
  });

  it('forgets a CRD file no run has read for a week, and keeps the day each file was last read', () => {
    // GIVEN a files.json that knows a file last read 8 days ago, one read yesterday, and one from a cache without days
    const { crds, cacheDir, registry } = setUp();
    const today = Math.floor(Date.now() / (24 * 3600 * 1000));
    const memoFile = join(cacheDir, 'files.json');
    writeFileSync(
      memoFile,
      JSON.stringify({
        '/gone/old.yaml': [1, 1, 'a'.repeat(64), today - 8],
        '/gone/recent.yaml': [1, 1, 'b'.repeat(64), today - 1],
        '/gone/undated.yaml': [1, 1, 'c'.repeat(64)],
      }),
    );

    // WHEN a run reads its CRDs
    registry().lookup('example.test/v1', 'Widget');

    // THEN the week-old entry is gone, the others stay (the undated one from today), and the file read is dated today
    const memo = JSON.parse(readFileSync(memoFile, 'utf8')) as Record<string, unknown[]>;
    expect(Object.keys(memo).sort()).toEqual(['/gone/recent.yaml', '/gone/undated.yaml', resolve(join(crds, 'widget.yaml'))].sort());
    expect(memo['/gone/recent.yaml'][3]).toBe(today - 1);
    expect(memo['/gone/undated.yaml'][3]).toBe(today);
    expect(memo[resolve(join(crds, 'widget.yaml'))][3]).toBe(today);
  });

  it('lives in the git-ignored .cache/ folder of the project', () => {
    expect(sources.cacheDir).toBe(resolve('.cache/validate'));
    expect(readFileSync('.gitignore', 'utf8').split('\n')).toContain('.cache/');
  });

  it('remembers parsed files and which validator accepted each object, so unchanged objects are not validated again', () => {
    const { file, text, key } = rememberedConfigMap();

    const second = new ParseCache(new CacheFiles(), file);
    expect(second.parse(text).parsed).toMatchObject({ d: [{ kind: 'ConfigMap' }] });
    expect(second.accepted({ text: key, index: 0 }, 'compiler-1/builtin/ConfigMap')).toBe(true);
    expect(second.accepted({ text: key, index: 0 }, 'compiler-2/builtin/ConfigMap')).toBe(false);
    expect(second.accepted({ text: second.parse(`${text}data: {}\n`).key, index: 0 }, 'compiler-1/builtin/ConfigMap')).toBe(false);
  });

  it('remembers which validator accepted a document handed over as an object, by its content, without keeping the document', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pke-cache-')), 'parsed.json');
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    const first = new ParseCache(new CacheFiles(), file);
    first.accept(first.document(configMap), 'compiler-1/builtin/ConfigMap');
    first.save();

    const second = new ParseCache(new CacheFiles(), file);
    expect(second.accepted(second.document(structuredClone(configMap)), 'compiler-1/builtin/ConfigMap')).toBe(true);
    expect(second.accepted(second.document(configMap), 'compiler-2/builtin/ConfigMap')).toBe(false);
    expect(second.accepted(second.document({ ...configMap, data: {} }), 'compiler-1/builtin/ConfigMap')).toBe(false);
    expect(readFileSync(file, 'utf8')).not.toContain('"kind"');
  });

  it('validates a document handed over as an object once: an unchanged one is taken from the parse cache, a changed one validated', () => {
    // GIVEN a Widget validated as an object, with a cache folder of its own
    const crds = folderWith({ 'widget.yaml': stringify(crd('Widget')) });
    const cacheDir = mkdtempSync(join(tmpdir(), 'pke-cache-'));
    const widget = { apiVersion: 'example.test/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'n' }, spec: {} };
    const options = { ...sources, crds: [crds], cacheDir, shownDir: 'dist', environments: [], rules: [] };
    expect(validateFiles(new Map([['lab/probe/widget-w.yaml', widget]]), options)).toEqual([]);
    const remembered = readFileSync(join(cacheDir, 'parsed.json'), 'utf8');
    const entries = JSON.parse(remembered.slice(remembered.indexOf('\n') + 1)) as Record<string, { ok?: string[] }>;
    expect(Object.entries(entries)).toEqual([[expect.stringMatching(/^o:/), { d: [], ok: [expect.stringContaining('Widget')] }]]);

    // WHEN it is validated again, unchanged (a new object), and then changed into something its schema refuses
    const again = validateFiles(new Map([['lab/probe/widget-w.yaml', structuredClone(widget)]]), options);
    const afterAgain = readFileSync(join(cacheDir, 'parsed.json'), 'utf8');
    const changed = validateFiles(new Map([['lab/probe/widget-w.yaml', { ...widget, spec: 'no' }]]), options);

    // THEN the unchanged one was known (nothing new remembered), and the changed one was validated
    expect(again).toEqual([]);
    expect(afterAgain).toBe(remembered);
    expect(changed).toEqual([expect.objectContaining({ rule: 'schema', file: 'dist/lab/probe/widget-w.yaml', path: '/spec' })]);
  });

  it('keeps what one run remembered when the next uses only a part of it (render checks one cluster at a time)', () => {
    // GIVEN ten accepted ConfigMaps remembered by one run
    const file = join(mkdtempSync(join(tmpdir(), 'pke-cache-')), 'parsed.json');
    const text = (i: number): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`;
    const first = new ParseCache(new CacheFiles(), file);
    for (let i = 0; i < 10; i++) first.accept({ text: first.parse(text(i)).key, index: 0 }, 'compiler-1/builtin/ConfigMap');
    first.save();

    // WHEN the next run reads one new file only
    const second = new ParseCache(new CacheFiles(), file);
    second.accept({ text: second.parse(text(10)).key, index: 0 }, 'compiler-1/builtin/ConfigMap');
    second.save();

    // THEN the run after still knows all eleven
    const third = new ParseCache(new CacheFiles(), file);
    expect(Array.from({ length: 11 }, (_, i) => third.accepted({ text: third.parse(text(i)).key, index: 0 }, 'compiler-1/builtin/ConfigMap'))).toEqual(
      Array.from({ length: 11 }, () => true),
    );
  });

  it('takes nothing from a parsed.json that was edited, cut short or written in another format', () => {
    // GIVEN a parse cache that remembers an accepted ConfigMap
    const { file, text, key } = rememberedConfigMap();
    const sealed = readFileSync(file, 'utf8');

    for (const damaged of [
      sealed.replace('ConfigMap","metadata', 'Secret","metadata'),
      sealed.slice(0, sealed.length - 10),
      sealed.replace(/ format \d+ /, ' format 0 '),
      sealed.slice(sealed.indexOf('\n') + 1),
    ]) {
      writeFileSync(file, damaged);
      // WHEN a run reads it, THEN the text is parsed again and nothing counts as accepted
      const again = new ParseCache(new CacheFiles(), file);
      expect(again.accepted({ text: key, index: 0 }, 'compiler-1/builtin/ConfigMap')).toBe(false);
      expect(again.parse(text).parsed).toMatchObject({ d: [{ kind: 'ConfigMap' }] });
    }
  });
});

/** A parse cache file that remembers one ConfigMap's text, accepted by the ConfigMap validator of `compiler-1`. */
function rememberedConfigMap(): { file: string; text: string; key: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'pke-cache-')), 'parsed.json');
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
  const cache = new ParseCache(new CacheFiles(), file);
  const { key } = cache.parse(text);
  cache.accept({ text: key, index: 0 }, 'compiler-1/builtin/ConfigMap');
  cache.save();
  return { file, text, key };
}
