import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../src/core/file-system';
import { main as synth } from '../src/main';
import { readTree } from '../src/synth/write';
import { faultyFileSystem } from './helpers/fault-fs';
import { writeLabWorkspace } from './helpers/fixture-inventory';
import { runMain } from './helpers/run-main';

const LAB = readFileSync('test/fixtures/environments/lab.yaml', 'utf8');

/** Files of a folder's tree without those of the lock folders next to dist/, environments/ and inventory/. */
function withoutLocks(files: Map<string, string>): Map<string, string> {
  return new Map([...files].filter(([path]) => !/^\.[^/]+\.synth-lock\//.test(path)));
}

/** Names of a folder without the lock folders (`.dist.synth-lock`), which stay between runs. */
function withoutLockFolders(names: string[]): string[] {
  return names.filter((name) => !name.endsWith('.synth-lock'));
}

/** environments/lab.yaml and the dist/ synth renders from it, made once. */
let template = '';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pke-synth-'));
  cpSync(template, dir, { recursive: true });
  return dir;
}

beforeAll(() => {
  template = mkdtempSync(join(tmpdir(), 'pke-synth-template-'));
  writeLabWorkspace(template);
  const first = runMain(synth, [], { root: template });
  expect(first.code, first.stderr).toBe(0);
});

describe('synth in-process', () => {
  it('refuses an unknown flag before it writes anything', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'environments/lab.yaml'), LAB.replace('revision: release-1', 'revision: release-2'));
    const before = readTree(join(dir, 'dist'));

    expect(runMain(synth, ['--chek'], { root: dir })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'npm run synth: unknown option --chek; usage: npm run synth -- [--check] [--debug]\n1 problem(s); dist/ was not changed.\n',
    });
    expect(readTree(join(dir, 'dist'))).toEqual(before);
  });

  it.each([
    ['.', 'expected a folder of its own for the output, got the working folder (or one that contains it); set CDK8S_OUTDIR to a subfolder such as dist'],
    [
      'environments',
      'not an output folder of this project (no .pke-output, and lab.yaml is not a file synth writes); ' +
        'synth replaces the whole folder, so it only replaces its own: set CDK8S_OUTDIR to an empty or new folder',
    ],
  ])('refuses CDK8S_OUTDIR=%s and leaves everything as it was', (outdir, message) => {
    const dir = workspace();
    const before = readTree(dir);

    expect(runMain(synth, [], { root: dir, env: { CDK8S_OUTDIR: outdir } })).toEqual({
      code: 1,
      stdout: '',
      stderr: `${outdir}: ${message}\n1 problem(s); ${outdir}/ was not changed.\n`,
    });
    // (the lock folders of dist/, environments/ and inventory/ stay, as one generation that says the lock is free)
    expect(withoutLocks(readTree(dir))).toEqual(withoutLocks(before));
  });

  it('refuses a file where the output folder belongs, in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-synth-'));
    writeLabWorkspace(dir);
    writeFileSync(join(dir, 'dist'), 'a file\n');

    expect(runMain(synth, [], { root: dir })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'dist: expected the output folder, got a file; move it out of the way or set CDK8S_OUTDIR to a folder of its own\n1 problem(s); dist/ was not changed.\n',
    });
  });

  it.each([
    ['ENOSPC', 'no space left on the device (ENOSPC); free some space and run again'],
    ['EROFS', 'the file system is read-only (EROFS); work in a writable checkout, or remount it read-write'],
    ['EACCES', 'permission denied (EACCES); give this user access to it (chmod, chown) or run as its owner'],
  ])('reports %s while writing as one line without a stack trace, and leaves dist/ as it was', (code, why) => {
    const dir = workspace();
    writeFileSync(join(dir, 'environments/lab.yaml'), LAB.replace('revision: release-1', 'revision: release-2'));
    const before = readTree(join(dir, 'dist'));
    const probe = faultyFileSystem(nodeFileSystem(dir));
    expect(runMain(synth, [], { fs: probe }).code).toBe(0);
    const at = probe.steps.findIndex((step) => step.method === 'write' && step.paths[0] === '.dist.synth-new/lab/cilium.yaml');
    const again = workspace();
    writeFileSync(join(again, 'environments/lab.yaml'), LAB.replace('revision: release-1', 'revision: release-2'));

    const result = runMain(synth, [], { fs: faultyFileSystem(nodeFileSystem(again), { at, code }) });

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `.dist.synth-new/lab/cilium.yaml: cannot open: ${why}\n1 problem(s); dist/ was not changed.\n`,
    });
    expect(readTree(join(again, 'dist'))).toEqual(before);
    expect(withoutLockFolders(readdirSync(again)).sort()).toEqual(['.cache', 'dist', 'environments', 'inventory']);
  });

  it('completes a swap that a killed synth left, first thing, and says so', () => {
    // GIVEN a synth that died right after moving the old output aside
    const dir = workspace();
    writeFileSync(join(dir, 'environments/lab.yaml'), LAB.replace('revision: release-1', 'revision: release-2'));
    const probe = faultyFileSystem(nodeFileSystem(workspace()));
    writeFileSync(join(probe.root, 'environments/lab.yaml'), LAB.replace('revision: release-1', 'revision: release-2'));
    runMain(synth, [], { fs: probe });
    const at = probe.steps.findIndex((step) => step.method === 'rename' && step.paths[0] === '.dist.synth-new');
    const crashed = runMain(synth, [], { fs: faultyFileSystem(nodeFileSystem(dir), { at, code: 'EIO', crash: true }) });
    expect(crashed.stderr).toContain(`Error: crash at step ${at}: rename .dist.synth-new dist`);
    expect(readdirSync(dir)).not.toContain('dist');

    // WHEN synth runs again, with environment files it refuses
    writeFileSync(join(dir, 'environments/lab.yaml'), 'not: [valid');
    const next = runMain(synth, [], { root: dir });

    // THEN it has completed the swap all the same, and says what it did
    expect(next.code).toBe(1);
    expect(next.stderr.split('\n')[0]).toBe('completed the swap of dist/ that an interrupted synth left: its new output is in place');
    expect(readTree(join(dir, 'dist'))).toEqual(readTree(join(probe.root, 'dist')));
    expect(withoutLockFolders(readdirSync(dir)).sort()).toEqual(['.cache', 'dist', 'environments', 'inventory']);
  });
});
