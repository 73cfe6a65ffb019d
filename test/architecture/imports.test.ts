import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { readTree } from '../../src/synth/write';

// The rooms of src/, in the order data flows through them (the lowest first). A module may
// import from its own room or an earlier one, never from a later one (docs/style.md, rule 1).
const STAGES = ['core', 'crds', 'config', 'graph', 'inventory', 'platform', 'constructs', 'synth', 'validate', 'docs-gen', 'charts', 'plan', 'commands'];
// Packages each room may use; node built-ins are listed separately.
const PACKAGES: Record<string, readonly string[]> = {
  core: ['semver/functions/compare', 'semver/functions/valid'],
  crds: [],
  config: ['ajv', 'ajv/dist/standalone', 'yaml', 'ipaddr.js'],
  graph: [],
  inventory: ['yaml'],
  platform: [],
  // Not cdk8s-plus: its generated Kube* module alone is a fifth of the bundle every command loads.
  constructs: ['cdk8s', 'constructs', 'ipaddr.js'],
  synth: ['cdk8s', 'yaml'],
  validate: ['ajv', 'ajv/dist/standalone', 'ajv/dist/runtime/equal', 'ajv/dist/runtime/ucs2length', 'yaml', 'cdk8s'],
  'docs-gen': ['yaml'],
  charts: ['yaml', 'js-yaml', 'fflate'],
  plan: ['yaml', 'diff'],
  commands: [],
};
const BUILTINS: Record<string, boolean> = {
  core: true,
  crds: true,
  config: true,
  graph: false,
  inventory: true,
  platform: false,
  constructs: false,
  synth: true,
  validate: true,
  'docs-gen': false,
  charts: true,
  plan: true,
  commands: true,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (match) => match[1],
  );
}

/** Every forbidden import among `files` (path → its import specifiers), as `file -> target (reason)`. */
function forbiddenEdges(files: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  for (const [file, targets] of files) {
    const stage = relative('src', file).split('/')[0];
    if (!STAGES.includes(stage)) continue; // entry points (main.ts, …) may import anything
    for (const target of targets) {
      if (target.startsWith('.')) {
        const resolved = relative('.', normalize(join(dirname(file), target)));
        const [root, targetStage] = resolved.split('/');
        if (root === 'imports') {
          if (stage !== 'constructs') problems.push(`${file} -> ${target} (only src/constructs/ may use the generated imports/)`);
        } else if (root !== 'src' || !STAGES.includes(targetStage)) {
          problems.push(`${file} -> ${target} (outside the stages)`);
        } else if (STAGES.indexOf(targetStage) > STAGES.indexOf(stage)) {
          problems.push(`${file} -> ${target} (${stage}/ comes before ${targetStage}/)`);
        }
      } else if (target.startsWith('node:')) {
        if (!BUILTINS[stage]) problems.push(`${file} -> ${target} (${stage}/ does no I/O)`);
      } else if (!PACKAGES[stage].includes(target)) {
        problems.push(`${file} -> ${target} (${stage}/ may use ${PACKAGES[stage].join(', ') || 'no package'})`);
      }
    }
  }
  return problems;
}

