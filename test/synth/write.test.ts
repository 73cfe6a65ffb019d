import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asUserError, fileSystemError, nodeFileSystem } from '../../src/core/file-system';
import { UserError } from '../../src/core/user-error';
import { OUTPUT_MARKER, OUTPUT_MARKER_TEXT } from '../../src/synth/layout';
import type { FileMap } from '../../src/synth/cluster-files';
import { diffTree, lockOutput, MidSwapError, outputFiles, outputSiblings, readLocked, readTree, writeOutput } from '../../src/synth/write';
import { Crash, faultyFileSystem, testHost } from '../helpers/fault-fs';

/** A rendered file as synth writes it (with the header an older synth's output is recognised by). */
function generated(body: string): string {
  return `# Generated from environments/kkg.yaml by \`npm run synth\`. Do not edit.\n${body}`;
}

const OLD: FileMap = new Map([
  ['kkg/a.yaml', generated('a: old\n')],
  ['kkg/gone.yaml', generated('gone: true\n')],
  ['kkg/gone/item.yaml', generated('item: 1\n')],
]);
const NEW: FileMap = new Map([
  ['kkg/a.yaml', generated('a: new\n')],
  ['kkg/b.yaml', generated('b: 1\n')],
  ['lab/bootstrap/root-app.yaml', generated('root: true\n')],
]);

let pids = 1000;

/** A fresh working folder, with `dist/` holding `initial` as synth wrote it (marker included) when given. */
function workspace(initial?: FileMap): string {
  const root = mkdtempSync(join(tmpdir(), 'pke-write-'));
  if (initial !== undefined) writeOutput('dist', initial, { fs: nodeFileSystem(root), host: testHost(pids++) });
  return root;
}

/**
 * What is next to dist/ in the working folder (journal and swap folders must not stay). The lock
 * folder stays, and is left out when it holds nothing but one generation that says the lock is free.
 */
function siblings(root: string): string[] {
  return readdirSync(root)
    .sort()
    .flatMap((name) => {
      if (!name.endsWith('.synth-lock')) return [name];
      const entries = readdirSync(join(root, name));
      const free = entries.length === 1 && /^\d+$/.test(entries[0]) && readFileSync(join(root, name, entries[0]), 'utf8') === 'free\n';
      return free ? [] : [`${name}/{${entries.join(',')}}`];
    });
}

function tree(root: string): FileMap {
  return readTree(join(root, 'dist'));
}

function userErrorLines(run: () => unknown, root: string): string[] {
  try {
    run();
  } catch (error) {
    const userError = asUserError(error, root);
    if (userError === undefined) throw error;
    return userError.message.split('\n');
  }
  throw new Error('expected an error');
}

describe('writeOutput', () => {
  it('writes every file of the map and the marker into a new folder', () => {
    const root = workspace();

    const result = writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: testHost(1) });

    expect(tree(root)).toEqual(outputFiles(NEW));
    expect(tree(root).get(OUTPUT_MARKER)).toBe(OUTPUT_MARKER_TEXT);
    expect(result).toEqual({ added: [OUTPUT_MARKER, ...NEW.keys()].sort(), changed: [], removed: [] });
    expect(siblings(root)).toEqual(['dist']);
  });

  it('removes stale files of removed components and clusters, and leaves nothing next to the folder', () => {
    const root = workspace(OLD);

    const result = writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: testHost(1) });

    expect(tree(root)).toEqual(outputFiles(NEW));
    expect(result).toEqual({ added: ['kkg/b.yaml', 'lab/bootstrap/root-app.yaml'], changed: ['kkg/a.yaml'], removed: ['kkg/gone.yaml', 'kkg/gone/item.yaml'] });
    expect(siblings(root)).toEqual(['dist']);
  });

  it('leaves the folder untouched when nothing changed', () => {
    const root = workspace(OLD);
    const before = statSync(join(root, 'dist/kkg/a.yaml')).ino;

    const result = writeOutput('dist', OLD, { fs: nodeFileSystem(root), host: testHost(1) });

    expect(result).toEqual({ added: [], changed: [], removed: [] });
    expect(statSync(join(root, 'dist/kkg/a.yaml')).ino).toBe(before);
  });

  it('leaves the old output exactly as it was when a file cannot be written', () => {
    const root = workspace(OLD);
    // "kkg/a.yaml" is a file, so "kkg/a.yaml/inner.yaml" cannot be created.
    const impossible = new Map([
      ['kkg/a.yaml', 'new\n'],
      ['kkg/a.yaml/inner.yaml', 'x\n'],
    ]);

    expect(userErrorLines(() => writeOutput('dist', impossible, { fs: nodeFileSystem(root), host: testHost(1) }), root)).toEqual([
      '.dist.synth-new/kkg/a.yaml: cannot create the folder: already exists (EEXIST); move it out of the way',
    ]);
    expect(tree(root)).toEqual(outputFiles(OLD));
    expect(siblings(root)).toEqual(['dist']);
  });
});

