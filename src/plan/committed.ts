/**
 * The output folder as committed at `HEAD`, read with Git: what Argo CD syncs
 * once the branch is merged, whatever the working tree holds (a synth since the
 * last commit changes the working tree, not the comparison).
 */
import { spawnSync } from 'node:child_process';
import { isAbsolute, relative, resolve } from 'node:path';
import { UserError } from '../core/user-error';
import type { FileMap } from '../synth/cluster-files';
import { foreignFile, withoutMarker } from '../synth/output-folder';

/** Largest Git output read (every committed output file at once). */
const MAX_BUFFER = 512 * 1024 * 1024;

const PASS_BASE = 'pass --base <folder> with the output to compare with';

/** Runs git in `cwd`; the problem is named after `outdir`. */
function git(command: string, cwd: string, outdir: string, args: readonly string[], input?: string): Buffer {
  const run = spawnSync(command, args, { cwd, input, maxBuffer: MAX_BUFFER });
  if (run.error !== undefined) {
    const code = (run.error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'git is not installed (or not on PATH)' : `git could not run (${code ?? run.error.message})`;
    throw new UserError([{ file: outdir, message: `cannot read ${outdir}/ as committed at HEAD: ${why}; ${PASS_BASE}` }]);
  }
  if (run.status !== 0) {
    const stderr = run.stderr.toString('utf8');
    const why = /not a git repository/i.test(stderr)
      ? 'this folder is not in a Git repository'
      : /(unknown revision|bad revision|not a valid object name|does not have any commits)/i.test(stderr) && /HEAD/.test(stderr)
        ? 'the repository has no commit yet'
        : `git ${args[0]} failed: ${
            stderr
              .split('\n')
              .find((line) => line.trim() !== '')
              ?.trim() ?? `exit ${run.status}`
          }`;
    throw new UserError([{ file: outdir, message: `cannot read ${outdir}/ as committed at HEAD: ${why}; ${PASS_BASE}` }]);
  }
  return run.stdout;
}

/**
 * The files of `outdir` as committed at `HEAD` (paths relative to it, without
 * the marker), read with one `git ls-tree` and one `git cat-file --batch`.
 *
 * @param root the working folder; `outdir` is relative to it
 * @param command the Git program
 * @throws UserError when there is no Git, no commit, no committed output, or
 *   the committed folder is not this project's output
 */
export function committedOutput(outdir: string, root: string, command = 'git'): FileMap {
  const files = committedFolder(outdir, root, command);
  if (files.size === 0) {
    throw new UserError([
      {
        file: outdir,
        message: `nothing is committed in ${outdir}/ at HEAD, so every removal would pass unseen; commit the output of \`npm run synth\` first, or ${PASS_BASE}`,
      },
    ]);
  }
  const foreign = foreignFile(files);
  if (foreign !== undefined) {
    throw new UserError([
      { file: outdir, message: `what HEAD holds in ${outdir}/ is not an output of this project (${foreign} is not a file synth writes); ${PASS_BASE}` },
    ]);
  }
  return withoutMarker(files);
}

/**
 * The files of a folder as committed at `HEAD` (paths relative to it), read
 * with one `git ls-tree` and one `git cat-file --batch`; empty when nothing is
 * committed there.
 *
 * @param root the working folder; `folder` is relative to it
 * @throws UserError when there is no Git or no commit, or the folder holds anything but files
 */
export function committedFolder(folder: string, root: string, command = 'git'): FileMap {
  const outdir = folder;
  const path = relative(root, resolve(root, outdir));
  if (path === '' || path.startsWith('..') || isAbsolute(path)) {
    throw new UserError([{ file: outdir, message: `cannot read ${outdir}/ as committed at HEAD: it is not inside the working folder; ${PASS_BASE}` }]);
  }
  const prefix = `${path.split('\\').join('/')}/`;
  const listing = git(command, root, outdir, ['ls-tree', '-r', '-z', 'HEAD', '--', prefix]).toString('utf8');
  const entries: { oid: string; file: string }[] = [];
  for (const record of listing.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    const file = record.slice(tab + 1);
    if (!file.startsWith(prefix)) continue;
    if (type !== 'blob' || mode === '120000') {
      throw new UserError([
        {
          file: `${outdir}/${file.slice(prefix.length)}`,
          message: `committed at HEAD as ${mode === '120000' ? 'a symbolic link' : `a ${type}`}, which synth never writes; ${PASS_BASE}`,
        },
      ]);
    }
    entries.push({ oid, file: file.slice(prefix.length) });
  }
  if (entries.length === 0) return new Map();

  const batch = git(command, root, outdir, ['cat-file', '--batch'], `${entries.map((entry) => entry.oid).join('\n')}\n`);
  const files: FileMap = new Map();
  let offset = 0;
  for (const { oid, file } of entries) {
    const end = batch.indexOf(0x0a, offset);
    const [headerOid, , size] = batch.toString('utf8', offset, end).split(' ');
    if (headerOid !== oid || size === undefined) {
      throw new UserError([{ file: `${outdir}/${file}`, message: `git cat-file could not read the committed file; ${PASS_BASE}` }]);
    }
    files.set(file, batch.toString('utf8', end + 1, end + 1 + Number(size)));
    offset = end + 1 + Number(size) + 1;
  }
  return files;
}
