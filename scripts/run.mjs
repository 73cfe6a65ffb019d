#!/usr/bin/env node
// Runs a TypeScript entry point of this repository with plain Node.
//
//   node scripts/run.mjs src/main.ts [args...]
//
// An entry either runs when loaded or exports `main(argv)`, which is called with
// the arguments and gives the exit code (or a promise of it).
//
// The entry is bundled with esbuild (with its packages) into .cache/build/ and
// run in this same process. The bundle is rebuilt only when a file under src/
// or imports/ (and bench/ for an entry under bench/), the lock file or this
// script changed (size + mtime), so a run usually costs no more than loading
// the bundle from V8's code cache. esbuild does not type-check: `npm test`
// runs `tsc --noEmit` for that. With --debug, stack traces point into the
// TypeScript sources.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  process.stderr.write('usage: node scripts/run.mjs <entry.ts> [args...]\n');
  process.exit(2);
}

// What the bundle is built from, as one text: the entry, then each file's path, size and
// mtime, sorted. It is compared with the one the build stored as it is (no hash: a few
// kilobytes, and no crypto module to load before the bundle needs one).
function fingerprint() {
  const lines = [];
  // Every path is under root: its tail names it (path.relative would cost more than the stat).
  const add = (path, stat = statSync(path)) => lines.push(`${path.slice(root.length)}\0${stat.size}\0${stat.mtimeMs}`);
  // Entries under bench/ (the benchmark's children) also depend on bench/ itself.
  const underBench = relative(root, join(root, entry)).split(/[\\/]/)[0] === 'bench';
  for (const path of ['src', 'imports', 'package-lock.json', 'scripts/run.mjs', ...(underBench ? ['bench'] : [])]) {
    const full = join(root, path);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (stat === undefined) continue;
    if (!stat.isDirectory()) add(full, stat);
    else for (const item of readdirSync(full, { withFileTypes: true, recursive: true })) if (!item.isDirectory()) add(join(item.parentPath, item.name));
  }
  return `${entry}\n${lines.sort().join('\n')}\n`;
}

// Several runs may build at once (tests run in parallel): readers only ever see whole files.
function writeAtomically(path, contents) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

const outfile = join(root, '.cache', 'build', `${basename(entry).replace(/\.ts$/, '')}.cjs`);
const keyFile = `${outfile}.key`;
const codeCacheFile = `${outfile}.v8-cache`;
const key = fingerprint();
// The bundle's code when the build cache cannot be written (a read-only checkout, a full
// disk): it then runs from memory, without V8's code cache.
let inMemory;
if (!existsSync(outfile) || !existsSync(keyFile) || readFileSync(keyFile, 'utf8') !== key) {
  const { build } = await import('esbuild');
  const { outputFiles } = await build({
    entryPoints: [join(root, entry)],
    outfile,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    // Less text to parse at start-up. Stack traces are mapped back with --debug.
    minifyWhitespace: true,
    minifySyntax: true,
    // Bundle the packages too: one script to compile instead of hundreds of
    // CommonJS files to resolve, read and wrap one by one.
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
  try {
    mkdirSync(dirname(outfile), { recursive: true });
    rmSync(codeCacheFile, { force: true });
    for (const file of outputFiles) writeAtomically(file.path, file.contents);
    writeAtomically(keyFile, key);
  } catch (error) {
    if (typeof error?.code !== 'string') throw error;
    inMemory = outputFiles.find((file) => file.path === outfile).text;
  }
}

process.argv = [process.argv[0], join(root, entry), ...args];
// What the bundle is built from, for caches of what its code concludes (src/core/build.ts).
globalThis[Symbol.for('pke.build')] = key;
// An entry that exports `main(argv)` is run here (importing it, as tests do, runs nothing);
// its return value is the exit code.
// `main` may return a promise of the exit code (a command that waits for Helm or the network).
const runMain = (exported) => {
  if (typeof exported?.main !== 'function') return;
  const code = exported.main(args);
  if (typeof code?.then === 'function') {
    return code.then((value) => {
      process.exitCode = value;
    });
  }
  process.exitCode = code;
  return undefined;
};
if (args.includes('--debug') && inMemory === undefined) {
  // Stack traces mapped back to the TypeScript sources: slower to start, only for --debug
  // (a UserError never prints a stack).
  process.setSourceMapsEnabled(true);
  runMain(createRequire(import.meta.url)(outfile));
} else {
  // The bundle runs as a CommonJS module compiled through V8's code cache: the
  // first run after a build stores the compiled code (with every function that
  // ran: for a `main` that returns a promise, once it has settled), later runs
  // skip parsing and compiling it. A cache V8 rejects (another Node version) is
  // simply rewritten.
  const cachedData = inMemory === undefined && existsSync(codeCacheFile) ? readFileSync(codeCacheFile) : undefined;
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${inMemory ?? readFileSync(outfile, 'utf8')}\n})`;
  const script = new Script(wrapped, { filename: outfile, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(outfile), module, outfile, dirname(outfile));
  const done = runMain(module.exports);
  if (inMemory === undefined && (cachedData === undefined || script.cachedDataRejected)) {
    const save = () => {
      try {
        writeAtomically(codeCacheFile, script.createCachedData());
      } catch {
        // A read-only checkout still runs, only slower.
      }
    };
    if (done === undefined) save();
    else void done.finally(save);
  }
}