describe('the output folder', () => {
  it.each([
    ['a home folder', { '.bashrc': 'alias x=y\n', 'notes.txt': 'keep me\n' }, '.bashrc'],
    ['the environments folder', { 'kkg.yaml': 'git: {}\n', 'environment.schema.json': '{}' }, 'environment.schema.json'],
    ['a folder with one file synth does not write', { 'kkg/a.yaml': generated('a: 1\n'), 'kkg/notes.md': 'mine\n' }, 'kkg/notes.md'],
  ])('is refused when it is %s, and left as it was', (_name, files, foreign) => {
    const root = workspace();
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, 'out', path, '..'), { recursive: true });
      writeFileSync(join(root, 'out', path), text);
    }
    const before = readTree(join(root, 'out'));

    expect(userErrorLines(() => writeOutput('out', NEW, { fs: nodeFileSystem(root), host: testHost(1) }), root)).toEqual([
      `out: not an output folder of this project (no .pke-output, and ${foreign} is not a file synth writes); ` +
        'synth replaces the whole folder, so it only replaces its own: set CDK8S_OUTDIR to an empty or new folder',
    ]);
    expect(readTree(join(root, 'out'))).toEqual(before);
    expect(siblings(root)).toEqual(['out']);
  });

  it.each(['.', '..', ''])('is refused when it is the working folder or one that contains it (CDK8S_OUTDIR=%j), before anything is written', (outdir) => {
    const root = workspace();
    mkdirSync(join(root, 'work'));
    const fs = faultyFileSystem(nodeFileSystem(join(root, 'work')));

    expect(userErrorLines(() => writeOutput(outdir || '.', NEW, { fs, host: testHost(1) }), root)).toEqual([
      `${outdir || '.'}: expected a folder of its own for the output, got the working folder (or one that contains it); set CDK8S_OUTDIR to a subfolder such as dist`,
    ]);
    expect(fs.steps).toEqual([]);
  });

  it.each([
    ['a file', (root: string) => writeFileSync(join(root, 'dist'), 'not a folder\n'), 'a file'],
    ['a link to a folder', (root: string) => (mkdirSync(join(root, 'real')), symlinkSync(join(root, 'real'), join(root, 'dist'))), 'a symbolic link'],
  ])('is refused when it is %s', (_name, make, got) => {
    const root = workspace();
    make(root);

    expect(userErrorLines(() => writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: testHost(1) }), root)).toEqual([
      `dist: expected the output folder, got ${got}; move it out of the way or set CDK8S_OUTDIR to a folder of its own`,
    ]);
  });

  it('is replaced when it is empty', () => {
    const root = workspace();
    mkdirSync(join(root, 'dist'));

    writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: testHost(1) });

    expect(tree(root)).toEqual(outputFiles(NEW));
  });

  it('takes over output an older synth wrote without the marker, once, and marks it', () => {
    const root = workspace();
    for (const [path, text] of OLD) {
      mkdirSync(join(root, 'dist', path, '..'), { recursive: true });
      writeFileSync(join(root, 'dist', path), text);
    }

    const result = writeOutput('dist', OLD, { fs: nodeFileSystem(root), host: testHost(1) });

    expect(result).toEqual({ added: [OUTPUT_MARKER], changed: [], removed: [] });
    expect(tree(root)).toEqual(outputFiles(OLD));
  });

  it('is refused, with the path, when it holds a link (even a dangling one)', () => {
    const root = workspace(OLD);
    symlinkSync(join(root, 'nowhere'), join(root, 'dist/kkg/link.yaml'));

    expect(userErrorLines(() => writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: testHost(1) }), root)).toEqual([
      'dist/kkg/link.yaml: expected only files and folders in the output, got a symbolic link; remove it (synth never writes one)',
    ]);
  });
});

