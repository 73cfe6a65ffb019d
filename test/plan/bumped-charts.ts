/**
 * Test support for plans of real chart bumps: a Git workspace holding the
 * project's environments, inventories and committed dist/, and a chart folder
 * holding the fixture packages plus bumped versions made by re-packaging a
 * fixture with another version (and, where asked, other image tags), as a
 * chart repository would serve the next release.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURE_CHARTS = join(process.cwd(), 'test/fixtures/charts');

export function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.test', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, stdio: 'pipe' });
}

/** A folder with the real environments, inventories and dist/, committed on `main`. */
export function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pke-plan-real-'));
  for (const folder of ['environments', 'inventory', 'dist']) cpSync(folder, join(dir, folder), { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

/** Edits an environment file of the workspace. */
export function editEnvironment(dir: string, cluster: string, edit: (text: string) => string): void {
  const path = join(dir, `environments/${cluster}.yaml`);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
}

/** Adds `components.<id>.version: <version>` to an environment file (creating `components:` when it has none). */
export function pinVersion(dir: string, cluster: string, component: string, version: string): void {
  editEnvironment(dir, cluster, (text) =>
    /^components:\n/m.test(text)
      ? text.replace(/^components:\n/m, `components:\n  ${component}: { version: '${version}' }\n`)
      : `${text}\ncomponents:\n  ${component}: { version: '${version}' }\n`,
  );
}

/** One bump: a fixture package re-packaged as another version. */
export interface Bump {
  /** The fixture package (`traefik-37.0.0.tgz`). */
  readonly from: string;
  /** The chart's folder name inside the package (`traefik`). */
  readonly chart: string;
  readonly version: string;
  /** The new `appVersion` (image tags that default to it follow). */
  readonly appVersion?: string;
  /** Text replacements in the chart's own values.yaml (`tag: 2.16.0` → `tag: 2.17.0`). */
  readonly values?: readonly (readonly [string, string])[];
  /** Files added to the chart, by path inside its folder (`templates/binding.yaml`). */
  readonly files?: Readonly<Record<string, string>>;
}

/** A chart folder with every fixture package and the bumped ones (re-packaged with tar, as `helm package` lays them out). */
export function chartsWith(bumps: readonly Bump[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'pke-charts-'));
  for (const name of readdirSync(FIXTURE_CHARTS)) if (name.endsWith('.tgz')) copyFileSync(join(FIXTURE_CHARTS, name), join(dir, name));
  for (const bump of bumps) {
    const work = mkdtempSync(join(tmpdir(), 'pke-bump-'));
    execFileSync('tar', ['-xzf', join(FIXTURE_CHARTS, bump.from), '-C', work]);
    const chartYaml = join(work, bump.chart, 'Chart.yaml');
    let meta = readFileSync(chartYaml, 'utf8').replace(/^version: .*$/m, `version: ${bump.version}`);
    if (bump.appVersion !== undefined) meta = meta.replace(/^appVersion: .*$/m, `appVersion: ${bump.appVersion}`);
    writeFileSync(chartYaml, meta);
    if (bump.values !== undefined) {
      const valuesYaml = join(work, bump.chart, 'values.yaml');
      let values = readFileSync(valuesYaml, 'utf8');
      for (const [from, to] of bump.values) values = values.replace(from, to);
      writeFileSync(valuesYaml, values);
    }
    for (const [path, text] of Object.entries(bump.files ?? {})) writeFileSync(join(work, bump.chart, path), text);
    execFileSync('tar', ['-czf', join(dir, `${bump.chart}-${bump.version}.tgz`), '-C', work, bump.chart]);
  }
  return dir;
}
