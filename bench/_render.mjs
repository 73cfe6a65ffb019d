// The render's benchmark: the bare `helm template` runs that `npm run render` makes, so
// its own cost (parsing, checking, writing the inventory) can be judged against Helm's.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The `helm template` command of every child Application of every cluster, as the
 * render runs it: chart package from `chartDir` (the version the inventory says was
 * rendered), release, namespace, Kubernetes version, API versions and values.
 * Values files are written into `work`.
 */
export function helmCommands(root, chartDir, work) {
  const commands = [];
  for (const cluster of readdirSync(join(root, 'inventory'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))) {
    const inventory = parse(readFileSync(join(root, 'inventory', `${cluster}.yaml`), 'utf8'));
    for (const [name, app] of Object.entries(inventory.applications)) {
      const application = parse(readFileSync(join(root, 'dist', cluster, `${name}.yaml`), 'utf8'));
      const source = [application.spec.source, ...(application.spec.sources ?? [])].find((s) => s?.chart !== undefined);
      const values = join(work, `values-${cluster}-${name}.json`);
      mkdirSync(work, { recursive: true });
      writeFileSync(values, JSON.stringify(source.helm?.valuesObject ?? {}));
      commands.push([
        'template',
        app.releaseName,
        join(chartDir, `${app.chart}-${app.renderedVersion ?? app.version}.tgz`),
        '--namespace',
        app.namespace,
        '--kube-version',
        inventory.kubeVersion,
        '--values',
        values,
        ...inventory.apiVersions.flatMap((api) => ['--api-versions', api]),
        ...(app.skipCrds ? [] : ['--include-crds']),
      ]);
    }
  }
  return commands;
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
