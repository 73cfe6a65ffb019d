/**
 * Finds the compiled validator of an apiVersion and kind: from the CRD files
 * for custom kinds, from cdk8s-plus-29's types for built-in ones.
 *
 * Validators are compiled once per kind and version with ajv and cached as
 * standalone code in the cache folder, keyed by the content of the CRD file
 * (sha256) or the cdk8s-plus-29 version, and by the source of the code that
 * turns schemas into validators (so a change to it never reuses a stale
 * validator). Only the validators of kinds that are actually rendered are
 * loaded; each cached file starts with a header naming its format and the
 * sha256 of its code, and runs only when both match (see `load`). Layout:
 *
 * ```
 * <cache>/files.json                        CRD path → [size, mtime, sha256, day last read], so unchanged files are not re-read (a week unread: forgotten)
 * <cache>/<compiler>/crd-<sha256>/index.json   the kinds and versions one CRD file defines
 * <cache>/<compiler>/crd-<sha256>/<group>_<version>_<Kind>.schema.json   ajv schema (from _structural.ts)
 * <cache>/<compiler>/crd-<sha256>/<group>_<version>_<Kind>.js      standalone validator, sealed (format, sha256)
 * <cache>/<compiler>/crd-<sha256>/<group>_<version>_<Kind>.js.v8-<V8 version>   V8's code cache of it, bound to that sha256
 * <cache>/<compiler>/builtin-<cdk8s-plus version>/…                     the same for built-in kinds
 * <cache>/parsed.json                       rendered files by sha1: documents, and the validator that accepted each (_parse.ts)
 * ```
 *
 * `<compiler>` is a hash of the code that turns schemas into validators; a
 * folder no run has used for a week is removed.
 */
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { Script } from 'node:vm';
import { didYouMean } from '../config/load';
import { UserError } from '../core/user-error';
import { BUILTIN_SOURCES, builtinKinds, builtinSchema, type BuiltinKind, type JsiiAssembly } from './builtin';
import { COMPILE_SOURCES, compactSchema, compileStandalone, type CompiledValidator } from './_compile';
import { crdsInText, listCrdFiles } from './crds';
import { CACHE_DAYS, CacheFiles, DAY_MS, touchAndPrune } from './files';
import { runtimeRequire } from './_runtime';
import { STRUCTURAL_SOURCES, toAjvSchema, type JsonSchema } from './_structural';
import { once } from '../core/once';
import { seal, unseal } from '../core/sealed';

/** The validator of one kind and version, and what the findings say about where it came from. */
export interface KindSchema {
  /**
   * Identifies the compiled validator: its cache path, which names the compiler,
   * the CRD file's content hash (or the cdk8s-plus version) and the kind and version.
   */
  readonly id: string;
  /** `argoproj.io/v1alpha1 Application`. */
  readonly label: string;
  /** True for a kind defined by a CRD. */
  readonly custom: boolean;
  /** Whether objects of the kind live in a namespace (unknown for built-in kinds). */
  readonly scope?: 'Namespaced' | 'Cluster';
  /** The compiled validator, loaded (or compiled) on first use. */
  readonly validator: () => CompiledValidator;
  /** The ajv schema the validator was compiled from (read on demand, for hints). */
  readonly schema: () => JsonSchema;
}

/** What a lookup found: a schema, or why there is none. */
export type SchemaLookup = { readonly schema: KindSchema } | { readonly missing: string; readonly fix: string };

/** A CRD document held in memory (a chart's CRD as it rendered), named for messages; it is never read from disk. */
export interface CrdText {
  /** How messages name it (`CustomResourceDefinition widgets.example.test (from probe/templates/crd.yaml)`). */
  readonly name: string;
  /** Its JSON, made only when needed. */
  readonly text: () => string;
  /**
   * What identifies the document (the sha1 of its JSON), so that `files.json` remembers the sha256 of its text and
   * a run that finds it there makes no text.
   */
  readonly key?: string;
}

/** Where {@link SchemaRegistry} finds schemas and keeps its cache. */
export interface SchemaRegistryOptions {
  /** CRD files and folders. */
  readonly crds: readonly string[];
  /** CRDs held in memory besides the files (no file to write, read back and remember in `files.json`). */
  readonly crdTexts?: readonly CrdText[];
  /** Folder of cdk8s-plus-29 (its `.jsii` and `lib/imports/k8s.js`), for built-in kinds. */
  readonly builtinPackage: string;
  /** Cache folder (created when missing; when it cannot be written, every run compiles again). */
  readonly cacheDir: string;
}

interface CrdIndexEntry {
  readonly group: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly versions: readonly { readonly name: string; readonly served: boolean; readonly entry: string }[];
}