function sameFiles(a: FileMap, b: FileMap): boolean {
  return a.size === b.size && [...a].every(([path, text]) => b.get(path) === text);
}

/** The steps of one successful replacement of OLD by NEW (a dry run). */
function stepsOfOneRun(initial: FileMap | undefined): number {
  const fs = faultyFileSystem(nodeFileSystem(workspace(initial)));
  writeOutput('dist', NEW, { fs, host: testHost(pids++) });
  return fs.steps.length;
}

describe('a crash between any two steps of the writer', () => {
  it.each([
    ['replacing an older output', OLD],
    ['writing the first output', undefined],
  ])('leaves, once the next run has recovered, either the old or the new output and nothing else (%s)', (_name, initial) => {
    const count = stepsOfOneRun(initial);
    const outcomes = new Set<string>();
    for (let at = 0; at < count; at++) {
      const root = workspace(initial);
      const before = initial === undefined ? new Map() : outputFiles(initial);
      const fs = faultyFileSystem(nodeFileSystem(root), { at, code: 'EIO', crash: true });

      // WHEN the writer dies at this step (its lock, journal and folders stay as they are)
      let crashed: unknown;
      try {
        writeOutput('dist', NEW, { fs, host: testHost(4_000_000 + at) });
      } catch (error) {
        crashed = error;
      }
      // (only the release of the lock, the very last step, does not report its own failure)
      if (crashed === undefined) expect(fs.steps[at].paths[0], `step ${at}`).toMatch(/^\.dist\.synth-lock(\/|$)/);
      else expect(crashed, `step ${at}`).toBeInstanceOf(Crash);

      // THEN the next run, before anything else, completes or rolls back what it left
      lockOutput('dist', { fs: nodeFileSystem(root), host: testHost(pids++) }).release();
      const after = tree(root);
      const outcome = sameFiles(after, outputFiles(NEW)) ? 'new' : 'old';
      expect(after, `step ${at}: ${fs.steps[at].method} ${fs.steps[at].paths.join(' ')}`).toEqual(outcome === 'new' ? outputFiles(NEW) : before);
      expect(
        siblings(root).filter((name) => name !== 'dist'),
        `step ${at}`,
      ).toEqual([]);
      outcomes.add(outcome);
    }
    expect([...outcomes].sort()).toEqual(['new', 'old']);
  });
});

describe('a crash at any step of taking over the lock of a process that is gone', () => {
  it('leaves a lock the next run takes, and either the old or the new output', () => {
    const stale = (root: string) => writeFileSync(join(root, '.dist.synth-lock', '40'), `${JSON.stringify({ pid: 31, hostname: 'test-host', token: 'ab' })}\n`);
    const count = (() => {
      const root = workspace(OLD);
      stale(root);
      const fs = faultyFileSystem(nodeFileSystem(root));
      writeOutput('dist', NEW, { fs, host: testHost(pids++) });
      return fs.steps.length;
    })();
    for (let at = 0; at < count; at++) {
      const root = workspace(OLD);
      stale(root);
      const fs = faultyFileSystem(nodeFileSystem(root), { at, code: 'EIO', crash: true });
      try {
        writeOutput('dist', NEW, { fs, host: testHost(6_000_000 + at) });
      } catch (error) {
        expect(error, `step ${at}`).toBeInstanceOf(Crash);
      }

      const next = lockOutput('dist', { fs: nodeFileSystem(root), host: testHost(pids++), waitMs: 0 });
      next.release();

      const after = tree(root);
      expect(
        [outputFiles(OLD), outputFiles(NEW)].some((files) => sameFiles(after, files)),
        `step ${at}`,
      ).toBe(true);
      expect(siblings(root), `step ${at}`).toEqual(['dist']);
    }
  });
});

const CODES = ['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EBUSY', 'ELOOP'];

