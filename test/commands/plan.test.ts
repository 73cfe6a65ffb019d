import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as plan } from '../../src/commands/plan';
import { main as synth } from '../../src/main';
import { committedOutput } from '../../src/plan/committed';
import { runAsyncMain, runMain } from '../helpers/run-main';

/** The real environments and the committed dist/, committed with Git once (copied for each test). */
let committed: string | undefined;

/** A folder with the real environments, their inventories and the committed dist/, committed with Git unless `git` is false. */
function workspace(options: { readonly git?: boolean; readonly dist?: boolean } = {}): string {
  const withGit = options.git !== false && options.dist !== false;
  if (withGit && committed !== undefined) {
    const copy = mkdtempSync(join(tmpdir(), 'pke-plan-'));
    cpSync(committed, copy, { recursive: true });
    return copy;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pke-plan-'));
  cpSync('environments', join(dir, 'environments'), { recursive: true });
  cpSync('inventory', join(dir, 'inventory'), { recursive: true });
  if (options.dist !== false) cpSync('dist', join(dir, 'dist'), { recursive: true });
  if (options.git !== false) {
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'base');
  }
  if (withGit) committed = dir;
  return withGit ? workspace(options) : dir;
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.test', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, stdio: 'pipe' });
}

/** The commit HEAD is at, as plan names it (12 hex digits). */
function head(dir: string): string {
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir }).toString().trim().slice(0, 12);
}

function editKkg(dir: string, edit: (text: string) => string): void {
  const path = join(dir, 'environments/kkg.yaml');
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
}

const disableNavidrome = (text: string) => text.replace('navidrome: { enabled: true }', 'navidrome: { enabled: false }');

/** Offline chart packages for the plan's rendered diffs (no network in tests). */
const OFFLINE_CHARTS = ['--charts', join(process.cwd(), 'test/fixtures/charts'), '--nearest', '--offline'];

