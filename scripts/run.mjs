#!/usr/bin/env node
// Runs a TypeScript entry point of this repository with plain Node.
//
//   node scripts/run.mjs src/main.ts [args...]
//
// The entry is bundled with esbuild (project code and imports/ only; packages
// stay external) into .cache/build/, and the bundle is imported in this same
// process. The bundle is rebuilt only when a file under src/ or imports/, the
// lock file or this script changed (size + mtime), so a run usually costs no
// more than loading the bundle. esbuild does not type-check: `npm test` runs
// `tsc --noEmit` for that.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  process.stderr.write('usage: node scripts/run.mjs <entry.ts> [args...]\n');
  process.exit(2);
}

function fingerprint() {
  const hash = createHash('sha256');
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    } else {
      hash.update(`${relative(root, path)}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  for (const path of ['src', 'imports', 'package-lock.json', 'scripts/run.mjs']) {
    const full = join(root, path);
    if (existsSync(full)) visit(full);
  }
  hash.update(entry);
  return hash.digest('hex');
}

const outfile = join(root, '.cache', 'build', `${basename(entry).replace(/\.ts$/, '')}.mjs`);
const keyFile = `${outfile}.key`;
const key = fingerprint();
if (!existsSync(outfile) || !existsSync(keyFile) || readFileSync(keyFile, 'utf8') !== key) {
  const { build } = await import('esbuild');
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  writeFileSync(keyFile, key);
}

process.setSourceMapsEnabled(true);
process.argv = [process.argv[0], join(root, entry), ...args];
await import(pathToFileURL(outfile).href);