describe('a file-system error at any step of the writer', () => {
  it(`is one line naming the path, and leaves the old output or (once it is in place) the new one (${CODES.join(', ')} in turn at every step)`, () => {
    const count = stepsOfOneRun(OLD);
    expect(count).toBeGreaterThan(CODES.length * 3);
    for (let at = 0; at < count; at++) {
      const code = CODES[at % CODES.length];
      const root = workspace(OLD);
      const fs = faultyFileSystem(nodeFileSystem(root), { at, code });
      const where = `step ${at}: ${code}`;

      let lines: string[] = [];
      let leftover: string | undefined;
      try {
        leftover = writeOutput('dist', NEW, { fs, host: testHost(5_000_000 + at) }).leftover;
      } catch (error) {
        const userError = asUserError(error, root);
        expect(userError, where).toBeInstanceOf(UserError);
        lines = (userError as UserError).message.split('\n');
      }

      if (lines.length === 0 && leftover === undefined) {
        // An error the writer does not need to report: releasing its lock (a lock left by a finished process is stale).
        expect(fs.steps[at].paths[0], where).toMatch(/^\.dist\.synth-lock(\/|$)/);
        expect(tree(root), where).toEqual(outputFiles(NEW));
      } else if (leftover === undefined) {
        // An error before the swap: one line with the path and the code; the old output as it was.
        expect(lines, where).toHaveLength(1);
        expect(lines[0], where).toMatch(new RegExp(`^\\S+: cannot .*\\(${code}\\); `));
        expect(tree(root), where).toEqual(outputFiles(OLD));
      } else {
        // An error while cleaning up after the swap: the new output is in place, and the message says what is left.
        expect(leftover, where).toMatch(new RegExp(`^\\S+: cannot .*\\(${code}\\); .*; dist/ is written, and the next synth removes what is left$`));
        expect(tree(root), where).toEqual(outputFiles(NEW));
      }
      // The next run starts clean either way.
      writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: testHost(pids++) });
      expect(tree(root), where).toEqual(outputFiles(NEW));
      expect(siblings(root), where).toEqual(['dist']);
    }
  });

  it('refuses, before anything moves, an old output whose folders this user may not change', () => {
    const root = workspace(OLD);
    const inner = nodeFileSystem(root);
    const fs = {
      ...inner,
      assertWritable: (path: string) => {
        if (path.endsWith('kkg/gone')) throw Object.assign(new Error('EACCES'), { code: 'EACCES', syscall: 'access', path: join(root, path) });
      },
    };

    expect(userErrorLines(() => writeOutput('dist', NEW, { fs, host: testHost(1) }), root)).toEqual([
      'dist/kkg/gone: cannot write in: permission denied (EACCES); give this user access to it (chmod, chown) or run as its owner',
    ]);
    expect(tree(root)).toEqual(outputFiles(OLD));
    expect(siblings(root)).toEqual(['dist']);
  });
});

/** True when this process may make a file immutable (`chattr +i`: root, on a file system that has the flag). */
function canMakeImmutable(): boolean {
  const file = join(mkdtempSync(join(tmpdir(), 'pke-chattr-')), 'f');
  writeFileSync(file, '');
  try {
    execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a file in dist/ that cannot be removed', () => {
  it.skipIf(!canMakeImmutable())('is named with the real reason (EPERM on that file, not ENOTDIR), and the run after the fix recovers', () => {
    // GIVEN an immutable file in dist/ (chattr +i)
    const root = workspace(OLD);
    const file = join(root, 'dist/kkg/gone.yaml');
    execFileSync('chattr', ['+i', file]);
    try {
      // WHEN synth replaces dist/: the new output goes in, and the old copy cannot be removed
      const result = writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: testHost(61) });
      expect(result.leftover).toBe(
        '.dist.synth-old/kkg/gone.yaml: cannot remove: operation not permitted (EPERM); give this user access to it (chmod, chown, chattr) or run as its owner; dist/ is written, and the next synth removes what is left',
      );
      expect(tree(root)).toEqual(outputFiles(NEW));
      // THEN the next run says the same, with the path where the file now is
      expect(userErrorLines(() => lockOutput('dist', { fs: nodeFileSystem(root), host: testHost(62) }), root)).toEqual([
        '.dist.synth-old/kkg/gone.yaml: cannot remove: operation not permitted (EPERM); give this user access to it (chmod, chown, chattr) or run as its owner',
      ]);
    } finally {
      execFileSync('chattr', ['-i', join(root, '.dist.synth-old/kkg/gone.yaml')]);
    }
    // AND once the flag is gone, the next run cleans up
    const lock = lockOutput('dist', { fs: nodeFileSystem(root), host: testHost(63) });
    lock.release();
    expect(lock.recovered).toBe(`removed what an interrupted synth left next to dist/`);
    expect(siblings(root)).toEqual(['dist']);
  });
});