describe('import direction', () => {
  it('only imports from the same or an earlier stage, and only the packages of that stage', () => {
    const files = new Map(sourceFiles('src').map((file) => [file, importsOf(file)]));

    expect(files.get('src/main.ts')).toContain('./config/load');
    expect(forbiddenEdges(files)).toEqual([]);
  });

  it('keeps constructs free of files, the environment and the clock', () => {
    const offending = sourceFiles('src/constructs').filter((file) => /process\.env|Date\.now|new Date\(|readFileSync/.test(readFileSync(file, 'utf8')));

    expect(offending).toEqual([]);
  });

  it('reports a backward edge, a stray package, I/O in a pure stage and imports/ outside constructs', () => {
    const files = new Map([
      ['src/config/load.ts', ['../platform/types', 'cdk8s']],
      ['src/graph/plan.ts', ['node:fs', '../core/user-error']],
      ['src/synth/cluster-files.ts', ['../../imports/argocd-application-argoproj.io']],
    ]);

    expect(forbiddenEdges(files)).toEqual([
      'src/config/load.ts -> ../platform/types (config/ comes before platform/)',
      'src/config/load.ts -> cdk8s (config/ may use ajv, ajv/dist/standalone, yaml, ipaddr.js)',
      'src/graph/plan.ts -> node:fs (graph/ does no I/O)',
      'src/synth/cluster-files.ts -> ../../imports/argocd-application-argoproj.io (only src/constructs/ may use the generated imports/)',
    ]);
  });
});

/**
 * Every import of a `_file` from outside its folder, as `importer -> target`. A `_file` is private to
 * its folder (subfolders included) and to the test folder that mirrors it (`test/<room>/` for
 * `src/<room>/`, `test/bench/` for `bench/`).
 */
function privateImports(files: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  for (const [file, targets] of files) {
    for (const target of targets.filter((t) => t.startsWith('.'))) {
      const resolved = relative('.', normalize(join(dirname(file), target)));
      const name = resolved.split('/').pop() as string;
      if (!name.startsWith('_')) continue;
      const home = dirname(resolved);
      const mirror = home.replace(/^src\//, 'test/').replace(/^bench$/, 'test/bench');
      const inside = (folder: string) => dirname(file) === folder || dirname(file).startsWith(`${folder}/`);
      if (!inside(home) && !inside(mirror)) problems.push(`${file} -> ${target}`);
    }
  }
  return problems;
}

describe('the code map', () => {
  it('lists in the README exactly the rooms of src/, in the order of the import test, and every room is a folder', () => {
    const readme = readFileSync('README.md', 'utf8');
    const map = readme.slice(readme.indexOf('## Layout of the code'));
    const listed = [...map.matchAll(/^src\/([a-z-]+)\/ /gm)].map((m) => m[1]);
    const folders = readdirSync('src', { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? [entry.name] : []));

    expect(listed).toEqual(STAGES);
    expect([...folders].sort()).toEqual([...STAGES].sort());
  });
});

describe('private files', () => {
  it('imports a `_file` only from its own folder or the test folder mirroring it', () => {
    const files = new Map(
      [...sourceFiles('src'), ...sourceFiles('test'), ...sourceFiles('bench')].filter((f) => !f.includes('/fixtures/')).map((file) => [file, importsOf(file)]),
    );

    expect(privateImports(files)).toEqual([]);
  });

  it('reports an import of a `_file` from another folder, and allows the same folder, a subfolder and the mirroring test', () => {
    const files = new Map([
      ['src/synth/overview.ts', ['../platform/_hosts', './_output-lock']],
      ['src/validate/rules/secrets.ts', ['../_parse']],
      ['test/validate/schema.test.ts', ['../../src/validate/_compile']],
      ['test/helpers/render.ts', ['../../src/platform/_resolve']],
    ]);

    expect(privateImports(files)).toEqual(['src/synth/overview.ts -> ../platform/_hosts', 'test/helpers/render.ts -> ../../src/platform/_resolve']);
  });
});

describe('what esbuild bundles', () => {
  it('is plain ASCII: a single other character (esbuild keeps them in regular expressions) makes Node decode the whole bundle on the slow path at every start', () => {
    // esbuild escapes strings and templates and drops comments; what is left is in regular expressions or raw templates.
    const offending = [...sourceFiles('src'), ...sourceFiles('imports')].flatMap((file) => {
      const { code } = transformSync(readFileSync(file, 'utf8'), { loader: 'ts', charset: 'ascii', minifyWhitespace: true });
      // eslint-disable-next-line no-control-regex -- everything outside ASCII, the range starts at NUL
      const at = code.search(/[^\x00-\x7f]/);
      return at < 0
        ? []
        : [`${file}: ${JSON.stringify(code.slice(Math.max(0, at - 30), at + 10))} (write it as \\u${code.charCodeAt(at).toString(16).padStart(4, '0')})`];
    });

    expect(offending).toEqual([]);
  });
});

describe('generated code', () => {
  it('is exactly what `npm run import` generates from crds/ (never edited by hand)', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'pke-imports-'));

    await promisify(execFile)(resolve('node_modules/.bin/cdk8s'), ['import', '--language', 'typescript', '--output', outdir, '--no-check-upgrade']);

    expect(readTree(outdir)).toEqual(readTree('imports'));
  });

  it('starts every file in imports/ with the generated-code marker', () => {
    for (const file of sourceFiles('imports')) {
      expect(readFileSync(file, 'utf8').split('\n')[0], file).toBe('// generated by cdk8s');
    }
  });
});
