import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The root of this project: the nearest folder above the running script (for
 * synth, `src/main.ts` as `scripts/run.mjs` runs it) that holds `package.json`
 * and `cdk8s.yaml`, else the working directory. Synth may run in another folder
 * (its tests do), but the CRDs and the caches belong to the project.
 */
export function projectRoot(): string {
  for (let dir = resolve(dirname(process.argv[1] ?? '.')); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cdk8s.yaml'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

/**
 * The identity of the code this process runs: `scripts/run.mjs` hands it over before
 * it runs a bundle (the paths, sizes and mtimes of everything the bundle is built
 * from, the text it rebuilds the bundle on). A cache of what the code *concludes*
 * about an input (an environment file is valid, with these warnings) is bound to it:
 * once any source changes, none of its entries is believed. Undefined when the code
 * runs without the bundle (the tests): such caches are then not used.
 */
const BUILD = Symbol.for('pke.build');

export function buildIdentity(): string | undefined {
  const value = (globalThis as { [BUILD]?: unknown })[BUILD];
  return typeof value === 'string' ? value : undefined;
}