describe('a swap that cannot be undone', () => {
  it('says the folder is mid-swap, and the next run completes the swap', () => {
    // GIVEN a file system where nothing can be renamed to dist (the swap, and then undoing it, both fail)
    const root = workspace(OLD);
    const inner = nodeFileSystem(root);
    const fs = {
      ...inner,
      rename: (from: string, to: string) => {
        if (to === 'dist') throw fileSystemError('EBUSY', 'rename', join(root, from), join(root, to));
        inner.rename(from, to);
      },
    };

    // WHEN synth writes
    let thrown: unknown;
    try {
      writeOutput('dist', NEW, { fs, host: testHost(41) });
    } catch (error) {
      thrown = error;
    }

    // THEN it says so, in one line, and the next run moves the complete new output in
    expect(thrown).toBeInstanceOf(MidSwapError);
    expect((thrown as MidSwapError).message).toBe(
      '.dist.synth-new: cannot rename to dist: busy (a mount point, or in use by another program) (EBUSY); unmount it or stop the program that uses it',
    );
    expect(siblings(root)).toEqual(['.dist.synth-journal', '.dist.synth-new', '.dist.synth-old']);
    expect(lockOutput('dist', { fs: nodeFileSystem(root), host: testHost(42) }).recovered).toBe(
      'completed the swap of dist/ that an interrupted synth left: its new output is in place',
    );
    expect(tree(root)).toEqual(outputFiles(NEW));
  });
});