describe('npm run plan against dist/ as committed at HEAD', () => {
  it('reports nothing and exits 0 on an unchanged tree', async () => {
    const result = await runAsyncMain(plan, [], { root: workspace() });

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^Compared: dist\/ at [0-9a-f]{12} \(HEAD itself: main already holds it\) \(what Argo CD syncs now\) with the working tree on [0-9a-f]{12}\.\n/,
    );
    expect(result.stdout.split('\n').slice(1).join('\n')).toBe('kkg (production): no changes\nexample: no changes\nNo changes.\n');
  });

  it('still refuses a removal after synth has rewritten dist/ (synth, then plan)', async () => {
    // GIVEN a removed component, already rendered into the working tree's dist/
    const dir = workspace();
    editKkg(dir, disableNavidrome);
    expect(runMain(synth, [], { root: dir }).code).toBe(0);

    // WHEN the plan runs without --base
    const result = await runAsyncMain(plan, OFFLINE_CHARTS, { root: dir });

    // THEN it compares with what HEAD holds, so the removal shows and is blocked
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('- Application navidrome');
    expect(result.stdout).toMatch(/rendered navidrome 1\.0\.0: 0 added, 0 changed, [1-9]\d* removed, 0 unchanged\n/);
    expect(result.stdout).toContain('pass --allow-delete navidrome');
    // and says that its project leaves Argo CD only by hand: kubectl apply never deletes an AppProject
    expect(result.stdout).toContain('`kubectl -n argocd delete appproject platform-navidrome`');
    expect(result.stdout).not.toMatch(/apply `dist\/kkg\/bootstrap\/` after merging/);
  });

  it('compares with the merge base of HEAD and the default branch: "commit, then plan" shows the branch\'s change', async () => {
    // GIVEN a branch whose commit removes a component (dist/ synthesised and committed)
    const dir = workspace();
    const base = head(dir);
    git(dir, 'checkout', '-q', '-b', 'remove-navidrome');
    editKkg(dir, disableNavidrome);
    expect(runMain(synth, [], { root: dir }).code).toBe(0);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'remove navidrome');

    // WHEN the plan runs without --base
    const result = await runAsyncMain(plan, OFFLINE_CHARTS, { root: dir });

    // THEN it compares with main's commit, says so first, and blocks the removal
    expect(result.stdout.split('\n')[0]).toBe(
      `Compared: dist/ at ${base} (the merge base of HEAD and main) (what Argo CD syncs now) with the working tree on ${head(dir)}.`,
    );
    expect(result.stdout).toContain('- Application navidrome');
    expect(result.code).toBe(1);
  });

  it('fails closed when there is no default branch to compare with', async () => {
    const dir = workspace();
    git(dir, 'branch', '-q', '-m', 'main', 'topic');

    expect(await runAsyncMain(plan, [], { root: dir })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'dist: cannot tell which commit to compare with: no default branch (origin/HEAD, origin/main, origin/master, main or master); pass --base <folder> with the output to compare with\n',
    });
  });

  it('lets the removal pass with --allow-delete', async () => {
    const dir = workspace();
    editKkg(dir, disableNavidrome);

    const result = await runAsyncMain(plan, ['--allow-delete', 'navidrome', '--markdown', ...OFFLINE_CHARTS], { root: dir });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('- `-` Application `navidrome` · `dist/kkg/navidrome.yaml` — allowed by --allow-delete');
  });

  it('never passes when a protected Application would go, whatever is allowed', async () => {
    const dir = workspace();
    // Removing a whole cluster's file removes every Application of it, protected ones included.
    rmSync(join(dir, 'environments/example.yaml'));

    // Offline and without chart folders: the rendered diffs are missing too, which is quick.
    const result = await runAsyncMain(plan, ['--allow-delete', 'cilium', '--allow-delete', 'example/cilium', '--offline'], { root: dir });

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('REFUSED: cilium is protected.');
  });

  it.each([
    ['a folder that is not in a Git repository', () => workspace({ git: false }), 'this folder is not in a Git repository'],
    [
      'a repository without a commit',
      () => {
        const dir = workspace({ git: false });
        git(dir, 'init', '-q');
        return dir;
      },
      'the repository has no commit yet',
    ],
  ])('fails closed in %s, and says to pass --base', async (_name, make, why) => {
    expect(await runAsyncMain(plan, [], { root: make() })).toEqual({
      code: 1,
      stdout: '',
      stderr: `dist: cannot read dist/ as committed at HEAD: ${why}; pass --base <folder> with the output to compare with\n`,
    });
  });

  it('fails closed when nothing is committed in dist/ at HEAD', async () => {
    const dir = workspace({ dist: false });
    expect(await runAsyncMain(plan, [], { root: dir })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `dist: nothing is committed in dist/ at ${head(dir)}, so every removal would pass unseen; commit the output of \`npm run synth\` first, ` +
        'or pass --base <folder> with the output to compare with\n',
    });
  });

  it('fails closed when what HEAD holds in dist/ is only the output marker', async () => {
    const dir = workspace({ dist: false });
    mkdirSync(join(dir, 'dist'));
    cpSync('dist/.pke-output', join(dir, 'dist/.pke-output'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'marker only');

    expect(await runAsyncMain(plan, [], { root: dir })).toEqual({
      code: 1,
      stdout: '',
      stderr: `dist: ${head(dir)} holds only the output marker in dist/, so every removal would pass unseen; commit the output of \`npm run synth\` first, or pass --base <folder> with the output to compare with\n`,
    });
  });

  it('fails closed when what HEAD holds in dist/ is not an output of this project', async () => {
    const dir = workspace({ dist: false });
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/notes.txt'), 'mine\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'notes');

    expect((await runAsyncMain(plan, [], { root: dir })).stderr).toBe(
      `dist: what ${head(dir)} holds in dist/ is not an output of this project (notes.txt is not a file synth writes); pass --base <folder> with the output to compare with\n`,
    );
  });

  it('says so when Git is missing', async () => {
    expect(() => committedOutput('dist', workspace(), 'no-such-git-program')).toThrow(
      'dist: cannot read dist/ as committed at HEAD: git is not installed (or not on PATH); pass --base <folder> with the output to compare with',
    );
  });

  it('reads the same files as the committed folder holds, without the marker', async () => {
    const dir = workspace();

    const files = committedOutput('dist', dir);

    expect(files.get('kkg/cilium.yaml')).toBe(readFileSync('dist/kkg/cilium.yaml', 'utf8'));
    expect(files.has('.pke-output')).toBe(false);
    expect(files.size).toBe(execFileSync('git', ['ls-files', 'dist'], { cwd: dir }).toString().trim().split('\n').length - 1);
  });
});

