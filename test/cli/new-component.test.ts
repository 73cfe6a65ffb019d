import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { componentIds, components } from '../../src/platform/index';
import { copyOfRepository, entryOf } from '../helpers/copy-entry';
import { REPO } from '../helpers/run-entry';
import { runAnyMain } from '../helpers/run-main';

/** npm scripts the README's steps name that another branch adds (issue 9: `npm run render`). */
/** This machine reaches no chart repository: `npm run render` reads the chart packages from these folders instead (the README's offline way). */
const OFFLINE_CHARTS = { PKE_CHARTS: ['test/fixtures/charts', 'test/fixtures/test-charts'].map((folder) => join(REPO, folder)).join(delimiter) };

/** docs/add-a-component.md, cut into its numbered steps. */
function readmeSteps(): string[] {
  const guide = readFileSync(join(REPO, 'docs/add-a-component.md'), 'utf8');
  return guide.split(/\n(?=\d+\. \*\*)/).slice(1);
}

/** The one match of `pattern` in `text`, or a failure that says what the README lacks. */
function the(pattern: RegExp, text: string, what: string): RegExpExecArray {
  const match = pattern.exec(text);
  if (match === null) throw new Error(`the README's step lacks ${what} (${pattern})`);
  return match;
}

/** What each step of the README gives the test to do. */
interface Steps {
  /** Step 1: the example file, and its id. */
  readonly file: { readonly id: string; readonly text: string };
  /** Step 2: the member of the `ComponentId` union, e.g. `| 'whoami'`. */
  readonly unionMember: string;
  /** Step 3: the import line and the catalog entry for `src/platform/index.ts`. */
  readonly importLine: string;
  readonly catalogEntry: string;
  /** Step 4: the npm scripts, in order. */
  readonly scripts: readonly string[];
  /** Steps 5 and 6, as text. */
  readonly test: string;
  readonly bootstrap: string;
}

