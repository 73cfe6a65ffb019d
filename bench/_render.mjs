// The render's benchmark: the bare `helm template` runs that `npm run render` makes, so
// its own cost (parsing, checking, writing the inventory) can be judged against Helm's.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This repository: bench/helm-commands.ts runs from here, whichever copy `root` names. */
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The `helm template` command of every child Application of every cluster, as the
 * render runs it: written by bench/helm-commands.ts with the render's own
 * `helmTemplateArgs`. Values files are written into `work`.
 */
export function helmCommands(root, chartDir, work) {
  const out = join(work, 'helm-commands-all.json');
  const result = spawnSync(process.execPath, ['scripts/run.mjs', 'bench/helm-commands.ts', resolve(root), resolve(chartDir), resolve(work), resolve(out)], {
    cwd: REPO,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`bench/helm-commands.ts failed: ${result.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}

/** The Helm that `npm run render` uses by default: the one taken out of the npm package into `.cache/helm/`. */
export function cachedHelm(root) {
  const dir = join(root, '.cache', 'helm');
  for (const entry of readdirSync(dir)) {
    const candidate = join(dir, entry, 'helm');
    try {
      readFileSync(`${candidate}.version`);
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error('no Helm in .cache/helm/: run `npm run render` once first');
}

/**
 * The commands a render actually runs: one per distinct set of inputs (chart, release,
 * namespace, Kubernetes and API versions, the values' content), as the render shares a
 * render between clusters that ask for the same one. The first of each, in order.
 */
export function distinctCommands(commands) {
  const seen = new Set();
  return commands.filter((args) => {
    const values = args[args.indexOf('--values') + 1];
    const key = JSON.stringify(args.map((arg) => (arg === values ? readFileSync(values, 'utf8') : arg)));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