describe('the output lock', () => {
  it('makes a second synth wait for a running one, then say that one is running', () => {
    const root = workspace(OLD);
    const first = lockOutput('dist', { fs: nodeFileSystem(root), host: testHost(11) });
    const second = testHost(12, { running: [11] });

    expect(userErrorLines(() => writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: second, waitMs: 2000 }), root)).toEqual([
      '.dist.synth-lock: another synth is writing this output (pid 11 on test-host) and did not finish within 2 s; ' +
        'run again when it is done, or remove .dist.synth-lock if no synth is running',
    ]);
    expect(second.slept).toBeGreaterThanOrEqual(2000);
    expect(tree(root)).toEqual(outputFiles(OLD));
    first.release();
    expect(siblings(root)).toEqual(['dist']);
  });

  it('lets the waiting synth go on as soon as the running one is done', () => {
    const root = workspace(OLD);
    const first = lockOutput('dist', { fs: nodeFileSystem(root), host: testHost(21) });
    const second = testHost(22, { running: [21], onSleep: () => first.release() });

    writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: second, waitMs: 2000 });

    expect(second.slept).toBeGreaterThan(0);
    expect(tree(root)).toEqual(outputFiles(NEW));
    expect(siblings(root)).toEqual(['dist']);
  });

  it('takes over the lock of a process that is gone, on this host only, and a lock with its own pid', () => {
    const root = workspace(OLD);
    const holder = (pid: number, host: string) => `${JSON.stringify({ pid, hostname: host, token: 'ab' })}\n`;
    const generation = (text: string) => {
      const number = Math.max(...readdirSync(join(root, '.dist.synth-lock')).map(Number)) + 1;
      writeFileSync(join(root, '.dist.synth-lock', String(number)), text);
    };
    generation(holder(31, 'test-host'));

    writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: testHost(32), waitMs: 2000 });
    expect(tree(root)).toEqual(outputFiles(NEW));
    expect(siblings(root)).toEqual(['dist']);

    // A lock with this process's own pid is a leftover of an earlier process (pids repeat, in containers above all).
    generation(holder(32, 'test-host'));
    writeOutput('dist', OLD, { fs: nodeFileSystem(root), host: testHost(32), waitMs: 100 });
    expect(tree(root)).toEqual(outputFiles(OLD));

    generation(holder(31, 'other-host'));
    expect(() => writeOutput('dist', OLD, { fs: nodeFileSystem(root), host: testHost(33), waitMs: 100 })).toThrow(/pid 31 on other-host/);
  });

  it.each([
    ['empty (a synth of an earlier version killed between creating its lock and writing its holder, or a full disk)', ''],
    ['cut short (a power loss)', '{"pid":7'],
    ['of a process that is gone', '{"pid":31,"hostname":"test-host"}\n'],
  ])('takes over a lock file of an earlier version that is %s, and its leftover take-over files', (_name, text) => {
    const root = workspace(OLD);
    rmSync(join(root, '.dist.synth-lock'), { recursive: true });
    writeFileSync(join(root, '.dist.synth-lock'), text);
    writeFileSync(join(root, '.dist.synth-lock.stale-31'), '{"pid":31,"hostname":"test-host"}\n');

    writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: testHost(32), waitMs: 100 });

    expect(tree(root)).toEqual(outputFiles(NEW));
    expect(siblings(root)).toEqual(['dist']);
  });

  it('waits for a lock file of an earlier version whose process runs', () => {
    const root = workspace(OLD);
    rmSync(join(root, '.dist.synth-lock'), { recursive: true });
    writeFileSync(join(root, '.dist.synth-lock'), '{"pid":31,"hostname":"test-host"}\n');

    expect(userErrorLines(() => writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: testHost(32, { running: [31] }), waitMs: 100 }), root)).toEqual([
      '.dist.synth-lock: another synth is writing this output (pid 31 on test-host) and did not finish within 0 s; run again when it is done, or remove .dist.synth-lock if no synth is running',
    ]);
    expect(tree(root)).toEqual(outputFiles(OLD));
  });

  it('takes over a generation that is not whole (a power loss), and removes what dead processes left in the lock', () => {
    const root = workspace(OLD);
    writeFileSync(join(root, '.dist.synth-lock', '500'), '{"pid":');
    writeFileSync(join(root, '.dist.synth-lock', '501.77-00ff.tmp'), '{"pid":77');

    writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: testHost(32), waitMs: 100 });

    expect(tree(root)).toEqual(outputFiles(NEW));
    expect(siblings(root)).toEqual(['dist']);
  });

  it.each([
    [
      'a generation that is a folder',
      (lock: string) => mkdirSync(join(lock, '900')),
      '.dist.synth-lock/900: cannot read: is a folder where a file is expected (EISDIR)',
    ],
    ['a generation that is a FIFO', (lock: string) => execFileSync('mkfifo', [join(lock, '900')]), '.dist.synth-lock/900: cannot read: not a regular file'],
  ])('says what is wrong with a lock it cannot read (%s): the path, the reason, and what to do', (_name, spoil, start) => {
    const root = workspace(OLD);
    spoil(join(root, '.dist.synth-lock'));

    const lines = userErrorLines(() => writeOutput('dist', NEW, { fs: nodeFileSystem(root), host: testHost(32), waitMs: 100 }), root);

    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(start)).toBe(true);
    expect(lines[0]).toMatch(/; this is the lock of the output folder: if none is running, remove \.dist\.synth-lock and run again$/);
    expect(tree(root)).toEqual(outputFiles(OLD));
  });

  it('never lets two synths hold it: a second synth that takes (or takes and releases) the lock at any step of a take-over is never overrun', () => {
    // GIVEN the lock of a process that is gone
    const stale = (root: string) => writeFileSync(join(root, '.dist.synth-lock', '7'), `${JSON.stringify({ pid: 31, hostname: 'test-host', token: 'ab' })}\n`);
    const count = (() => {
      const root = workspace(OLD);
      stale(root);
      const fs = faultyFileSystem(nodeFileSystem(root));
      lockOutput('dist', { fs, host: testHost(51) });
      return fs.steps.length;
    })();
    for (const second of ['holds', 'takes and releases, then a third holds'] as const) {
      for (let at = 0; at <= count; at++) {
        const root = workspace(OLD);
        stale(root);
        const inner = nodeFileSystem(root);
        const holders: string[] = [];
        let step = 0;
        // WHEN another synth runs between two steps of the take-over
        const interleave = () => {
          if (step++ !== at) return;
          try {
            const other = lockOutput('dist', { fs: inner, host: testHost(52, { running: [51] }), waitMs: 0 });
            if (second === 'holds') holders.push('52');
            else {
              other.release();
              lockOutput('dist', { fs: inner, host: testHost(53, { running: [51] }), waitMs: 0 });
              holders.push('53');
            }
          } catch (error) {
            // the first synth took it already: the other one waits
            expect(String(error)).toMatch(/another synth is writing this output \(pid 51 on test-host\)/);
          }
        };
        const fs = Object.fromEntries(
          Object.entries(inner).map(([key, value]) => [key, typeof value === 'function' ? (...args: unknown[]) => (interleave(), value(...args)) : value]),
        ) as typeof inner;
        let result = 'waited';
        try {
          lockOutput('dist', { fs, host: testHost(51, { running: [52, 53] }), waitMs: 0 });
          result = 'holds';
        } catch (error) {
          expect(String(error), `${second} at step ${at}`).toMatch(/another synth is writing this output \(pid 5[23] on test-host\)/);
        }
        // THEN exactly one synth holds the lock: the first one, or the other one
        expect(
          [result, ...holders].filter((h) => h !== 'waited'),
          `${second} at step ${at}`,
        ).toHaveLength(1);
      }
    }
  });
});

