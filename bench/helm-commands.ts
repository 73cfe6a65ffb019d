// The `helm template` command of every child Application of every cluster, as the render
// runs it (src/charts/jobs.ts `helmTemplateArgs`, the same function): chart package from
// `chartDir` (the version the inventory says was rendered), release, namespace, Kubernetes
// version, API versions and values. Values files are written into `work`; the commands go to
// `out` as JSON, one array of arguments each.
//
//   node scripts/run.mjs bench/helm-commands.ts <root> <chartDir> <work> <out>
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { helmTemplateArgs } from '../src/charts/jobs';

interface InventoryFile {
  readonly kubeVersion: string;
  readonly apiVersions: readonly string[];
  readonly applications: Record<
    string,
    { chart: string; version: string; renderedVersion?: string; releaseName: string; namespace: string; skipCrds: boolean }
  >;
}

const [root, chartDir, work, out] = process.argv.slice(2);
const commands: string[][] = [];
mkdirSync(work, { recursive: true });
for (const cluster of readdirSync(join(root, 'inventory'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length))) {
  const inventory = parse(readFileSync(join(root, 'inventory', `${cluster}.yaml`), 'utf8')) as InventoryFile;
  for (const [name, app] of Object.entries(inventory.applications)) {
    const application = parse(readFileSync(join(root, 'dist', cluster, `${name}.yaml`), 'utf8'));
    const source = [application.spec.source, ...(application.spec.sources ?? [])].find((s) => s?.chart !== undefined);
    const values = join(work, `values-${cluster}-${name}.json`);
    writeFileSync(values, JSON.stringify(source.helm?.valuesObject ?? {}));
    const chart = join(chartDir, `${app.chart}-${app.renderedVersion ?? app.version}.tgz`);
    commands.push(helmTemplateArgs({ ...app, kubeVersion: inventory.kubeVersion, apiVersions: inventory.apiVersions }, chart, values));
  }
}
writeFileSync(out, JSON.stringify(commands));
