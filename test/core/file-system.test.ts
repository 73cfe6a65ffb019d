import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asUserError, fileSystemError, fileSystemProblem, nodeFileSystem } from '../../src/core/file-system';
import { UserError } from '../../src/core/user-error';

describe('fileSystemProblem', () => {
  it.each([
    ['ENOENT', 'open', 'cannot open: no such file or folder (ENOENT); check the path'],
    [
      'ENOTDIR',
      'mkdir',
      'cannot create the folder: a part of the path is a file where a folder is expected (ENOTDIR); move that file out of the way or choose another path',
    ],
    ['EISDIR', 'open', 'cannot open: is a folder where a file is expected (EISDIR); remove or rename the folder'],
    ['EACCES', 'rename', 'cannot rename: permission denied (EACCES); give this user access to it (chmod, chown) or run as its owner'],
    ['EPERM', 'rm', 'cannot remove: operation not permitted (EPERM); give this user access to it (chmod, chown, chattr) or run as its owner'],
    ['EROFS', 'open', 'cannot open: the file system is read-only (EROFS); work in a writable checkout, or remount it read-write'],
    ['ENOSPC', 'write', 'cannot write: no space left on the device (ENOSPC); free some space and run again'],
    ['EBUSY', 'rm', 'cannot remove: busy (a mount point, or in use by another program) (EBUSY); unmount it or stop the program that uses it'],
    [
      'ELOOP',
      'stat',
      'cannot look at: too many levels of symbolic links (a link that points at itself) (ELOOP); replace the link with what it should point at',
    ],
  ])('describes %s in one line with the path, what failed, why and what to do', (code, syscall, message) => {
    expect(fileSystemProblem(fileSystemError(code, syscall, '/work/repo/dist/kkg/a.yaml'), '/work/repo')).toEqual({ file: 'dist/kkg/a.yaml', message });
  });

  it("names both paths of a rename, relative to the working folder when inside it, and Node's words for a rarer code", () => {
    const error = Object.assign(new Error("EXDEV: cross-device link not permitted, rename '/work/repo/dist' -> '/elsewhere/old'"), {
      code: 'EXDEV',
      syscall: 'rename',
      path: '/work/repo/dist',
      dest: '/elsewhere/old',
    });

    expect(fileSystemProblem(error, '/work/repo')).toEqual({
      file: 'dist',
      message: 'cannot rename to /elsewhere/old: cross-device link not permitted (EXDEV)',
    });
  });

  it('leaves anything that is not a system error to be reported as a bug, with its stack', () => {
    expect(fileSystemProblem(new TypeError('x is undefined'))).toBeUndefined();
    expect(asUserError(new TypeError('x is undefined'))).toBeUndefined();
    expect(asUserError(fileSystemError('ENOSPC', 'write', '/tmp/x'), '/tmp')).toBeInstanceOf(UserError);
  });
});

describe('nodeFileSystem().read', () => {
  it('refuses a FIFO without waiting for a writer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-fs-'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);

    expect(() => nodeFileSystem(dir).read('pipe', 1024)).toThrow(expect.objectContaining({ code: 'EFTYPE' }));
  });

  it('refuses a file over the limit, and a device', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-fs-'));
    writeFileSync(join(dir, 'big'), 'x'.repeat(2048));
    const fs = nodeFileSystem(dir);

    expect(() => fs.read('big', 1024)).toThrow(expect.objectContaining({ code: 'EFBIG' }));
    expect(() => fs.read('/dev/zero', 1024)).toThrow(expect.objectContaining({ code: 'EFTYPE' }));
  });

  it.skipIf(!existsSync('/proc/self/status'))('reads a file that reports no size (Linux /proc) up to the limit', () => {
    const fs = nodeFileSystem('/');

    expect(fs.read('/proc/self/status', 1024 * 1024)).toMatch(/^Name:/);
    expect(() => fs.read('/proc/self/status', 10)).toThrow(expect.objectContaining({ code: 'EFBIG' }));
  });

  it.skipIf(!existsSync('/proc/self/status'))('refuses such a virtual file when asked to (virtual: false), and still reads an empty regular file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-fs-'));
    writeFileSync(join(dir, 'empty'), '');
    const fs = nodeFileSystem(dir);

    expect(() => fs.read('/proc/self/status', 1024 * 1024, { virtual: false })).toThrow(expect.objectContaining({ code: 'EVIRTUAL' }));
    expect(fs.read('empty', 1024, { virtual: false })).toBe('');
  });
});