describe('a reader of the output folder (synth --check, validate, render, synth reading inventory/)', () => {
  it('sees the folder whole at every step of a swap: old or new, never half of each, never missing', () => {
    const count = stepsOfOneRun(OLD);
    const seen = new Set<string>();
    for (let at = 0; at < count; at++) {
      // GIVEN a writer that stops at this step (killed there)
      const root = workspace(OLD);
      const fs = faultyFileSystem(nodeFileSystem(root), { at, code: 'EIO', crash: true });
      try {
        writeOutput('dist', NEW, { fs, host: testHost(9_000_000 + at) });
      } catch (error) {
        expect(error).toBeInstanceOf(Crash);
      }
      // WHEN a reader reads the folder under the lock
      const read = readLocked('dist', () => tree(root), { fs: nodeFileSystem(root), host: testHost(pids++) });
      // THEN it is the old output or the new one
      const outcome = sameFiles(read, outputFiles(NEW)) ? 'new' : 'old';
      expect(read, `step ${at}`).toEqual(outputFiles(outcome === 'new' ? NEW : OLD));
      seen.add(outcome);
    }
    expect([...seen].sort()).toEqual(['new', 'old']);
  });

  it('waits while a synth holds the lock, then reads what it wrote', () => {
    const root = workspace(OLD);
    const writer = lockOutput('dist', { fs: nodeFileSystem(root), host: testHost(71) });
    const reader = testHost(72, {
      running: [71],
      onSleep: () => {
        writer.write(NEW);
        writer.release();
      },
    });

    expect(readLocked('dist', () => tree(root), { fs: nodeFileSystem(root), host: reader })).toEqual(outputFiles(NEW));
    expect(reader.slept).toBeGreaterThan(0);
  });

  it('reads without the lock where nothing can be created next to the folder (a read-only checkout: no synth can swap it there)', () => {
    const root = workspace(OLD);
    const inner = nodeFileSystem(root);
    const fs = { ...inner, assertWritable: (path: string) => inner.assertWritable(path === '.' ? '/nonexistent' : path) };

    expect(readLocked('dist', () => tree(root), { fs, host: testHost(73) })).toEqual(outputFiles(OLD));
  });
});

describe('what synth keeps next to the output folder', () => {
  it('is git-ignored, so a crash never leaves anything to commit', () => {
    const names = [...Object.values(outputSiblings('dist')), '.dist.synth-lock.stale-123', '.dist.synth-new/kkg/a.yaml'];

    const ignored = execFileSync('git', ['check-ignore', '--no-index', ...names])
      .toString()
      .trim()
      .split('\n');

    expect(ignored).toEqual(names);
  });
});

describe('diffTree', () => {
  it('sorts added, changed and removed paths', () => {
    const before = new Map([
      ['b', '1'],
      ['a', '1'],
      ['c', '1'],
    ]);
    const after = new Map([
      ['b', '2'],
      ['d', '1'],
      ['c', '1'],
    ]);

    expect(diffTree(before, after)).toEqual({ added: ['d'], changed: ['b'], removed: ['a'] });
  });
});