function parseSteps(): Steps {
  const steps = readmeSteps();
  expect(steps, 'six numbered steps').toHaveLength(6);
  const [write, union, register, regenerate, test, bootstrap] = steps;
  const code = the(/```ts\n([\s\S]*?)\n {3}```/, write, 'the example file').at(1) as string;
  const text = `${code.replace(/^ {3}/gm, '')}\n`;
  return {
    file: { id: the(/^\s*id: '([^']+)',$/m, text, 'the id').at(1) as string, text },
    unionMember: the(/`(\| '[a-z0-9-]+')`/, union, 'the union member').at(1) as string,
    importLine: the(/`(import \{ \w+ \} from '\.\/[a-z0-9-]+';)`/, register, 'the import line').at(1) as string,
    catalogEntry: the(/catalog entry `([^`]+)`/, register, 'the catalog entry').at(1) as string,
    scripts: [...(the(/```sh\n([\s\S]*?)\n {3}```/, regenerate, 'the commands').at(1) as string).matchAll(/^ *npm run (\S+)/gm)].map((m) => m[1]),
    test,
    bootstrap,
  };
}

function edit(path: string, change: (text: string) => string): void {
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

/** Puts `line` among the lines that match `pattern`, keeping them sorted by `key`. */
function insertSorted(text: string, pattern: RegExp, line: string, key: (line: string) => string): string {
  const lines = text.split('\n');
  const indexes = lines.flatMap((l, i) => (pattern.test(l) ? [i] : []));
  expect(indexes.length, `lines matching ${pattern}`).toBeGreaterThan(1);
  const block = [...indexes.map((i) => lines[i]), line].sort((a, b) => key(a).localeCompare(key(b)));
  const [first] = indexes;
  lines.splice(first, indexes.length, ...block);
  return lines.join('\n');
}

/** `| 'x'` lines of the union, the last one ending with `;`. */
function withUnionMember(types: string, member: string): string {
  const added = insertSorted(types.replace(/^( {2}\| '[^']+');$/m, '$1'), /^ {2}\| '[^']+'$/, `  ${member}`, (l) => l);
  return added.replace(/^( {2}\| '[^']+')\n\n/m, '$1;\n\n');
}

describe('adding a component as docs/add-a-component.md says', () => {
  const steps = parseSteps();

  it('has every step: file, union, registration, derived files, tests and snapshots, bootstrap', () => {
    expect(steps.file.id).toBe('whoami');
    expect(steps.file.text).toMatch(/^\s*description: '/m);
    expect(steps.unionMember).toBe(`| '${steps.file.id}'`);
    expect(steps.importLine).toBe(`import { whoami } from './${steps.file.id}';`);
    expect(steps.scripts).toEqual(['schema', 'render', 'synth', 'readme']);
    expect(steps.test).toContain('npm test');
    expect(steps.test).toContain('npx vitest run test/golden/dist.test.ts -u');
    expect(steps.bootstrap).toContain('kubectl apply -f dist/<cluster>/bootstrap/');
    expect(steps.bootstrap).toContain('before merging');
  });

  it('uses an example whose id, file, chart and namespace collide with nothing in the catalog', () => {
    const { id } = steps.file;
    const chart = the(/^\s*chart: '([^']+)',$/m, steps.file.text, 'the chart').at(1) as string;
    const namespace = the(/^\s*namespace: '([^']+)',$/m, steps.file.text, 'the namespace').at(1) as string;

    expect(componentIds).not.toContain(id);
    expect(existsSync(join(REPO, `src/platform/${id}.ts`))).toBe(false);
    expect(components.map((c) => c.chart)).not.toContain(chart);
    expect(components.map((c) => c.namespace)).not.toContain(namespace);
  });

  it('puts the new component everywhere it belongs when followed literally in a fresh copy', async () => {
    const dir = copyOfRepository(
      ['src', 'imports', 'crds', 'environments', 'inventory', 'scripts', 'package.json', 'tsconfig.json', 'cdk8s.yaml', 'README.md', 'docs', 'renovate.json'],
      'pke-new-component-',
    );
    const scripts = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

    // 1. Write src/platform/<id>.ts
    writeFileSync(join(dir, `src/platform/${steps.file.id}.ts`), steps.file.text);
    // 2. Add the id to the ComponentId union
    edit(join(dir, 'src/platform/types.ts'), (text) => withUnionMember(text, steps.unionMember));
    // 3. Register it in src/platform/index.ts
    edit(join(dir, 'src/platform/index.ts'), (text) => {
      const imported = insertSorted(text, /^import \{ \w+ \} from '\.\/[a-z0-9-]+';$/, steps.importLine, (l) => l.replace(/^.* from /, ''));
      const [head, record, tail] = imported.split(/(?<=\nconst catalog = \{\n)|(?=\n\} satisfies )/);
      const byId = (l: string): string => l.trim().replace(/^'?([a-z0-9-]+)'?.*$/, '$1');
      return head + insertSorted(record, /^ {2}(?:'[a-z0-9-]+': \w+|\w+),$/, `  ${steps.catalogEntry}`, byId) + tail;
    });
    // 4. Regenerate what is derived from the catalog
    const outputs = new Map<string, string>();
    for (const script of steps.scripts) {
      const [, entry, ...args] = the(/^node scripts\/run\.mjs (\S+)(.*)$/, scripts[script], `npm run ${script}`);
      const offline = script === 'render' ? ['--offline', '--nearest'] : [];
      const run = await runAnyMain(await entryOf(dir, entry), [...args.join('').split(' ').filter(Boolean), ...offline], { root: dir, env: OFFLINE_CHARTS });
      // Warnings only (mimir is rendered from the nearest package; the example cluster's ACME address).
      expect(
        run.stderr.split('\n').filter((line) => line !== '' && !line.includes(': warning: ')),
        `npm run ${script}`,
      ).toEqual([]);
      expect(run.code, `npm run ${script}`).toBe(0);
      outputs.set(script, run.stdout);
    }

    expect(outputs.get('render')).toContain('  + whoami: 3 objects\n');
    expect(readFileSync(join(dir, 'inventory/kkg.yaml'), 'utf8')).toContain('      - apps/v1 Deployment whoami/whoami\n');
    expect(outputs.get('synth')).toContain('  added    dist/kkg/whoami.yaml\n');
    for (const cluster of ['example', 'kkg']) {
      const app = parse(readFileSync(join(dir, `dist/${cluster}/whoami.yaml`), 'utf8'));
      expect(app.metadata.annotations['argocd.argoproj.io/sync-wave'], cluster).toBe('5');
      expect(app.spec.source.helm.valuesObject.ingress.host, cluster).toMatch(/^whoami\./);
      expect(app.spec.project, cluster).toBe('platform-whoami');
      const project = parse(readFileSync(join(dir, `dist/${cluster}/bootstrap/appproject-platform-whoami.yaml`), 'utf8'));
      expect(project.spec.sourceRepos, cluster).toEqual(['https://charts.example.test']);
      expect(
        project.spec.destinations.map((d: { namespace: string }) => d.namespace),
        cluster,
      ).toEqual(['whoami']);
      expect(project.spec.namespaceResourceWhitelist, cluster).toContainEqual({ group: 'apps', kind: 'Deployment' });
    }
    const schema = JSON.parse(readFileSync(join(dir, 'environments/environment.schema.json'), 'utf8'));
    expect(schema.properties.components.propertyNames.enum).toContain('whoami');
    const renovate = readFileSync(join(dir, 'renovate.json'), 'utf8');
    expect(renovate).toContain('"matchDepNames": ["whoami"]');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('c_whoami["whoami"]');
    expect(readme).toMatch(/^ {2}c_traefik --> c_whoami$/m);
  }, 600_000); // four commands, each bundled afresh for the copy: a hang guard at 10x a busy machine
});
