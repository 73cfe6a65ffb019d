// The plan of a big chart bump: mimir-distributed on both clusters, against the time of
// rendering the two changed Applications alone with bare `helm template`.
//
// A work folder gets the environments (mimir pinned to 5.9.0 on both clusters), the
// inventories and a chart folder with every fixture package plus mimir-distributed 5.9.0,
// re-packaged from the 5.7.0 fixture with the next image tag. `npm run render` there (the
// warm-up) updates the inventories and fills the render cache; then the plan runs against
// the repository's own dist/ and inventories as its base.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repeat, timeProcess } from './_process.mjs';
import { cachedHelm, helmCommands } from './_render.mjs';
import { summarize } from './_stats.mjs';

/** Re-packages mimir-distributed 5.7.0 as 5.9.0 (appVersion and image tag 2.17.0) into a copy of the fixture charts. */
function bumpedCharts(root, work) {
  const fixtures = join(root, 'test', 'fixtures', 'charts');
  const charts = join(work, 'charts');
  mkdirSync(charts, { recursive: true });
  for (const name of readdirSync(fixtures)) if (name.endsWith('.tgz')) copyFileSync(join(fixtures, name), join(charts, name));
  const unpacked = mkdtempSync(join(work, 'mimir-'));
  execFileSync('tar', ['-xzf', join(fixtures, 'mimir-distributed-5.7.0.tgz'), '-C', unpacked]);
  const chartYaml = join(unpacked, 'mimir-distributed', 'Chart.yaml');
  writeFileSync(
    chartYaml,
    readFileSync(chartYaml, 'utf8')
      .replace(/^version: .*$/m, 'version: 5.9.0')
      .replace(/^appVersion: .*$/m, 'appVersion: 2.17.0'),
  );
  const valuesYaml = join(unpacked, 'mimir-distributed', 'values.yaml');
  writeFileSync(valuesYaml, readFileSync(valuesYaml, 'utf8').replace('tag: 2.16.0', 'tag: 2.17.0'));
  execFileSync('tar', ['-czf', join(charts, 'mimir-distributed-5.9.0.tgz'), '-C', unpacked, 'mimir-distributed']);
  return charts;
}

/**
 * Measures the plan of the mimir bump (warm render cache, as after `npm run render`)
 * and the bare `helm template` runs of the two changed Applications, one after another.
 * @returns {{ plan: object, helm: object, renders: number, commentChars: number }}
 */
export function measurePlanBump({ root, work, runs, log }) {
  const dir = join(work, 'plan-bump');
  for (const folder of ['environments', 'inventory', 'dist']) cpSync(join(root, folder), join(dir, folder), { recursive: true });
  for (const cluster of ['kkg', 'example']) {
    const file = join(dir, 'environments', `${cluster}.yaml`);
    const text = readFileSync(file, 'utf8');
    const pin = "  mimir: { version: '5.9.0' }\n";
    writeFileSync(file, /^components:\n/m.test(text) ? text.replace(/^components:\n/m, `components:\n${pin}`) : `${text}\ncomponents:\n${pin}`);
  }
  const charts = bumpedCharts(root, work);
  const offline = ['--charts', charts, '--nearest', '--offline'];
  log('plan of the mimir bump: npm run render (warm-up) ...');
  timeProcess('render (mimir bump)', process.execPath, [join(root, 'scripts', 'run.mjs'), 'src/commands/render.ts', ...offline], { cwd: dir });
  const helm = cachedHelm(root);
  const commands = helmCommands(dir, charts, join(work, 'plan-bump-values')).filter((args) => args[1] === 'mimir');
  if (commands.length !== 2) throw new Error(`expected the helm template commands of mimir on both clusters, got ${commands.length}`);
  log('plan of the mimir bump: bare helm template of the two changed Applications, and the plan ...');
  const helmTimes = [];
  for (let i = 0; i <= runs; i++) {
    const sum = commands.reduce((total, args) => total + timeProcess('helm template mimir', helm, args).ms, 0);
    if (i > 0) helmTimes.push(sum);
  }
  let renders = NaN;
  let commentChars = NaN;
  const plan = repeat(
    'plan (mimir bump, both clusters)',
    runs,
    () => [
      process.execPath,
      [join(root, 'scripts', 'run.mjs'), 'src/commands/plan.ts', '--markdown', '--base', join(root, 'dist'), ...offline],
      { cwd: dir, env: { CDK8S_OUTDIR: '' } },
    ],
    (result) => {
      renders = Number(/Rendered (\d+) Application\(s\)/.exec(result.stdout)?.[1] ?? NaN);
      commentChars = result.stdout.length;
    },
  );
  return { plan, helm: { label: 'helm template mimir × 2', ...summarize(helmTimes) }, renders, commentChars };
}