interface CatalogEntry extends CrdIndexEntry {
  /** The file, or the name of a CRD held in memory. */
  readonly file: string;
  readonly dir: string;
  readonly text: () => string;
}

interface BuiltinCatalog {
  readonly dir: string;
  readonly version: string;
  readonly kinds: readonly BuiltinKind[];
}

/** What `files.json` remembers of a CRD file: size, modification time, sha256 of its text, and the day (since 1970) a run last read it. */
type FileFacts = [size: number, mtime: number, sha256: string, lastRead?: number];

/** How `files.json` names a CRD held in memory: by this prefix and its key (`object:<sha1>`); it leaves after a week unread. */
const IN_MEMORY = 'object:';

/** Files `files.json` remembers before those that no longer exist are dropped. */
const MEMO_FILES = 1000;

/** The format of cached validators (their header); bumped by hand for changes the function sources below cannot show. */
const CACHE_FORMAT = 2;

/**
 * Validators loaded by this process, by file. A file's folder is named by
 * everything that decides its code (compiler, CRD text or package version), so
 * registries of several clusters share what they load.
 */
const LOADED = new Map<string, CompiledValidator>();

/**
 * Validators this process compiled without a usable V8 code cache, by file: {@link saveCodeCaches}
 * writes their caches once they have run, so the functions V8 compiled lazily are in them too.
 */
const PENDING_CODE_CACHES = new Map<string, { readonly script: Script; readonly digest: string; readonly files: CacheFiles }>();

/** How validators were loaded in this process (tests count them). */
const LOADS = { compiled: 0, fromCodeCache: 0, withoutCodeCache: 0 };

/** How many validators this process compiled from a schema, loaded through V8's code cache, and loaded without it. */
export function validatorLoads(): Readonly<typeof LOADS> {
  return { ...LOADS };
}

/**
 * The V8 code cache of a validator file: V8 checks its own version and flags, and a source of the
 * same length only, so the file starts with the sha256 of the code it was made from (a line), and
 * is used only for that code. One file per V8 version: Node 20 and 24 on one machine do not take
 * turns rewriting it.
 */
function codeCacheFile(file: string): string {
  return `${file}.v8-${process.versions.v8}`;
}

/**
 * Writes the V8 code caches of the validators that ran without one (after validating, so they
 * hold what actually ran). Compiling the five workload validators (340 KB of code each) costs
 * about 95 ms without the cache and 18 ms with it (decision 56).
 */
export function saveCodeCaches(): void {
  for (const [file, { script, digest, files }] of PENDING_CODE_CACHES) {
    files.write(codeCacheFile(file), Buffer.concat([Buffer.from(`${digest}\n`), script.createCachedData()]));
  }
  PENDING_CODE_CACHES.clear();
}

/** Schemas of custom and built-in kinds, compiled once per kind and version, and cached. */
export class SchemaRegistry {
  private readonly files = new CacheFiles();
  private readonly compilerDir: string;
  private catalog: Map<string, CatalogEntry> | undefined;
  private builtins: BuiltinCatalog | undefined;
  private readonly loaded = new Map<string, SchemaLookup>();

  constructor(private readonly options: SchemaRegistryOptions) {
    // The source of everything that shapes a validator is part of the key, so a change to it never reuses a stale one.
    const sources = [...STRUCTURAL_SOURCES, ...COMPILE_SOURCES, ...BUILTIN_SOURCES, Ajv, standaloneCode].map(String).join('\n');
    const compiler = createHash('sha256').update(`${CACHE_FORMAT}\n${sources}`).digest('hex').slice(0, 16);
    this.compilerDir = join(options.cacheDir, `compiler-${compiler}`);
    touchAndPrune(this.compilerDir, CACHE_DAYS);
  }

  /** The schema of `apiVersion` + `kind`, or why there is none. */
  public lookup(apiVersion: string, kind: string): SchemaLookup {
    const key = `${apiVersion} ${kind}`;
    let found = this.loaded.get(key);
    if (found === undefined) {
      found = this.find(apiVersion, kind);
      this.loaded.set(key, found);
    }
    return found;
  }