describe('npm run plan --base', () => {
  it.each([
    ['a missing folder', (_dir: string) => 'gone', 'gone: --base: no such folder; give the folder of the output to compare with'],
    [
      'an empty folder',
      (dir: string) => (mkdirSync(join(dir, 'empty')), 'empty'),
      'empty: --base: the folder holds no rendered files, so nothing could be compared; give the folder of the output to compare with',
    ],
    [
      'a file',
      (dir: string) => (writeFileSync(join(dir, 'package.json'), '{}\n'), 'package.json'),
      'package.json: --base: expected a folder of rendered output, got a file',
    ],
    [
      'a folder that is not an output of this project',
      (_dir: string) => 'environments',
      'environments: --base: not an output folder of this project (no .pke-output, and environment.schema.json is not a file synth writes); give the folder of the output to compare with',
    ],
    [
      'an output folder that holds only the marker',
      (dir: string) => (mkdirSync(join(dir, 'marked')), writeFileSync(join(dir, 'marked/.pke-output'), 'x\n'), 'marked'),
      'marked: --base: the folder holds no rendered files, so nothing could be compared; give the folder of the output to compare with',
    ],
  ])('fails closed on %s: exit 1, one line, no plan', async (_name, make, message) => {
    const dir = workspace({ git: false });
    const base = make(dir);

    expect(await runAsyncMain(plan, ['--base', base], { root: dir })).toEqual({ code: 1, stdout: '', stderr: `${message}\n` });
  });

  it('compares with another copy of the output, such as the base branch in CI', async () => {
    const dir = workspace({ git: false });
    cpSync(join(dir, 'dist'), join(dir, 'base'), { recursive: true });
    editKkg(dir, disableNavidrome);

    const result = await runAsyncMain(plan, ['--base', 'base', ...OFFLINE_CHARTS], { root: dir });

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('- Application navidrome');
  });

  it('reads a base reached through a link', async () => {
    const dir = workspace({ git: false });
    cpSync(join(dir, 'dist'), join(dir, 'copy'), { recursive: true });
    symlinkSync(join(dir, 'copy'), join(dir, 'base'));

    expect(await runAsyncMain(plan, ['--base', 'base'], { root: dir })).toMatchObject({ code: 0, stderr: '' });
  });

  it.each([
    ['the output folder itself', (dir: string) => join(dir, 'dist')],
    ['the output folder by another path', (dir: string) => `${join(dir, 'dist')}/.`],
    [
      'a link to the output folder',
      (dir: string) => {
        symlinkSync(join(dir, 'dist'), join(dir, 'base'));
        return 'base';
      },
    ],
  ])('refuses %s as the base: it holds the change itself, so every removal would pass', async (_name, base) => {
    const dir = workspace({ git: false });
    editKkg(dir, disableNavidrome);
    expect(runMain(synth, [], { root: dir }).code).toBe(0);

    const result = await runAsyncMain(plan, ['--base', base(dir)], { root: dir });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^\S+: --base is dist\/, the output being planned .*every removal would pass unseen; give the base branch's output/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('accepts a base an older synth wrote without the marker (the base branch before this change)', async () => {
    const dir = workspace({ git: false });
    cpSync(join(dir, 'dist'), join(dir, 'base'), { recursive: true });
    rmSync(join(dir, 'base/.pke-output'));

    expect((await runAsyncMain(plan, ['--base', 'base'], { root: dir })).code).toBe(0);
  });
});