  private find(apiVersion: string, kind: string): SchemaLookup {
    const slash = apiVersion.lastIndexOf('/');
    const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
    const label = `${apiVersion} ${kind}`;
    const crd = this.crdCatalog().get(`${group}/${kind}`);
    if (crd !== undefined) {
      const served = crd.versions.find((v) => v.name === version && v.served);
      if (served === undefined) {
        const versions = crd.versions.filter((v) => v.served).map((v) => `${group}/${v.name}`);
        return { missing: `${group} ${kind} has no served version ${version} (CRD in ${crd.file})`, fix: `use apiVersion ${versions.join(' or ')}` };
      }
      const schema = (): JsonSchema => {
        const file = join(crd.dir, `${served.entry}.schema.json`);
        if (this.files.readJson(file) === undefined) this.indexCrdFile(crd.file, crd.text(), crd.dir); // a cache cleaned up halfway
        return this.files.readJson(file) as JsonSchema;
      };
      const validator = once(() => this.load(crd.dir, served.entry, schema));
      return { schema: { id: this.id(crd.dir, served.entry), label, custom: true, scope: crd.scope, validator, schema } };
    }
    const builtins = this.builtinCatalog();
    const builtin = builtins.kinds.find((k) => k.apiVersion === apiVersion && k.kind === kind);
    if (builtin !== undefined) {
      const entry = `builtin_${builtin.className}`;
      const schema = (): JsonSchema =>
        (this.files.readJson(join(builtins.dir, `${entry}.schema.json`)) as JsonSchema | undefined) ??
        builtinSchema(JSON.parse(readFileSync(join(this.options.builtinPackage, '.jsii'), 'utf8')) as JsiiAssembly, builtin);
      const validator = once(() => this.load(builtins.dir, entry, schema));
      return { schema: { id: this.id(builtins.dir, entry), label, custom: false, validator, schema } };
    }
    const known = [
      ...[...this.crdCatalog().values()].flatMap((c) => c.versions.map((v) => `${c.group}/${v.name} ${c.kind}`)),
      ...builtins.kinds.map((k) => `${k.apiVersion} ${k.kind}`),
    ];
    const hint = didYouMean(label, known);
    return {
      missing: `no schema for ${label}: no CRD in ${[...this.options.crds, ...((this.options.crdTexts ?? []).length > 0 ? ["the charts' own CRDs"] : [])].join(', ')} defines it and it is not a built-in kind (${basename(this.options.builtinPackage)} ${builtins.version})`,
      fix: hint === undefined ? 'fix apiVersion and kind, or add the CRD of the kind to the CRD folder (--crds)' : `did you mean ${hint}?`,
    };
  }

  private id(dir: string, entry: string): string {
    return relative(this.options.cacheDir, join(dir, entry));
  }

  /**
   * Loads the validator `entry` of a cache folder, compiling and caching it first when needed.
   * The cached code runs only when its header names this format and its sha256 matches; any
   * other file (cut short, edited, garbage) is compiled again and replaced, never executed.
   */
  private load(dir: string, entry: string, schema: () => JsonSchema): CompiledValidator {
    const file = join(dir, `${entry}.js`);
    const loaded = LOADED.get(file);
    if (loaded !== undefined) return loaded;
    let sealed = this.files.read(file);
    let code = unseal('validator', CACHE_FORMAT, sealed);
    if (code === undefined) {
      const compiled = compactSchema(schema());
      code = compileStandalone(compiled);
      sealed = seal('validator', CACHE_FORMAT, code);
      this.files.write(join(dir, `${entry}.schema.json`), JSON.stringify(compiled));
      this.files.write(file, sealed);
      LOADS.compiled++;
    }
    // The header ends with the sha256 of the code (checked by unseal): the code cache must have been made from it.
    const digest = (sealed as string)
      .slice(0, (sealed as string).indexOf('\n'))
      .split(' ')
      .pop() as string;
    const cache = this.files.readBuffer(codeCacheFile(file));
    const bound = cache !== undefined && cache.subarray(0, digest.length + 1).toString() === `${digest}\n`;
    const cachedData = bound ? cache.subarray(digest.length + 1) : undefined;
    const script = new Script(`(function (module, exports, require) {${code}\n})`, { filename: file, cachedData });
    const module: { exports: unknown } = { exports: {} };
    (script.runInThisContext() as (m: unknown, e: unknown, r: unknown) => void)(module, module.exports, runtimeRequire);
    if (cachedData === undefined || script.cachedDataRejected === true) {
      PENDING_CODE_CACHES.set(file, { script, digest, files: this.files });
      LOADS.withoutCodeCache++;
    } else {
      LOADS.fromCodeCache++;
    }
    LOADED.set(file, module.exports as CompiledValidator);
    return module.exports as CompiledValidator;
  }

  /** `group/Kind` → the CRD that defines it, from every CRD file (indexes cached by content hash). */
  private crdCatalog(): Map<string, CatalogEntry> {
    if (this.catalog !== undefined) return this.catalog;
    const catalog = new Map<string, CatalogEntry>();
    const memoFile = join(this.options.cacheDir, 'files.json');
    const memo = (this.files.readJson(memoFile) ?? {}) as Record<string, FileFacts>;
    const today = Math.floor(Date.now() / DAY_MS);
    let memoChanged = false;
    const problems: { file: string; message: string }[] = [];
    const add = (file: string, sha256: string, text: () => string): void => {
      const dir = join(this.compilerDir, `crd-${sha256.slice(0, 32)}`);
      const index = (this.files.readJson(join(dir, 'index.json')) as CrdIndexEntry[] | undefined) ?? this.indexCrdFile(file, text(), dir);
      for (const crd of index) {
        const key = `${crd.group}/${crd.kind}`;
        const other = catalog.get(key);
        if (other !== undefined && other.dir !== dir) {
          problems.push({ file, message: `${key} is also defined by ${other.file}; give each CRD once` });
        }
        catalog.set(key, { ...crd, file, dir, text });
      }
    };
    for (const file of listCrdFiles(this.options.crds)) {
      const path = resolve(file);
      const stat = statSync(path);
      const known = memo[path];
      let text: string | undefined;
      if (known === undefined || known[0] !== stat.size || known[1] !== stat.mtimeMs) {
        text = readFileSync(path, 'utf8');
        memo[path] = [stat.size, stat.mtimeMs, createHash('sha256').update(text).digest('hex'), today];
        memoChanged = true;
      } else if (known[3] !== today) {
        known[3] = today;
        memoChanged = true;
      }
      add(file, memo[path][2], () => (text ??= readFileSync(path, 'utf8')));
    }
    for (const { name, text, key } of this.options.crdTexts ?? []) {
      const id = key === undefined ? undefined : `${IN_MEMORY}${key}`;
      let facts = id === undefined ? undefined : memo[id];
      if (facts === undefined) {
        facts = [0, 0, createHash('sha256').update(text()).digest('hex'), today];
        if (id !== undefined) {
          memo[id] = facts;
          memoChanged = true;
        }
      } else if (facts[3] !== today) {
        facts[3] = today;
        memoChanged = true;
      }
      add(name, facts[2], text);
    }
    if (problems.length > 0) throw new UserError(problems);
    // Files no run has read for a week go (render caches and test folders come and go); an entry of
    // an older cache without a day starts its week now.
    for (const [path, facts] of Object.entries(memo)) {
      if (facts[3] === undefined) {
        facts[3] = today;
        memoChanged = true;
      } else if (facts[3] < today - CACHE_DAYS) {
        delete memo[path];
        memoChanged = true;
      }
    }
    // Files that are gone (a test's folder, an old render cache) leave once there are many of them.
    if (Object.keys(memo).length > MEMO_FILES) {
      for (const path of Object.keys(memo)) {
        if (!path.startsWith(IN_MEMORY) && !existsSync(path)) {
          delete memo[path];
          memoChanged = true;
        }
      }
    }
    if (memoChanged) this.files.write(memoFile, JSON.stringify(memo));
    this.catalog = catalog;
    return catalog;
  }

  /** Parses one CRD file into its index, writing each version's ajv schema next to it. */
  private indexCrdFile(file: string, text: string, dir: string): CrdIndexEntry[] {
    const index = crdsInText(file, text).map((crd) => ({
      group: crd.group,
      kind: crd.kind,
      scope: crd.scope,
      versions: crd.versions.map((version) => {
        const entry = `${crd.group}_${version.name}_${crd.kind}`.replace(/[^A-Za-z0-9._-]/g, '_');
        const schema = toAjvSchema(version.openApi);
        this.files.write(join(dir, `${entry}.schema.json`), JSON.stringify(schema));
        return { name: version.name, served: version.served, entry };
      }),
    }));
    this.files.write(join(dir, 'index.json'), JSON.stringify(index));
    return index;
  }

  /** The built-in kinds of cdk8s-plus-29 (apiVersion, kind, class), cached per package version. */
  private builtinCatalog(): BuiltinCatalog {
    if (this.builtins !== undefined) return this.builtins;
    const pkg = this.options.builtinPackage;
    const version = String((this.files.readJson(join(pkg, 'package.json')) as { version?: unknown } | undefined)?.version ?? 'unknown');
    const dir = join(this.compilerDir, `builtin-${basename(pkg)}-${version}`);
    let kinds = this.files.readJson(join(dir, 'index.json')) as BuiltinKind[] | undefined;
    if (kinds === undefined) {
      kinds = builtinKinds(readFileSync(join(pkg, 'lib', 'imports', 'k8s.js'), 'utf8'));
      this.files.write(join(dir, 'index.json'), JSON.stringify(kinds));
    }
    this.builtins = { dir, version, kinds };
    return this.builtins;
  }
}
